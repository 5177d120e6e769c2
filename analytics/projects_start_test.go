package analytics

import (
	"context"
	"testing"
)

// TestStartRateLeavesEarlyStartsOut imports six projects of 2019 and ranks
// April (as of 2019-04-30):
//
//	C01 P1 planned 02-01, started 03-10   planned, started
//	    P2 planned 03-15, not started     planned
//	    P3 planned 06-01, started 03-20   early (提前开工), outside the rate
//	    P4 planned 04-10, started 04-10   planned, started
//	    → 开工率 2/3 = 66.67%, early 1, 3 planned (takes part with min 3)
//	C02 P5 planned 01-15, started 01-20   planned, started
//	    P6 planned 05-01, started 04-01   early
//	    → 开工率 1/1 = 100%, early 1, 1 planned < 3: 样本不足
//
// Counting every start by the as-of date would give C01 3/3 and C02 2/1 = 200%.
func TestStartRateLeavesEarlyStartsOut(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	ctx := context.Background()
	for _, f := range []struct{ name, body string }{
		{"projects.csv", `project_id,name,unit_id,level,year,annual_plan,land_need_mu,planned_start
P1,一号项目,C01,city,2019,100,10,2019-02-01
P2,二号项目,C01,city,2019,100,10,2019-03-15
P3,三号项目,C01,city,2019,100,10,2019-06-01
P4,四号项目,C01,city,2019,100,0,2019-04-10
P5,五号项目,C02,province,2019,100,10,2019-01-15
P6,六号项目,C02,province,2019,100,10,2019-05-01
`},
		{"project_progress.csv", `project_id,month,investment_ytd,land_supplied_mu,started_on
P1,2019-03,20,10,2019-03-10
P2,2019-04,0,5,
P3,2019-03,30,10,2019-03-20
P4,2019-04,10,0,2019-04-10
P5,2019-02,40,10,2019-01-20
P6,2019-04,10,10,2019-04-01
`},
	} {
		if _, err := s.ImportFile(ctx, writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	q, err := s.ProjectRanking(ctx, "2019-04", 3)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		value          float64
		rank           int
		early, planned int64
		small          bool
	}
	wants := map[string]want{"C01": {2.0 / 3, 2, 1, 3, false}, "C02": {1, 1, 1, 1, true}}
	for _, c := range q.Counties {
		w, r := wants[c.UnitID], c.Rates["start_rate"]
		if r.Value == nil || *r.Value != w.value || r.Rank == nil || *r.Rank != w.rank {
			t.Errorf("%s: 开工率 %v rank %v, want %v rank %d", c.UnitID, r.Value, r.Rank, w.value, w.rank)
		}
		if c.EarlyStarts != w.early || r.Projects != w.planned || r.SmallSample != w.small {
			t.Errorf("%s: early %d planned %d small %v, want %d %d %v", c.UnitID, c.EarlyStarts, r.Projects, r.SmallSample, w.early, w.planned, w.small)
		}
	}
	// 供地率 counts the projects needing land: C01 3 (P4 needs none), C02 2.
	for _, c := range q.Counties {
		if n := c.Rates["land_supply_rate"].Projects; n != map[string]int64{"C01": 3, "C02": 2}[c.UnitID] {
			t.Errorf("%s: 供地率 over %d projects", c.UnitID, n)
		}
	}
}
