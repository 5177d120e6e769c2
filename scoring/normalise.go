package scoring

import "math"

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
