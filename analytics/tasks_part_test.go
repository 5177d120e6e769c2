package analytics

import (
	"context"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The 督办落实 counts of the test ledger (tasks_test.go), by hand.
// 2019-B2 (March–April, as of Apr 30): T01 due Mar 15, done that day: on time
// (lead D01; cooperating D02, D03). T02 due Mar 15, extended in time to Mar
// 31, done Mar 25: on time (D01). T03 due Mar 15 (its extension came late),
// done Mar 25: late (lead D02, cooperating D01). T04 due Mar 15, extension
// refused, open: overdue (D02). T05 (due Feb 14) and T06 (due Oct 8) fall in
// other rounds. So D01 lead 2/2, cooperating 0/1; D02 lead 0/2, cooperating
// 1/1; D03 cooperating 1/1.
// 2019-B1 (as of Feb 28): only T05, due Feb 14, done Feb 13: D03 lead 1/1,
// D01 cooperating 1/1.
func TestTasksPartPeriodRatios(t *testing.T) {
	s := openTasks(t)
	ctx := context.Background()
	for _, c := range []struct {
		round string
		want  map[string]TaskRatios
	}{
		{"2019-B2", map[string]TaskRatios{
			"D01": {Lead: scoring.Ratio{Num: 2, Den: 2}, Coop: scoring.Ratio{Num: 0, Den: 1}},
			"D02": {Lead: scoring.Ratio{Num: 0, Den: 2}, Coop: scoring.Ratio{Num: 1, Den: 1}},
			"D03": {Coop: scoring.Ratio{Num: 1, Den: 1}},
		}},
		{"2019-B1", map[string]TaskRatios{
			"D03": {Lead: scoring.Ratio{Num: 1, Den: 1}},
			"D01": {Coop: scoring.Ratio{Num: 1, Den: 1}},
		}},
		{"2019-B4", map[string]TaskRatios{}},
	} {
		p, _ := ParseRound(c.round)
		got, err := s.PeriodTaskRatios(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.round, got, c.want)
		}
		for u, w := range c.want {
			if got[u] != w {
				t.Errorf("%s %s: %+v, want %+v", c.round, u, got[u], w)
			}
		}
	}
}

// Scored under a scheme with the part (lead 4, cooperating 1, full at 100 %,
// none at 60 %), the test units have no other data, so the part's points are
// scaled to the scheme's whole 105: 2019-B2 D01 lead 2/2 → 4, cooperating
// 0/1 → 0: 4·105/5 = 84; D02 lead 0/2 → 0, cooperating 1/1 → 1: 21; D03 only
// cooperating 1/1 → 1 scaled within the part to 5: 105. Under the default
// scheme nobody has data and the task counts are not even read.
func TestTasksPartScoredRound(t *testing.T) {
	s := openTasks(t)
	ctx := context.Background()
	sch := scoring.DefaultScheme()
	sch.TaskLead = scoring.RateRule{Points: 4, Target: 1, Floor: 0.6}
	sch.TaskCoop = scoring.RateRule{Points: 1, Target: 1, Floor: 0.6}
	now := time.Date(2019, 5, 5, 0, 0, 0, 0, time.UTC)
	rk, err := s.ScoreRound(ctx, "2019-B2", sch, "test", now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		score float64
		rank  int
		lead  *float64
	}{"D01": {84, 1, fp(1)}, "D02": {21, 2, fp(0)}, "D03": {105, 1, nil}}
	if !WithTasksPart(rk.Units) {
		t.Error("the ranking has no tasks part")
	}
	for _, u := range rk.Units {
		w, ok := want[u.UnitID]
		if !ok {
			continue
		}
		if u.Score == nil || *u.Score != w.score || u.Rank == nil || *u.Rank != w.rank {
			t.Errorf("%s: score %v rank %v, want %v %d", u.UnitID, optF(u.Score), u.Rank, w.score, w.rank)
		}
		v := u.Indicators[scoring.IndTaskLead].Value
		if (v == nil) != (w.lead == nil) || (v != nil && *v != *w.lead) {
			t.Errorf("%s: lead rate %v, want %v", u.UnitID, v, w.lead)
		}
		if p := u.Parts[scoring.PartTasks]; p == nil || *p != w.score {
			t.Errorf("%s: tasks part %v, want %v", u.UnitID, p, w.score)
		}
	}
	ex, err := s.ExplainScheme(ctx, "2019-B2", "D01", sch)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range ex.Parts {
		found = found || (p.Name == scoring.PartTasks && p.Label == "督办落实" && p.Points != nil && *p.Points == 84)
	}
	if !found {
		t.Errorf("the explanation lacks the 督办落实 part: %+v", ex.Parts)
	}
	// The default scheme: no part, and the counts stay out of the inputs.
	in, err := s.ScoringInputs(ctx, "2019-B2", scoring.DefaultScheme())
	if err != nil || in.Tasks != nil {
		t.Fatalf("default scheme inputs carry tasks %v (%v)", in.Tasks, err)
	}
	rk, err = s.ScoreRound(ctx, "2019-B2", scoring.DefaultScheme(), "test", now)
	if err != nil {
		t.Fatal(err)
	}
	if WithTasksPart(rk.Units) {
		t.Error("the default scheme scored the tasks part")
	}
}

func optF(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
