package analytics_test

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// openSampleProjects imports the sample city's units and project files
// (the other kinds play no part in the county rates).
func openSampleProjects(t *testing.T) *analytics.Store {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := fixtures.Generate(fixtures.Options{Scale: fixtures.Small, Out: filepath.Join(dir, "city")}); err != nil {
		t.Fatal(err)
	}
	s, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(dir, "t.duckdb"), MemoryLimit: "1GB", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	files, _, err := analytics.ExpandPaths([]string{filepath.Join(dir, "city")}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)) {
		case "units", "projects", "project_progress", "signed_projects":
			if _, err := s.ImportFile(ctx, f, analytics.ImportOptions{}); err != nil {
				t.Fatalf("import %s: %v", f, err)
			}
		}
	}
	return s
}

// TestSampleCityProjects checks the designed situations of the sample city
// (fixtures/README.md): C14 last on 供地率 in 2019-Q2 and 2019-Q3 with
// 322.2 / 3320 mu and 483.6 / 3320 mu, and C02 without a land denominator.
func TestSampleCityProjects(t *testing.T) {
	s := openSampleProjects(t)
	ctx := context.Background()
	ivs, qs, err := s.YearInterviews(ctx, 2019, scoring.DefaultInterviewRule())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("C14 land sums as of the end of Q2 and Q3", func(t *testing.T) {
		for _, c := range []struct {
			asOf           string
			supplied, need float64
		}{{"2019-06-30", 322.2, 3320}, {"2019-09-30", 483.6, 3320}} {
			d, _ := time.Parse(time.DateOnly, c.asOf)
			sums, err := s.CountyRates(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if len(sums) != 20 {
				t.Errorf("%s: %d counties, want 20", c.asOf, len(sums))
			}
			for _, u := range sums {
				if u.UnitID == "C14" && (math.Abs(u.LandSupplied-c.supplied) > 1e-6 || math.Abs(u.LandNeed-c.need) > 1e-6) {
					t.Errorf("%s: C14 land %v / %v, want %v / %v", c.asOf, u.LandSupplied, u.LandNeed, c.supplied, c.need)
				}
			}
		}
	})
	t.Run("C14 is listed for 供地率 in Q2 and Q3 with its values", func(t *testing.T) {
		want := map[string]float64{"2019-Q2": 322.2 / 3320, "2019-Q3": 483.6 / 3320}
		found := 0
		for _, iv := range ivs {
			if iv.UnitID != "C14" || iv.Rate != scoring.RateLand {
				continue
			}
			for i, p := range iv.Periods {
				if w, ok := want[p]; ok {
					found++
					if math.Abs(iv.Values[i]-w) > 1e-9 {
						t.Errorf("%s: value %v, want %v", p, iv.Values[i], w)
					}
				}
			}
		}
		if found != 2 {
			t.Errorf("C14 供地率 listed in %d of 2019-Q2, 2019-Q3; list %+v", found, ivs)
		}
	})
	t.Run("C02 is unranked on 供地率 and C14 last of 19", func(t *testing.T) {
		for _, q := range qs[1:3] {
			for _, c := range q.Counties {
				r := c.Rates[scoring.RateLand]
				switch c.UnitID {
				case "C02":
					if r.Value != nil || r.Rank != nil {
						t.Errorf("%s: C02 供地率 %v rank %v, want unranked", q.Period, r.Value, r.Rank)
					}
				case "C14":
					if r.Rank == nil || *r.Rank != 19 {
						t.Errorf("%s: C14 供地率 rank %v, want 19", q.Period, r.Rank)
					}
				}
			}
		}
	})
	t.Run("a month is ranked as of its last day", func(t *testing.T) {
		m, err := s.ProjectRanking(ctx, "2019-06", 3)
		if err != nil {
			t.Fatal(err)
		}
		if m.AsOf != "2019-06-30" || m.TimeProgress != 0.5 || len(m.Counties) != 20 {
			t.Errorf("got as-of %s, time progress %v, %d counties", m.AsOf, m.TimeProgress, len(m.Counties))
		}
	})
}

func TestProjectPeriod(t *testing.T) {
	cases := []struct {
		in, end string
		months  int
	}{{"2019-Q1", "2019-03-31", 3}, {"2019-Q4", "2019-12-31", 12}, {"2019-02", "2019-02-28", 2}, {"2020-02", "2020-02-29", 2}}
	for _, c := range cases {
		t.Run(c.in+" ends "+c.end, func(t *testing.T) {
			p, m, err := analytics.ProjectPeriod(c.in)
			if err != nil || p.End.Format(time.DateOnly) != c.end || m != c.months {
				t.Errorf("got %v %d %v, want %s %d", p.End, m, err, c.end, c.months)
			}
		})
	}
	t.Run("a round is refused", func(t *testing.T) {
		if _, _, err := analytics.ProjectPeriod("2019-B1"); err == nil {
			t.Error("no error")
		}
	})
}
