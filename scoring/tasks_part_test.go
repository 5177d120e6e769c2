package scoring

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// tasksScheme is the default scheme with the 督办落实 part: lead 4 points,
// cooperating 1 point, both full at 100 % and none at or below 60 %.
func tasksScheme() Scheme {
	s := DefaultScheme()
	s.TaskLead = RateRule{Points: 4, Target: 1, Floor: 0.6}
	s.TaskCoop = RateRule{Points: 1, Target: 1, Floor: 0.6}
	return s
}

// taskUnit has peer 80 (40 points), every service and complaint rate at
// its target (20 + 15 points) and survey mean 80 (12 points): 87 points
// before the 督办落实 part.
func taskUnit(id string, lead, coop Ratio) UnitInput {
	full := Ratio{Num: 10, Den: 10}
	return UnitInput{UnitID: id, Category: "X",
		Peer:   []PeerScore{{"e1", "leader", 80}, {"e2", "leader", 80}, {"e3", "leader", 80}},
		OnTime: full, Online: full, OneVisit: full, Instant: full,
		ComplaintOnTime: full, Resolution: full, Favourable: full,
		Surveys:  []SurveyResponse{{RespondentType: "enterprise", Score: 80}},
		TaskLead: lead, TaskCoop: coop}
}

func TestTasksPartHandComputed(t *testing.T) {
	units := []UnitInput{
		// lead 3/4 = 75 %: 4·(0.75−0.6)/(1−0.6) = 1.5; coop 1/2 = 50 % ≤ floor: 0 → 87 + 1.5 = 88.5
		taskUnit("A", Ratio{3, 4}, Ratio{1, 2}),
		// no task due: the part's 5 points go to the other parts, 87·105/100 = 91.35
		taskUnit("B", Ratio{}, Ratio{}),
		// coop only, 2/2: 1 point, scaled to the part's 5 within the part → 92
		taskUnit("C", Ratio{}, Ratio{2, 2}),
		// lead only, 4/4: 4 points scaled to 5 → 92
		taskUnit("D", Ratio{4, 4}, Ratio{}),
	}
	res := ComputeRound(units, tasksScheme())
	want := map[string]struct {
		score float64
		rank  int
		tasks *float64
		flags string
	}{
		"A": {88.5, 4, fp(1.5), ""},
		"B": {91.35, 3, nil, "redistributed:tasks"},
		"C": {92, 1, fp(5), ""},
		"D": {92, 1, fp(5), ""},
	}
	for _, r := range res {
		w := want[r.UnitID]
		if r.Score != w.score || r.Rank != w.rank || strings.Join(r.Flags, ",") != w.flags {
			t.Errorf("%s: score %v rank %d flags %v, want %v %d %q", r.UnitID, r.Score, r.Rank, r.Flags, w.score, w.rank, w.flags)
		}
		if len(r.Parts) != 5 || r.Parts[4].Name != PartTasks || r.Parts[4].Points != 5 {
			t.Fatalf("%s: parts %+v", r.UnitID, r.Parts)
		}
		p := r.Parts[4]
		if (w.tasks == nil) != !p.HasData || (w.tasks != nil && math.Abs(p.Scaled-*w.tasks) > 1e-9) {
			t.Errorf("%s: tasks part %+v, want %v", r.UnitID, p, w.tasks)
		}
	}
	a := res[len(res)-1]
	if v := a.Indicators[IndTaskLead].Value; a.UnitID != "A" || v == nil || *v != 0.75 || math.Abs(a.Indicators[IndTaskLead].Points-1.5) > 1e-12 {
		t.Errorf("A's lead indicator %+v", a.Indicators[IndTaskLead])
	}
	if v := a.Indicators[IndTaskCoop].Value; v == nil || *v != 0.5 || a.Indicators[IndTaskCoop].Points != 0 {
		t.Errorf("A's coop indicator %+v", a.Indicators[IndTaskCoop])
	}
}

func fp(v float64) *float64 { return &v }

