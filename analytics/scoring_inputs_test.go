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
	lines := func(sc scoring.Scheme) []string {
		var got []string
		for _, r := range scoring.ComputeRound(in.UnitInputs(units, "department"), sc) {
			got = append(got, fmt.Sprintf("%s %.2f %d %v %v", r.UnitID, r.Score, r.Rank, r.Ranked, r.Flags))
		}
		return got
	}
	// credibility off: the raw formulas of the handcheck README
	want := []string{
		"F01 93.50 1 true []",
		"F02 75.00 2 true []",
		"F03 75.00 2 true []",
		"F04 69.25 4 true [deductions_capped redistributed:service]",
		"F00 0.00 0 false [no_data]",
	}
	if got := lines(rawScheme()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
	// the default scheme (m = 10): the arithmetic is in the README and in
	// scoring's TestHandcheckFullRoundCredibility
	want = []string{
		"F01 88.27 1 true []",
		"F02 78.54 2 true []",
		"F03 76.69 3 true []",
		"F04 70.76 4 true [deductions_capped redistributed:service]",
		"F00 0.00 0 false [no_data]",
	}
	if got := lines(scoring.DefaultScheme()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}

// rawScheme is the default scheme with credibility off: rates and survey
// means scored raw, the formulas the handcheck README computes first.
func rawScheme() scoring.Scheme {
	s := scoring.DefaultScheme()
	s.Credibility = 0
	return s
}
