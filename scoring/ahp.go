package scoring

// AHP (层次分析法): weights of a scheme's items derived from a pairwise
// comparison matrix on Saaty's 1…9 scale, with Saaty's consistency check.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// AHPResult is the record of one AHP derivation, stored with the scheme.
type AHPResult struct {
	Items     []string    `json:"items"`
	Matrix    [][]float64 `json:"matrix"`     // the matrix as given (a copy)
	Weights   []float64   `json:"weights"`    // principal eigenvector, normalised to sum 1
	LambdaMax float64     `json:"lambda_max"` // mean over i of (A w)_i / w_i
	CI        float64     `json:"ci"`         // (λmax − n)/(n − 1); 0 when n ≤ 2, never below 0
	RI        float64     `json:"ri"`         // random index for n
	CR        float64     `json:"cr"`         // CI/RI; 0 when n ≤ 2
}

// AHPMaxCR is the accepted consistency ratio (0.10): a matrix with
// CR ≤ AHPMaxCR is consistent enough to use (Saaty).
const AHPMaxCR = 0.10

// AHPMaxItems is the largest matrix AHP accepts: the random-index table ends
// at n = 15.
const AHPMaxItems = 15

// AHPTolerance is the relative tolerance of the matrix checks, so that
// reciprocals written with three decimals are accepted:
//
//   - reciprocity: |a_ij × a_ji − 1| ≤ AHPTolerance;
//   - diagonal: |a_ii − 1| ≤ AHPTolerance;
//   - scale: 1/(9(1 + AHPTolerance)) ≤ a_ij ≤ 9(1 + AHPTolerance).
//
// A three-decimal reciprocal 1/k (k = 2…9) is off by at most 0.0005, so its
// product with k is off by at most 9 × 0.0005 = 0.0045 (worst cases
// 9 × 0.111 = 0.999, 7 × 0.143 = 1.001, 6 × 0.167 = 1.002): all accepted.
// Two decimals are not enough in general (7 × 0.14 = 0.98 is rejected).
const AHPTolerance = 1e-2

// AHPRandomIndex is Saaty's random-index table: AHPRandomIndex[n-1] is the
// random index RI for an n×n matrix, n = 1…15 (index 0 is n = 1).
//
// Source: T. L. Saaty, The Analytic Hierarchy Process (McGraw-Hill, 1980).
// Saaty's own text was not at hand; the values were checked with the search
// tool against what cites or reproduces it. n = 1…10 (0, 0, 0.58, 0.90,
// 1.12, 1.24, 1.32, 1.41, 1.45, 1.49) agree in every source found — e.g. the
// docs of the kshana crate's AHP module (docs.rs, "Saaty's canonical values
// (n = 1..10)", citing Saaty 1980), and the AHP scripts in the GitHub
// repositories Olddays/MMTools (MATLAB) and Wangying802/WY (R), which add
// 1.51 for n = 11. The 15-entry table with 1.51, 1.48, 1.56, 1.57, 1.59 for
// n = 11…15 is the one reproduced by several AHP programs found (e.g. the
// Java class org.taeradan.ahp.ConsistencyChecker); its dip at n = 12
// (1.48 < 1.51) is part of that table as reproduced, not a typo here. Later
// re-simulated tables — Saaty & Tran (2007), Alonso & Lamata (2006; 0.5247
// for n = 3, as in the R package ahp) — are NOT used.
var AHPRandomIndex = [AHPMaxItems]float64{
	0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
}

// ErrAHPInput is wrapped by every error of AHP; the message lists the
// problems one per line.
var ErrAHPInput = errors.New("AHP input invalid (判断矩阵不合格)")

// Power iteration limits.
const (
	ahpMaxIter   = 1000
	ahpConverged = 1e-12 // largest change of a weight between two steps
)

// Consistent reports whether the judgements pass Saaty's consistency check,
// CR ≤ AHPMaxCR. Matrices with n ≤ 2 are always consistent.
func (r AHPResult) Consistent() bool { return r.CR <= AHPMaxCR }

