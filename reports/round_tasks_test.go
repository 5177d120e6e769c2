package reports

import (
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// A round scored with the 督办落实 part shows it as a column, in the formula
// note and as a series of the parts chart; a round without it shows none.
func TestRoundBodyTasksPart(t *testing.T) {
	parts := func(tasks *float64) map[string]*float64 {
		return map[string]*float64{scoring.PartPeer: fp(40), scoring.PartService: fp(20), scoring.PartComplaints: fp(15),
			scoring.PartSatisfaction: fp(12), scoring.PartTasks: tasks, scoring.PartDeductions: fp(0)}
	}
	rk := analytics.Ranking{Round: "2019-B2", Units: []analytics.UnitRanking{
		{UnitID: "A1", Name: "甲局", Category: "综合类", Score: fp(88.5), Rank: ip(1), Tier: sp("好"), Parts: parts(fp(1.5))},
		{UnitID: "A2", Name: "乙局", Category: "综合类", Score: fp(87), Rank: ip(2), Tier: sp("一般"), Parts: parts(nil),
			Flags: []string{"redistributed:tasks"}},
		{UnitID: "A3", Name: "丙局", Category: "综合类", Flags: []string{"no_data"}, Parts: map[string]*float64{}},
	}}
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	render := func(rk analytics.Ranking) (string, map[string]map[string]any) {
		html, err := r.render("round.html", "t", "s", Meta{Office: "o", Date: "d"}, buildRoundBody(roundInput{Ranking: rk, Cap: 10, RobustRuns: 1000}))
		if err != nil {
			t.Fatal(err)
		}
		return string(html), checkDocument(t, Document{Name: "round-tasks", HTML: html})
	}
	html, charts := render(rk)
	for _, want := range []string{"满意度测评 + 督办落实 − 扣分", "<th>满意度测评</th><th>督办落实</th><th>扣分</th>",
		`<td class="num">12.00</td><td class="num">1.50</td><td class="num">0.00</td>`,
		`<td class="num">12.00</td><td class="num">—</td><td class="num">0.00</td>`,
		`<td colspan="9">不参与排名`, "乙局督办落实无数据，分值按比例分配到其他部分"} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q", want)
		}
	}
	if n := len(charts["round-parts-1"]["series"].([]any)); n != 6 {
		t.Errorf("parts chart has %d series, want 6 with 督办落实", n)
	}
	for _, u := range rk.Units {
		delete(u.Parts, scoring.PartTasks)
	}
	rk.Units[1].Flags = nil
	html, charts = render(rk)
	if strings.Contains(html, "督办落实") || !strings.Contains(html, `<td colspan="8">不参与排名`) {
		t.Error("a round without the part shows it")
	}
	if n := len(charts["round-parts-1"]["series"].([]any)); n != 5 {
		t.Errorf("parts chart has %d series, want 5", n)
	}
}
