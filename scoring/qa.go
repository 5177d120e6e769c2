package scoring

import (
	"math"
	"sort"
)

// KendallW is Kendall's coefficient of concordance of evaluators' scores
// (evaluator → unit → score), generalised to incomplete, unbalanced designs
// in which evaluators score different numbers of units and units are scored
// by different numbers of evaluators. It is a diagnostic only.
//
// Data used. Non-finite scores are ignored. Then, until nothing changes, an
// evaluator with fewer than 2 scores is dropped (it ranks nothing) and so is a
// unit scored by fewer than 2 remaining evaluators (nobody can agree or
// disagree with the one evaluator about it, so its comparisons say nothing
// about agreement). What remains is the same whatever the order of removal.
//
// Statistic. Each evaluator j ranks its k_j remaining units ascending, tied
// scores sharing the mean of their positions, and each rank is centred on the
// evaluator's mean rank: c_ij = r_ij − (k_j+1)/2 = ½ Σ_h sgn(x_ij − x_hj) over
// the other units h it scored (a tie adds 0). With C_i = Σ_j c_ij,
//
//	S = Σ_i C_i²,  W = S / S*,  S* = Σ_i C*_i²,
//	C*_i = ½ (Σ_{h below i in π} λ_ih − Σ_{h above i in π} λ_ih),
//
// where λ_ih is the number of evaluators who scored both i and h, and S* is
// the value of S had every evaluator ranked its units as the consensus order π
// does (the normaliser "maximum under complete agreement" of the classic W).
//
// Consensus order π, built from the lowest unit up: each time, of the units
// not yet placed, take the one that beats (is scored higher by more of their
// common evaluators than lower) the fewest units not yet placed; among those
// the one with the smallest Σ_{h placed} λ_ih − Σ_{h not placed} λ_ih (of
// two candidates, placing that one lower gives the larger S*); then the lowest net wins Σ_h Σ_j sgn(x_ij −
// x_hj) over the units not yet placed; then the lowest unit ID. When the
// evaluators agree, π is their common order on every pair some evaluator
// compared, so S = S* and W = 1, whatever the design.
//
// Why this form. For a complete design (m evaluators each rank all n units,
// λ = m) S* = m²(n³ − n)/12 for every π, so W is the classic 12S/(m²(n³ − n)).
// For a balanced incomplete block design (every λ_ih equal) S* = λ²n(n² − 1)/12
// for every π and W is the incomplete-block form (12 Σ R_i² − 3r²n(k+1)²) /
// (λ²n(n² − 1)) given in Wikipedia, "Kendall's W", "Incomplete blocks", R_i
// being the plain rank sums. For disjoint groups, each ranked completely by
// its own evaluators, S* = Σ_g m_g²(n_g³ − n_g)/12, again for every π. In
// other designs (overlapping groups, heads who do not score their own unit)
// S* can depend on π, which is then the order the evaluators' majority
// supports. Brueckl's (2011) generalisation, W = (1 + (k̄−1)ρ̄)/k̄ from the
// weighted mean Spearman ρ̄ of evaluator pairs over their common units, is
// not used: evaluators of different groups share no units, pairs sharing one
// unit have no ρ, and it does not reproduce the incomplete-block form.
//
// No tie correction is made: ties lower W. With a split or cyclic majority in
// an irregular design S can exceed S*: rare and slight in simulations (about
// 1 round in 1 500 of the demo city's group structure, by < 0.01%); W is
// clamped to [0, 1].
//
// 2C_i and 2C*_i are integers, so S and S* are summed exactly and W does not
// depend on map order. ok is false when fewer than 2 evaluators or 2 units
// remain, or S* = 0.
func KendallW(ratings map[string]map[string]float64) (w float64, ok bool) {
	kept := pairedScores(ratings)
	index := map[string]int{}
	for _, scores := range kept {
		for u := range scores {
			index[u] = 0
		}
	}
	if len(kept) < 2 || len(index) < 2 {
		return 0, false
	}
	units := make([]string, 0, len(index))
	for u := range index {
		units = append(units, u)
	}
	sort.Strings(units)
	for i, u := range units {
		index[u] = i
	}
	n := len(units)
	// net[i][h] = Σ_j sgn(x_ij − x_hj); lambda[i][h] = evaluators scoring both.
	net, lambda := make([][]int64, n), make([][]int64, n)
	for i := range net {
		net[i], lambda[i] = make([]int64, n), make([]int64, n)
	}
	for _, scores := range kept {
		for u, x := range scores {
			for v, y := range scores {
				i, h := index[u], index[v]
				if i == h {
					continue
				}
				lambda[i][h]++
				if x > y {
					net[i][h]++
				} else if x < y {
					net[i][h]--
				}
			}
		}
	}
	pos := consensusOrder(net, lambda)
	var s, sMax int64 // 4S and 4S*
	for i := 0; i < n; i++ {
		var c, cMax int64 // 2C_i and 2C*_i
		for h := 0; h < n; h++ {
			c += net[i][h]
			if pos[h] < pos[i] {
				cMax += lambda[i][h]
			} else if pos[h] > pos[i] {
				cMax -= lambda[i][h]
			}
		}
		s += c * c
		sMax += cMax * cMax
	}
	if sMax == 0 {
		return 0, false
	}
	return math.Min(1, float64(s)/float64(sMax)), true
}

