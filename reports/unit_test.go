package reports

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func TestUnitProfileOfTheSampleCity(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	rk, err := b.store.Ranking(ctx, "2019-B4")
	if err != nil {
		t.Fatal(err)
	}
	var d38 analytics.UnitRanking
	for _, u := range rk.Units {
		if u.UnitID == "D38" {
			d38 = u
		}
	}
	doc, err := b.Unit(ctx, "2019-B4", "D38")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/unit-D38-2019-B4.html", doc.HTML, 0o644)
	charts := checkDocument(t, doc, d38.Name+"效能画像", "2019年第4次机关效能评议（7—8月）", fmt.Sprintf("%.2f", *d38.Score),
		fmt.Sprintf("%d / ", *d38.Rank), "扣分超过上限，按上限计", "办结及时率", "得分分析", "预警（截至本轮末）：超期 ", "青川市机关效能建设领导小组办公室")
	if len(charts) != 2 {
		t.Fatalf("charts %v, want the trend and the radar", len(charts))
	}
	// the trend runs over B1…B4 with this unit's scores
	series := charts["unit-trend-D38"]["series"].([]any)
	scores := series[0].(map[string]any)["data"].([]any)
	if len(scores) != 4 || scores[3].(float64) != *d38.Score {
		t.Errorf("trend scores %v, want 4 rounds ending in %v", scores, *d38.Score)
	}
	radar := charts["unit-radar-D38"]["series"].([]any)[0].(map[string]any)["data"].([]any)
	if n := len(radar[0].(map[string]any)["value"].([]any)); n != 4 {
		t.Errorf("radar has %d parts, want 4", n)
	}
	if _, err := b.Unit(ctx, "2019-B4", "NOPE"); err == nil {
		t.Error("an unknown unit gave no error")
	}
}

func TestUnitProfileEscapesImportedNames(t *testing.T) {
	evil := `<script>alert(1)</script></script>`
	score, rank := 80.5, 1
	me := analytics.UnitRanking{UnitID: "X", Name: evil, Category: evil, Score: &score, Rank: &rank}
	ex := scoring.Explanation{UnitRef: scoring.UnitRef{UnitID: "X", Name: evil}, Sentences: []string{evil}}
	hist := []analytics.Ranking{{Round: "2019-B1", Units: []analytics.UnitRanking{me}}}
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	body := buildUnitBody("2019-B1", me, ex, hist, nil)
	body.Trend.Option["title"] = map[string]any{"text": evil}
	html, err := r.render("unit.html", evil, evil, Meta{Office: evil, Date: "d"}, body)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if strings.Contains(s, "<script>alert") {
		t.Error("a name became a script element")
	}
	if !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(s, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Error("the name is not shown escaped in the text and in the chart JSON")
	}
}
