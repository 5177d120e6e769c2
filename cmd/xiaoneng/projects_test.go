package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// projectsDB writes a database holding the sample city's units and project files.
func projectsDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	city := filepath.Join(dir, "city")
	if _, err := fixtures.Generate(fixtures.Options{Scale: fixtures.Small, Out: city}); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "p.duckdb")
	st, err := analytics.Open(ctx, analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range []string{"units.xlsx", "projects.csv", "project_progress.csv", "signed_projects.csv"} {
		if _, err := st.ImportFile(ctx, filepath.Join(city, f), analytics.ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
	}
	return db
}

func TestProjectsAndInterviewsCommands(t *testing.T) {
	db := projectsDB(t)
	exec := func(t *testing.T, interviews bool, args ...string) (string, error) {
		t.Helper()
		var buf bytes.Buffer
		a := &app{db: db, out: &buf, errOut: &buf}
		c := a.projectsCmd()
		if interviews {
			c = a.interviewsCmd()
		}
		c.SetArgs(args)
		c.SetOut(&buf)
		c.SetErr(&buf)
		err := c.ExecuteContext(context.Background())
		return buf.String(), err
	}
	t.Run("quarter table shows C14 at 9.70% ranked 19", func(t *testing.T) {
		out, err := exec(t, false, "--quarter", "2019-Q2")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "2019-Q2 重点项目县区排名 (截至 2019-06-30, 时间进度 50.00%)") {
			t.Errorf("no title in\n%s", out)
		}
		if !projLineHas(out, "C14", "9.70  19") {
			t.Errorf("C14 line lacks 9.70 ranked 19:\n%s", out)
		}
		if !strings.Contains(out, "提前开工") || !strings.Contains(out, "样本不足") {
			t.Errorf("the table lacks the 提前开工 and 样本不足 columns:\n%s", out)
		}
	})
	t.Run("month json leaves C02 unranked on 供地率", func(t *testing.T) {
		out, err := exec(t, false, "--month", "2019-06", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var q scoring.QuarterRates
		if err := json.Unmarshal([]byte(out), &q); err != nil {
			t.Fatal(err)
		}
		if q.AsOf != "2019-06-30" || len(q.Counties) != 20 || q.Counties[1].UnitID != "C02" {
			t.Fatalf("got as-of %s, %d counties", q.AsOf, len(q.Counties))
		}
		if r := q.Counties[1].Rates[scoring.RateLand]; r.Value != nil || r.Rank != nil {
			t.Errorf("C02 供地率 %v rank %v, want null", r.Value, r.Rank)
		}
	})
	t.Run("interviews csv lists C14 for 供地率 in Q2 and Q3", func(t *testing.T) {
		out, err := exec(t, true, "--year", "2019", "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		want := "C14,白水县,供地率,2019-Q1;2019-Q2;2019-Q3;2019-Q4,4.84;9.70;14.57;19.43\n"
		if !strings.HasPrefix(out, "unit_id,name,rate,periods,values_pct\n") || !strings.Contains(out, want) {
			t.Errorf("got\n%s\nwant a line %q", out, want)
		}
	})
	t.Run("csv carries early starts and the 样本不足 rates", func(t *testing.T) {
		out, err := exec(t, false, "--quarter", "2019-Q2", "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		// C06 signed 2 projects by the end of Q2 (1 landed): 样本不足 on the
		// landing rate. C02 needs no land: unranked on 供地率, not 样本不足.
		if !strings.Contains(out, ",start_rate_pct,start_rate_rank,early_starts,") || !strings.Contains(out, ",small_sample\n") ||
			!strings.Contains(out, ",50.00,9,2,20,landing_rate\n") || !strings.Contains(out, "\nC02,东湖区,,,") ||
			strings.Contains(out, ",land_supply_rate\n") {
			t.Errorf("got\n%s", out)
		}
	})
	t.Run("--min-projects raises the minimum", func(t *testing.T) {
		// C05 signed fewer than 5 projects in Q1: with a minimum of 5 its
		// run of last places on the landing rate starts in Q2.
		out, err := exec(t, true, "--year", "2019", "--format", "csv", "--min-projects", "5")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "C05,北塘区,签约项目落地率,2019-Q2;2019-Q3;2019-Q4,0.00;30.00;33.33\n") {
			t.Errorf("got\n%s", out)
		}
		if _, err := exec(t, true, "--year", "2019", "--min-projects", "-1"); err == nil {
			t.Error("a negative minimum is accepted")
		}
	})
	t.Run("both --quarter and --month is refused", func(t *testing.T) {
		if _, err := exec(t, false, "--quarter", "2019-Q2", "--month", "2019-06"); err == nil {
			t.Error("no error")
		}
	})
	t.Run("unknown format is refused", func(t *testing.T) {
		if _, err := exec(t, true, "--year", "2019", "--format", "xml"); err == nil {
			t.Error("no error")
		}
	})
}

// projLineHas reports whether the line starting with id contains want,
// after collapsing runs of spaces to two.
func projLineHas(out, id, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, id+" ") {
			return strings.Contains(strings.Join(strings.Fields(l), "  "), want)
		}
	}
	return false
}
