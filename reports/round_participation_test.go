package reports

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

func TestRoundParticipationCountsEachClassAndNamesTheAbsent(t *testing.T) {
	p := roundParticipationOf([]analytics.EvaluatorParticipation{
		{EvaluatorID: "P1", Name: "孙建华", Class: "leader", Scores: 4}, {EvaluatorID: "P2", Name: "<b>钱</b>", Class: "leader", Scores: 0},
		{EvaluatorID: "E00", Name: "吴晓峰", Class: "lead_head", Scores: 4},
		{EvaluatorID: "E01", Name: "郑丽娟", Class: "member_head", Scores: 3}, {EvaluatorID: "E02", Name: "何永明", Class: "member_head", Scores: 0}, {EvaluatorID: "E03", Name: "郭春燕", Class: "member_head", Scores: 2},
	})
	want := "牵头市领导 2 人中 1 人参评，牵头部门主要负责人 1 人中 1 人参评，责任部门主要负责人 3 人中 2 人参评"
	if p.Sentence != want {
		t.Errorf("got %q\nwant %q", p.Sentence, want)
	}
	if strings.Join(p.Absent, "、") != "<b>钱</b>（P2，牵头市领导）、何永明（E02，责任部门主要负责人）" {
		t.Errorf("absent %v", p.Absent)
	}
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.render("round_qa_annex.html", "t", "", Meta{}, qaAnnexBody{Taking: p})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "未参评的评议人：&lt;b&gt;钱&lt;/b&gt;（P2，牵头市领导）") {
		t.Error("the annex does not list the absent evaluators, escaped")
	}
	// The bulletin gives the count only.
	html, err = r.render("round.html", "t", "", Meta{}, roundBody{Taking: roundParticipation{Lines: p.Lines, Sentence: p.Sentence, AbsentN: p.AbsentN}})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(html); !strings.Contains(s, "；2 人未参评。") || strings.Contains(s, "P2") || strings.Contains(s, "何永明") {
		t.Error("the bulletin does not give the count alone")
	}
}

func TestRoundBulletinStatesParticipation(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	list, err := b.store.PeerParticipation(ctx, "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	leaders := 0
	for _, e := range list {
		if e.Class == "leader" {
			leaders++
		}
	}
	d, err := b.Round(ctx, "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	checkDocument(t, d, fmt.Sprintf("参评情况：牵头市领导 %d 人中", leaders))
}
