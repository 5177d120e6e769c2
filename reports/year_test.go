package reports

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func TestYearReportOfTheSampleCity(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	an, err := b.store.Annual(ctx, 2019, b.scheme)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := b.Year(ctx, 2019)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/year-2019.html", doc.HTML, 0o644)
	if doc.Name != "year-2019" || doc.Title != "2019年度机关效能综合评议通报" {
		t.Errorf("name %q title %q", doc.Name, doc.Title)
	}
	want := []string{"一、总体情况", "二、综合评议结果", "三、各次评议得分",
		"<th>名次</th><th>单位</th><th>综合得分</th><th>六次评议平均</th><th>效能问政</th><th>等次</th>",
		"<th>第1次</th><th>第2次</th><th>第3次</th><th>第4次</th><th>第5次</th><th>第6次</th>",
		"2019年共开展双月效能评议 6 次", "× 80% ", "× 20%",
		`class="tier-好">好<`, `class="tier-较好">较好<`, `class="tier-一般">一般<`, `class="tier-较差">较差<`}
	var cats []string
	by := map[string][]analytics.AnnualUnit{}
	for _, u := range an.Units {
		if _, ok := by[u.Category]; !ok {
			cats = append(cats, u.Category)
			by[u.Category] = nil
		}
		if u.Rank != nil {
			by[u.Category] = append(by[u.Category], u)
		}
	}
	for i, c := range cats {
		us := by[c]
		want = append(want, fmt.Sprintf("<h3>（%s）%s（%d 个单位参与排名）</h3>", chineseOrdinal(i+1), c, len(us)))
		for _, u := range us {
			want = append(want, fmt.Sprintf(`<td>%d</td><td class="name">%s</td><td class="num">%.2f</td><td class="num">%s</td><td class="num">%s</td><td class="tier-%s">`,
				*u.Rank, u.Name, *u.Score, OptF2(u.RoundsMean), OptF2(u.SurveyMean), *u.Tier))
			// the round scores row
			row := `<td class="name">` + u.Name + `</td>`
			for k := 1; k <= 6; k++ {
				if v, ok := u.Rounds[fmt.Sprintf("2019-B%d", k)]; ok {
					row += fmt.Sprintf(`<td class="num">%.2f</td>`, v)
				} else {
					row += `<td class="num">—</td>`
				}
			}
			want = append(want, row)
			if *u.Rank == 1 && (len(us) < 2 || *us[1].Rank != 1) {
				want = append(want, fmt.Sprintf("%s（%.2f分）位列第一", u.Name, *u.Score))
			}
		}
	}
	charts := checkDocument(t, doc, want...)
	if len(charts) != len(cats)+1 {
		t.Errorf("%d charts, want one per category and the trend", len(charts))
	}
	for i, c := range cats {
		bar := charts[fmt.Sprintf("year-rank-%d", i+1)]
		if bar == nil {
			t.Fatalf("no chart for %s", c)
		}
		data := bar["series"].([]any)[0].(map[string]any)["data"].([]any)
		if len(data) != len(by[c]) {
			t.Errorf("%s: %d bars, want %d", c, len(data), len(by[c]))
		}
		for j, u := range by[c] {
			item := data[j].(map[string]any)
			if item["value"].(float64) != *u.Score || item["itemStyle"].(map[string]any)["color"] != tierColors[*u.Tier] {
				t.Errorf("%s: bar %d %v, want %v in the colour of %s", c, j, item, *u.Score, *u.Tier)
			}
		}
	}
	trend := charts["year-trend"]
	if s := trend["series"].([]any); len(s) != len(cats) {
		t.Errorf("trend has %d series, want one per category", len(s))
	}
	if x := trend["xAxis"].(map[string]any)["data"].([]any); len(x) != 6 {
		t.Errorf("trend over %d rounds, want 6", len(x))
	}
	if _, err := b.Year(ctx, 2018); !errors.Is(err, analytics.ErrNotScored) {
		t.Errorf("2018: %v, want ErrNotScored", err)
	}
}

func TestYearBodyMissingRoundsFlagsAndNames(t *testing.T) {
	evil := `<script>alert(1)</script></script>`
	an := analytics.AnnualRanking{Year: 2019, Units: []analytics.AnnualUnit{
		{UnitID: "A1", Name: evil, Category: "综合类", Score: fp(88.5), Rank: ip(1), Tier: sp("好"), RoundsMean: fp(88.5),
			Rounds: map[string]float64{"2019-B1": 90, "2019-B2": 87}, Flags: []string{scoring.FlagNoSurvey}},
		{UnitID: "A2", Name: "乙局", Category: "综合类", Score: fp(70), Rank: ip(2), Tier: sp("一般"), SurveyMean: fp(70),
			Rounds: map[string]float64{}, Flags: []string{scoring.FlagNoRounds}},
		{UnitID: "A3", Name: "丙局", Category: "综合类", Rounds: map[string]float64{}, Flags: []string{scoring.FlagNoData}},
	}}
	body := buildYearBody(an, scoring.DefaultAnnualWeights())
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.render("year.html", "t", "s", Meta{Office: "o", Date: "d"}, body)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if strings.Contains(s, "<script>alert") {
		t.Error("a name became a script element")
	}
	checkDocument(t, Document{Name: "year-test", HTML: html},
		"2019年共开展双月效能评议 2 次", "<th>2次评议平均</th>",
		`<td class="name">&lt;script&gt;alert(1)&lt;/script&gt;&lt;/script&gt;</td><td class="num">90.00</td><td class="num">87.00</td><td class="num">—</td>`,
		`\u003cscript\u003ealert(1)\u003c/script\u003e\u003c/script\u003e`,
		"位列第一", "乙局（70.00分）位列末位", "全年无效能问政测评数据", "乙局未参与任何一次双月评议排名",
		`<td class="name">丙局</td><td colspan="4">不参与排名（本年度无任何评议得分和效能问政测评数据）</td>`)
}
