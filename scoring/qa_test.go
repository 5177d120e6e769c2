package scoring

import (
	"math"
	"slices"
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
		// complete, n=3, m=3, all A<B<C: R = 3, 6, 9; ΣR² = 126;
		// 12·126 − 3·9·3·16 = 1512 − 1296 = 216; λ = 3·2/2 = 3; 9·3·8 = 216 → 1.
		{"complete_agreement_is_one", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 10, "B": 20, "C": 30}, "e3": {"A": 5, "B": 6, "C": 7},
		}, 1, true},
		// complete, n=3, m=2: ranks (1,2,3) and (1,3,2): R = 2, 5, 5; ΣR² = 54;
		// 648 − 3·4·3·16 = 72; λ = 2; 4·3·8 = 96 → 0.75 (classic: S = 6, 12·6/(4·24)).
		{"complete_partial_agreement", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 1, "B": 3, "C": 2},
		}, 0.75, true},
		// complete, opposite orders: R = 4, 4, 4 → 0.
		{"complete_opposite_is_zero", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 3, "B": 2, "C": 1},
		}, 0, true},
		// BIBD n=3, k=2, r=2, λ=1, consistent A<B<C: R = A 2, B 3, C 4;
		// ΣR² = 29; 348 − 3·4·3·9 = 24; 1·3·8 = 24 → 1.
		{"incomplete_agreement_is_one", m{
			"e1": {"A": 1, "B": 2}, "e2": {"A": 1, "C": 3}, "e3": {"B": 2, "C": 3},
		}, 1, true},
		// BIBD cycle A<B, B<C, C<A: R = 3, 3, 3; ΣR² = 27; 324 − 324 = 0 → 0.
		{"incomplete_cycle_is_zero", m{
			"e1": {"A": 1, "B": 2}, "e2": {"B": 1, "C": 2}, "e3": {"C": 1, "A": 2},
		}, 0, true},
		// ties: e2 ties B and C (ranks 1, 2.5, 2.5): R = 2, 4.5, 5.5; ΣR² = 54.5;
		// 654 − 576 = 78; 78/96 = 0.8125.
		{"ties_take_average_ranks", m{
			"e1": {"A": 1, "B": 2, "C": 3}, "e2": {"A": 1, "B": 5, "C": 5},
		}, 0.8125, true},
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

func TestKendallWRefusesAnUnbalancedDesign(t *testing.T) {
	// A ranks 3 units, B ranks 2: the incomplete-block form does not apply.
	r := map[string]map[string]float64{
		"A": {"u1": 1, "u2": 2, "u3": 3},
		"B": {"u1": 1, "u2": 2},
	}
	if w, ok := KendallW(r); ok {
		t.Errorf("got W = %v, ok; want no value for an unbalanced design", w)
	}
}