// AHP derives weights for items from the pairwise comparison matrix m, where
// m[i][j] says how many times more important item i is than item j.
//
// m must be n×n with n = len(items), 1 ≤ n ≤ 15; every entry positive, finite
// and within 1/9…9; the diagonal 1; and m[j][i] = 1/m[i][j] — the last three
// within AHPTolerance. Item names must be non-empty and distinct. All
// problems are reported together in one error, each naming its place with
// 1-based row and column numbers.
//
// The weights are the principal right eigenvector of m, by power iteration
// from the uniform vector (normalised to sum 1 at every step) until no
// weight changes by 1e-12 or more, or 1000 steps. λmax is the mean over i of
// (m w)_i / w_i, CI = (λmax − n)/(n − 1) and CR = CI/RI. For n ≤ 2, CI and
// CR are 0. A reciprocal positive matrix has λmax ≥ n, so a negative CI can
// only come from rounding (of floats, or of entries accepted within
// AHPTolerance); it is reported as 0. A CR above AHPMaxCR is not an error:
// see AHPResult.Consistent.
func AHP(items []string, m [][]float64) (AHPResult, error) {
	if err := ahpValidate(items, m); err != nil {
		return AHPResult{}, err
	}
	n := len(items)
	r := AHPResult{
		Items:  append([]string(nil), items...),
		Matrix: make([][]float64, n),
		RI:     AHPRandomIndex[n-1],
	}
	for i, row := range m {
		r.Matrix[i] = append([]float64(nil), row...)
	}
	r.Weights = ahpPrincipal(r.Matrix)

	aw := ahpMul(r.Matrix, r.Weights)
	for i := range aw {
		r.LambdaMax += aw[i] / r.Weights[i]
	}
	r.LambdaMax /= float64(n)

	if n > 2 {
		r.CI = max((r.LambdaMax-float64(n))/float64(n-1), 0)
		r.CR = r.CI / r.RI
	}
	return r, nil
}

// ahpPrincipal returns the principal right eigenvector of a (positive, so
// Perron's theorem makes it unique and positive), normalised to sum 1.
func ahpPrincipal(a [][]float64) []float64 {
	n := len(a)
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	for range ahpMaxIter {
		v := ahpMul(a, w)
		var sum float64
		for _, x := range v {
			sum += x
		}
		var change float64
		for i := range v {
			v[i] /= sum
			change = max(change, math.Abs(v[i]-w[i]))
		}
		w = v
		if change < ahpConverged {
			break
		}
	}
	return w
}

// ahpMul returns a w.
func ahpMul(a [][]float64, w []float64) []float64 {
	v := make([]float64, len(a))
	for i, row := range a {
		for j, x := range row {
			v[i] += x * w[j]
		}
	}
	return v
}

// ahpValidate returns every problem of items and m joined into one error, or
// nil.
func ahpValidate(items []string, m [][]float64) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	at := func(i, j int) string {
		return fmt.Sprintf("row %d, column %d (第%d行第%d列)", i+1, j+1, i+1, j+1)
	}

	n := len(items)
	switch {
	case n == 0:
		bad("no items (没有指标): AHP needs 1 to %d", AHPMaxItems)
	case n > AHPMaxItems:
		bad("%d items (指标过多): AHP takes at most %d", n, AHPMaxItems)
	}
	first := map[string]int{}
	for i, name := range items {
		if strings.TrimSpace(name) == "" {
			bad("item %d (第%d项): empty name", i+1, i+1)
			continue
		}
		if k, dup := first[name]; dup {
			bad("items %d and %d (第%d项与第%d项): same name %q", k+1, i+1, k+1, i+1, name)
			continue
		}
		first[name] = i
	}

	if len(m) != n {
		bad("matrix has %d rows, want %d, one per item (矩阵行数与指标数不符)", len(m), n)
	}
	for i, row := range m {
		if len(row) != len(m) {
			bad("row %d (第%d行): %d columns, want %d (the matrix must be square)", i+1, i+1, len(row), len(m))
		}
	}

	lo, hi := 1/(9*(1+AHPTolerance)), 9*(1+AHPTolerance)
	for i, row := range m {
		for j, x := range row {
			switch {
			case math.IsNaN(x) || math.IsInf(x, 0):
				bad("%s: %s is not a finite number", at(i, j), ahpNum(x))
			case i == j:
				if math.Abs(x-1) > AHPTolerance {
					bad("%s: %s on the diagonal, must be 1", at(i, j), ahpNum(x))
				}
			case x <= 0:
				bad("%s: %s is not in 1/9…9 (entries must be positive)", at(i, j), ahpNum(x))
			case x < lo || x > hi:
				bad("%s: %s is not in 1/9…9", at(i, j), ahpNum(x))
			}
		}
	}

	// Reciprocity, once per pair i < j, where both entries exist and are
	// positive and finite (the others are reported above).
	ok := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) && !math.IsNaN(x) }
	for i, row := range m {
		for j := i + 1; j < len(row); j++ {
			if j >= len(m) || i >= len(m[j]) {
				continue
			}
			x, y := row[j], m[j][i]
			if !ok(x) || !ok(y) || math.Abs(x*y-1) <= AHPTolerance {
				continue
			}
			bad("%s and %s: %s and %s are not reciprocal (a_ji must be 1/a_ij = %s)",
				at(i, j), at(j, i), ahpNum(x), ahpNum(y), ahpNum(1/x))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w:\n%w", ErrAHPInput, errors.Join(errs...))
}

// ahpNum formats a matrix entry for a message: as short as exact, at most 4
// significant digits for long fractions (0.3333 for 1/3).
func ahpNum(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if len(s) > 8 {
		s = strconv.FormatFloat(x, 'g', 4, 64)
	}
	return s
}
