package analytics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// gateUnits builds n units of which the first k[part] have data in part.
func gateUnits(n int, k map[string]int) []UnitRanking {
	out := make([]UnitRanking, n)
	v := 1.0
	for i := range out {
		out[i] = UnitRanking{UnitID: string(rune('A' + i)), Parts: map[string]*float64{}}
		for p, c := range k {
			if i < c {
				out[i].Parts[p] = &v
			} else {
				out[i].Parts[p] = nil
			}
		}
	}
	return out
}

func TestGateChecks(t *testing.T) {
	b2, _ := ParseRound("2020-B2") // 2020-03-01 … 2020-04-30
	all := func(n int) map[string]int {
		return map[string]int{scoring.PartPeer: n, scoring.PartService: n, scoring.PartComplaints: n, scoring.PartSatisfaction: n, scoring.PartTasks: n}
	}
	cases := []struct {
		name   string
		f      gateFigures
		failed []string // texts of the failed checks, in order
	}{
		// 5 units: 4/5 = 80% meets 80% exactly; 68 evaluators, 46 took part: 46/68 = 67.6% ≥ 66.7%; 12 cases.
		{"all met, coverage at the boundary", gateFigures{Period: b2, Units: gateUnits(5, all(4)), Assigned: 68, TookPart: 46, Cases: 12}, nil},
		// 3/5 = 60% < 80% for service; 2 of 3 evaluators = 2/3 exactly meets 2/3.
		{"service below", gateFigures{Period: b2, Units: gateUnits(5, map[string]int{scoring.PartPeer: 5, scoring.PartService: 3, scoring.PartComplaints: 4, scoring.PartSatisfaction: 5}),
			Assigned: 3, TookPart: 2, Cases: 1},
			[]string{"政务服务:3/5 个单位有数据(60.0%,要求 ≥ 80%)"}},
		// 46 units, none with service data; satisfaction 37/46 = 80.4% passes; 1 of 68 evaluators = 1.47% → 1.5%; no cases in March–April 2020.
		{"half-empty round", gateFigures{Period: b2, Units: gateUnits(46, map[string]int{scoring.PartPeer: 46, scoring.PartService: 0, scoring.PartComplaints: 40, scoring.PartSatisfaction: 37}),
			Assigned: 68, TookPart: 1, Cases: 0},
			[]string{"政务服务:0/46 个单位有数据(0.0%,要求 ≥ 80%)", "效能评议:68 名评议人中仅 1 名提交(1.5%,要求 ≥ 66.7%)", "2020-03—2020-04 无办件数据"}},
		// The 督办落实 part is checked only when the scheme has it: 3/4 = 75% < 80%.
		{"tasks part", gateFigures{Period: b2, Units: gateUnits(4, map[string]int{scoring.PartPeer: 4, scoring.PartService: 4, scoring.PartComplaints: 4, scoring.PartSatisfaction: 4, scoring.PartTasks: 3}),
			WithTasks: true, Assigned: 3, TookPart: 3, Cases: 5},
			[]string{"督办落实:3/4 个单位有数据(75.0%,要求 ≥ 80%)"}},
		{"tasks part not in the scheme", gateFigures{Period: b2, Units: gateUnits(4, map[string]int{scoring.PartPeer: 4, scoring.PartService: 4, scoring.PartComplaints: 4, scoring.PartSatisfaction: 4, scoring.PartTasks: 0}),
			Assigned: 3, TookPart: 3, Cases: 5}, nil},
		// A scheme's own rule: coverage 100% and participation 3/4. 9/10 = 90% < 100%; 3 of 4 = 75% meets 75%.
		{"scheme rule", gateFigures{Period: b2, Units: gateUnits(10, map[string]int{scoring.PartPeer: 10, scoring.PartService: 10, scoring.PartComplaints: 9, scoring.PartSatisfaction: 10}),
			Rule: scoring.PublishRule{MinCoverage: 1, MinParticipation: 0.75}, Assigned: 4, TookPart: 3, Cases: 5},
			[]string{"诉求办理:9/10 个单位有数据(90.0%,要求 ≥ 100%)"}},
		// 2 of 4 = 50% < 75%.
		{"scheme rule participation", gateFigures{Period: b2, Units: gateUnits(1, all(1)), Rule: scoring.PublishRule{MinParticipation: 0.75}, Assigned: 4, TookPart: 2, Cases: 5},
			[]string{"效能评议:4 名评议人中仅 2 名提交(50.0%,要求 ≥ 75%)"}},
		// Nothing at all: no units, no assigned evaluator.
		{"empty", gateFigures{Period: b2},
			[]string{"效能评议:本轮结果中没有单位", "政务服务:本轮结果中没有单位", "诉求办理:本轮结果中没有单位", "满意度测评:本轮结果中没有单位", "效能评议:没有分配了评议任务的评议人", "2020-03—2020-04 无办件数据"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.failed
			var got []string
			for _, ch := range gateChecks(c.f) {
				if !ch.OK {
					got = append(got, ch.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("failed checks\n got %q\nwant %q", got, want)
			}
		})
	}
	// The passing texts carry the figures too.
	ch := gateChecks(gateFigures{Period: b2, Units: gateUnits(5, all(4)), Assigned: 68, TookPart: 46, Cases: 12})
	texts := []string{}
	for _, c := range ch {
		texts = append(texts, c.Text)
	}
	want := "效能评议:4/5 个单位有数据(80.0%,要求 ≥ 80%)|政务服务:4/5 个单位有数据(80.0%,要求 ≥ 80%)|诉求办理:4/5 个单位有数据(80.0%,要求 ≥ 80%)|满意度测评:4/5 个单位有数据(80.0%,要求 ≥ 80%)|效能评议:68 名评议人中 46 名提交(67.6%,要求 ≥ 66.7%)|2020-03—2020-04 收到办件 12 件"
	if strings.Join(texts, "|") != want {
		t.Fatalf("texts\n got %s\nwant %s", strings.Join(texts, "|"), want)
	}
}

// publishFixture is fixtures/handcheck/full_round scored for 2019-B1 (and
// 2019-B3, a round without any data).
func publishFixture(t *testing.T) (*Store, time.Time) {
	t.Helper()
	s := openTest(t)
	importFolder(t, s, "../fixtures/handcheck/full_round")
	at := time.Date(2019, 3, 5, 9, 0, 0, 0, time.UTC)
	for _, r := range []string{"2019-B1", "2019-B3"} {
		if _, err := s.ScoreRound(context.Background(), r, scoring.DefaultScheme(), "office", at); err != nil {
			t.Fatal(err)
		}
	}
	return s, at
}

func gateFailed(t *testing.T, err error) []string {
	t.Helper()
	var ge *GateError
	if !errors.As(err, &ge) {
		t.Fatalf("error %v, want a *GateError", err)
	}
	var out []string
	for _, c := range ge.Failed {
		out = append(out, c.Text)
	}
	return out
}

func TestPublishGateRefusesAndOverride(t *testing.T) {
	ctx := context.Background()
	s, at := publishFixture(t)
	// full_round 2019-B1 lists 5 units (F00 no_data): peer F01–F04 = 4/5,
	// service F01–F03 = 3/5 (F04 has no cases), complaints 4/5, surveys 4/5.
	// All 6 evaluators have stored (imported) scores: 6/6. 30 cases received
	// on 2019-01-07.
	_, err := s.PublishRound(ctx, "2019-B1", "office", at)
	if got := strings.Join(gateFailed(t, err), "|"); got != "政务服务:3/5 个单位有数据(60.0%,要求 ≥ 80%)" {
		t.Fatalf("failed checks %q", got)
	}
	if !strings.Contains(err.Error(), "轮次 2019-B1 第 1 版未满足发布条件") {
		t.Fatalf("error text %q", err)
	}
	if st, _ := s.Round(ctx, "2019-B1"); st.PublishedVersion != 0 {
		t.Fatal("a refused publication published")
	}
	g, err := s.PublishGate(ctx, "2019-B1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Checks[4]; p.Kind != CheckParticipation || p.Have != 6 || p.Of != 6 || !p.OK {
		t.Fatalf("participation %+v, want 6 of 6", p)
	}
	if c := g.Checks[5]; c.Kind != CheckCases || c.Have != 30 || !c.OK {
		t.Fatalf("cases %+v, want 30", c)
	}
	// 2019-B3 (May–June) has nothing: every part 0/5, 0 of 6 evaluators, no cases.
	_, err = s.PublishRound(ctx, "2019-B3", "office", at)
	want := "效能评议:0/5 个单位有数据(0.0%,要求 ≥ 80%)|政务服务:0/5 个单位有数据(0.0%,要求 ≥ 80%)|诉求办理:0/5 个单位有数据(0.0%,要求 ≥ 80%)|满意度测评:0/5 个单位有数据(0.0%,要求 ≥ 80%)|效能评议:6 名评议人中仅 0 名提交(0.0%,要求 ≥ 66.7%)|2019-05—2019-06 无办件数据"
	if got := strings.Join(gateFailed(t, err), "|"); got != want {
		t.Fatalf("failed checks\n got %s\nwant %s", got, want)
	}
	// A blank reason is no reason; an overlong one is refused.
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: "  \n "}, "office", at); !errors.As(err, new(*GateError)) {
		t.Fatalf("blank reason: %v", err)
	}
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: strings.Repeat("理", MaxPublishReason+1)}, "office", at); !errors.Is(err, ErrReasonTooLong) {
		t.Fatalf("long reason: %v", err)
	}
	// The override: published with the reason, recorded and audited.
	st, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: "  F04 不办理政务服务事项,属正常情况  "}, "office", at)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != RoundPublished || st.PublishedVersion != 1 {
		t.Fatalf("state %+v", st)
	}
	pub, ok, err := s.CurrentPublication(ctx, "2019-B1")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if pub.Reason != "F04 不办理政务服务事项,属正常情况" || strings.Join(pub.FailedChecks, "|") != "政务服务:3/5 个单位有数据(60.0%,要求 ≥ 80%)" || pub.Correction() || pub.PublishedBy != "office" {
		t.Fatalf("publication %+v", pub)
	}
	log, err := s.AuditLog(ctx, AuditFilter{ActionPrefix: "round.publish", Subject: "round:2019-B1"})
	if err != nil || len(log) != 1 {
		t.Fatalf("audit %v %v", log, err)
	}
	if n := string(log[0].New); !strings.Contains(n, `"publish_reason":"F04 不办理政务服务事项,属正常情况"`) || !strings.Contains(n, "政务服务:3/5 个单位有数据") {
		t.Fatalf("audit entry %s", n)
	}
}

