package scoring

import (
	"math"
	"sort"
)

// KendallW is Kendall's coefficient of concordance of evaluators' scores
// (evaluator → unit → score) for an incomplete design, a diagnostic only.
//
// Each evaluator's scores are ranked 1…k_j (ascending, average ranks for
// ties); evaluators with fewer than 2 scores carry no ranking and are left
// out. With n units, R_i the rank sum of unit i, k the number of units each
// evaluator ranks, r the number of evaluators ranking each unit and
// λ = r(k−1)/(n−1) the number of times each pair of units is ranked together,
// the incomplete-block form given after Brueckl (2011) in Wikipedia, "Kendall's W",
// section "Incomplete blocks", is
//
//	W = (12 Σ R_i² − 3 r² n (k+1)²) / (λ² n (n² − 1)).
//
// It reduces to the classic 12S / (m²(n³ − n)) for a complete design (k = n,
// r = m, λ = m). The normaliser is the maximum of 12 S for a balanced
// incomplete block design: under perfect agreement R_i = r + λ(i−1). The form
// holds only for a balanced design, so ok is false unless every ranking
// evaluator ranks the same number of units and every unit is ranked the same
// number of times (the real rounds, where evaluators score the units of their
// own groups, are not balanced: no number is better than a wrong one). No tie
// correction is made. ok is also false when fewer than 2 units or 2 ranking
// evaluators remain, or the design gives λ = 0.
func KendallW(ratings map[string]map[string]float64) (w float64, ok bool) {
	rankSum := map[string]float64{}
	perUnit := map[string]int{}
	var evaluators, cells, perEvaluator int
	for _, scores := range ratings {
		if len(scores) < 2 {
			continue
		}
		if perEvaluator != 0 && len(scores) != perEvaluator {
			return 0, false // evaluators rank different numbers of units
		}
		perEvaluator = len(scores)
		evaluators++
		for u, r := range averageRanks(scores) {
			rankSum[u] += r
			perUnit[u]++
			cells++
		}
	}
	n := float64(len(rankSum))
	if len(rankSum) < 2 || evaluators < 2 {
		return 0, false
	}
	for _, c := range perUnit {
		if c != cells/len(rankSum) || cells%len(rankSum) != 0 {
			return 0, false // units ranked different numbers of times
		}
	}
	k := float64(cells) / float64(evaluators)
	r := float64(cells) / n
	lambda := r * (k - 1) / (n - 1)
	if lambda <= 0 {
		return 0, false
	}
	units := make([]string, 0, len(rankSum))
	for u := range rankSum {
		units = append(units, u)
	}
	sort.Strings(units)
	var sumSq float64
	for _, u := range units {
		sumSq += rankSum[u] * rankSum[u]
	}
	w = (12*sumSq - 3*r*r*n*(k+1)*(k+1)) / (lambda * lambda * n * (n*n - 1))
	return math.Min(1, math.Max(0, w)), true // clamp rounding noise only
}

// averageRanks ranks scores ascending (1 = lowest), tied scores sharing the
// mean of their positions.
func averageRanks(scores map[string]float64) map[string]float64 {
	ids := make([]string, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if scores[ids[i]] != scores[ids[j]] {
			return scores[ids[i]] < scores[ids[j]]
		}
		return ids[i] < ids[j]
	})
	out := make(map[string]float64, len(ids))
	for i := 0; i < len(ids); {
		j := i
		for j < len(ids) && scores[ids[j]] == scores[ids[i]] {
			j++
		}
		for _, id := range ids[i:j] {
			out[id] = float64(i+j+1) / 2 // mean of positions i+1 … j
		}
		i = j
	}
	return out
}

// PeerScoreRow is one peer score as a row: an evaluator's score for a unit.
type PeerScoreRow struct {
	EvaluatorID, UnitID string
	Score               float64
}

// EvaluatorOffset is an evaluator's leniency: the additive offset of the
// model score = μ + unit effect + evaluator offset (positive = lenient), its
// robust z and whether |z| > LeniencyZ.
type EvaluatorOffset struct {
	EvaluatorID string
	N           int // scores given
	Offset      float64
	Z           float64
	Flagged     bool
}

// LeniencyZ is the robust |z| above which an evaluator is flagged.
const LeniencyZ = 3.5

