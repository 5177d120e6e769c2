package scoring

import (
	"math"
	"sort"
)

// Tiers (等次) of the default scheme.
const (
	TierGood     = "好"
	TierFairGood = "较好"
	TierAverage  = "一般"
	TierPoor     = "较差"
)

// Cents returns a score as integer hundredths; scores are always compared this way.
func Cents(x float64) int64 { return int64(math.Round(x * 100)) }

// Round2 rounds x to 2 decimals (half away from zero).
func Round2(x float64) float64 { return float64(Cents(x)) / 100 }

// Ranked is a unit's score within its category, with the rank and tier that
// Rank and AssignTiers fill in.
type Ranked struct {
	UnitID, Category string
	Score            float64
	Rank             int
	Tier             string
}

// sortRanked orders by category, score (cents, descending), then unit_id.
func sortRanked(v []Ranked) {
	sort.SliceStable(v, func(i, j int) bool {
		a, b := v[i], v[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		if ca, cb := Cents(a.Score), Cents(b.Score); ca != cb {
			return ca > cb
		}
		return a.UnitID < b.UnitID
	})
}

// categorySpans returns [start, end) index pairs of each category in a sorted slice.
func categorySpans(v []Ranked) [][2]int {
	var spans [][2]int
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j].Category == v[i].Category {
			j++
		}
		spans = append(spans, [2]int{i, j})
		i = j
	}
	return spans
}

// Rank returns a sorted copy of items (category, score descending, unit_id)
// with ranks within each category. Equal scores (in cents) share a rank; the
// next rank skips (1, 2, 2, 4) unless dense is set (1, 2, 2, 3).
func Rank(items []Ranked, dense bool) []Ranked {
	v := append([]Ranked(nil), items...)
	sortRanked(v)
	for _, sp := range categorySpans(v) {
		rank := 0
		for i := sp[0]; i < sp[1]; i++ {
			if i > sp[0] && Cents(v[i].Score) == Cents(v[i-1].Score) {
				v[i].Rank = v[i-1].Rank
				continue
			}
			if dense {
				rank++
			} else {
				rank = i - sp[0] + 1
			}
			v[i].Rank = rank
		}
	}
	return v
}

// Band is one score band: units scoring at least Min get Tier.
type Band struct {
	Min  float64
	Tier string
}

// TierRule says how tiers are assigned. With Bands set, tiers come from score
// bands (highest Min first; below every band gets Below); otherwise by share
// of the category.
type TierRule struct {
	TopShare       float64 // 好: floor(share × n), at least 1
	NextShare      float64 // 较好: floor(share × n) after the top
	BottomShare    float64 // 较差: floor(share × n)
	BottomMinUnits int     // no 较差 in a category with fewer units
	Bands          []Band
	Below          string
}

// DefaultTierRule returns the CONTRACT §3 share-based tiers (20% / 30% / rest / 10%).
func DefaultTierRule() TierRule {
	return TierRule{TopShare: 0.2, NextShare: 0.3, BottomShare: 0.1, BottomMinUnits: 10, Below: TierPoor}
}

// DefaultBands returns the example band rule: ≥ 90 好, ≥ 80 较好, ≥ 70 一般, else 较差.
func DefaultBands() TierRule {
	return TierRule{Bands: []Band{{90, TierGood}, {80, TierFairGood}, {70, TierAverage}}, Below: TierPoor}
}

// shareCount is floor(share × n), tolerant of floating-point error.
func shareCount(share float64, n int) int {
	return int(math.Floor(share*float64(n) + 1e-9))
}

// AssignTiers returns a copy of items sorted as by Rank with tiers set.
// Units tied on score share the better tier.
func AssignTiers(items []Ranked, r TierRule) []Ranked {
	v := append([]Ranked(nil), items...)
	sortRanked(v)
	if len(r.Bands) > 0 {
		for i := range v {
			v[i].Tier = bandTier(v[i].Score, r)
		}
		return v
	}
	for _, sp := range categorySpans(v) {
		n := sp[1] - sp[0]
		top := max(1, shareCount(r.TopShare, n))
		next := shareCount(r.NextShare, n)
		bottom := 0
		if n >= r.BottomMinUnits {
			bottom = shareCount(r.BottomShare, n)
		}
		for k := 0; k < n; k++ {
			i := sp[0] + k
			if k > 0 && Cents(v[i].Score) == Cents(v[i-1].Score) {
				v[i].Tier = v[i-1].Tier
				continue
			}
			switch {
			case k < top:
				v[i].Tier = TierGood
			case k < top+next:
				v[i].Tier = TierFairGood
			case k >= n-bottom:
				v[i].Tier = TierPoor
			default:
				v[i].Tier = TierAverage
			}
		}
	}
	return v
}

// bandTier picks the band of the highest Min that the score reaches.
func bandTier(score float64, r TierRule) string {
	bands := append([]Band(nil), r.Bands...)
	sort.SliceStable(bands, func(i, j int) bool { return bands[i].Min > bands[j].Min })
	for _, b := range bands {
		if Cents(score) >= Cents(b.Min) {
			return b.Tier
		}
	}
	return r.Below
}

// rankAndTier ranks and tiers scored items within their categories and
// returns each unit's rank and tier by unit_id.
func rankAndTier(items []Ranked, dense bool, tiers TierRule) map[string]Ranked {
	out := map[string]Ranked{}
	for _, it := range Rank(items, dense) {
		out[it.UnitID] = it
	}
	for _, it := range AssignTiers(items, tiers) {
		rk := out[it.UnitID]
		rk.Tier = it.Tier
		out[it.UnitID] = rk
	}
	return out
}
