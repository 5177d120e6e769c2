package calendar

import (
	"bytes"
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// officialCSV is the State Council calendar for 2018–2026.
//
//go:embed holidays.csv
var officialCSV []byte

// officialYears are the years officialCSV covers completely.
var officialYears = []int{2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}

// Calendar is a working-day calendar over a set of covered years. It is
// immutable after construction and safe for concurrent use.
type Calendar struct {
	years   []int           // covered years, ascending
	entries map[int64]Entry // source entries by day number
	base    int64           // day number of January 1 of the first covered year
	// Per day, indexed by day number - base, from January 1 of the first to
	// December 31 of the last covered year:
	work   []bool  // working day
	seq    []int32 // working days from index 0 up to and including this day
	runEnd []int32 // last index of the run of consecutive covered years, -1 if uncovered
	// bySeq[k] is the index of the (k+1)-th working day.
	bySeq []int32
}

// defaultCalendar parses the embedded calendar once.
var defaultCalendar = sync.OnceValue(func() *Calendar {
	entries, err := ParseCSV(bytes.NewReader(officialCSV), "holidays.csv")
	if err != nil {
		panic("calendar: embedded holidays.csv: " + err.Error())
	}
	return New(entries, officialYears)
})

// Default returns the official State Council calendar for 2018–2026 shipped
// with the package. The calendar is shared; it is immutable.
func Default() *Calendar {
	return defaultCalendar()
}

// New returns a calendar covering the given years plus every year an entry
// falls in. Days of a covered year without an entry follow the
// Monday–Friday rule. When two entries share a date the later one wins.
// New panics on an entry whose Kind is neither Holiday nor Workday.
func New(entries []Entry, years []int) *Calendar {
	m := make(map[int64]Entry, len(entries))
	return build(m, years, entries)
}

// With returns a new calendar with entries overlaid on c: an entry replaces
// the entry c has for its date, and the year of every entry becomes covered.
// A year newly covered this way follows the Monday–Friday rule on the days
// the entries do not name, so import a complete year at once. c is not
// changed. With panics on an entry whose Kind is neither Holiday nor Workday.
func (c *Calendar) With(entries []Entry) *Calendar {
	return build(maps.Clone(c.entries), c.years, entries)
}

// Years returns the covered years in ascending order.
func (c *Calendar) Years() []int {
	return slices.Clone(c.years)
}

// build adds entries to m and years to the covered years and computes the
// per-day arrays. m is owned by the result.
func build(m map[int64]Entry, years []int, entries []Entry) *Calendar {
	if m == nil {
		m = map[int64]Entry{}
	}
	ys := slices.Clone(years)
	for _, e := range entries {
		if e.Kind != Holiday && e.Kind != Workday {
			panic(fmt.Sprintf("calendar: entry %s has invalid kind %v", Truncate(e.Date).Format(time.DateOnly), e.Kind))
		}
		e.Date = Truncate(e.Date)
		m[dayNum(e.Date)] = e
		ys = append(ys, e.Date.Year())
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	c := &Calendar{years: ys, entries: m}
	if len(ys) == 0 {
		return c
	}
	first, last := ys[0], ys[len(ys)-1]
	c.base = dayNum(Day(first, time.January, 1))
	n := int(dayNum(Day(last, time.December, 31)) - c.base + 1)
	c.work = make([]bool, n)
	c.seq = make([]int32, n)
	c.runEnd = make([]int32, n)
	var count int32
	for i := range n {
		day := c.base + int64(i)
		t := fromDayNum(day)
		if _, ok := slices.BinarySearch(ys, t.Year()); ok {
			wd := t.Weekday()
			w := wd != time.Saturday && wd != time.Sunday
			if e, ok := m[day]; ok {
				w = e.Kind == Workday
			}
			if w {
				c.work[i] = true
				c.bySeq = append(c.bySeq, int32(i))
				count++
			}
		} else {
			c.runEnd[i] = -1
		}
		c.seq[i] = count
	}
	end := int32(n - 1)
	for i := n - 1; i >= 0; i-- {
		if c.runEnd[i] < 0 {
			end = int32(i - 1)
		} else {
			c.runEnd[i] = end
		}
	}
	return c
}
