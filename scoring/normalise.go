package scoring

import (
	"math"
	"sort"
)

// Normalisation methods of a rate rule (RateRule.Method). The empty string
// means MethodTarget.
const (
	// MethodTarget: full points at or above the target, none at or below the
	// floor, linear in between (CONTRACT §3 default).
	MethodTarget = "target"
	// MethodMinMax: position between the lowest and highest value of the
	// compared population.
	MethodMinMax = "minmax"
	// MethodTScore: the z-score within the compared population as a T-score
	// 50 + 10z, clamped to 0…100, as a share of the points.
	MethodTScore = "tscore"
	// MethodFrontier: distance to the frontier, with a fixed best and worst
	// value: full points at the best, none at the worst, linear in between.
	MethodFrontier = "frontier"
	// MethodRank: the share of the compared population the value is not
	// behind, (n − 1 − better)/(n − 1); ties share the better position.
	MethodRank = "rank"
)

// DirectionLower marks an indicator where a lower value is better
// (RateRule.Direction); the empty string means higher is better.
const DirectionLower = "lower"

// Methods lists the normalisation methods a scheme may choose.
var Methods = []string{MethodTarget, MethodMinMax, MethodTScore, MethodFrontier, MethodRank}

// TargetFloor scales value onto 0…points: full points at or above target, zero
// at or below floor, linear in between. If target ≤ floor the rule is a step:
// full points at or above target, zero below. A NaN value gives zero.
func TargetFloor(value, target, floor, points float64) float64 {
	switch {
	case math.IsNaN(value):
		return 0
	case value >= target:
		return points
	case value <= floor || target <= floor:
		return 0
	}
	return points * (value - floor) / (target - floor)
}

// MinMax scales value onto 0…points by its position between min and max of
// the compared population (clamped). When max ≤ min every value is equally
// placed and receives full points.
func MinMax(value, min, max, points float64) float64 {
	switch {
	case math.IsNaN(value):
		return 0
	case max <= min:
		return points
	case value >= max:
		return points
	case value <= min:
		return 0
	}
	return points * (value - min) / (max - min)
}

// Population is the compared population of one indicator: the values of the
// units of one category that have data for it, sorted, with their mean and
// population standard deviation (divisor n), both summed in sorted order so
// that they do not depend on the order of the units.
type Population struct {
	Values   []float64
	Mean, SD float64
}

// NewPopulation sorts a copy of values (NaN left out) and computes its mean and SD.
func NewPopulation(values []float64) Population {
	v := make([]float64, 0, len(values))
	for _, x := range values {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	sort.Float64s(v)
	p := Population{Values: v}
	if len(v) == 0 {
		return p
	}
	var sum float64
	for _, x := range v {
		sum += x
	}
	p.Mean = sum / float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - p.Mean) * (x - p.Mean)
	}
	p.SD = math.Sqrt(ss / float64(len(v)))
	return p
}

// TScore is 50 + 10·z of value in p, z = (value − mean)/SD (negated for a
// lower-is-better indicator), clamped to 0…100; 50 when SD is 0.
func TScore(value float64, p Population, lower bool) float64 {
	if p.SD <= 0 || len(p.Values) < 2 {
		return 50
	}
	z := (value - p.Mean) / p.SD
	if lower {
		z = -z
	}
	return math.Min(100, math.Max(0, 50+10*z))
}

// RankShare is (n − 1 − b)/(n − 1), b the number of values in p strictly
// better than value (greater, or smaller when lower is better): 1 for the best
// (and for every unit tied with it), 0 for a unit alone in last place. A
// population of one gives 1.
func RankShare(value float64, p Population, lower bool) float64 {
	n := len(p.Values)
	if n < 2 {
		return 1
	}
	var better int
	if lower {
		better = sort.SearchFloat64s(p.Values, value) // values < value
	} else {
		better = n - sort.Search(n, func(i int) bool { return p.Values[i] > value })
	}
	if better > n-1 {
		better = n - 1
	}
	return float64(n-1-better) / float64(n-1)
}

// Normalise gives the points that value earns under rule r, compared where
// the method needs it with p, the indicator's population (which includes
// value). A NaN value gives zero. An unknown method is treated as target
// (schemes are checked before they reach here).
func Normalise(value float64, r RateRule, p Population) float64 {
	if math.IsNaN(value) {
		return 0
	}
	lower := r.Direction == DirectionLower
	sign := 1.0
	if lower {
		sign = -1
	}
	switch r.Method {
	case MethodMinMax:
		if len(p.Values) == 0 {
			return r.Points
		}
		lo, hi := p.Values[0], p.Values[len(p.Values)-1]
		if lower {
			return MinMax(-value, -hi, -lo, r.Points)
		}
		return MinMax(value, lo, hi, r.Points)
	case MethodTScore:
		return r.Points * TScore(value, p, lower) / 100
	case MethodRank:
		return r.Points * RankShare(value, p, lower)
	case MethodFrontier:
		return TargetFloor(sign*value, sign*r.Best, sign*r.Worst, r.Points)
	}
	return TargetFloor(sign*value, sign*r.Target, sign*r.Floor, r.Points)
}

// needsPopulation reports whether the method compares a unit with others.
func needsPopulation(method string) bool {
	return method == MethodMinMax || method == MethodTScore || method == MethodRank
}
