package scoring

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Robustness flags.
const (
	// FlagNotRobustLast marks a unit last in its category in the base run but
	// last in fewer than RobustShare of the perturbed runs.
	FlagNotRobustLast = "not_robust_last"
	// FlagNotRobustPoor marks a unit in tier 较差 in the base run but 较差 in
	// fewer than RobustShare of the perturbed runs.
	FlagNotRobustPoor = "not_robust_poor"
)

// RobustShare is the share of runs a base-run last place or 较差 tier must
// survive not to be flagged.
const RobustShare = 0.8

// RobustOptions controls Robustness. Zero fields take the defaults of
// DefaultRobustOptions; a negative WeightJitter switches jitter off.
type RobustOptions struct {
	Runs         int     // perturbed runs (default 1000)
	Seed         uint64  // seed of the PCG generator
	WeightJitter float64 // j: weights and points are multiplied by U[1−j, 1+j] (default 0.25, capped at 0.95)
}

// DefaultRobustOptions returns 1000 runs, seed 0 and a jitter of 0.25.
func DefaultRobustOptions() RobustOptions {
	return RobustOptions{Runs: 1000, WeightJitter: 0.25}
}

// RobustResult is the rank distribution of one ranked unit over the runs.
// Percentiles use the nearest-rank method on the sorted ranks of the runs in
// which the unit was ranked: the p-th percentile is the value at 1-based
// position ceil(p/100 × N). MedianRank is the nearest-rank 50th percentile
// (the lower median when N is even), so P05 ≤ MedianRank ≤ P95.
type RobustResult struct {
	UnitID, Category string
	MedianRank       int
	P05, P95         int
	LastShare        float64 // fraction of runs in which the unit is last in its category
	PoorShare        float64 // fraction of runs in which the unit is in tier 较差
	Flags            []string
}

// Robustness re-scores the round o.Runs times under random perturbations and
// reports, for every unit ranked in the base run (ComputeRound(units, s)),
// how stable its rank, last place and 较差 tier are. Each run, in order:
//
//   - each positive peer class weight is multiplied by an independent
//     U[1−j, 1+j] factor and the weights are renormalised to sum 1;
//   - each of the four parts (peer, service, complaints, satisfaction) gets an
//     independent U[1−j, 1+j] factor applied to its points (PeerPoints, the
//     rate rules' Points, SatisfactionPoints); all points are then rescaled so
//     that the nominal total is unchanged (this matters for band tiers only);
//   - with probability 1/2 trimming is switched off (TrimMin = MaxInt),
//     otherwise the scheme's TrimMin is kept;
//   - with probability 1/2 the rate indicators change normalisation: target
//     rules become min-max and every other method becomes target (with the
//     rule's target and floor; a frontier rule keeps its best and worst as
//     target and floor), otherwise the scheme's methods are kept;
//   - each unit's valid peer scores are bootstrapped by evaluator: as many
//     evaluators as the unit has are drawn with replacement, each bringing
//     all of its scores for the unit.
//
// Units are sorted by UnitID (and their peer scores canonically) before any
// random draw, so the result depends only on the seed and the set of units.
// Results follow the base run's order (category, rank, unit_id).
func Robustness(units []UnitInput, s Scheme, o RobustOptions) []RobustResult {
	o = robustDefaults(o)
	sorted := append([]UnitInput(nil), units...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].UnitID < sorted[j].UnitID })
	base := ComputeRound(sorted, s)
	idx := map[string]int{}
	var out []RobustResult
	for _, r := range base {
		if r.Ranked {
			idx[r.UnitID] = len(out)
			out = append(out, RobustResult{UnitID: r.UnitID, Category: r.Category})
		}
	}
	t := runAll(sorted, s, o, idx)
	bottom := categoryBottoms(base)
	for _, r := range base {
		i, ok := idx[r.UnitID]
		if !ok {
			continue
		}
		out[i] = summarise(out[i], t.ranks[i], t.last[i], t.poor[i], o.Runs)
		if r.Rank == bottom[r.Category] && out[i].LastShare < RobustShare {
			out[i].Flags = append(out[i].Flags, FlagNotRobustLast)
		}
		if r.Tier == TierPoor && out[i].PoorShare < RobustShare {
			out[i].Flags = append(out[i].Flags, FlagNotRobustPoor)
		}
	}
	return out
}

// tally holds, per base-ranked unit, its ranks and last/较差 counts over the runs.
type tally struct {
	ranks      [][]int
	last, poor []int
}

