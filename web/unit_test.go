package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func TestUnitPageQuartilesByHand(t *testing.T) {
	// Type 7: h = (n−1)p, x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
	cases := []struct {
		in   []float64
		want [5]float64
	}{
		// n = 10: h = 2.25 → 3 + 0.25·1; h = 4.5 → 5.5; h = 6.75 → 7.75.
		{[]float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, [5]float64{1, 3.25, 5.5, 7.75, 10}},
		// n = 3: h = 0.5 → 70 + 0.5·10 = 75; h = 1 → 80; h = 1.5 → 85.
		{[]float64{90, 70, 80}, [5]float64{70, 75, 80, 85, 90}},
		// n = 2: h = 0.25 → 60 + 0.25·35 = 68.75; 77.5; 86.25.
		{[]float64{95, 60}, [5]float64{60, 68.75, 77.5, 86.25, 95}},
		// n = 5 with ties: h = 1 → 80; h = 2 → 80; h = 3 → 90.
		{[]float64{80, 60, 90, 80, 100}, [5]float64{60, 80, 80, 90, 100}},
		{[]float64{88}, [5]float64{88, 88, 88, 88, 88}},
	}
	for _, c := range cases {
		in := append([]float64(nil), c.in...)
		a, b, m, d, e := quartiles(c.in)
		if got := [5]float64{a, b, m, d, e}; got != c.want {
			t.Errorf("quartiles(%v) = %v, want %v", c.in, got, c.want)
		}
		if fmt.Sprint(in) != fmt.Sprint(c.in) {
			t.Errorf("quartiles reordered its input")
		}
	}
}

