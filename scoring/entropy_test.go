package scoring

import (
	"math"
	"math/rand"
	"testing"
)

func TestEntropyWeightsHandComputed(t *testing.T) {
	// 3 units, 2 indicators; ln 3 = 1.0986122887, ln 4 = 1.3862943611,
	// ln(4/3) = 0.2876820725, ln 1.5 = 0.4054651081.
	//
	// Indicator 1: 10, 20, 40 → min 10, max 40 → x' = 0, 1/3, 1; Σ = 4/3
	// → p = 0, 1/4, 3/4; −Σ p ln p = ¼ ln 4 + ¾ ln(4/3)
	// = 0.3465735903 + 0.2157615543 = 0.5623351446; e1 = 0.5623351446 / 1.0986122887
	// = 0.5118595071; d1 = 0.4881404929.
	//
	// Indicator 2: 1, 3, 2 → min 1, max 3 → x' = 0, 1, 1/2; Σ = 3/2
	// → p = 0, 2/3, 1/3; −Σ p ln p = ⅔ ln 1.5 + ⅓ ln 3
	// = 0.2703100721 + 0.3662040962 = 0.6365141683; e2 = 0.5793801643;
	// d2 = 0.4206198357.
	//
	// Σ d = 0.9087603286 → w1 = 0.5371498706, w2 = 0.4628501294.
	got, ok := EntropyWeights([][]float64{{10, 20, 40}, {1, 3, 2}})
	if !ok || len(got) != 2 {
		t.Fatalf("got (%v, %v), want two weights", got, ok)
	}
	// The same in closed form, to full precision.
	d1 := 1 - (0.25*math.Log(4)+0.75*math.Log(4.0/3))/math.Log(3)
	d2 := 1 - (2.0/3*math.Log(1.5)+1.0/3*math.Log(3))/math.Log(3)
	want := []float64{d1 / (d1 + d2), d2 / (d1 + d2)}
	for j := range want {
		if math.Abs(got[j]-want[j]) > 1e-12 {
			t.Errorf("w%d = %.12f, want %.12f", j+1, got[j], want[j])
		}
	}
	if math.Abs(got[0]-0.5371498706) > 1e-9 || math.Abs(got[1]-0.4628501294) > 1e-9 {
		t.Errorf("got %v, want [0.5371498706 0.4628501294]", got)
	}
}

func TestEntropyWeightsConstantColumnGetsZero(t *testing.T) {
	// Indicator 2 is 7 for every unit: no information, weight 0. Indicator 1
	// (0, 0, 5: p = 0, 0, 1, e = 0, d = 1) takes the whole weight.
	got, ok := EntropyWeights([][]float64{{0, 0, 5}, {7, 7, 7}})
	if !ok || len(got) != 2 || got[0] != 1 || got[1] != 0 {
		t.Errorf("got (%v, %v), want ([1 0], true)", got, ok)
	}
}

func TestEntropyWeightsTwoUnitsSplitEvenly(t *testing.T) {
	// n = 2: any non-constant column becomes x' = 0, 1, p = 0, 1, e = 0, d = 1,
	// so two such columns share the weight equally.
	got, ok := EntropyWeights([][]float64{{3, 9}, {100, -4}})
	if !ok || got[0] != 0.5 || got[1] != 0.5 {
		t.Errorf("got (%v, %v), want ([0.5 0.5], true)", got, ok)
	}
}

func TestEntropyWeightsNotOK(t *testing.T) {
	tests := []struct {
		name    string
		columns [][]float64
	}{
		{"no_columns", nil},
		{"one_unit", [][]float64{{5}, {7}}},
		{"no_units", [][]float64{{}, {}}},
		{"all_columns_constant", [][]float64{{1, 1, 1}, {4, 4, 4}}},
		{"ragged_columns", [][]float64{{1, 2, 3}, {1, 2}}},
		{"nan_value", [][]float64{{1, math.NaN(), 3}, {1, 2, 3}}},
		{"infinite_value", [][]float64{{1, 2, 3}, {1, math.Inf(1), 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w, ok := EntropyWeights(tt.columns); ok || w != nil {
				t.Errorf("got (%v, %v), want (nil, false)", w, ok)
			}
		})
	}
}

func TestEntropyWeightsSumToOneAndIgnoreScale(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 200; trial++ {
		n, k := 2+rng.Intn(30), 1+rng.Intn(6)
		cols := make([][]float64, k)
		scaled := make([][]float64, k)
		for j := range cols {
			cols[j] = make([]float64, n)
			scaled[j] = make([]float64, n)
			for i := range cols[j] {
				cols[j][i] = math.Round(rng.Float64() * 10) // ties and constant columns happen
				scaled[j][i] = 3*cols[j][i] - 40            // same indicator in other units
			}
		}
		w, ok := EntropyWeights(cols)
		if !ok {
			continue // every column constant
		}
		var sum float64
		for _, x := range w {
			if x < 0 || x > 1 {
				t.Fatalf("weight %v outside [0, 1] in %v", x, w)
			}
			sum += x
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("weights %v sum to %v", w, sum)
		}
		ws, ok := EntropyWeights(scaled)
		if !ok {
			t.Fatalf("scaled columns not ok")
		}
		for j := range w {
			if math.Abs(w[j]-ws[j]) > 1e-12 {
				t.Fatalf("weights change under a positive affine map: %v vs %v", w, ws)
			}
		}
		again, _ := EntropyWeights(cols)
		for j := range w {
			if again[j] != w[j] {
				t.Fatalf("not deterministic: %v vs %v", w, again)
			}
		}
	}
}
