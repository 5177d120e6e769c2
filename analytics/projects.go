package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// CountyRates returns every county's key-project sums as of a date
// (CONTRACT §4), by unit_id; counties without projects have zero sums.
func (s *Store) CountyRates(ctx context.Context, asOf time.Time) ([]scoring.CountySums, error) {
	var out []scoring.CountySums
	err := s.eachRow(ctx, queries.SQL("projects_county_rates"), []any{asOf}, func(r *sql.Rows) error {
		var c scoring.CountySums
		if err := r.Scan(&c.UnitID, &c.Name, &c.LandSupplied, &c.LandNeed, &c.LandProjects, &c.InvestmentYTD, &c.AnnualPlan,
			&c.PlanProjects, &c.Started, &c.Planned, &c.Early, &c.Signed, &c.Landed); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: county project sums as of %s: %w", asOf.Format(time.DateOnly), err)
	}
	return out, nil
}

var (
	projectQuarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	projectMonthRE   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
)

// ProjectPeriod reads a project period, a quarter (2019-Q2) or a month
// (2019-06), and returns it with the number of months elapsed in its year
// at its end (6 for both examples).
func ProjectPeriod(s string) (Period, int, error) {
	if m := projectQuarterRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		start := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		return Period{Name: s, Start: start, End: start.AddDate(0, 3, -1)}, 3 * q, nil
	}
	if m := projectMonthRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		start := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		return Period{Name: s, Start: start, End: start.AddDate(0, 1, -1)}, mo, nil
	}
	return Period{}, 0, fmt.Errorf("%q is neither a quarter (YYYY-Q1 … YYYY-Q4) nor a month (YYYY-MM)", s)
}

// ProjectRanking computes the county rates and ranks of a quarter or month
// as of its last day; a rate whose denominator holds fewer than minProjects
// projects is marked 样本不足 (the scheme's interviews.min_projects).
func (s *Store) ProjectRanking(ctx context.Context, period string, minProjects int) (scoring.QuarterRates, error) {
	p, months, err := ProjectPeriod(period)
	if err != nil {
		return scoring.QuarterRates{}, err
	}
	sums, err := s.CountyRates(ctx, p.End)
	if err != nil {
		return scoring.QuarterRates{}, err
	}
	return scoring.ComputeCountyRates(p.Name, p.End.Format(time.DateOnly), months, sums, minProjects), nil
}

// YearInterviews computes the periods of a year (quarters or months, as the
// rule says), each as of its last day, and the year's 约谈 list under the
// rule (zero Consecutive or Bottom mean 2 and 1; only counties with at
// least rule.MinProjects projects in a rate's denominator take part). It
// returns the periods too, the first first.
func (s *Store) YearInterviews(ctx context.Context, year int, rule scoring.InterviewRule) ([]scoring.Interview, []scoring.QuarterRates, error) {
	if year < 1 || year > 9999 {
		return nil, nil, fmt.Errorf("%d is not a year", year)
	}
	var names []string
	switch rule.Period {
	case scoring.PeriodQuarter, "":
		for q := 1; q <= 4; q++ {
			names = append(names, fmt.Sprintf("%04d-Q%d", year, q))
		}
	case scoring.PeriodMonth:
		for m := 1; m <= 12; m++ {
			names = append(names, fmt.Sprintf("%04d-%02d", year, m))
		}
	default:
		return nil, nil, fmt.Errorf("约谈 period %q: want quarter or month", rule.Period)
	}
	var qs []scoring.QuarterRates
	for _, name := range names {
		r, err := s.ProjectRanking(ctx, name, rule.MinProjects)
		if err != nil {
			return nil, nil, err
		}
		qs = append(qs, r)
	}
	return scoring.Interviews(qs, rule.Consecutive, rule.Bottom), qs, nil
}
