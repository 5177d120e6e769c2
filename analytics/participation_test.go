package analytics

import (
	"context"
	"reflect"
	"testing"
)

// TestPeerParticipationOfTheHandCheckedRound counts by hand the rows of
// fixtures/handcheck/full_round/peer_scores.csv (rows per evaluator in B1:
// P1 4, E00 4, E01–E04 3 each; no row in B2), listed leader, lead_head,
// member_head.
func TestPeerParticipationOfTheHandCheckedRound(t *testing.T) {
	s := openTest(t)
	importFolder(t, s, "../fixtures/handcheck/full_round")
	ctx := context.Background()
	got, err := s.PeerParticipation(ctx, "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	want := []EvaluatorParticipation{
		{"P1", "孙建华", "leader", 4},
		{"E00", "吴晓峰", "lead_head", 4},
		{"E01", "郑丽娟", "member_head", 3},
		{"E02", "何永明", "member_head", 3},
		{"E03", "郭春燕", "member_head", 3},
		{"E04", "马立军", "member_head", 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("B1:\n got %+v\nwant %+v", got, want)
	}
	got, err = s.PeerParticipation(ctx, "2019-B2")
	if err != nil || len(got) != 6 || got[0].Scores != 0 || got[5].Scores != 0 {
		t.Errorf("B2: %+v, %v; want all six with no scores", got, err)
	}
	if _, err := s.PeerParticipation(ctx, "2019-B9"); err == nil {
		t.Error("round B9 accepted")
	}
}
