package scoring

import (
	"fmt"
	"testing"
)

func TestAnnualCompositeComputedByHand(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	units := []AnnualInput{
		// A: rounds (90 + 80 + 85) / 3 = 85; 0.8 × 85 + 0.2 × 90 = 68 + 18 = 86.00
		{UnitID: "A", Category: "c", RoundScores: map[string]float64{"B1": 90, "B2": 80, "B3": 85}, SurveyMean: f(90)},
		// B: one round 88, no 效能问政 answers: the rounds carry the weight → 88.00
		{UnitID: "B", Category: "c", RoundScores: map[string]float64{"B1": 88}},
		// C: (80 + 92.5) / 2 = 86.25; 0.8 × 86.25 + 0.2 × 85 = 69 + 17 = 86.00, ties A
		{UnitID: "C", Category: "c", RoundScores: map[string]float64{"B1": 80, "B2": 92.5}, SurveyMean: f(85)},
		// D: nothing at all → unranked, no_data
		{UnitID: "D", Category: "c"},
		// E: survey only, 70 → 70.00, flag no_rounds
		{UnitID: "E", Category: "c", SurveyMean: f(70)},
	}
	var got []string
	for _, r := range Annual(units, DefaultAnnualWeights(), DefaultTierRule(), false) {
		got = append(got, fmt.Sprintf("%s %.2f %d %v %v", r.UnitID, r.Score, r.Rank, r.Ranked, r.Flags))
	}
	want := []string{
		"B 88.00 1 true [no_survey]",
		"A 86.00 2 true []",
		"C 86.00 2 true []",
		"E 70.00 4 true [no_rounds]",
		"D 0.00 0 false [no_data]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}
