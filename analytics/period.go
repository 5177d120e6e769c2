package analytics

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Period is a span of whole days; End is its as-of date (CONTRACT §1).
type Period struct {
	Name       string
	Start, End time.Time
}

var roundRE = regexp.MustCompile(`^(\d{4})-B([1-6])$`)

// ParseRound reads a bimonthly round: 2019-B1 is January–February 2019 … 2019-B6 November–December.
func ParseRound(s string) (Period, error) {
	m := roundRE.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("%q is not a round (YYYY-B1 … YYYY-B6)", s)
	}
	y, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	start := time.Date(y, time.Month(2*b-1), 1, 0, 0, 0, 0, time.UTC)
	return Period{Name: s, Start: start, End: start.AddDate(0, 2, -1)}, nil
}
