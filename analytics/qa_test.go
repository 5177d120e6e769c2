package analytics

import (
	"context"
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
	// E01 ranks 3 units, E02 and E03 two each: unbalanced, so no W rather than a wrong one.
	if len(qa.Evaluators) != 3 || qa.KendallW != nil {
		t.Errorf("evaluators %+v, W %v (want 3 evaluators and no W)", qa.Evaluators, qa.KendallW)
	}
}
