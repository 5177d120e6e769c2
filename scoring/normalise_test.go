package scoring

import (
	"math"
	"testing"
)

func TestTargetFloor(t *testing.T) {
	tests := []struct {
		name                         string
		value, target, floor, points float64
		want                         float64
	}{
		{"above target gives full points", 1.0, 0.7, 0.3, 4, 4},
		{"at target gives full points", 0.7, 0.7, 0.3, 4, 4},
		{"halfway gives half", 0.5, 0.7, 0.3, 4, 2},          // 4 × (0.5−0.3)/0.4
		{"on-time 90% gives half of 8", 0.9, 1.0, 0.8, 8, 4}, // 8 × 0.1/0.2
		{"at floor gives zero", 0.6, 0.95, 0.6, 5, 0},
		{"below floor gives zero", 1.0 / 3, 0.95, 0.6, 5, 0},
		{"step rule when target equals floor", 0.5, 0.5, 0.5, 3, 3},
		{"NaN gives zero", math.NaN(), 0.5, 0.1, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TargetFloor(tt.value, tt.target, tt.floor, tt.points)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMinMax(t *testing.T) {
	tests := []struct {
		name                  string
		value, lo, hi, points float64
		want                  float64
	}{
		{"max gives full points", 90, 60, 90, 10, 10},
		{"min gives zero", 60, 60, 90, 10, 0},
		{"middle is linear", 70, 60, 90, 15, 5}, // 15 × 10/30
		{"outside range is clamped", 100, 60, 90, 10, 10},
		{"equal population gives full points", 75, 75, 75, 10, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MinMax(tt.value, tt.lo, tt.hi, tt.points)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
