package scoring

import "math"

// EntropyWeights returns entropy-method weights of indicators, a diagnostic
// (how much each indicator separates the units) that never sets a weight of
// the scheme. columns[j] holds indicator j's values for the same n units, in
// the same order; the caller keeps only units that have data for every
// indicator and orients every indicator so that higher is better.
//
// For each indicator j:
//
//	x'_ij = (x_ij − min_i x_ij) / (max_i x_ij − min_i x_ij)   (min-max to [0, 1])
//	p_ij  = x'_ij / Σ_i x'_ij
//	e_j   = −(1 / ln n) Σ_i p_ij ln p_ij,   with 0 · ln 0 = 0
//	d_j   = 1 − e_j
//
// and w_j = d_j / Σ_k d_k. A column whose values are all equal (so Σ_i x'_ij
// would be 0) carries no information: e_j = 1, d_j = 0 and its weight is 0.
// Min-max scaling makes the weights independent of each indicator's unit and
// origin. Sums run in index order, so the result is deterministic.
//
// ok is false (and weights nil) when there are no columns, the columns differ
// in length, n < 2, a value is NaN or infinite, or Σ d = 0 (every column is
// constant).
func EntropyWeights(columns [][]float64) (weights []float64, ok bool) {
	if len(columns) == 0 {
		return nil, false
	}
	n := len(columns[0])
	if n < 2 {
		return nil, false
	}
	d := make([]float64, len(columns))
	var total float64
	for j, col := range columns {
		if len(col) != n {
			return nil, false
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range col {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, false
			}
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		if hi == lo {
			continue // e_j = 1, d_j = 0
		}
		var sum float64
		for _, x := range col {
			sum += (x - lo) / (hi - lo)
		}
		var h float64
		for _, x := range col {
			if p := (x - lo) / (hi - lo) / sum; p > 0 {
				h -= p * math.Log(p)
			}
		}
		d[j] = 1 - h/math.Log(float64(n))
		total += d[j]
	}
	if total <= 0 {
		return nil, false
	}
	for j := range d {
		d[j] /= total
	}
	return d, true
}
