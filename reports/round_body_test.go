package reports

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }
func sp(v string) *string   { return &v }

// TestRoundBodyTiesUnrankedAndMovers renders a made-up ranking: ties at the
// top and the bottom, an unranked unit, a unit without enough peer scores.
func TestRoundBodyTiesUnrankedAndMovers(t *testing.T) {
	parts := func(peer float64) map[string]*float64 {
		return map[string]*float64{scoring.PartPeer: fp(peer), scoring.PartService: fp(15), scoring.PartComplaints: nil,
			scoring.PartSatisfaction: fp(12), scoring.PartDeductions: fp(0)}
	}
	rk := analytics.Ranking{Round: "2019-B2", Units: []analytics.UnitRanking{
		{UnitID: "A1", Name: "甲局", Category: "综合类", Score: fp(90), Rank: ip(1), Tier: sp("好"), PreviousRank: ip(3), Parts: parts(45), Flags: []string{"redistributed:complaints"}},
		{UnitID: "A2", Name: "乙局", Category: "综合类", Score: fp(90), Rank: ip(1), Tier: sp("好"), PreviousRank: ip(1), Parts: parts(45)},
		{UnitID: "A3", Name: "丙局", Category: "综合类", Score: fp(70.5), Rank: ip(3), Tier: sp("一般"), PreviousRank: ip(2), Parts: parts(40),
			Flags: []string{"insufficient_peer_scores", "redistributed:peer"}},
		{UnitID: "A4", Name: "丁局", Category: "综合类", Score: fp(70.5), Rank: ip(3), Tier: sp("一般"), Parts: parts(40)},
		{UnitID: "A5", Name: "戊局", Category: "综合类", Flags: []string{"no_data"}, Parts: map[string]*float64{}},
	}}
	body := buildRoundBody(roundInput{Ranking: rk, Cap: 10, RobustRuns: 1000})
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.render("round.html", "t", "s", Meta{Office: "o", Date: "d"}, body)
	if err != nil {
		t.Fatal(err)
	}
	doc := Document{Name: "round-test", HTML: html}
	charts := checkDocument(t, doc,
		"本次评议共对 5 个市直部门进行了考评，其中 4 个单位参与排名，分 1 个考评类别。",
		"甲局（90.00分）、乙局（90.00分）并列第一", "丙局（70.50分）、丁局（70.50分）并列末位",
		"名次上升最多的是甲局（综合类，由第 3 名升至第 1 名），上升 2 位", "名次下降最多的是丙局（综合类，由第 2 名降至第 3 名），下降 1 位",
		"戊局（综合类，本轮无任何考评数据）", `<td class="name">戊局</td><td colspan="8">不参与排名（本轮无任何考评数据）</td>`,
		"丙局本轮有效评议票不足 3 张", "甲局诉求办理无数据，分值按比例分配到其他部分",
		`<td class="up">↑2</td>`, `<td class="down">↓1</td>`, `<td>新</td>`,
		"本轮评议期内被考评单位无扣分。", "结论稳健", "评议人或被评单位过少，无法计算", "为 不适用")
	bar := charts["round-rank-1"]["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(bar) != 4 {
		t.Errorf("ranking chart has %d bars, want the 4 ranked units", len(bar))
	}
	// the deductions of a unit under the cap, without raw figures
	rk.Units[3].Parts[scoring.PartDeductions] = fp(2.5)
	body = buildRoundBody(roundInput{Ranking: rk, Cap: 10, Deductions: []analytics.DeductionItem{
		{ID: "K1", UnitID: "A4", Date: time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC), Points: 1.25, Reason: "信访事项未按期答复"},
		{ID: "K2", UnitID: "A4", Date: time.Date(2019, 4, 9, 0, 0, 0, 0, time.UTC), Points: 1.25, Reason: "明察暗访发现服务态度生硬"}}})
	want := []roundDeductionRow{{Category: "综合类", Name: "丁局", Items: "2", Raw: "2.50", Counted: "2.50", Details: []roundDeductionItem{
		{Date: "2019年3月5日", Points: "1.25", Reason: "信访事项未按期答复"}, {Date: "2019年4月9日", Points: "1.25", Reason: "明察暗访发现服务态度生硬"}}}}
	if !reflect.DeepEqual(body.Deductions.Rows, want) {
		t.Errorf("deductions %+v", body.Deductions.Rows)
	}
}

// TestRoundBodyEscapesImportedNames: a unit name holding </script> stays
// text in the tables and inert in the charts' JSON.
func TestRoundBodyEscapesImportedNames(t *testing.T) {
	evil := `<script>alert(1)</script></script>`
	hostile := `<script>alert(1)</script>`
	rk := analytics.Ranking{Round: "2019-B3", Units: []analytics.UnitRanking{
		{UnitID: "X1", Name: evil, Category: evil, Score: fp(80.5), Rank: ip(1), Tier: sp("好"), PreviousRank: ip(2),
			Parts: map[string]*float64{scoring.PartPeer: fp(40), scoring.PartDeductions: fp(11)}, Flags: []string{scoring.FlagDeductionsCapped, scoring.FlagNotRobustLast},
			Robustness: &analytics.Robustness{MedianRank: 1, P05: 1, P95: 2, LastShare: 0.5}},
		{UnitID: "X2", Name: evil + "2", Category: evil, Score: fp(60), Rank: ip(2), Tier: sp("较差"), PreviousRank: ip(1),
			Parts: map[string]*float64{}, Flags: []string{scoring.FlagNotRobustPoor}},
		{UnitID: "X3", Name: evil + "3", Category: evil, Flags: []string{scoring.FlagNoData}},
	}}
	w := 0.5
	body := buildRoundBody(roundInput{Ranking: rk, Cap: 10, RobustRuns: 1000,
		QA:         analytics.PeerQA{KendallW: &w, SameScore: []string{evil}, Evaluators: []analytics.EvaluatorLeniency{{EvaluatorID: evil, Scores: 3, Offset: 9, Z: 4, Flagged: true}}},
		Deductions: []analytics.DeductionItem{{ID: "K1", UnitID: "X1", Date: time.Date(2019, 5, 6, 0, 0, 0, 0, time.UTC), Points: 12, Reason: hostile}}})
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.render("round.html", evil, evil, Meta{Office: evil, Date: evil}, body)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if strings.Contains(s, "<script>alert") {
		t.Error("a name became a script element")
	}
	ded := section(t, s, "四、扣分情况", "五、排名稳健性")
	if w := `<td class="name" colspan="5">2019年5月6日，扣 12.00 分：&lt;script&gt;alert(1)&lt;/script&gt;</td>`; !strings.Contains(ded, w) {
		t.Errorf("the hostile reason is not listed as text: want %s in\n%s", w, ded)
	}
	for _, w := range []string{`<td class="name">&lt;script&gt;alert(1)&lt;/script&gt;&lt;/script&gt;</td>`,
		`\u003cscript\u003ealert(1)\u003c/script\u003e\u003c/script\u003e`, "（一）&lt;script&gt;"} {
		if !strings.Contains(s, w) {
			t.Errorf("lacks %s", w)
		}
	}
	charts := checkDocument(t, Document{Name: "evil", HTML: html})
	if len(charts) != 3 {
		t.Errorf("%d charts, want 3", len(charts))
	}
	if n := strings.Count(s, "<script"); n != 2+len(charts) {
		t.Errorf("%d script elements, want the 2 scripts and %d charts", n, len(charts))
	}
}