// runAll performs the perturbed runs; idx maps unit IDs to tally positions.
func runAll(sorted []UnitInput, s Scheme, o RobustOptions, idx map[string]int) tally {
	t := tally{ranks: make([][]int, len(idx)), last: make([]int, len(idx)), poor: make([]int, len(idx))}
	groups := make([][][]PeerScore, len(sorted))
	for i, u := range sorted {
		groups[i] = evaluatorGroups(u.Peer, s.Peer)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	stats := categoryStatsOf(sorted, s)
	fast := make([]fixedParts, len(sorted))
	for i, u := range sorted {
		fast[i] = newFixedParts(u, s, stats[u.Category])
	}
	ind := map[string]Indicator{}
	for k := 0; k < o.Runs; k++ {
		rs := perturbScheme(s, rng, o.WeightJitter)
		items := make([]Ranked, 0, len(sorted))
		for i, u := range sorted {
			if sc, ok := fast[i].score(bootstrapPeer(groups[i], rng), rs, stats[u.Category], ind); ok {
				items = append(items, Ranked{UnitID: u.UnitID, Category: u.Category, Score: sc})
			}
		}
		t.add(items, rs, idx)
	}
	return t
}

// add ranks and tiers one run's scores and counts them.
func (t tally) add(items []Ranked, s Scheme, idx map[string]int) {
	ranked := Rank(items, s.DenseRank)
	bottom := map[string]int{}
	for _, r := range ranked {
		bottom[r.Category] = max(bottom[r.Category], r.Rank)
	}
	for _, r := range ranked {
		if i, ok := idx[r.UnitID]; ok {
			t.ranks[i] = append(t.ranks[i], r.Rank)
			if r.Rank == bottom[r.Category] {
				t.last[i]++
			}
		}
	}
	for _, r := range AssignTiers(items, s.Tiers) {
		if i, ok := idx[r.UnitID]; ok && r.Tier == TierPoor {
			t.poor[i]++
		}
	}
}

// robustDefaults fills zero options and bounds the jitter to [0, 0.95].
func robustDefaults(o RobustOptions) RobustOptions {
	d := DefaultRobustOptions()
	if o.Runs <= 0 {
		o.Runs = d.Runs
	}
	switch {
	case o.WeightJitter == 0 || math.IsNaN(o.WeightJitter):
		o.WeightJitter = d.WeightJitter
	case o.WeightJitter < 0:
		o.WeightJitter = 0
	case o.WeightJitter > 0.95:
		o.WeightJitter = 0.95
	}
	return o
}

// summarise fills the percentiles and shares of one unit.
func summarise(r RobustResult, ranks []int, last, poor, runs int) RobustResult {
	sort.Ints(ranks)
	r.MedianRank = nearestRank(ranks, 50)
	r.P05 = nearestRank(ranks, 5)
	r.P95 = nearestRank(ranks, 95)
	r.LastShare = float64(last) / float64(runs)
	r.PoorShare = float64(poor) / float64(runs)
	return r
}

// nearestRank is the p-th percentile of sorted values by the nearest-rank
// method: the value at 1-based position ceil(p/100 × N); 0 for no values.
func nearestRank(sorted []int, p float64) int {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	k := int(math.Ceil(p / 100 * float64(n)))
	return sorted[min(max(k, 1), n)-1]
}

// categoryBottoms maps each category to its largest rank among ranked units;
// a unit holding it is last (tied last units all are).
func categoryBottoms(res []UnitResult) map[string]int {
	b := map[string]int{}
	for _, r := range res {
		if r.Ranked && r.Rank > b[r.Category] {
			b[r.Category] = r.Rank
		}
	}
	return b
}

// jitter returns a factor drawn from U[1−j, 1+j].
func jitter(rng *rand.Rand, j float64) float64 {
	return 1 - j + 2*j*rng.Float64()
}

// perturbScheme returns a copy of s with jittered class weights and part
// points and trimming switched off half of the time. It never modifies s.
func perturbScheme(s Scheme, rng *rand.Rand, j float64) Scheme {
	out := s
	classes := make([]string, 0, len(s.Peer.ClassWeights))
	for c := range s.Peer.ClassWeights {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	w := make(map[string]float64, len(classes))
	var sum float64
	for _, c := range classes {
		w[c] = s.Peer.ClassWeights[c]
		if w[c] > 0 {
			w[c] *= jitter(rng, j)
			sum += w[c]
		}
	}
	for _, c := range classes {
		if w[c] > 0 {
			w[c] /= sum
		}
	}
	out.Peer.ClassWeights = w
	fp, fs, fc, fq := jitter(rng, j), jitter(rng, j), jitter(rng, j), jitter(rng, j)
	svc := s.partPoints(ServiceIndicators)
	cmp := s.partPoints(ComplaintIndicators)
	tsk, ft := 0.0, 1.0
	if s.HasTasksPart() { // drawn only then, so that schemes without it keep their runs
		tsk, ft = s.partPoints(TaskIndicators), jitter(rng, j)
	}
	total := s.PeerPoints + svc + cmp + s.SatisfactionPoints + tsk
	scaled := fp*s.PeerPoints + fs*svc + fc*cmp + fq*s.SatisfactionPoints + ft*tsk
	norm := 1.0
	if scaled > 0 && total > 0 {
		norm = total / scaled
	}
	out.PeerPoints = s.PeerPoints * fp * norm
	out.SatisfactionPoints = s.SatisfactionPoints * fq * norm
	for _, n := range ServiceIndicators {
		out.Rule(n).Points *= fs * norm
	}
	for _, n := range ComplaintIndicators {
		out.Rule(n).Points *= fc * norm
	}
	if tsk > 0 {
		for _, n := range TaskIndicators {
			out.Rule(n).Points *= ft * norm
		}
	}
	if rng.IntN(2) == 0 {
		out.Peer.TrimMin = math.MaxInt
	}
	if rng.IntN(2) == 0 {
		for _, names := range [][]string{ServiceIndicators, ComplaintIndicators, TaskIndicators} {
			for _, n := range names {
				switchMethod(out.Rule(n))
			}
		}
	}
	return out
}

// switchMethod turns a target rule into min-max and any other rule into
// target; a frontier rule's best and worst become its target and floor.
func switchMethod(r *RateRule) {
	switch r.Method {
	case "", MethodTarget:
		r.Method = MethodMinMax
	case MethodFrontier:
		r.Method, r.Target, r.Floor = MethodTarget, r.Best, r.Worst
	default:
		r.Method = MethodTarget
	}
}

// evaluatorGroups keeps a unit's valid peer scores (under the base options,
// which jitter cannot invalidate) and groups them by evaluator, in a canonical
// order. Scores without an evaluator ID each form their own group.
func evaluatorGroups(scores []PeerScore, o PeerOptions) [][]PeerScore {
	v := make([]PeerScore, 0, len(scores))
	for _, p := range scores {
		if validPeer(p, o) {
			v = append(v, p)
		}
	}
	sort.SliceStable(v, func(i, j int) bool {
		a, b := v[i], v[j]
		if a.EvaluatorID != b.EvaluatorID {
			return a.EvaluatorID < b.EvaluatorID
		}
		if a.Class != b.Class {
			return a.Class < b.Class
		}
		return a.Score < b.Score
	})
	var g [][]PeerScore
	for i, p := range v {
		if i > 0 && p.EvaluatorID != "" && p.EvaluatorID == v[i-1].EvaluatorID {
			g[len(g)-1] = append(g[len(g)-1], p)
			continue
		}
		g = append(g, []PeerScore{p})
	}
	return g
}

// bootstrapPeer draws len(groups) evaluator groups with replacement.
func bootstrapPeer(groups [][]PeerScore, rng *rand.Rand) []PeerScore {
	if len(groups) == 0 {
		return nil
	}
	out := make([]PeerScore, 0, len(groups)+len(groups)/2)
	for range groups {
		out = append(out, groups[rng.IntN(len(groups))]...)
	}
	return out
}

// fixedParts holds what perturbations leave unchanged for one unit, so that a
// run re-scores it without the bookkeeping of ComputeRound.
type fixedParts struct {
	u   UnitInput
	sat surveyResult
	ded float64
}

// newFixedParts prepares a unit of category cat for the runs: its
// deductions and its (credibility-weighted) survey mean.
func newFixedParts(u UnitInput, s Scheme, cat *categoryStats) fixedParts {
	var flags []string
	f := fixedParts{u: u, ded: capDeductions(u.Deductions, s.DeductionCap, &flags)}
	f.sat = surveyMean(u.Surveys, s.RespondentWeights, s.Credibility, cat.survey)
	return f
}

// score computes the unit's score as scoreUnit does, from the same
// unitParts and combineParts, without the bookkeeping of a result; ok is
// false when the unit has no data. ind is scratch space.
func (f fixedParts) score(peer []PeerScore, s Scheme, cat *categoryStats, ind map[string]Indicator) (float64, bool) {
	parts, n, _ := unitParts(&f.u, peer, s, cat, f.sat, ind)
	sum, ok := combineParts(parts[:n])
	if !ok {
		return 0, false
	}
	return Round2(sum - f.ded), true
}
