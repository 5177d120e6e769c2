package scoring

import (
	"fmt"
	"reflect"
	"testing"
)

// cat builds ranked items in category "c" from unit/score pairs given as "id" and score.
func cat(scores ...float64) []Ranked {
	out := make([]Ranked, len(scores))
	for i, s := range scores {
		out[i] = Ranked{UnitID: fmt.Sprintf("U%02d", i+1), Category: "c", Score: s}
	}
	return out
}

func ranksOf(v []Ranked) (ids []string, ranks []int, tiers []string) {
	for _, r := range v {
		ids = append(ids, r.UnitID)
		ranks = append(ranks, r.Rank)
		tiers = append(tiers, r.Tier)
	}
	return
}

func TestRank(t *testing.T) {
	// U02 and U03 tie at 75.00; 74.999 rounds to 75.00 cents and ties too.
	items := []Ranked{
		{UnitID: "U03", Category: "c", Score: 74.999},
		{UnitID: "U01", Category: "c", Score: 93.5},
		{UnitID: "U04", Category: "c", Score: 69.25},
		{UnitID: "U02", Category: "c", Score: 75},
		{UnitID: "X1", Category: "b", Score: 10},
	}
	tests := []struct {
		name      string
		dense     bool
		wantIDs   []string
		wantRanks []int
	}{
		{"standard ranking skips after a tie", false, []string{"X1", "U01", "U02", "U03", "U04"}, []int{1, 1, 2, 2, 4}},
		{"dense ranking does not skip", true, []string{"X1", "U01", "U02", "U03", "U04"}, []int{1, 1, 2, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, ranks, _ := ranksOf(Rank(items, tt.dense))
			if !reflect.DeepEqual(ids, tt.wantIDs) || !reflect.DeepEqual(ranks, tt.wantRanks) {
				t.Errorf("got %v %v, want %v %v", ids, ranks, tt.wantIDs, tt.wantRanks)
			}
		})
	}
}

func TestAssignTiers(t *testing.T) {
	G, F, A, P := TierGood, TierFairGood, TierAverage, TierPoor
	tests := []struct {
		name  string
		items []Ranked
		want  []string
	}{
		{
			// n=10: top floor(2)=2, next floor(3)=3, bottom floor(1)=1, rest 4
			name:  "ten units split 2/3/4/1",
			items: cat(100, 99, 98, 97, 96, 95, 94, 93, 92, 91),
			want:  []string{G, G, F, F, F, A, A, A, A, P},
		},
		{
			// n=9: top 1, next 2, no 较差 under 10 units
			name:  "nine units have no bottom tier",
			items: cat(100, 99, 98, 97, 96, 95, 94, 93, 92),
			want:  []string{G, F, F, A, A, A, A, A, A},
		},
		{
			// n=3: top max(1, 0)=1, next floor(0.9)=0
			name:  "small category still has one top unit",
			items: cat(80, 70, 60),
			want:  []string{G, A, A},
		},
		{
			// 2nd and 3rd tie across the 好/较好 boundary → both 好; the 较好 slots stay positional
			name:  "tie at the top boundary shares the better tier",
			items: cat(100, 99, 99, 97, 96, 95, 94, 93, 92, 91),
			want:  []string{G, G, G, F, F, A, A, A, A, P},
		},
		{
			// last two tie across the 一般/较差 boundary → both 一般
			name:  "tie at the bottom boundary shares the better tier",
			items: cat(100, 99, 98, 97, 96, 95, 94, 93, 91, 91),
			want:  []string{G, G, F, F, F, A, A, A, A, A},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, got := ranksOf(AssignTiers(tt.items, DefaultTierRule()))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAssignTiersBands(t *testing.T) {
	// 90 → 好 (at the boundary), 89.995 rounds to 90.00 → 好, 80 → 较好, 70 → 一般, 69.99 → 较差
	_, _, got := ranksOf(AssignTiers(cat(90, 89.995, 80, 70, 69.99), DefaultBands()))
	want := []string{TierGood, TierGood, TierFairGood, TierAverage, TierPoor}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