// Leniency fits score = μ + a_unit + b_evaluator by least squares with
// Σ a = Σ b = 0 (unweighted), solved by alternating means (backfitting:
// a_u = mean(y − μ − b) over u's scores, then b_e likewise, each centred into
// μ) until no parameter moves by more than 1e-10 or 10 000 sweeps. The robust
// z of an offset is (b − median(b)) / (1.4826 · MAD); when the MAD is 0 the
// mean absolute deviation × 1.2533 is used instead, and when that is 0 too
// every z is 0. Non-finite scores are ignored. Results are sorted by evaluator.
func Leniency(scores []PeerScoreRow) []EvaluatorOffset {
	rows := make([]PeerScoreRow, 0, len(scores))
	for _, s := range scores {
		if !math.IsNaN(s.Score) && !math.IsInf(s.Score, 0) {
			rows = append(rows, s)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].EvaluatorID != rows[j].EvaluatorID {
			return rows[i].EvaluatorID < rows[j].EvaluatorID
		}
		if rows[i].UnitID != rows[j].UnitID {
			return rows[i].UnitID < rows[j].UnitID
		}
		return rows[i].Score < rows[j].Score
	})
	if len(rows) == 0 {
		return nil
	}
	b, n := fitOffsets(rows)
	ids := make([]string, 0, len(b))
	for id := range b {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	offs := make([]float64, len(ids))
	for i, id := range ids {
		offs[i] = b[id]
	}
	z := robustZ(offs)
	out := make([]EvaluatorOffset, len(ids))
	for i, id := range ids {
		out[i] = EvaluatorOffset{EvaluatorID: id, N: n[id], Offset: offs[i], Z: z[i], Flagged: math.Abs(z[i]) > LeniencyZ}
	}
	return out
}

// fitOffsets runs the alternating-means fit on sorted rows and returns the
// evaluator offsets and score counts.
func fitOffsets(rows []PeerScoreRow) (b map[string]float64, n map[string]int) {
	a, b, n := map[string]float64{}, map[string]float64{}, map[string]int{}
	var mu float64
	for _, r := range rows {
		mu += r.Score
		a[r.UnitID], b[r.EvaluatorID] = 0, 0
		n[r.EvaluatorID]++
	}
	mu /= float64(len(rows))
	for sweep := 0; sweep < 10000; sweep++ {
		da := updateEffects(rows, a, b, &mu, func(r PeerScoreRow) (string, string) { return r.UnitID, r.EvaluatorID })
		db := updateEffects(rows, b, a, &mu, func(r PeerScoreRow) (string, string) { return r.EvaluatorID, r.UnitID })
		if math.Max(da, db) < 1e-10 {
			break
		}
	}
	return b, n
}

// updateEffects sets each own effect to the mean residual y − μ − other over
// its rows, centres the effects into μ and returns the largest change.
func updateEffects(rows []PeerScoreRow, own, other map[string]float64, mu *float64,
	key func(PeerScoreRow) (ownKey, otherKey string)) float64 {
	sum, cnt := map[string]float64{}, map[string]int{}
	for _, r := range rows {
		k, o := key(r)
		sum[k] += r.Score - *mu - other[o]
		cnt[k]++
	}
	keys := make([]string, 0, len(own))
	for k := range own {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var mean float64
	for _, k := range keys {
		mean += sum[k] / float64(cnt[k])
	}
	mean /= float64(len(keys))
	*mu += mean
	var change float64
	for _, k := range keys {
		v := sum[k]/float64(cnt[k]) - mean
		change = math.Max(change, math.Abs(v-own[k]))
		own[k] = v
	}
	return change
}

// robustZ returns (x − median) / (1.4826 · MAD), falling back to the mean
// absolute deviation × 1.2533 when the MAD is 0, and to zeros when both are 0.
func robustZ(x []float64) []float64 {
	med := median(x)
	dev := make([]float64, len(x))
	var meanAD float64
	for i, v := range x {
		dev[i] = math.Abs(v - med)
		meanAD += dev[i]
	}
	meanAD /= float64(len(x))
	scale := 1.4826 * median(dev)
	if scale == 0 {
		scale = 1.2533 * meanAD
	}
	z := make([]float64, len(x))
	if scale == 0 {
		return z
	}
	for i, v := range x {
		z[i] = (v - med) / scale
	}
	return z
}

// median of a copy of x (mean of the two middle values for even length).
func median(x []float64) float64 {
	v := append([]float64(nil), x...)
	sort.Float64s(v)
	m := len(v) / 2
	if len(v)%2 == 1 {
		return v[m]
	}
	return (v[m-1] + v[m]) / 2
}

// SameScoreEvaluators lists, sorted, the evaluators who gave at least 3
// scores, all equal (compared in cents).
func SameScoreEvaluators(scores []PeerScoreRow) []string {
	first := map[string]int64{}
	count := map[string]int{}
	differs := map[string]bool{}
	for _, s := range scores {
		c := Cents(s.Score)
		if n := count[s.EvaluatorID]; n == 0 {
			first[s.EvaluatorID] = c
		} else if first[s.EvaluatorID] != c {
			differs[s.EvaluatorID] = true
		}
		count[s.EvaluatorID]++
	}
	var out []string
	for id, n := range count {
		if n >= 3 && !differs[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
