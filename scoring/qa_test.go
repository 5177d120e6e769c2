package scoring

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"testing"
)

func TestKendallW(t *testing.T) {
	type m = map[string]map[string]float64
	tests := []struct {
		name    string
		ratings m
		want    float64
		wantOK  bool
	}{
		// Complete designs: W must be the classic 12S/(m²(n³ − n)).
		//
		// m=3, n=4 (scores are turned into ranks per evaluator):
		// e1 A1 B2 C3 D4, e2 A1 C2 B3 D4, e3 B1 A2 D3 C4; R = A 4, B 6, C 9, D 11,
		// mean 7.5, S = 3.5² + 1.5² + 1.5² + 3.5² = 29, W = 12·29/(9·60) = 29/45.
		{"complete_3x4_is_classic_w", m{
			"e1": {"A": 60, "B": 70, "C": 80, "D": 90},
			"e2": {"A": 1, "B": 3, "C": 2, "D": 4},
			"e3": {"A": 75, "B": 70, "C": 95, "D": 85},
		}, 29.0 / 45, true},
		// complete, n=3, m=3, all A<B<C: R = 3, 6, 9; S = 18; 12·18/(9·24) = 1.
		{"complete_agreement_is_one", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 10, "B": 20, "C": 30}, "e3": {"A": 5, "B": 6, "C": 7},
		}, 1, true},
		// complete, n=3, m=2: ranks (1,2,3) and (1,3,2): R = 2, 5, 5; S = 6;
		// 12·6/(4·24) = 0.75.
		{"complete_partial_agreement", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 1, "B": 3, "C": 2},
		}, 0.75, true},
		// complete, opposite orders: R = 4, 4, 4 → 0.
		{"complete_opposite_is_zero", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 3, "B": 2, "C": 1},
		}, 0, true},
		// ties: e2 ties B and C (ranks 1, 2.5, 2.5): R = 2, 4.5, 5.5; mean 4;
		// S = 4 + 0.25 + 2.25 = 6.5; no tie correction: 12·6.5/96 = 0.8125.
		{"ties_take_average_ranks", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 1, "B": 5, "C": 5},
		}, 0.8125, true},

		// Balanced incomplete block designs: W must be the incomplete-block
		// form (12 ΣR² − 3r²n(k+1)²)/(λ²n(n² − 1)).
		//
		// n=3, k=2, r=2, λ=1, consistent A<B<C: R = 2, 3, 4; ΣR² = 29;
		// 348 − 3·4·3·9 = 24; 1·3·8 = 24 → 1.
		{"incomplete_agreement_is_one", m{
			"e1": {"A": 1, "B": 2}, "e2": {"A": 1, "C": 3}, "e3": {"B": 2, "C": 3},
		}, 1, true},
		// same design, cycle A<B, B<C, C<A: R = 3, 3, 3; ΣR² = 27; 324 − 324 = 0.
		{"incomplete_cycle_is_zero", m{
			"e1": {"A": 1, "B": 2}, "e2": {"B": 1, "C": 2}, "e3": {"C": 1, "A": 2},
		}, 0, true},
		// n=4, all four triples (k=3, r=3, λ=2): e1 A1 B2 C3, e2 B1 A2 D3,
		// e3 A1 D2 C3, e4 C1 B2 D3; R = A 4, B 5, C 7, D 8; ΣR² = 154;
		// 12·154 − 3·9·4·16 = 1848 − 1728 = 120; λ²n(n²−1) = 4·4·15 = 240 → 0.5.
		{"balanced_incomplete_4_by_3", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 2, "B": 1, "D": 3},
			"e3": {"A": 1, "C": 3, "D": 2}, "e4": {"B": 2, "C": 1, "D": 3},
		}, 0.5, true},

		// Unbalanced designs. Below 2C_i = Σ_j Σ_h sgn(x_ij − x_hj) (twice the
		// centred rank sum) and 2C*_i = Σ_{h below i} λ_ih − Σ_{h above i} λ_ih
		// under the consensus order; W = Σ(2C)² / Σ(2C*)².
		//
		// Two disjoint groups of 3 and 4 units, ranked by 2 and 3 evaluators,
		// everyone in the same order: group 1 2C = −4, 0, 4 (Σ² = 32), group 2
		// 2C = 3·(−3, −1, 1, 3) (Σ² = 180); the consensus is the same order, so
		// S* = S → 1.
		{"groups_of_different_sizes_agreement_is_one", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 50, "B": 60, "C": 90},
			"e3": {"D": 1, "E": 2, "F": 3, "G": 4}, "e4": {"D": 10, "E": 20, "F": 30, "G": 40},
			"e5": {"D": 0.1, "E": 0.2, "F": 0.3, "G": 0.4},
		}, 1, true},
		// Same groups (3 and 2 units), each pair of evaluators in opposite
		// orders: every 2C = 0 → 0.
		{"groups_of_different_sizes_reversed_is_zero", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 3, "B": 2, "C": 1},
			"e3": {"D": 1, "E": 2}, "e4": {"D": 2, "E": 1},
		}, 0, true},
		// Group 1 (A, B, C) agrees: 2C = −4, 0, 4; group 2 (D, E) splits:
		// 2C = 0, 0. S = 32/4; S* = (32 + (−2)² + 2²)/4 = 40/4 → 0.8
		// (= the classic pooled (8 + 0)/(8 + 2)).
		{"one_group_agrees_other_splits", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 1, "B": 2, "C": 3},
			"e3": {"D": 1, "E": 2}, "e4": {"D": 2, "E": 1},
		}, 0.8, true},
		// A leader scores D1…D4 and each unit head the three other units (not
		// its own), all in the order D1<D2<D3<D4: evaluators rank 4 or 3 units,
		// every pair is scored by L and the two other heads (λ = 3), 2C = 2C* =
		// 3·(−3, −1, 1, 3) → 1.
		{"own_unit_skipped_agreement_is_one", m{
			"L":  {"D1": 70, "D2": 75, "D3": 80, "D4": 85},
			"H1": {"D2": 1, "D3": 2, "D4": 3}, "H2": {"D1": 1, "D3": 2, "D4": 3},
			"H3": {"D1": 1, "D2": 2, "D4": 3}, "H4": {"D1": 1, "D2": 2, "D3": 3},
		}, 1, true},
		// L scores D1<D2<D3; H1 (not D1) says D3<D2; H2 (not D2) says D3<D1.
		// λ: D1D2 = 1, D1D3 = 2, D2D3 = 2. Net: D2 beats D1 (L); D1–D3 and
		// D2–D3 split 1:1. 2C: D1 = −1 + 0 = −1, D2 = 1 + 0 = 1, D3 = 0; 4S = 2.
		// Consensus from the bottom: D1 and D3 beat nobody; D3 has the smaller
		// Σ_placed λ − Σ_unplaced λ (0 − 4 < 0 − 3), so D3 first, then D1
		// (beats nobody left), then D2. 2C*: D3 = −(2+2) = −4, D1 = 2 − 1 = 1,
		// D2 = 1 + 2 = 3; 4S* = 16 + 1 + 9 = 26 → W = 2/26 = 1/13.
		{"own_unit_skipped_disagreement_is_low", m{
			"L":  {"D1": 1, "D2": 2, "D3": 3},
			"H1": {"D2": 2, "D3": 1}, "H2": {"D1": 2, "D3": 1},
		}, 1.0 / 13, true},
		// u3 is scored by A only, so it is dropped and A ranks u1<u2 while B
		// ranks u2<u1: complete, opposite → 0 (kept, u3 would make W > 0).
		{"unit_scored_once_is_dropped", m{
			"A": {"u1": 1, "u2": 2, "u3": 3}, "B": {"u1": 2, "u2": 1},
		}, 0, true},
		// D is scored once (e4) → dropped; e4 is left with C alone → dropped;
		// then C is scored once (e3) → dropped; e3 is left with B → dropped.
		// e1 and e2 both rank A<B → 1.
		{"chain_of_single_links_is_dropped", m{
			"e1": {"A": 1, "B": 2}, "e2": {"A": 1, "B": 2},
			"e3": {"B": 2, "C": 1}, "e4": {"C": 1, "D": 2},
		}, 1, true},
		{"nan_score_is_ignored", m{
			"e1": {"A": 1, "B": 2, "C": math.NaN()}, "e2": {"A": 1, "B": 2},
		}, 1, true},
		{"no_unit_scored_twice_is_not_ok", m{"e1": {"A": 1, "B": 2}, "e2": {"C": 1, "D": 2}}, 0, false},
		{"single_evaluator_is_not_ok", m{"e1": {"A": 1, "B": 2}}, 0, false},
		{"single_scores_are_not_ok", m{"e1": {"A": 1}, "e2": {"B": 2}}, 0, false},
		{"empty_is_not_ok", m{}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := KendallW(tt.ratings)
			if ok != tt.wantOK || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("got (%v, %v), want (%v, %v)", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLeniency(t *testing.T) {
	// five evaluators score A = 80 + d and B = 70 + d with d = 0, 1, 2, 3, 20:
	// offsets d − 5.2 = −5.2, −4.2, −3.2, −2.2, 14.8; median −3.2; absolute
	// deviations 2, 1, 0, 1, 18 → MAD 1, scale 1.4826; z(E5) = 18/1.4826.
	five := leniencyRows(0, 1, 2, 3, 20)
	tests := []struct {
		name string
		rows []PeerScoreRow
		want []EvaluatorOffset
	}{
		// E1: A 80, B 60; E2: A 90. Exact fit: μ + α − β = 80, μ − α − β = 60,
		// μ + α + β = 90 → β = 5, α = 10, μ = 75: offsets −5, +5; median 0,
		// absolute deviations 5, 5 → MAD 5, scale 7.413, z = ∓0.6745.
		{"incomplete_design_exact_fit", []PeerScoreRow{{"E1", "A", 80}, {"E1", "B", 60}, {"E2", "A", 90}},
			[]EvaluatorOffset{{"E1", 2, -5, -5 / 7.413, false}, {"E2", 1, 5, 5 / 7.413, false}}},
		// d = 0, 0, 0, 8 → offsets −2, −2, −2, 6; MAD 0, so the mean absolute
		// deviation (0+0+0+8)/4 = 2 × 1.2533 = 2.5066 scales: z(E4) = 8/2.5066.
		{"zero_mad_falls_back_to_mean_deviation", leniencyRows(0, 0, 0, 8), []EvaluatorOffset{
			{"E1", 2, -2, 0, false}, {"E2", 2, -2, 0, false}, {"E3", 2, -2, 0, false}, {"E4", 2, 6, 8 / 2.5066, false},
		}},
		{"lenient_outlier_is_flagged", five, []EvaluatorOffset{
			{"E1", 2, -5.2, -2 / 1.4826, false}, {"E2", 2, -4.2, -1 / 1.4826, false},
			{"E3", 2, -3.2, 0, false}, {"E4", 2, -2.2, 1 / 1.4826, false},
			{"E5", 2, 14.8, 18 / 1.4826, true},
		}},
		{"identical_evaluators_have_zero_z", []PeerScoreRow{{"E1", "A", 80}, {"E2", "A", 80}},
			[]EvaluatorOffset{{"E1", 1, 0, 0, false}, {"E2", 1, 0, 0, false}}},
		{"empty_gives_nothing", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Leniency(tt.rows)
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.EvaluatorID != w.EvaluatorID || g.N != w.N || g.Flagged != w.Flagged ||
					math.Abs(g.Offset-w.Offset) > 1e-6 || math.Abs(g.Z-w.Z) > 1e-6 {
					t.Errorf("row %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// leniencyRows has evaluator E<i> score A = 80 + d_i and B = 70 + d_i.
func leniencyRows(d ...float64) []PeerScoreRow {
	var rows []PeerScoreRow
	for i, x := range d {
		e := "E" + string(rune('1'+i))
		rows = append(rows, PeerScoreRow{e, "A", 80 + x}, PeerScoreRow{e, "B", 70 + x})
	}
	return rows
}

func TestLeniencyIgnoresOrder(t *testing.T) {
	rows := []PeerScoreRow{{"E1", "A", 80}, {"E2", "B", 75}, {"E1", "B", 60}, {"E3", "A", 88}, {"E2", "A", 90}, {"E3", "C", 70}}
	want := Leniency(rows)
	rev := slices.Clone(rows)
	slices.Reverse(rev)
	got := Leniency(rev)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSameScoreEvaluators(t *testing.T) {
	tests := []struct {
		name string
		rows []PeerScoreRow
		want []string
	}{
		{"three_equal_scores_are_listed", []PeerScoreRow{{"E1", "A", 90}, {"E1", "B", 90}, {"E1", "C", 90.001}}, []string{"E1"}},
		{"two_equal_scores_are_not_enough", []PeerScoreRow{{"E1", "A", 90}, {"E1", "B", 90}}, nil},
		{"one_different_score_clears", []PeerScoreRow{{"E1", "A", 90}, {"E1", "B", 90}, {"E1", "C", 89}}, nil},
		{"several_listed_sorted", []PeerScoreRow{
			{"E2", "A", 70}, {"E1", "A", 80}, {"E2", "B", 70}, {"E1", "B", 80}, {"E2", "C", 70}, {"E1", "C", 80},
		}, []string{"E1", "E2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameScoreEvaluators(tt.rows); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// kendallDesign is a random design: nEval evaluators each scoring a random
// subset (at least 2) of nUnits units, scores from score(evaluator, unit).
func kendallDesign(rng *rand.Rand, nEval, nUnits int, score func(e, u int) float64) map[string]map[string]float64 {
	r := map[string]map[string]float64{}
	for e := 0; e < nEval; e++ {
		s := map[string]float64{}
		for len(s) < 2 {
			for u := 0; u < nUnits; u++ {
				if rng.Float64() < 0.5 {
					s[fmt.Sprintf("U%02d", u)] = score(e, u)
				}
			}
		}
		r[fmt.Sprintf("E%02d", e)] = s
	}
	return r
}

func TestKendallWIsOneWhenAllAgree(t *testing.T) {
	// Irregular designs (evaluators score different subsets); every evaluator
	// scores by its own increasing function of a common quality, so all agree
	// on every pair they compare.
	rng := rand.New(rand.NewSource(11))
	var checked int
	for trial := 0; trial < 500; trial++ {
		q := rng.Perm(12)
		r := kendallDesign(rng, 2+rng.Intn(6), 3+rng.Intn(9), func(e, u int) float64 {
			return float64(e+1)*float64(q[u]) + float64(10*e)
		})
		w, ok := KendallW(r)
		if !ok {
			continue
		}
		checked++
		if w != 1 {
			t.Fatalf("W = %v, want 1 for %v", w, r)
		}
	}
	if checked < 300 {
		t.Fatalf("only %d designs checked", checked)
	}
}

func TestKendallWStaysInUnitInterval(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for trial := 0; trial < 2000; trial++ {
		r := kendallDesign(rng, 2+rng.Intn(6), 3+rng.Intn(7), func(e, u int) float64 {
			return float64(rng.Intn(4)) // many ties
		})
		if w, ok := KendallW(r); ok && !(w >= 0 && w <= 1) {
			t.Fatalf("W = %v outside [0, 1] for %v", w, r)
		}
	}
}

func TestKendallWIgnoresMapOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	for trial := 0; trial < 200; trial++ {
		r := kendallDesign(rng, 2+rng.Intn(8), 3+rng.Intn(20), func(e, u int) float64 {
			return float64(u) + 8*rng.Float64()
		})
		w, ok := KendallW(r)
		// Rebuild the maps in another insertion order and rename the
		// evaluators (their IDs play no part).
		ids := make([]string, 0, len(r))
		for e := range r {
			ids = append(ids, e)
		}
		sort.Sort(sort.Reverse(sort.StringSlice(ids)))
		copied := map[string]map[string]float64{}
		for i, e := range ids {
			units := make([]string, 0, len(r[e]))
			for u := range r[e] {
				units = append(units, u)
			}
			sort.Sort(sort.Reverse(sort.StringSlice(units)))
			s := map[string]float64{}
			for _, u := range units {
				s[u] = r[e][u]
			}
			copied[fmt.Sprint("other", i)] = s
		}
		for rep := 0; rep < 3; rep++ {
			if w2, ok2 := KendallW(copied); w2 != w || ok2 != ok {
				t.Fatalf("got (%v, %v), then (%v, %v)", w, ok, w2, ok2)
			}
		}
	}
}

func TestKendallWMatchesIncompleteBlockFormula(t *testing.T) {
	// On balanced incomplete block designs (and complete ones, k = n) W must
	// equal (12 ΣR² − 3r²n(k+1)²)/(λ²n(n² − 1)) computed from plain average
	// ranks, with ties and without.
	designs := [][][]int{
		{{0, 1}, {0, 2}, {1, 2}},
		{{0, 1, 2}, {0, 1, 3}, {0, 2, 3}, {1, 2, 3}},
		{{0, 1, 2}, {0, 3, 4}, {0, 5, 6}, {1, 3, 5}, {1, 4, 6}, {2, 3, 6}, {2, 4, 5}}, // Fano plane
		{{0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}},
	}
	rng := rand.New(rand.NewSource(14))
	for trial := 0; trial < 400; trial++ {
		d := designs[trial%len(designs)]
		r := map[string]map[string]float64{}
		rankSum := map[int]float64{}
		n := 0
		for j, block := range d {
			s := map[string]float64{}
			x := make([]float64, len(block))
			for a, u := range block {
				if trial%2 == 0 {
					x[a] = float64(rng.Intn(3))
				} else {
					x[a] = rng.Float64() + 0.2*float64(u)
				}
				s[fmt.Sprint("u", u)] = x[a]
				n = max(n, u+1)
			}
			for a, u := range block {
				var below, tied float64
				for b := range block {
					if x[b] < x[a] {
						below++
					} else if x[b] == x[a] {
						tied++
					}
				}
				rankSum[u] += below + (tied+1)/2
			}
			r[fmt.Sprint("e", j)] = s
		}
		k := float64(len(d[0]))
		rep := float64(len(d)) * k / float64(n)
		nf := float64(n)
		lambda := rep * (k - 1) / (nf - 1)
		var sumSq float64
		for u := 0; u < n; u++ {
			sumSq += rankSum[u] * rankSum[u]
		}
		want := (12*sumSq - 3*rep*rep*nf*(k+1)*(k+1)) / (lambda * lambda * nf * (nf*nf - 1))
		if got, ok := KendallW(r); !ok || math.Abs(got-want) > 1e-12 {
			t.Fatalf("got (%v, %v), want %v for %v", got, ok, want, r)
		}
	}
}