// The default scheme has no 督办落实 part: task counts change nothing, and
// the canonical form (hence every stored scheme hash) is what it was.
func TestTasksPartOffByDefault(t *testing.T) {
	s := DefaultScheme()
	if s.HasTasksPart() {
		t.Fatal("the default scheme scores the 督办落实 part")
	}
	b, _ := json.Marshal(s)
	if strings.Contains(string(b), "Task") {
		t.Errorf("the default scheme's canonical form names the tasks part: %s", b)
	}
	with := ComputeRound([]UnitInput{taskUnit("A", Ratio{0, 4}, Ratio{0, 2}), taskUnit("B", Ratio{4, 4}, Ratio{})}, s)
	for _, r := range with {
		if r.Score != 87 || len(r.Parts) != 4 || len(r.Flags) != 0 {
			t.Errorf("%s: %+v", r.UnitID, r)
		}
		if _, ok := r.Indicators[IndTaskLead]; ok {
			t.Errorf("%s: a task indicator without the part", r.UnitID)
		}
	}
	if _, ok := NominalPoints(s)[PartTasks]; ok {
		t.Error("nominal points name the tasks part")
	}
	if NominalPoints(tasksScheme())[PartTasks] != 5 {
		t.Error("nominal points of the tasks part")
	}
	if strings.Join(PartsShown(false), ",") != "peer,service,complaints,satisfaction,deductions" ||
		strings.Join(PartsShown(true), ",") != "peer,service,complaints,satisfaction,tasks,deductions" {
		t.Errorf("parts shown %v / %v", PartsShown(false), PartsShown(true))
	}
}

// Finishing one more task on time never lowers a unit's score, and the
// robustness runs of a scheme with the part repeat exactly.
func TestTasksPartMonotoneAndRepeatable(t *testing.T) {
	s := tasksScheme()
	for den := 1; den <= 6; den++ {
		for num := 0; num < den; num++ {
			for _, coop := range []bool{false, true} {
				lo, hi := Ratio{num, den}, Ratio{num + 1, den}
				var a, b UnitInput
				if coop {
					a, b = taskUnit("U", Ratio{1, 2}, lo), taskUnit("U", Ratio{1, 2}, hi)
				} else {
					a, b = taskUnit("U", lo, Ratio{1, 2}), taskUnit("U", hi, Ratio{1, 2})
				}
				ra, rb := ComputeRound([]UnitInput{a}, s)[0], ComputeRound([]UnitInput{b}, s)[0]
				if rb.Score < ra.Score {
					t.Errorf("coop %v: %d/%d → %d/%d lowered %v → %v", coop, num, den, num+1, den, ra.Score, rb.Score)
				}
			}
		}
	}
	units := []UnitInput{taskUnit("A", Ratio{3, 4}, Ratio{1, 2}), taskUnit("B", Ratio{}, Ratio{}),
		taskUnit("C", Ratio{1, 4}, Ratio{2, 2}), taskUnit("D", Ratio{4, 4}, Ratio{})}
	units[1].Peer[0].Score = 70
	o := RobustOptions{Runs: 200, Seed: 7, WeightJitter: 0.25}
	x, _ := json.Marshal(Robustness(units, s, o))
	y, _ := json.Marshal(Robustness(units, s, o))
	if string(x) != string(y) {
		t.Error("robustness runs with the tasks part differ on re-run")
	}
	// The part takes part in the perturbations: its points move with the jitter.
	rng := rand.New(rand.NewPCG(3, 3))
	moved := false
	for range 20 {
		p := perturbScheme(s, rng, 0.25)
		moved = moved || p.TaskLead.Points != s.TaskLead.Points
		total := p.PeerPoints + p.partPoints(ServiceIndicators) + p.partPoints(ComplaintIndicators) + p.SatisfactionPoints + p.partPoints(TaskIndicators)
		if math.Abs(total-105) > 1e-9 {
			t.Fatalf("perturbed total %v, want 105", total)
		}
	}
	if !moved {
		t.Error("the tasks part's points never moved under perturbation")
	}
}
