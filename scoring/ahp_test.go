package scoring

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// ahpConsistentMatrix returns a_ij = w_i / w_j.
func ahpConsistentMatrix(w []float64) [][]float64 {
	m := make([][]float64, len(w))
	for i := range w {
		m[i] = make([]float64, len(w))
		for j := range w {
			m[i][j] = w[i] / w[j]
		}
	}
	return m
}

// ahpOnes returns the n×n matrix of ones (all items equally important).
func ahpOnes(n int) [][]float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return ahpConsistentMatrix(w)
}

func ahpItems(n int) []string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("指标%d", i+1)
	}
	return items
}

func ahpNear(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.15g, want %.15g (±%g)", what, got, want, tol)
	}
}

// ahpEigenResidual is max_i |(A w)_i − λmax w_i|.
func ahpEigenResidual(r AHPResult) float64 {
	var res float64
	for i, row := range r.Matrix {
		var aw float64
		for j, x := range row {
			aw += x * r.Weights[j]
		}
		res = max(res, math.Abs(aw-r.LambdaMax*r.Weights[i]))
	}
	return res
}

func TestAHPConsistentMatrixRecoversWeights(t *testing.T) {
	// Built from w = (0.6, 0.3, 0.1), a_ij = w_i/w_j:
	//   [ 1    2    6 ]
	//   [ 1/2  1    3 ]
	//   [ 1/6  1/3  1 ]
	// Row i of A w is Σ_j (w_i/w_j) w_j = 3 w_i, so A w = 3 w: the weights
	// are w itself, λmax = 3, CI = (3 − 3)/2 = 0, CR = 0/0.58 = 0.
	w := []float64{0.6, 0.3, 0.1}
	r, err := AHP([]string{"效率", "质量", "满意度"}, ahpConsistentMatrix(w))
	if err != nil {
		t.Fatal(err)
	}
	for i := range w {
		ahpNear(t, fmt.Sprintf("weight %d", i+1), r.Weights[i], w[i], 1e-9)
	}
	ahpNear(t, "λmax", r.LambdaMax, 3, 1e-9)
	ahpNear(t, "CI", r.CI, 0, 1e-9)
	ahpNear(t, "CR", r.CR, 0, 1e-9)
	ahpNear(t, "RI", r.RI, 0.58, 0)
	if !r.Consistent() {
		t.Error("a consistent matrix is not Consistent()")
	}
}

