package reports

import (
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// TestUnitProfileShowsNAndTheCredibleValue: the indicator table gives each
// credibility-weighted rate with its n, and the value scored after an arrow
// where the weighting moved it by half a percentage point or more (1 of 3
// = 33.33 % scored as 72.60 %); 200 cases moved by 0.2 points show n only;
// the explanatory note appears only when an arrow does.
func TestUnitProfileShowsNAndTheCredibleValue(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	score, rank := 80.5, 1
	me := analytics.UnitRanking{UnitID: "X", Name: "单位", Category: "类", Score: &score, Rank: &rank}
	hist := []analytics.Ranking{{Round: "2019-B1", Units: []analytics.UnitRanking{me}}}
	small := scoring.IndicatorExplanation{Name: scoring.IndComplaintOnTime, Label: "诉求按时办结率", Value: f(1.0 / 3), N: 3, Credible: f(0.726)}
	large := scoring.IndicatorExplanation{Name: scoring.IndOnTime, Label: "办结及时率", Value: f(0.95), N: 200, Credible: f(0.948)}
	raw := scoring.IndicatorExplanation{Name: scoring.IndPeerMean, Label: "评议加权均分", Value: f(88)}
	ex := scoring.Explanation{UnitRef: scoring.UnitRef{UnitID: "X"}, Indicators: []scoring.IndicatorExplanation{small, large, raw}}
	body := buildUnitBody("2019-B1", me, ex, hist, nil)
	want := []string{"33.33%(3)→72.60%", "95.00%(200)", "88.00"}
	for i, w := range want {
		if got := body.Indicators[i].Value; got != w {
			t.Errorf("indicator %d: %q, want %q", i, got, w)
		}
	}
	if !body.Credibility {
		t.Error("the note on the credible value is missing")
	}
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.render("unit.html", "t", "s", Meta{Office: "o", Date: "d"}, body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "按同类平均水平折算") {
		t.Error("the rendered profile does not say what the arrow means")
	}
	ex.Indicators = ex.Indicators[1:]
	if b := buildUnitBody("2019-B1", me, ex, hist, nil); b.Credibility {
		t.Error("a note without any value moved")
	}
}
