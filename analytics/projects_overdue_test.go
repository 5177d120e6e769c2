package analytics_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// TestOverdueProjects checks 逾期未开工 by hand on six projects as of
// 2019-06-15: P1 planned 2019-03-01, no progress → overdue 106 days
// (March 31 − 1 = 30, April 30, May 31, June 15 → 30+30+31+15 = 106);
// P2 started 2019-05-20 → not overdue; P3 planned 2019-05-01 and started
// 2019-06-20 (after the as-of date, in the June row) → overdue 45 days;
// P4 planned 2019-07-01 → not due; P5 planned on the as-of date → not yet
// overdue; P6 is a 2018 project → not of the year. P7 started in its
// January row but its latest row (May) has no start date → overdue: the
// latest row counts, as for the county rates.
func TestOverdueProjects(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	files := map[string]string{
		"units.csv": "unit_id,name,kind,category\nC01,青川区,county,县区\n",
		"projects.csv": "project_id,name,unit_id,level,year,annual_plan,land_need_mu,planned_start,industry\n" +
			"P1,甲项目,C01,city,2019,100,0,2019-03-01,x\n" +
			"P2,乙项目,C01,city,2019,200,0,2019-03-01,x\n" +
			"P3,丙项目,C01,province,2019,300,0,2019-05-01,x\n" +
			"P4,丁项目,C01,city,2019,400,0,2019-07-01,x\n" +
			"P5,戊项目,C01,city,2019,500,0,2019-06-15,x\n" +
			"P6,己项目,C01,city,2018,600,0,2018-03-01,x\n" +
			"P7,庚项目,C01,city,2019,700,0,2019-01-10,x\n",
		"project_progress.csv": "project_id,month,investment_ytd,land_supplied_mu,started_on\n" +
			"P2,2019-05,50,0,2019-05-20\n" +
			"P3,2019-06,30,0,2019-06-20\n" +
			"P7,2019-01,10,0,2019-01-15\n" +
			"P7,2019-05,70,0,\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(dir, "t.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, f := range []string{"units.csv", "projects.csv", "project_progress.csv"} {
		if _, err := s.ImportFile(ctx, filepath.Join(dir, f), analytics.ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
	}
	got, err := s.OverdueProjects(ctx, time.Date(2019, 6, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// P7 (2019-01-10): 21 + 28 + 31 + 30 + 31 + 15 = 156 days
	want := []struct {
		id   string
		days int
		ytd  float64
	}{{"P7", 156, 70}, {"P1", 106, 0}, {"P3", 45, 30}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %v", got, want)
	}
	for i, w := range want {
		g := got[i]
		if g.ProjectID != w.id || g.DaysOverdue != w.days || g.InvestmentYTD != w.ytd || g.County != "青川区" {
			t.Errorf("row %d: got %+v, want %+v", i, g, w)
		}
	}
	if got[2].Level != "province" || got[2].AnnualPlan != 300 || !got[2].PlannedStart.Equal(time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("P3 fields: %+v", got[2])
	}
}