func TestAHPTwoByTwo(t *testing.T) {
	// [[1, 3], [1/3, 1]]: w = (3, 1)/4 = (0.75, 0.25), since
	// A w = (0.75 + 3 × 0.25, 1/3 × 0.75 + 0.25) = (1.5, 0.5) = 2 w.
	// λmax = 2; n ≤ 2, so CI = CR = 0 and RI = 0.
	r, err := AHP([]string{"a", "b"}, [][]float64{{1, 3}, {1.0 / 3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	ahpNear(t, "w1", r.Weights[0], 0.75, 1e-12)
	ahpNear(t, "w2", r.Weights[1], 0.25, 1e-12)
	ahpNear(t, "λmax", r.LambdaMax, 2, 1e-12)
	if r.CI != 0 || r.CR != 0 || r.RI != 0 || !r.Consistent() {
		t.Errorf("n = 2: CI %g CR %g RI %g consistent %v, want 0 0 0 true", r.CI, r.CR, r.RI, r.Consistent())
	}
}

func TestAHPSingleItem(t *testing.T) {
	// One item takes all the weight: w = (1), λmax = 1, CI = CR = RI = 0.
	r, err := AHP([]string{"唯一"}, [][]float64{{1}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Weights, []float64{1}) || r.LambdaMax != 1 || r.CI != 0 || r.CR != 0 || r.RI != 0 {
		t.Errorf("got %+v", r)
	}
}

func TestAHPSaatyExampleComputedByHand(t *testing.T) {
	// A = [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]].
	//
	// For a reciprocal 3×3 matrix with a = a12, b = a13, c = a23,
	//   det(A − λI) = (1 − λ)³ − 3(1 − λ) + t + 1/t,  t = a·c/b,
	// (the three "−(1 − λ)·a_ij·a_ji" terms give −3(1 − λ); the two
	// cyclic products are a·c/b and b/(a·c)). With x = λ − 1:
	// x³ − 3x = t + 1/t, solved by x = s + 1/s with s³ = t, so
	//   λmax = 1 + t^(1/3) + t^(−1/3).
	// Here t = 3 × 3 / 5 = 1.8:
	//   1.8^(1/3)  = 1.216440399…
	//   1.8^(−1/3) = 0.822070691…
	//   λmax = 1 + 1.216440399 + 0.822070691 = 3.038511091
	//   CI   = (3.038511091 − 3)/(3 − 1) = 0.038511091/2 = 0.019255545
	//   CR   = 0.019255545/0.58 = 0.033199216  < 0.1: consistent.
	// The eigenvector itself is checked by A w = λmax w.
	r, err := AHP([]string{"x", "y", "z"}, [][]float64{{1, 3, 5}, {1.0 / 3, 1, 3}, {1.0 / 5, 1.0 / 3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	ahpNear(t, "λmax (closed form)", r.LambdaMax, 1+math.Cbrt(1.8)+1/math.Cbrt(1.8), 1e-9)
	ahpNear(t, "λmax (by hand)", r.LambdaMax, 3.038511091, 1e-8)
	ahpNear(t, "CI", r.CI, 0.019255545, 1e-8)
	ahpNear(t, "CR", r.CR, 0.033199216, 1e-8)
	if res := ahpEigenResidual(r); res > 1e-9 {
		t.Errorf("|A w − λ w| = %g", res)
	}
	ahpNear(t, "Σw", r.Weights[0]+r.Weights[1]+r.Weights[2], 1, 1e-12)
	if !(r.Weights[0] > r.Weights[1] && r.Weights[1] > r.Weights[2]) {
		t.Errorf("weights %v not in the order of the judgements", r.Weights)
	}
	if r.CR >= 0.1 || !r.Consistent() {
		t.Errorf("CR = %g, want < 0.1 and Consistent()", r.CR)
	}
}

func TestAHPClearlyInconsistent(t *testing.T) {
	// A = [[1, 9, 1/9], [1/9, 1, 9], [9, 1/9, 1]]: x ≫ y ≫ z ≫ x.
	// A is circulant, so every row sums to 1 + 9 + 1/9 and the uniform
	// vector is the eigenvector: w = (1/3, 1/3, 1/3), λmax = 91/9 = 10.1111.
	// (Same by the closed form: t = 9 × 9 / (1/9) = 729, t^(1/3) = 9,
	// λmax = 1 + 9 + 1/9.)
	//   CI = (91/9 − 3)/2 = (64/9)/2 = 32/9 = 3.5556
	//   CR = 3.5556/0.58 = 6.1303 > 0.1: not consistent (but no error).
	r, err := AHP([]string{"x", "y", "z"}, [][]float64{{1, 9, 1.0 / 9}, {1.0 / 9, 1, 9}, {9, 1.0 / 9, 1}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		ahpNear(t, fmt.Sprintf("w%d", i+1), r.Weights[i], 1.0/3, 1e-12)
	}
	ahpNear(t, "λmax", r.LambdaMax, 91.0/9, 1e-9)
	ahpNear(t, "CI", r.CI, 32.0/9, 1e-9)
	ahpNear(t, "CR", r.CR, 32.0/9/0.58, 1e-9)
	ahpNear(t, "CR (by hand)", r.CR, 6.1303, 1e-4)
	if r.Consistent() {
		t.Errorf("CR = %g: Consistent() is true", r.CR)
	}
}

func TestAHPConsistentBoundary(t *testing.T) {
	if !(AHPResult{CR: AHPMaxCR}).Consistent() {
		t.Error("CR = 0.10 is accepted (≤)")
	}
	if (AHPResult{CR: math.Nextafter(AHPMaxCR, 1)}).Consistent() {
		t.Error("CR just above 0.10 is not accepted")
	}
}

func TestAHPRandomIndexTable(t *testing.T) {
	want := []float64{0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59}
	if !reflect.DeepEqual(AHPRandomIndex[:], want) {
		t.Fatalf("AHPRandomIndex = %v, want %v", AHPRandomIndex, want)
	}
	for n := 1; n <= AHPMaxItems; n++ {
		r, err := AHP(ahpItems(n), ahpOnes(n))
		if err != nil {
			t.Fatal(err)
		}
		if r.RI != want[n-1] {
			t.Errorf("n = %d: RI %g, want %g", n, r.RI, want[n-1])
		}
	}
}

func TestAHPThreeDecimalsAccepted(t *testing.T) {
	// Worst three-decimal reciprocals: 9 × 0.111 = 0.999, 7 × 0.143 = 1.001,
	// 6 × 0.167 = 1.002 — all within AHPTolerance (1e-2).
	m := [][]float64{
		{1, 9, 7, 6},
		{0.111, 1, 1, 1},
		{0.143, 1, 1, 1},
		{0.167, 1, 1, 1},
	}
	r, err := AHP(ahpItems(4), m)
	if err != nil {
		t.Fatalf("three decimals rejected: %v", err)
	}
	if r.CI < 0 || r.CR < 0 {
		t.Errorf("CI %g CR %g below 0", r.CI, r.CR)
	}
	// Consistent (0.6, 0.2, 0.2) with 1/3 written 0.333:
	//   A = [[1, 3, 3], [c, 1, 1], [c, 1, 1]], c = 0.333.
	// With w = (x, y, y): λx = x + 6y and λy = c·x + 2y, so
	// (λ − 1)(λ − 2) = 6c and λmax = (3 + √(1 + 24c))/2
	//   = (3 + √8.992)/2 = (3 + 2.998666)/2 = 2.999333 < 3.
	// The raw CI (2.999333 − 3)/2 = −0.000333 is rounding, reported as 0.
	r, err = AHP(ahpItems(3), [][]float64{{1, 3, 3}, {0.333, 1, 1}, {0.333, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	ahpNear(t, "λmax (rounded input)", r.LambdaMax, (3+math.Sqrt(1+24*0.333))/2, 1e-9)
	ahpNear(t, "λmax (by hand)", r.LambdaMax, 2.999333, 1e-6)
	if r.CI != 0 || r.CR != 0 || !r.Consistent() {
		t.Errorf("rounded consistent matrix: CI %g CR %g, want 0 0", r.CI, r.CR)
	}
	ahpNear(t, "w1 (rounded input)", r.Weights[0], 0.6, 1e-3)

	// Two decimals are not enough: 7 × 0.14 = 0.98.
	_, err = AHP(ahpItems(2), [][]float64{{1, 7}, {0.14, 1}})
	if err == nil || !strings.Contains(err.Error(), "row 1, column 2") || !strings.Contains(err.Error(), "not reciprocal") {
		t.Errorf("7 and 0.14: err %v, want not reciprocal", err)
	}
}

func TestAHPValidationErrors(t *testing.T) {
	ok3 := func() [][]float64 { return [][]float64{{1, 2, 4}, {0.5, 1, 2}, {0.25, 0.5, 1}} }
	with := func(edit func(m [][]float64) [][]float64) [][]float64 { return edit(ok3()) }
	cases := []struct {
		name  string
		items []string
		m     [][]float64
		want  []string // substrings of the error, one per expected problem
	}{
		{"no items", nil, nil, []string{"no items"}},
		{"too many items", ahpItems(16), ahpOnes(16), []string{"16 items (指标过多): AHP takes at most 15"}},
		{"empty item name", []string{"a", " ", "c"}, ok3(), []string{"item 2 (第2项): empty name"}},
		{"duplicate item", []string{"a", "b", "a"}, ok3(), []string{`items 1 and 3 (第1项与第3项): same name "a"`}},
		{"wrong size vs items", ahpItems(4), ok3(), []string{"matrix has 3 rows, want 4, one per item"}},
		{"non-square", ahpItems(3), with(func(m [][]float64) [][]float64 { m[1] = m[1][:2]; return m }),
			[]string{"row 2 (第2行): 2 columns, want 3"}},
		{"zero", ahpItems(3), with(func(m [][]float64) [][]float64 { m[1][2] = 0; return m }),
			[]string{"row 2, column 3 (第2行第3列): 0 is not in 1/9…9"}},
		{"negative", ahpItems(3), with(func(m [][]float64) [][]float64 { m[0][1] = -2; return m }),
			[]string{"row 1, column 2 (第1行第2列): -2 is not in 1/9…9 (entries must be positive)"}},
		{"out of scale", ahpItems(3), with(func(m [][]float64) [][]float64 { m[0][2], m[2][0] = 10, 0.1; return m }),
			[]string{"row 1, column 3 (第1行第3列): 10 is not in 1/9…9", "row 3, column 1 (第3行第1列): 0.1 is not in 1/9…9"}},
		{"not finite", ahpItems(3), with(func(m [][]float64) [][]float64 { m[0][1], m[1][0] = math.Inf(1), math.NaN(); return m }),
			[]string{"row 1, column 2 (第1行第2列): +Inf is not a finite number", "row 2, column 1 (第2行第1列): NaN is not a finite number"}},
		{"non-reciprocal", ahpItems(3), with(func(m [][]float64) [][]float64 { m[2][1] = 3; return m }),
			[]string{"row 2, column 3 (第2行第3列) and row 3, column 2 (第3行第2列): 2 and 3 are not reciprocal (a_ji must be 1/a_ij = 0.5)"}},
		{"diagonal", ahpItems(3), with(func(m [][]float64) [][]float64 { m[2][2] = 2; return m }),
			[]string{"row 3, column 3 (第3行第3列): 2 on the diagonal, must be 1"}},
		{"several at once", ahpItems(3), with(func(m [][]float64) [][]float64 {
			m[0][0], m[1][2], m[1][0] = 1.5, 0, 0.25
			return m
		}), []string{
			"row 1, column 1 (第1行第1列): 1.5 on the diagonal",
			"row 2, column 3 (第2行第3列): 0 is not in",
			"row 1, column 2 (第1行第2列) and row 2, column 1 (第2行第1列): 2 and 0.25 are not reciprocal",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := AHP(c.items, c.m)
			if err == nil {
				t.Fatalf("no error; result %+v", r)
			}
			if !errors.Is(err, ErrAHPInput) {
				t.Errorf("error does not wrap ErrAHPInput: %v", err)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			// one line per problem after the heading
			if lines := strings.Count(msg, "\n"); lines != len(c.want) {
				t.Errorf("%d problems reported, want %d:\n%s", lines, len(c.want), msg)
			}
			if !reflect.DeepEqual(r, AHPResult{}) {
				t.Errorf("result on error: %+v", r)
			}
		})
	}
}

// ahpRandomWeights returns n weights 3^u, u uniform in [−1, 1], normalised,
// so every ratio w_i/w_j lies within 1/9…9.
func ahpRandomWeights(rng *rand.Rand, n int) []float64 {
	w := make([]float64, n)
	var sum float64
	for i := range w {
		w[i] = math.Pow(3, 2*rng.Float64()-1)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

func TestAHPRandomConsistentMatrices(t *testing.T) {
	rng := rand.New(rand.NewPCG(20240601, 7))
	for k := range 500 {
		n := 1 + rng.IntN(AHPMaxItems)
		w := ahpRandomWeights(rng, n)
		r, err := AHP(ahpItems(n), ahpConsistentMatrix(w))
		if err != nil {
			t.Fatalf("case %d (n = %d): %v", k, n, err)
		}
		for i := range w {
			if math.Abs(r.Weights[i]-w[i]) > 1e-9 {
				t.Fatalf("case %d (n = %d): weight %d = %.12g, want %.12g", k, n, i+1, r.Weights[i], w[i])
			}
		}
		if math.Abs(r.LambdaMax-float64(n)) > 1e-9 || r.CI > 1e-9 || r.CR > 1e-9 || !r.Consistent() {
			t.Fatalf("case %d (n = %d): λmax %.12g CI %g CR %g", k, n, r.LambdaMax, r.CI, r.CR)
		}
	}
}

func TestAHPRandomReciprocalMatrices(t *testing.T) {
	// Arbitrary Saaty-scale judgements: the power iteration converges to an
	// eigenpair (A w = λmax w), weights are positive and sum to 1, λmax ≥ n,
	// CI and CR are not negative, and renaming/reordering the items permutes
	// the weights and nothing else.
	rng := rand.New(rand.NewPCG(42, 4242))
	for k := range 300 {
		n := 3 + rng.IntN(AHPMaxItems-2)
		m := make([][]float64, n)
		for i := range m {
			m[i] = make([]float64, n)
			m[i][i] = 1
		}
		for i := range n {
			for j := i + 1; j < n; j++ {
				x := float64(1 + rng.IntN(9))
				if rng.IntN(2) == 0 {
					x = 1 / x
				}
				m[i][j], m[j][i] = x, 1/x
			}
		}
		r, err := AHP(ahpItems(n), m)
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		var sum float64
		for _, x := range r.Weights {
			if !(x > 0) {
				t.Fatalf("case %d: weights %v", k, r.Weights)
			}
			sum += x
		}
		if math.Abs(sum-1) > 1e-12 || ahpEigenResidual(r) > 1e-9 || r.LambdaMax < float64(n)-1e-9 || r.CI < 0 || r.CR < 0 {
			t.Fatalf("case %d (n = %d): Σw %g residual %g λmax %g CI %g CR %g", k, n, sum, ahpEigenResidual(r), r.LambdaMax, r.CI, r.CR)
		}
		ahpNear(t, "CR", r.CR, r.CI/AHPRandomIndex[n-1], 1e-15)

		perm := rng.Perm(n)
		pm := make([][]float64, n)
		for i := range pm {
			pm[i] = make([]float64, n)
			for j := range pm[i] {
				pm[i][j] = m[perm[i]][perm[j]]
			}
		}
		p, err := AHP(ahpItems(n), pm)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if math.Abs(p.Weights[i]-r.Weights[perm[i]]) > 1e-9 {
				t.Fatalf("case %d: permuted weight %d = %g, want %g", k, i, p.Weights[i], r.Weights[perm[i]])
			}
		}
		ahpNear(t, "permuted λmax", p.LambdaMax, r.LambdaMax, 1e-9)
	}
}

func TestAHPDeterministic(t *testing.T) {
	items := []string{"x", "y", "z", "u"}
	m := [][]float64{{1, 3, 5, 7}, {1.0 / 3, 1, 3, 5}, {1.0 / 5, 1.0 / 3, 1, 2}, {1.0 / 7, 1.0 / 5, 1.0 / 2, 1}}
	first, err := AHP(items, m)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, err := AHP(items, m)
		if err != nil || !reflect.DeepEqual(first, again) {
			t.Fatalf("second run differs: %+v / %+v (%v)", first, again, err)
		}
	}
	// The record owns its copies: editing the input afterwards changes nothing.
	keep, _ := AHP(items, m)
	items[0], m[0][1] = "changed", 9
	if !reflect.DeepEqual(first, keep) || keep.Items[0] != "x" || keep.Matrix[0][1] != 3 {
		t.Errorf("result shares the caller's slices: %+v", keep)
	}
}
