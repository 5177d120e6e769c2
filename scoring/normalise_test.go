package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestTargetFloor(t *testing.T) {
	tests := []struct {
		name                         string
		value, target, floor, points float64
		want                         float64
	}{
		{"above target gives full points", 1.0, 0.7, 0.3, 4, 4},
		{"at target gives full points", 0.7, 0.7, 0.3, 4, 4},
		{"halfway gives half", 0.5, 0.7, 0.3, 4, 2},          // 4 × (0.5−0.3)/0.4
		{"on-time 90% gives half of 8", 0.9, 1.0, 0.8, 8, 4}, // 8 × 0.1/0.2
		{"at floor gives zero", 0.6, 0.95, 0.6, 5, 0},
		{"below floor gives zero", 1.0 / 3, 0.95, 0.6, 5, 0},
		{"step rule when target equals floor", 0.5, 0.5, 0.5, 3, 3},
		{"NaN gives zero", math.NaN(), 0.5, 0.1, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TargetFloor(tt.value, tt.target, tt.floor, tt.points)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMinMax(t *testing.T) {
	tests := []struct {
		name                  string
		value, lo, hi, points float64
		want                  float64
	}{
		{"max gives full points", 90, 60, 90, 10, 10},
		{"min gives zero", 60, 60, 90, 10, 0},
		{"middle is linear", 70, 60, 90, 15, 5}, // 15 × 10/30
		{"outside range is clamped", 100, 60, 90, 10, 10},
		{"equal population gives full points", 75, 75, 75, 10, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MinMax(tt.value, tt.lo, tt.hi, tt.points)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNormaliseMethodsByHand(t *testing.T) {
	pop := NewPopulation([]float64{0.9, 0.5, 0.7}) // sorted 0.5 0.7 0.9, mean 0.7
	// SD = sqrt(((−0.2)² + 0² + 0.2²)/3) = sqrt(0.08/3) = 0.1632993…
	sd := math.Sqrt(0.08 / 3)
	if math.Abs(pop.Mean-0.7) > 1e-12 || math.Abs(pop.SD-sd) > 1e-12 {
		t.Fatalf("population mean %v sd %v, want 0.7 and %v", pop.Mean, pop.SD, sd)
	}
	ties := NewPopulation([]float64{0.5, 0.7, 0.7, 0.9})
	cases := []struct {
		name string
		v    float64
		r    RateRule
		p    Population
		want float64
	}{
		{"target default", 0.9, RateRule{Points: 8, Target: 1, Floor: 0.8}, pop, 4},
		{"target named", 0.9, RateRule{Points: 8, Target: 1, Floor: 0.8, Method: MethodTarget}, pop, 4},
		// lower is better: full at or below 0.1, none at or above 0.5; 0.2 → (0.5−0.2)/(0.5−0.1) = 0.75
		{"target lower", 0.2, RateRule{Points: 4, Target: 0.1, Floor: 0.5, Direction: DirectionLower}, pop, 3},
		{"target lower beyond", 0.05, RateRule{Points: 4, Target: 0.1, Floor: 0.5, Direction: DirectionLower}, pop, 4},
		// min-max over 0.5…0.9: 0.7 sits half way
		{"minmax middle", 0.7, RateRule{Points: 4, Method: MethodMinMax}, pop, 2},
		{"minmax top", 0.9, RateRule{Points: 4, Method: MethodMinMax}, pop, 4},
		{"minmax bottom", 0.5, RateRule{Points: 4, Method: MethodMinMax}, pop, 0},
		{"minmax lower", 0.5, RateRule{Points: 4, Method: MethodMinMax, Direction: DirectionLower}, pop, 4},
		{"minmax lower middle", 0.6, RateRule{Points: 4, Method: MethodMinMax, Direction: DirectionLower}, pop, 3},
		{"minmax alone", 0.3, RateRule{Points: 4, Method: MethodMinMax}, NewPopulation([]float64{0.3}), 4},
		// T = 50 + 10·0.2/sd = 62.2474487…; × 4/100
		{"tscore top", 0.9, RateRule{Points: 4, Method: MethodTScore}, pop, 4 * (50 + 10*0.2/sd) / 100},
		{"tscore mean", 0.7, RateRule{Points: 4, Method: MethodTScore}, pop, 2},
		{"tscore lower", 0.9, RateRule{Points: 4, Method: MethodTScore, Direction: DirectionLower}, pop, 4 * (50 - 10*0.2/sd) / 100},
		{"tscore no spread", 0.6, RateRule{Points: 4, Method: MethodTScore}, NewPopulation([]float64{0.6, 0.6}), 2},
		// z = (1 − 0.1)/0.3 = 3 ... with an outlier the T-score is clamped at 0…100:
		// population 0,0,0,0,0,0,0,0,0,1: mean 0.1, SD 0.3, z(1) = 3 → T 80; z(0) = −1/3 → T 46.67
		{"tscore outlier", 1, RateRule{Points: 10, Method: MethodTScore}, NewPopulation([]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), 8},
		// rank: 0.7 has one better of n = 3 → (3−1−1)/2 = 0.5
		{"rank middle", 0.7, RateRule{Points: 4, Method: MethodRank}, pop, 2},
		{"rank top", 0.9, RateRule{Points: 4, Method: MethodRank}, pop, 4},
		{"rank bottom", 0.5, RateRule{Points: 4, Method: MethodRank}, pop, 0},
		// ties: 0.7 twice among 0.5 0.7 0.7 0.9 → one better → (4−1−1)/3 = 2/3 for both
		{"rank tied", 0.7, RateRule{Points: 3, Method: MethodRank}, ties, 2},
		{"rank lower", 0.5, RateRule{Points: 4, Method: MethodRank, Direction: DirectionLower}, pop, 4},
		{"rank lower tied", 0.7, RateRule{Points: 3, Method: MethodRank, Direction: DirectionLower}, ties, 2},
		{"rank alone", 0.1, RateRule{Points: 4, Method: MethodRank}, NewPopulation([]float64{0.1}), 4},
		// frontier best 1.0, worst 0.6: 0.9 → (0.9−0.6)/(1.0−0.6) = 0.75
		{"frontier", 0.9, RateRule{Points: 4, Method: MethodFrontier, Best: 1, Worst: 0.6}, pop, 3},
		{"frontier lower", 0.2, RateRule{Points: 4, Method: MethodFrontier, Best: 0.1, Worst: 0.5, Direction: DirectionLower}, pop, 3},
		{"frontier past best", 1, RateRule{Points: 4, Method: MethodFrontier, Best: 0.95, Worst: 0.6}, pop, 4},
		{"NaN", math.NaN(), RateRule{Points: 4, Method: MethodRank}, pop, 0},
	}
	for _, c := range cases {
		if got := Normalise(c.v, c.r, c.p); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: Normalise(%v) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
	if got := TScore(0, NewPopulation([]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), false); math.Abs(got-(50-10.0/3)) > 1e-9 {
		t.Errorf("TScore(0) = %v, want 46.67", got)
	}
	// clamping: z = (10 − mean)/SD far beyond 5 gives T = 100, not more
	far := make([]float64, 100)
	far[99] = 10
	if got := TScore(10, NewPopulation(far), false); got != 100 {
		t.Errorf("TScore of a far outlier = %v, want clamped to 100", got)
	}
}

// onlyOnTime is a unit whose only data is an on-time rate num/den, so its
// whole 100 points come from that indicator (the other parts and indicators
// are redistributed onto it).
func onlyOnTime(id, cat string, num, den int) UnitInput {
	return UnitInput{UnitID: id, Category: cat, OnTime: Ratio{Num: num, Den: den}}
}

func TestRoundWithPopulationMethods(t *testing.T) {
	units := []UnitInput{
		onlyOnTime("A", "c", 5, 10), onlyOnTime("B", "c", 7, 10), onlyOnTime("C", "c", 9, 10),
		onlyOnTime("D", "other", 5, 10), // alone in its category: compared with itself only
	}
	sd := math.Sqrt(0.08 / 3)
	cases := []struct {
		method string
		want   map[string]float64
	}{
		// target 100 %/80 %: 0.5 and 0.7 earn nothing, 0.9 half
		{MethodTarget, map[string]float64{"A": 0, "B": 0, "C": 50, "D": 0}},
		{MethodMinMax, map[string]float64{"A": 0, "B": 50, "C": 100, "D": 100}},
		// T-scores 50 ∓ 12.2474…, rounded to cents: 37.75, 50, 62.25; alone: 50
		{MethodTScore, map[string]float64{"A": Round2(50 - 10*0.2/sd), "B": 50, "C": Round2(50 + 10*0.2/sd), "D": 50}},
		{MethodRank, map[string]float64{"A": 0, "B": 50, "C": 100, "D": 100}},
	}
	for _, c := range cases {
		s := DefaultScheme()
		s.Credibility = 0 // raw rates: this test is about the normalisations
		s.OnTime.Method = c.method
		for _, r := range ComputeRound(units, s) {
			if !r.Ranked || Cents(r.Score) != Cents(c.want[r.UnitID]) {
				t.Errorf("%s: %s scored %v (ranked %v), want %v", c.method, r.UnitID, r.Score, r.Ranked, c.want[r.UnitID])
			}
		}
	}
	if got := Round2(50 + 10*0.2/sd); got != 62.25 {
		t.Fatalf("hand value: T of 0.9 rounds to %v, want 62.25", got)
	}
}

func TestPropertyImprovingInARoundUnderEveryMethod(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, method := range Methods {
		s := DefaultScheme()
		// Raw rates: with credibility one unit's better rate also lifts its
		// category's pooled rate, and so the other units' scored rates.
		s.Credibility = 0
		for _, n := range append(append([]string(nil), ServiceIndicators...), ComplaintIndicators...) {
			rule := s.Rule(n)
			rule.Method, rule.Best, rule.Worst = method, rule.Target, rule.Floor
		}
		for trial := 0; trial < 300; trial++ {
			units := randUnits(r)
			k := r.IntN(len(units))
			better := append([]UnitInput(nil), units...)
			better[k] = improve(r, units[k])
			before, after := byID(ComputeRound(units, s)), byID(ComputeRound(better, s))
			b, a := before[units[k].UnitID], after[units[k].UnitID]
			if a.Ranked != b.Ranked || Cents(a.Score) < Cents(b.Score) {
				t.Fatalf("%s trial %d: score %.2f → %.2f", method, trial, b.Score, a.Score)
			}
			// Under T-scores improving one unit moves the mean and the spread,
			// which can lift others more than it; every other method can only
			// lower other units, so the rank never gets worse.
			if method != MethodTScore && a.Ranked && a.Rank > b.Rank {
				t.Fatalf("%s trial %d: rank %d → %d", method, trial, b.Rank, a.Rank)
			}
		}
	}
}
