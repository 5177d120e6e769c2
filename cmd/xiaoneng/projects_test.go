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
	t.Run("quarter table shows C14 at 10.04% ranked 19", func(t *testing.T) {
		out, err := exec(t, false, "--quarter", "2019-Q2")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "2019-Q2 重点项目县区排名 (截至 2019-06-30, 时间进度 50.00%)") {
			t.Errorf("no title in\n%s", out)
		}
		if !projLineHas(out, "C14", "10.04  19") {
			t.Errorf("C14 line lacks 10.04 ranked 19:\n%s", out)
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
		want := "C14,白水县,供地率,2019-Q1;2019-Q2;2019-Q3;2019-Q4,5.01;10.04;15.07;20.10\n"
		if !strings.HasPrefix(out, "unit_id,name,rate,periods,values_pct\n") || !strings.Contains(out, want) {
			t.Errorf("got\n%s\nwant a line %q", out, want)
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