func TestUnitPageShowsTheExplainedPublishedResult(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, body := c.getBody("/units/D28?round=2019-B6")
	if status != http.StatusOK {
		t.Fatalf("status %d: %.300s", status, body)
	}
	body = dtSquash(body)
	// Checked against `xiaoneng explain --round 2019-B6 --unit D28`:
	// 77.49, 9th of 12, category mean 80.19; peer part 41.24 of 50.00
	// (lost 8.76, mean 44.09, −2.85 against it, −7.83 against the unit
	// above); deductions 2.00; peer mean 82.47 (not credibility-weighted: no
	// n, no scored value). On-time 51/58 = 87.93 %, scored on r̂ = 88.70 %:
	// (0.8870 − 0.80)/0.20 × 8 = 3.48 points; 5 of 5 complaints closed on
	// time are few cases and scored on 96.8 %.
	for _, want := range []string{"<b>77.49</b>", "<b>9 / 12</b>", "<b>80.19</b>",
		`<td>效能评议</td><td class="num">41.24</td><td class="num">50.00</td><td class="num">8.76</td>` +
			`<td class="num">44.09</td><td class="num">-2.85</td><td class="num">-7.83</td>`,
		`<td>扣分</td><td class="num">-2.00</td>`,
		`<td>评议加权均分</td><td class="num">82.47</td><td class="num">—</td><td class="num">—</td><td class="num">41.24</td><td class="num">50.00</td><td class="num">83.42</td>`,
		`<td>办结及时率</td><td class="num">87.93%</td><td class="num">58</td><td class="num">88.70%</td><td class="num">3.48</td><td class="num">8.00</td>`,
		"<li>诉求按时办结率 5/5 = 100.0%，件数较少，按同类平均水平折算为 96.8%</li>",
		`data-chart="unit-trend"`, `data-chart="unit-radar"`, `data-chart="unit-box"`,
		`href="/export/indicators?format=csv&amp;round=2019-B6&amp;unit=D28"`,
		"上一名:市妇女儿童工作委员会办公室(第 8 名,78.02 分)"} {
		if !strings.Contains(body, want) {
			t.Errorf("unit page lacks %s", want)
		}
	}
	// The on-time rate shown is the stored indicator value.
	u := dtPublished(t, ts, "2019-B6", "D28")
	if v := u.Indicators["on_time_rate"].Value; v == nil || !strings.Contains(body, fmt.Sprintf(`<td>办结及时率</td><td class="num">%.2f%%</td>`, *v*100)) {
		t.Errorf("on-time rate not shown as stored (%v)", v)
	}
	// Deduction items of the round, 2.00 points in all.
	ds, err := ts.store.DeductionItems(context.Background(), "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	sum, n := 0.0, 0
	for _, d := range ds {
		if d.UnitID == "D28" {
			sum += d.Points
			n++
			if !strings.Contains(body, "<td>"+d.ID+"</td>") {
				t.Errorf("deduction %s not listed", d.ID)
			}
		}
	}
	if n == 0 || fmt.Sprintf("%.2f", sum) != "2.00" {
		t.Errorf("D28 deductions: %d items, %.2f points; want 2.00", n, sum)
	}
	// The box plot counts every peer score of the unit in the round.
	rows, err := ts.store.PeerRows(context.Background(), "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	var mine []float64
	for _, r := range rows {
		if r.UnitID == "D28" {
			mine = append(mine, r.Score)
		}
	}
	lo, _, med, _, hi := quartiles(mine)
	if want := fmt.Sprintf(`<td>全部</td><td class="num">%d</td><td class="num">%.2f</td>`, len(mine), lo); !strings.Contains(body, want) {
		t.Errorf("box table lacks %s", want)
	}
	if !strings.Contains(body, fmt.Sprintf(`<td class="num">%.2f</td>`, med)) || !strings.Contains(body, fmt.Sprintf(`<td class="num">%.2f</td>`, hi)) {
		t.Errorf("box table lacks median %.2f or maximum %.2f", med, hi)
	}
}

func TestUnitPageAlertsAndHostileName(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	id := ts.fx.hostileUnit
	status, body := c.getBody("/units/" + id + "?round=2019-B6")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	dtInert(t, body, false)
	// The unit's open alerts at the round's end (2019-12-31), and no other unit's.
	as, err := ts.store.Alerts(context.Background(), dtDay(t, "2019-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	mine := 0
	for _, a := range as {
		listed := strings.Contains(body, "<td>"+a.ID+"</td>")
		if a.UnitID == id {
			mine++
			if !listed {
				t.Errorf("alert %s of %s not listed", a.ID, id)
			}
		} else if listed && a.Kind != analytics.AlertDocumentUnresolved {
			t.Errorf("alert %s of %s listed on %s's page", a.ID, a.UnitID, id)
		}
	}
	if mine == 0 {
		t.Fatalf("no alert of %s at 2019-12-31: the test checks nothing", id)
	}
	// The hostile unit is also "the unit above" its neighbour, whose page
	// names it in the explanation, escaped.
	rk, err := ts.store.PublishedRanking(context.Background(), "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	next := ""
	for _, u := range rk.Units {
		e, err := scoring.Explain(analytics.ExplainUnits(rk, scoring.DefaultScheme()), u.UnitID)
		if err == nil && e.Above != nil && e.Above.UnitID == id {
			next = u.UnitID
		}
	}
	if next == "" {
		t.Fatalf("no unit ranked just below %s", id)
	}
	_, body = c.getBody("/units/" + next + "?round=2019-B6")
	dtInert(t, body, false)
	if !strings.Contains(body, "上一名:"+dtEscHostile) {
		t.Errorf("%s's page does not name the unit above escaped", next)
	}
}

func dtDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestUnitPageUnknownUnit(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	for _, p := range []string{"/units/NOPE", "/units/" + ts.fx.hostileCnty, "/units/D01?round=2018-B1"} {
		status, body := c.getBody(p)
		if status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, status)
		}
		if !strings.Contains(body, "未找到该单位") && !strings.Contains(body, "尚无已发布的排名") {
			t.Errorf("%s: no Chinese message: %.300s", p, body)
		}
	}
	if status, _ := c.getBody("/units/D01?round=bad"); status != http.StatusBadRequest {
		t.Errorf("bad round: status %d, want 400", status)
	}
}

// TestUnitPageFactsSection: the unit page's 测评维度与诉求响应 section shows,
// for a hand-made unit, exactly what was imported: D28 gets three answers of
// its own in 2019-B6 with dimensions (服务态度 90 and 80, a hostile dimension
// 70) on top of the sample city's, and the section's numbers are the store's
// (UnitSurveyDimensions, UnitComplaintFacts, themselves hand-checked in
// analytics); the hostile dimension is escaped; it is not in the score.
func TestUnitPageFactsSection(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	body := "response_id,unit_id,survey,respondent_type,dimension,score,answered_at\n" +
		"UF1,D28,监测点企业测评,enterprise,服务态度,90,2019-12-02\n" +
		"UF2,D28,监测点企业测评,enterprise,服务态度,80,2019-12-03\n" +
		"UF3,D28,监测点企业测评,enterprise," + hostile + ",70,2019-12-04\n"
	p := filepath.Join(t.TempDir(), "surveys.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ImportFile(ctx, p, analytics.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	c := ts.login(t, leaderUser)
	status, page := c.getBody("/units/D28?round=2019-B6")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if strings.Contains(page, hostile) {
		t.Errorf("the hostile dimension appears unescaped")
	}
	rp, _ := analytics.ParseRound("2019-B6")
	ds, err := ts.store.UnitSurveyDimensions(ctx, "D28", rp)
	if err != nil {
		t.Fatal(err)
	}
	var attitude *analytics.SurveyDimension
	for i := range ds {
		if ds[i].Dimension == "服务态度" {
			attitude = &ds[i]
		}
	}
	// The sample city's own answers of D28 may carry 服务态度 too; ours add 2 answers, 170 points.
	if attitude == nil || attitude.RoundN < 2 {
		t.Fatalf("dimensions %+v lack 服务态度 with our 2 answers", ds)
	}
	sq := dtSquash(page)
	row := fmt.Sprintf(`<tr><td>服务态度</td><td class="num">%.2f</td><td class="num">%d</td><td class="num">%.2f</td><td class="num">%d</td></tr>`,
		attitude.RoundMean, attitude.RoundN, attitude.YearMean, attitude.YearN)
	if !strings.Contains(sq, row) {
		t.Errorf("the page lacks %s", row)
	}
	if !strings.Contains(sq, `<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td class="num">70.00</td><td class="num">1</td>`) {
		t.Errorf("the hostile dimension's row (70.00, 1 answer) is missing or not escaped")
	}
	f, err := ts.store.UnitComplaintFacts(ctx, "D28", rp)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("本轮受理诉求 %d 件,1 个工作日内首次响应 %d 件(%s);效能投诉 %d 件,已核查 %d 件,其中查实 %d 件(%s)。",
		f.Received, f.Responded1WD, factShare(f.Responded1WD, f.Received), f.Efficiency, f.Checked, f.Substantiated, factShare(f.Substantiated, f.Checked))
	if !strings.Contains(page, want) {
		t.Errorf("the page lacks %q", want)
	}
}