// pairedScores returns the finite scores left after repeatedly dropping
// evaluators with fewer than 2 scores and units scored by fewer than 2
// evaluators (see KendallW).
func pairedScores(ratings map[string]map[string]float64) map[string]map[string]float64 {
	kept := make(map[string]map[string]float64, len(ratings))
	for e, scores := range ratings {
		m := make(map[string]float64, len(scores))
		for u, x := range scores {
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				m[u] = x
			}
		}
		kept[e] = m
	}
	for changed := true; changed; {
		changed = false
		scoredBy := map[string]int{}
		for e, scores := range kept {
			if len(scores) < 2 {
				delete(kept, e)
				changed = true
				continue
			}
			for u := range scores {
				scoredBy[u]++
			}
		}
		for _, scores := range kept {
			for u := range scores {
				if scoredBy[u] < 2 {
					delete(scores, u)
					changed = true
				}
			}
		}
	}
	return kept
}

// consensusOrder returns each unit's position (0 = lowest) in the consensus
// order π of KendallW, from the net-win and co-scoring matrices (units in ID
// order).
func consensusOrder(net, lambda [][]int64) []int {
	n := len(net)
	beats := make([]int, n)     // unplaced units i beats by majority
	spread := make([]int64, n)  // Σ_placed λ_ih − Σ_unplaced λ_ih
	netWins := make([]int64, n) // Σ_unplaced net[i][h]
	pos := make([]int, n)
	for i := range pos {
		pos[i] = -1
		for h := 0; h < n; h++ {
			if net[i][h] > 0 {
				beats[i]++
			}
			spread[i] -= lambda[i][h]
			netWins[i] += net[i][h]
		}
	}
	for p := 0; p < n; p++ {
		best := -1
		for i := 0; i < n; i++ {
			if pos[i] >= 0 {
				continue
			}
			if best < 0 || beats[i] < beats[best] ||
				beats[i] == beats[best] && (spread[i] < spread[best] ||
					spread[i] == spread[best] && netWins[i] < netWins[best]) {
				best = i // a full tie keeps the lower index, i.e. the lower ID
			}
		}
		pos[best] = p
		for i := 0; i < n; i++ {
			if pos[i] < 0 {
				if net[i][best] > 0 {
					beats[i]--
				}
				spread[i] += 2 * lambda[i][best]
				netWins[i] -= net[i][best]
			}
		}
	}
	return pos
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
