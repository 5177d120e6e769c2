package scoring

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// robUnit builds a unit whose only varying part is peer evaluation: 15
// evaluators (5 per class) scoring mean + {−s, −s/2, 0, s/2, s}; all rates
// and surveys are identical across units.
func robUnit(id, cat string, mean, spread float64) UnitInput {
	u := UnitInput{UnitID: id, Category: cat}
	offsets := []float64{-spread, -spread / 2, 0, spread / 2, spread}
	for ci, c := range []string{ClassLeader, ClassLeadHead, ClassMemberHead} {
		for k := range offsets {
			// rotate offsets per class so that evaluators differ between classes
			o := offsets[(k+ci)%len(offsets)]
			u.Peer = append(u.Peer, PeerScore{EvaluatorID: fmt.Sprintf("E%d%d", ci, k), Class: c, Score: mean + o})
		}
	}
	u.OnTime, u.Online, u.OneVisit, u.Instant = Ratio{9, 10}, Ratio{5, 10}, Ratio{8, 10}, Ratio{3, 10}
	u.ComplaintOnTime, u.Resolution, u.Favourable = Ratio{9, 10}, Ratio{8, 10}, Ratio{9, 10}
	u.Surveys = []SurveyResponse{{RespondentType: "enterprise", Score: 85}, {RespondentType: "citizen", Score: 80}}
	return u
}

// robCategory returns n units of category cat with peer means 80, 81, ….
func robCategory(cat string, n int) []UnitInput {
	var v []UnitInput
	for i := 0; i < n; i++ {
		v = append(v, robUnit(fmt.Sprintf("%s%02d", cat, i), cat, 80+float64(i), 5))
	}
	return v
}

func robFind(t *testing.T, res []RobustResult, id string) RobustResult {
	t.Helper()
	for _, r := range res {
		if r.UnitID == id {
			return r
		}
	}
	t.Fatalf("unit %s not in results", id)
	return RobustResult{}
}

func TestRobustness(t *testing.T) {
	far := append(robCategory("A", 10), robUnit("Z", "A", 30, 5))
	tied := append(robCategory("A", 8), robUnit("X", "A", 60.0, 10), robUnit("Y", "A", 60.2, 10))
	tests := []struct {
		name       string
		units      []UnitInput
		id         string
		wantLastGE float64 // LastShare at least
		wantLastLT float64 // LastShare below
		wantFlags  []string
	}{
		{"far_below_is_always_last_and_not_flagged", far, "Z", 0.999, 1.001, nil},
		{"near_tie_base_last_is_flagged", tied, "X", 0.2, 0.8, []string{FlagNotRobustLast, FlagNotRobustPoor}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Robustness(tt.units, DefaultScheme(), RobustOptions{Runs: 400, Seed: 7})
			got := robFind(t, res, tt.id)
			if got.LastShare < tt.wantLastGE || got.LastShare >= tt.wantLastLT {
				t.Errorf("LastShare = %v, want in [%v, %v)", got.LastShare, tt.wantLastGE, tt.wantLastLT)
			}
			if !slices.Equal(got.Flags, tt.wantFlags) {
				t.Errorf("Flags = %v, want %v", got.Flags, tt.wantFlags)
			}
		})
	}
}

