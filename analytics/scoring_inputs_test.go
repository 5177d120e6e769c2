package analytics

import (
	"context"
	"fmt"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// TestStoredRoundScoresAsComputedByHand runs the whole chain — import,
// indicator SQL, scoring — on fixtures/handcheck/full_round and compares the
// README's hand-computed result.
func TestStoredRoundScoresAsComputedByHand(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	importFolder(t, s, "../fixtures/handcheck/full_round")
	in, err := s.RoundInputs(ctx, "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	units, err := s.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res := scoring.ComputeRound(in.UnitInputs(units, "department"), scoring.DefaultScheme())
	var got []string
	for _, r := range res {
		got = append(got, fmt.Sprintf("%s %.2f %d %v %v", r.UnitID, r.Score, r.Rank, r.Ranked, r.Flags))
	}
	want := []string{
		"F01 93.50 1 true []",
		"F02 75.00 2 true []",
		"F03 75.00 2 true []",
		"F04 69.25 4 true [deductions_capped redistributed:service]",
		"F00 0.00 0 false [no_data]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}