func TestPublishCorrection(t *testing.T) {
	ctx := context.Background()
	s, at := publishFixture(t)
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: "F04 无政务服务事项"}, "office", at); err != nil {
		t.Fatal(err)
	}
	// Nothing newer than the published version: no correction.
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: "更正"}, "office", at); !errors.Is(err, ErrRoundState) {
		t.Fatalf("correction without a newer version: %v", err)
	}
	if _, err := s.ScoreRound(ctx, "2019-B1", scoring.DefaultScheme(), "office", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Version 2 exists: a correction needs a reason, even where the gate would pass for it.
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{}, "office", at.Add(2*time.Hour)); !errors.Is(err, ErrReasonRequired) {
		t.Fatalf("correction without a reason: %v", err)
	}
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{Version: 1, Reason: "x"}, "office", at); !errors.Is(err, ErrRoundState) {
		t.Fatalf("republishing the published version as a correction: %v", err)
	}
	st, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: "F03 扣分事项经复核撤销"}, "chief", at.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != RoundPublished || st.PublishedVersion != 2 {
		t.Fatalf("state %+v: want published, version 2", st)
	}
	rk, err := s.PublishedRanking(ctx, "2019-B1")
	if err != nil || rk.Version != 2 {
		t.Fatalf("leaders see version %d (%v), want 2", rk.Version, err)
	}
	pubs, err := s.Publications(ctx, "2019-B1")
	if err != nil || len(pubs) != 2 {
		t.Fatalf("publications %+v %v", pubs, err)
	}
	if p := pubs[1]; p.Version != 2 || p.ReplacesVersion != 1 || p.Reason != "F03 扣分事项经复核撤销" || p.PublishedBy != "chief" ||
		strings.Join(p.FailedChecks, "|") != "政务服务:3/5 个单位有数据(60.0%,要求 ≥ 80%)" {
		t.Fatalf("correction record %+v", p)
	}
	if p := pubs[0]; p.Version != 1 || p.ReplacesVersion != 0 {
		t.Fatalf("first record %+v", p)
	}
	log, err := s.AuditLog(ctx, AuditFilter{ActionPrefix: "round.correct", Subject: "round:2019-B1"})
	if err != nil || len(log) != 1 || !strings.Contains(string(log[0].New), `"replaces_version":1`) {
		t.Fatalf("audit %+v %v", log, err)
	}
}

func TestPublishParticipationOnline(t *testing.T) {
	ctx := context.Background()
	s, at := publishFixture(t)
	// Round 2019-B3 entered online: P1 submits a full sheet (5 units of G1),
	// nobody else: 1 of 6 evaluators = 16.7%.
	if _, err := s.CreateRound(ctx, "2019-B3", "office", at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenRound(ctx, "2019-B3", at.Add(24*time.Hour), "office", at); err != nil {
		t.Fatal(err)
	}
	var entries []PeerEntry
	for _, u := range []string{"F00", "F01", "F02", "F03", "F04"} {
		v := 85.0
		entries = append(entries, PeerEntry{UnitID: u, GroupID: "G1", Score: &v})
	}
	if _, err := s.SaveDraft(ctx, "2019-B3", "P1", entries, 60, "p1", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitSheet(ctx, "2019-B3", "P1", 60, "p1", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	g, err := s.PublishGate(ctx, "2019-B3", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Checks[4]; p.Text != "效能评议:6 名评议人中仅 1 名提交(16.7%,要求 ≥ 66.7%)" || p.OK {
		t.Fatalf("participation %+v", p)
	}
}