func TestRobustnessFarBelowIsAlwaysPoor(t *testing.T) {
	units := append(robCategory("A", 10), robUnit("Z", "A", 30, 5))
	got := robFind(t, Robustness(units, DefaultScheme(), RobustOptions{Runs: 200, Seed: 1}), "Z")
	want := RobustResult{UnitID: "Z", Category: "A", MedianRank: 11, P05: 11, P95: 11, LastShare: 1, PoorShare: 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestRobustnessDeterminism(t *testing.T) {
	units := robBenchUnits(20)
	o := RobustOptions{Runs: 100, Seed: 42}
	base := Robustness(units, DefaultScheme(), o)
	t.Run("same_seed_gives_identical_results", func(t *testing.T) {
		if got := Robustness(units, DefaultScheme(), o); !reflect.DeepEqual(got, base) {
			t.Errorf("second run differs:\n%+v\n%+v", got, base)
		}
	})
	t.Run("shuffled_input_gives_identical_results", func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		sh := make([]UnitInput, len(units))
		for i, u := range units {
			u.Peer = slices.Clone(u.Peer)
			r.Shuffle(len(u.Peer), func(a, b int) { u.Peer[a], u.Peer[b] = u.Peer[b], u.Peer[a] })
			sh[i] = u
		}
		r.Shuffle(len(sh), func(a, b int) { sh[a], sh[b] = sh[b], sh[a] })
		if got := Robustness(sh, DefaultScheme(), o); !reflect.DeepEqual(got, base) {
			t.Errorf("shuffled input differs")
		}
	})
	t.Run("scheme_is_not_modified", func(t *testing.T) {
		s := DefaultScheme()
		Robustness(units, s, RobustOptions{Runs: 10})
		if !reflect.DeepEqual(s, DefaultScheme()) {
			t.Errorf("scheme modified: %+v", s)
		}
	})
	t.Run("percentiles_bracket_the_median", func(t *testing.T) {
		for _, r := range base {
			if !(1 <= r.P05 && r.P05 <= r.MedianRank && r.MedianRank <= r.P95) {
				t.Errorf("%s: P05 %d, median %d, P95 %d", r.UnitID, r.P05, r.MedianRank, r.P95)
			}
		}
	})
	t.Run("only_ranked_units_are_reported", func(t *testing.T) {
		got := Robustness(append(slices.Clone(units), UnitInput{UnitID: "EMPTY", Category: "C0"}), DefaultScheme(), o)
		if len(got) != len(base) {
			t.Errorf("got %d results, want %d", len(got), len(base))
		}
	})
}

func TestNearestRank(t *testing.T) {
	v := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		name string
		v    []int
		p    float64
		want int
	}{
		{"p5_of_ten_is_first", v, 5, 1},    // ceil(0.5) = 1
		{"p50_of_ten_is_fifth", v, 50, 5},  // ceil(5) = 5
		{"p95_of_ten_is_tenth", v, 95, 10}, // ceil(9.5) = 10
		{"p0_clamps_to_first", v, 0, 1},    // ceil(0) = 0 → 1
		{"p50_of_three_is_second", []int{1, 4, 9}, 50, 4},
		{"empty_is_zero", nil, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearestRank(tt.v, tt.p); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPerturbSchemeKeepsTotals(t *testing.T) {
	s := DefaultScheme()
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 50; k++ {
		p := perturbScheme(s, rng, 0.25)
		var w float64
		for _, x := range p.Peer.ClassWeights {
			w += x
		}
		total := p.PeerPoints + p.SatisfactionPoints + p.partPoints(ServiceIndicators) + p.partPoints(ComplaintIndicators)
		if Cents(w*100) != 10000 || Cents(total) != 10000 {
			t.Fatalf("run %d: weights sum %v, points total %v, want 1 and 100", k, w, total)
		}
		if r := p.PeerPoints / s.PeerPoints; r < 0.5 || r > 1.7 {
			t.Fatalf("run %d: peer points factor %v out of range", k, r)
		}
	}
}

// robBenchUnits builds n units in 5 categories with varied data.
func robBenchUnits(n int) []UnitInput {
	r := rand.New(rand.NewPCG(11, 13))
	units := make([]UnitInput, n)
	for i := range units {
		u := robUnit(fmt.Sprintf("U%03d", i), fmt.Sprintf("C%d", i%5), 60+30*r.Float64(), 4+6*r.Float64())
		u.OnTime = Ratio{r.IntN(21), 20}
		u.Online = Ratio{r.IntN(21), 20}
		u.Resolution = Ratio{r.IntN(11), 10}
		u.Surveys = []SurveyResponse{{RespondentType: "enterprise", Score: 60 + 40*r.Float64()}, {RespondentType: "deputy", Score: 60 + 40*r.Float64()}}
		if r.IntN(4) == 0 {
			u.Deductions = []float64{float64(r.IntN(5))}
		}
		units[i] = u
	}
	return units
}

func BenchmarkRobustness1000x80(b *testing.B) {
	units := robBenchUnits(80)
	s := DefaultScheme()
	for b.Loop() {
		Robustness(units, s, RobustOptions{Runs: 1000, Seed: uint64(1)})
	}
}

func TestFastScoreMatchesComputeRound(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ind := map[string]Indicator{}
	for k := 0; k < 200; k++ {
		units := randUnits(r)
		s := perturbScheme(DefaultScheme(), r, 0.25)
		stats := categoryStatsOf(units, s)
		for _, res := range ComputeRound(units, s) {
			var u UnitInput
			for _, x := range units {
				if x.UnitID == res.UnitID {
					u = x
				}
			}
			got, ok := newFixedParts(u, s, stats[u.Category]).score(u.Peer, s, stats[u.Category], ind)
			if ok != res.Ranked || Cents(got) != Cents(res.Score) {
				t.Fatalf("case %d %s: fast (%v, %v), ComputeRound (%v, %v)", k, u.UnitID, got, ok, res.Score, res.Ranked)
			}
		}
	}
}

func TestPerturbSchemeSwitchesNormalisation(t *testing.T) {
	s := DefaultScheme()
	s.Online.Method = MethodTScore
	s.OneVisit.Method, s.OneVisit.Best, s.OneVisit.Worst = MethodFrontier, 0.95, 0.4
	rng := rand.New(rand.NewPCG(3, 4))
	switched := 0
	for k := 0; k < 400; k++ {
		p := perturbScheme(s, rng, 0.25)
		switch p.OnTime.Method {
		case MethodMinMax:
			switched++
			// every rate switches together: target → min-max, others → target
			if p.Online.Method != MethodTarget || p.OneVisit.Method != MethodTarget ||
				p.OneVisit.Target != 0.95 || p.OneVisit.Floor != 0.4 || p.Resolution.Method != MethodMinMax {
				t.Fatalf("run %d: switched rules %+v %+v %+v", k, p.Online, p.OneVisit, p.Resolution)
			}
		case "":
			if p.Online.Method != MethodTScore || p.OneVisit.Method != MethodFrontier {
				t.Fatalf("run %d: unswitched rules changed: %+v %+v", k, p.Online, p.OneVisit)
			}
		default:
			t.Fatalf("run %d: on-time method %q", k, p.OnTime.Method)
		}
	}
	// a fair coin: 400 draws land within 200 ± 40 with overwhelming probability
	if switched < 160 || switched > 240 {
		t.Errorf("switched in %d of 400 runs, want about half", switched)
	}
	if s.OnTime.Method != "" || s.Online.Method != MethodTScore {
		t.Error("perturbScheme changed the scheme it was given")
	}
}
