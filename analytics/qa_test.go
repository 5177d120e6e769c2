package analytics

import (
	"context"
	"math"
	"testing"
)

func TestPeerQAFindsTheSameScoreEvaluator(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	// G01: lead D01, members D02, D03. E01 (leader) gives everyone 80; E02 (head of D01)
	// and E03 (head of D02) disagree with each other.
	body := "round,evaluator_id,unit_id,group_id,score\n" +
		"2019-B1,E01,D01,G01,80\n2019-B1,E01,D02,G01,80\n2019-B1,E01,D03,G01,80\n" +
		"2019-B1,E02,D02,G01,70\n2019-B1,E02,D03,G01,90\n" +
		"2019-B1,E03,D01,G01,85\n2019-B1,E03,D03,G01,75\n"
	if _, err := s.ImportFile(context.Background(), writeFile(t, t.TempDir(), "peer_scores.csv", body), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	qa, err := s.PeerQA(context.Background(), "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	if len(qa.SameScore) != 1 || qa.SameScore[0] != "E01" {
		t.Errorf("same-score evaluators %v, want [E01]", qa.SameScore)
	}
	if len(qa.Evaluators) != 3 {
		t.Errorf("evaluators %+v, want 3", qa.Evaluators)
	}
	// E01 ranks 3 units (all tied), E02 and E03 two each: unbalanced, W by the
	// general form of scoring.KendallW. Every unit is scored by ≥ 2 evaluators;
	// λ(D01,D02) = 1, λ(D01,D03) = 2, λ(D02,D03) = 2. E02: D03 > D02, E03:
	// D01 > D03, E01 ties all (adds 0). Twice the centred rank sums: D01 = 1,
	// D02 = −1, D03 = 0 → 4S = 2. Consensus from the bottom: D02 (beats
	// nobody), D03, D01; 2C*: D02 = −(1+2) = −3, D03 = 2 − 2 = 0, D01 = 1 + 2 = 3
	// → 4S* = 18. W = 2/18 = 1/9.
	if qa.KendallW == nil {
		t.Errorf("no W, want 1/9")
	} else if w := *qa.KendallW; w < 0 || w > 1 || math.Abs(w-1.0/9) > 1e-9 {
		t.Errorf("W %v, want 1/9", w)
	}
}
