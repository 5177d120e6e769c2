package reports

import (
	"context"
	"fmt"
	stdhtml "html"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Expected texts are computed here from the analytics values with the test's
// own formatting, not with the report's helpers.

func tPct(v float64) string { return fmt.Sprintf("%.2f%%", v*100) }

// tPoints writes points with a sign, the minus as U+2212.
func tPoints(d float64) string {
	s := fmt.Sprintf("%.2f", math.Abs(d))
	if s != "0.00" {
		if d < 0 {
			s = "\u2212" + s
		} else {
			s = "+" + s
		}
	}
	return s + " 个百分点"
}

func tChange(now, before *int) string {
	switch {
	case before == nil:
		return "新"
	case *before > *now:
		return fmt.Sprintf("↑%d", *before-*now)
	case *before < *now:
		return fmt.Sprintf("↓%d", *now-*before)
	}
	return "—"
}

var (
	tRowRE  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	tCellRE = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
)

// tRows returns the cell texts of the body rows of a fragment of HTML.
func tRows(fragment string) [][]string {
	var out [][]string
	for _, m := range tRowRE.FindAllStringSubmatch(fragment, -1) {
		var cells []string
		for _, c := range tCellRE.FindAllStringSubmatch(m[1], -1) {
			cells = append(cells, c[1])
		}
		if len(cells) > 0 {
			out = append(out, cells)
		}
	}
	return out
}

// tBetween returns the text between the first start and the next end.
func tBetween(t *testing.T, html, start, end string) string {
	t.Helper()
	i := strings.Index(html, start)
	if i < 0 {
		t.Fatalf("no %q in the document", start)
	}
	j := strings.Index(html[i:], end)
	if j < 0 {
		t.Fatalf("no %q after %q", end, start)
	}
	return html[i : i+j]
}

// tRowOf finds the row whose first cell is name.
func tRowOf(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	for _, r := range rows {
		if r[0] == name {
			return r
		}
	}
	t.Fatalf("no row for %s", name)
	return nil
}

func tCounty(t *testing.T, q scoring.QuarterRates, id string) scoring.CountyRates {
	t.Helper()
	for _, c := range q.Counties {
		if c.UnitID == id {
			return c
		}
	}
	t.Fatalf("%s: no county %s", q.Period, id)
	return scoring.CountyRates{}
}

// checkCountyTable checks every county's row of the county table against
// the rates of now and the ranks of prev (nil: no previous period).
func checkCountyTable(t *testing.T, html string, now scoring.QuarterRates, prev *scoring.QuarterRates) {
	t.Helper()
	rows := tRows(tBetween(t, html, `<table class="projects" id="county-table">`, "</table>"))
	if len(rows) != len(now.Counties) {
		t.Fatalf("%s: %d county rows, want %d", now.Period, len(rows), len(now.Counties))
	}
	for i, c := range now.Counties {
		want := []string{c.Name}
		for _, key := range scoring.ProjectRates {
			rr := c.Rates[key]
			if rr.Value == nil {
				want = append(want, "—")
			} else {
				want = append(want, tPct(*rr.Value))
			}
			if key == scoring.RateInvestment {
				if c.InvestmentVsTime == nil {
					want = append(want, "—")
				} else {
					want = append(want, tPoints((*rr.Value-now.TimeProgress)*100))
				}
			}
			if rr.Rank == nil {
				want = append(want, "不参与排名")
				continue
			}
			var before *int
			if prev != nil {
				before = tCounty(t, *prev, c.UnitID).Rates[key].Rank
			}
			rank := fmt.Sprint(*rr.Rank)
			if rr.SmallSample {
				rank += `<span class="small">样本不足</span>`
			}
			want = append(want, rank, tChange(rr.Rank, before))
		}
		got := make([]string, len(rows[i]))
		for k, cell := range rows[i] {
			got[k] = stdhtml.UnescapeString(cell) // html/template writes + as &#43;
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: row of %s\n got %q\nwant %q", now.Period, c.Name, got, want)
		}
	}
}

// checkInvestmentChart checks one bar per county, red below the time
// progress, and the mark line at the time progress (in %).
func checkInvestmentChart(t *testing.T, charts map[string]map[string]any, now scoring.QuarterRates) {
	t.Helper()
	opt, ok := charts["projects-investment"]
	if !ok {
		t.Fatalf("%s: no investment chart among %d", now.Period, len(charts))
	}
	names := opt["yAxis"].(map[string]any)["data"].([]any)
	series := opt["series"].([]any)
	if len(series) != 1 {
		t.Fatalf("%s: %d series, want 1", now.Period, len(series))
	}
	s := series[0].(map[string]any)
	data := s["data"].([]any)
	if len(data) != len(now.Counties) || len(names) != len(now.Counties) {
		t.Fatalf("%s: %d bars and %d names for %d counties", now.Period, len(data), len(names), len(now.Counties))
	}
	byName := map[string]scoring.CountyRates{}
	for _, c := range now.Counties {
		byName[c.Name] = c
	}
	for i, n := range names {
		c, ok := byName[n.(string)]
		if !ok {
			t.Fatalf("%s: chart names %v, no such county", now.Period, n)
		}
		delete(byName, n.(string))
		v := *c.Rates[scoring.RateInvestment].Value
		item := data[i].(map[string]any)
		if got := item["value"].(float64); math.Abs(got-v*100) > 0.005 {
			t.Errorf("%s: bar of %s is %v, want %.2f", now.Period, c.Name, got, v*100)
		}
		red := item["itemStyle"].(map[string]any)["color"] == projBehindColor
		if below := v*100 < now.TimeProgress*100-0.005; red != below {
			t.Errorf("%s: bar of %s (%.2f%%, time %.2f%%) red=%v", now.Period, c.Name, v*100, now.TimeProgress*100, red)
		}
		if i > 0 && data[i-1].(map[string]any)["value"].(float64) < item["value"].(float64) {
			t.Errorf("%s: bars not highest first at %s", now.Period, c.Name)
		}
	}
	ml := s["markLine"].(map[string]any)["data"].([]any)
	if len(ml) != 1 {
		t.Fatalf("%s: mark lines %v", now.Period, ml)
	}
	if x := ml[0].(map[string]any)["xAxis"].(float64); math.Abs(x-now.TimeProgress*100) > 0.005 {
		t.Errorf("%s: mark line at %v%%, want the time progress %.2f%%", now.Period, x, now.TimeProgress*100)
	}
}

func TestProjectMonthReport(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	d, err := b.Month(ctx, "2019-06")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "projects-2019-06" || d.Title != "2019年6月重点项目建设进展通报" {
		t.Errorf("name %q, title %q", d.Name, d.Title)
	}
	now, err := b.store.ProjectRanking(ctx, "2019-06", b.scheme.Interviews.MinProjects)
	if err != nil {
		t.Fatal(err)
	}
	prev, err := b.store.ProjectRanking(ctx, "2019-05", b.scheme.Interviews.MinProjects)
	if err != nil {
		t.Fatal(err)
	}
	if now.TimeProgress != 0.5 {
		t.Fatalf("time progress of June %v", now.TimeProgress)
	}
	want := []string{"一、总体情况", "二、各县区指标", "三、投资完成率与时间进度", "四、招商引资", "五、约谈风险",
		"时间进度为50.00%", "与5月末相比"}
	for _, c := range now.Counties {
		want = append(want, c.Name)
	}
	charts := checkDocument(t, d, want...)
	html := string(d.HTML)
	checkCountyTable(t, html, now, &prev)
	checkInvestmentChart(t, charts, now)

	// C02 has no land denominator: unranked on 供地率, named in the note.
	c02 := tCounty(t, now, "C02")
	if c02.Rates[scoring.RateLand].Value != nil {
		t.Fatal("sample city: C02 has a land supply rate")
	}
	row := tRowOf(t, tRows(tBetween(t, html, `id="county-table"`, "</table>")), c02.Name)
	if row[1] != "—" || row[2] != "不参与排名" {
		t.Errorf("C02 供地率 cells %q", row[1:3])
	}
	if !strings.Contains(html, c02.Name+"无用地需求，供地率不参与排名") {
		t.Error("the table note does not say C02 is unranked on 供地率")
	}

	// The summary names the first and last on investment and the counts
	// ahead of and behind the time progress.
	first, last := "", ""
	behind := 0
	for _, c := range now.Counties {
		rr := c.Rates[scoring.RateInvestment]
		if *rr.Rank == 1 {
			first = c.Name + "（" + tPct(*rr.Value) + "）"
		}
		if *rr.Rank == len(now.Counties) {
			last = c.Name + "（" + tPct(*rr.Value) + "）"
		}
		if *c.InvestmentVsTime < 0 {
			behind++
		}
	}
	summary := tBetween(t, html, "一、总体情况", "二、各县区指标")
	counts := fmt.Sprintf("慢于时间进度的%d个", behind)
	if behind == len(now.Counties) {
		counts = fmt.Sprintf("%d个县区投资完成率均慢于时间进度", behind)
	}
	for _, w := range []string{"投资完成率" + first + "最高", last + "最低", counts} {
		if !strings.Contains(summary, w) {
			t.Errorf("summary lacks %q:\n%s", w, summary)
		}
	}

	// 招商: every county with its signed projects and rank.
	signed := tRows(tBetween(t, html, `id="signed-table"`, "</table>"))
	if len(signed) != len(now.Counties) {
		t.Fatalf("%d 招商 rows", len(signed))
	}
	bySigned := map[string][]string{}
	for _, r := range signed {
		bySigned[r[1]] = r
	}
	for _, c := range now.Counties {
		r := bySigned[c.Name]
		if len(r) < 3 || r[0] != fmt.Sprint(*c.SignedProjects.Rank) || r[2] != fmt.Sprint(*c.SignedProjects.Value) {
			t.Errorf("招商 row of %s: %q, want rank %d and %v signed", c.Name, r, *c.SignedProjects.Rank, *c.SignedProjects.Value)
		}
	}
	if signed[0][0] != "1" {
		t.Errorf("招商 ranking does not start at 1: %q", signed[0])
	}

	// 约谈 risk: entries of the year's list running through Q1 and Q2 are
	// bottom at the end of Q1 and now (June ends Q2): listed already.
	rule := projRule(b.scheme.Interviews)
	if rule.Period != scoring.PeriodQuarter || rule.Consecutive != 2 {
		t.Fatalf("the sample scheme's rule changed: %+v", rule)
	}
	ivs, _, err := b.store.YearInterviews(ctx, 2019, b.scheme.Interviews)
	if err != nil {
		t.Fatal(err)
	}
	risk := tRows(tBetween(t, html, `<section id="risk">`, "</section>"))
	found14 := false
	for _, iv := range ivs {
		if iv.Periods[0] != "2019-Q1" || len(iv.Periods) < 2 {
			continue
		}
		found14 = found14 || iv.UnitID == "C14" && iv.Rate == scoring.RateLand
		ok := false
		for _, r := range risk {
			if r[0] == iv.Name && r[1] == iv.Label {
				ok = true
				if r[2] != tPct(iv.Values[0]) || r[3] != tPct(iv.Values[1]) || !strings.Contains(r[4], "列入约谈名单") {
					t.Errorf("risk row %q, want values %s and %s", r, tPct(iv.Values[0]), tPct(iv.Values[1]))
				}
			}
		}
		if !ok {
			t.Errorf("%s %s (bottom in Q1 and Q2) not in the 约谈风险 section", iv.Name, iv.Label)
		}
	}
	if !found14 {
		t.Error("sample city: C14 白水县 is not last on 供地率 in Q1 and Q2")
	}
}

// In a month inside a quarter the risk section says what the quarter's end
// would bring.
func TestProjectMonthReportMidQuarter(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	d, err := b.Month(ctx, "2019-05")
	if err != nil {
		t.Fatal(err)
	}
	now, err := b.store.ProjectRanking(ctx, "2019-05", b.scheme.Interviews.MinProjects)
	if err != nil {
		t.Fatal(err)
	}
	q1, err := b.store.ProjectRanking(ctx, "2019-Q1", b.scheme.Interviews.MinProjects)
	if err != nil {
		t.Fatal(err)
	}
	checkDocument(t, d, "一季度末", "5月末")
	risk := tRows(tBetween(t, string(d.HTML), `<section id="risk">`, "</section>"))
	n := 0
	for _, key := range scoring.ProjectRates {
		was, is := scoring.Bottom(q1, key, 1), scoring.Bottom(now, key, 1)
		for _, c := range now.Counties {
			if !was[c.UnitID] || !is[c.UnitID] {
				continue
			}
			n++
			r := tRowOf(t, risk, c.Name)
			if r[2] != tPct(*tCounty(t, q1, c.UnitID).Rates[key].Value) || r[3] != tPct(*c.Rates[key].Value) ||
				r[4] != "若至6月末仍处于末位，将列入约谈名单" {
				t.Errorf("risk row %q", r)
			}
		}
	}
	if n == 0 || len(risk) != n {
		t.Errorf("%d risk rows, want %d (>0)", len(risk), n)
	}
}

func TestProjectMonthReportJanuary(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	d, err := b.Month(ctx, "2019-01")
	if err != nil {
		t.Fatal(err)
	}
	now, err := b.store.ProjectRanking(ctx, "2019-01", b.scheme.Interviews.MinProjects)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2019年1月重点项目建设进展通报", "无上期名次可比", "尚无上一考核期排名"}
	for _, c := range now.Counties {
		want = append(want, c.Name)
	}
	charts := checkDocument(t, d, want...)
	checkCountyTable(t, string(d.HTML), now, nil)
	checkInvestmentChart(t, charts, now)
	if strings.Contains(tBetween(t, string(d.HTML), `<section id="risk">`, "</section>"), "<table") {
		t.Error("January lists counties at risk of 约谈")
	}
}

// tPeriodLabels names quarters as the bulletin does.
var tPeriodLabels = map[string]string{"2019-Q1": "第一季度", "2019-Q2": "第二季度", "2019-Q3": "第三季度", "2019-Q4": "第四季度"}

func TestProjectQuarterReport(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	ivs, _, err := b.store.YearInterviews(ctx, 2019, b.scheme.Interviews)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		quarter, prev, title string
		through              int // quarters of the year the 约谈 list covers
	}{
		{"2019-Q2", "2019-Q1", "2019年第二季度重点项目建设通报", 2},
		{"2019-Q3", "2019-Q2", "2019年第三季度重点项目建设通报", 3},
	} {
		t.Run(tc.quarter, func(t *testing.T) {
			d, err := b.Quarter(ctx, tc.quarter)
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != "projects-"+tc.quarter || d.Title != tc.title {
				t.Errorf("name %q, title %q", d.Name, d.Title)
			}
			now, err := b.store.ProjectRanking(ctx, tc.quarter, b.scheme.Interviews.MinProjects)
			if err != nil {
				t.Fatal(err)
			}
			prev, err := b.store.ProjectRanking(ctx, tc.prev, b.scheme.Interviews.MinProjects)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"四、约谈名单", "与" + strings.TrimPrefix(tPeriodLabels[tc.prev], "第") + "末相比"}
			for _, c := range now.Counties {
				want = append(want, c.Name)
			}
			charts := checkDocument(t, d, want...)
			html := string(d.HTML)
			checkCountyTable(t, html, now, &prev)
			checkInvestmentChart(t, charts, now)
			if strings.Contains(html, `id="risk"`) || strings.Contains(html, `id="signed-table"`) {
				t.Error("the quarterly bulletin has monthly sections")
			}

			// The list as it stands at the quarter's end: the year's runs cut
			// at this quarter, kept when still 2 quarters long.
			section := tBetween(t, html, `<section id="interviews">`, "</section>")
			rows := tRows(section)
			var expect [][]string
			for _, iv := range ivs {
				var periods, values []string
				for i, p := range iv.Periods {
					if p <= tc.quarter {
						periods = append(periods, tPeriodLabels[p])
						values = append(values, tPct(iv.Values[i]))
					}
				}
				if len(periods) >= 2 {
					expect = append(expect, []string{iv.Name, iv.Label, strings.Join(periods, "、"), strings.Join(values, "、")})
				}
			}
			if len(rows) != len(expect) {
				t.Fatalf("%d 约谈 rows, want %d:\n%q", len(rows), len(expect), rows)
			}
			for i, w := range expect {
				if strings.Join(rows[i][:4], "|") != strings.Join(w, "|") {
					t.Errorf("约谈 row %d: %q, want %q", i, rows[i][:4], w)
				}
			}
			c14 := tRowOf(t, rows, "白水县")
			if c14[1] != "供地率" || strings.Count(c14[2], "季度") != tc.through {
				t.Errorf("C14 白水县 约谈 row %q, want 供地率 over %d quarters", c14, tc.through)
			}
			for _, iv := range ivs {
				if iv.UnitID == "C14" && iv.Rate == scoring.RateLand && iv.Periods[len(iv.Periods)-1] == "2019-Q4" {
					if q4 := tPct(iv.Values[len(iv.Values)-1]); strings.Contains(section, q4) {
						t.Errorf("the list at %s shows C14's Q4 value %s", tc.quarter, q4)
					}
				}
			}
		})
	}
}

// Under a monthly rule the periods are months: the risk section compares
// with the previous month and counts runs of months.
func TestProjectReportsUnderMonthlyRule(t *testing.T) {
	b := sampleBuilder(t)
	b.scheme.Interviews = scoring.InterviewRule{Period: scoring.PeriodMonth, Consecutive: 2, Bottom: 1}
	ctx := context.Background()
	ivs, _, err := b.store.YearInterviews(ctx, 2019, b.scheme.Interviews)
	if err != nil {
		t.Fatal(err)
	}
	var c14 scoring.Interview
	for _, iv := range ivs {
		if iv.UnitID == "C14" && iv.Rate == scoring.RateLand {
			c14 = iv
		}
	}
	if len(c14.Periods) < 6 || c14.Periods[0] != "2019-01" {
		t.Fatalf("sample city: C14 供地率 under a monthly rule: %+v", c14)
	}
	d, err := b.Month(ctx, "2019-06")
	if err != nil {
		t.Fatal(err)
	}
	checkDocument(t, d, "连续2个月排名末位", "5月末")
	r := tRowOf(t, tRows(tBetween(t, string(d.HTML), `<section id="risk">`, "</section>")), "白水县")
	if want := []string{"白水县", "供地率", tPct(c14.Values[4]), tPct(c14.Values[5]), "已连续6个月处于末位，列入约谈名单"}; strings.Join(r, "|") != strings.Join(want, "|") {
		t.Errorf("risk row %q, want %q", r, want)
	}
	d, err = b.Quarter(ctx, "2019-Q2")
	if err != nil {
		t.Fatal(err)
	}
	checkDocument(t, d)
	r = tRowOf(t, tRows(tBetween(t, string(d.HTML), `<section id="interviews">`, "</section>")), "白水县")
	if r[2] != "1月、2月、3月、4月、5月、6月" || !strings.HasPrefix(r[3], tPct(c14.Values[0])+"、") || !strings.HasSuffix(r[3], "、"+tPct(c14.Values[5])) {
		t.Errorf("约谈 row %q", r)
	}
}

func TestProjectReportsRejectOtherPeriods(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	if _, err := b.Month(ctx, "2019-Q2"); err == nil {
		t.Error("Month accepted a quarter")
	}
	if _, err := b.Month(ctx, "2019-13"); err == nil {
		t.Error("Month accepted month 13")
	}
	if _, err := b.Quarter(ctx, "2019-06"); err == nil {
		t.Error("Quarter accepted a month")
	}
	if _, err := b.Quarter(ctx, "2019-Q5"); err == nil {
		t.Error("Quarter accepted Q5")
	}
}

// An imported county name cannot break out of the table or the chart's
// script element.
func TestProjectBodyEscapesCountyNames(t *testing.T) {
	const evil = `</script><script>alert(1)</script>`
	sums := func(supplied float64, landed int64) []scoring.CountySums {
		return []scoring.CountySums{
			{UnitID: "X1", Name: evil, LandSupplied: supplied, LandNeed: 100, InvestmentYTD: 10, AnnualPlan: 100, Started: 1, Planned: 2, Signed: 2, Landed: landed},
			{UnitID: "X2", Name: "甲县", LandSupplied: 80, LandNeed: 100, InvestmentYTD: 60, AnnualPlan: 100, Started: 2, Planned: 2, Signed: 1, Landed: 1},
		}
	}
	q1 := scoring.ComputeCountyRates("2019-Q1", "2019-03-31", 3, sums(10, 0), 0)
	now := scoring.ComputeCountyRates("2019-06", "2019-06-30", 6, sums(20, 1), 0)
	body := buildProjectBody(projInput{Now: now, Prev: &q1, Signed: true,
		Risk:       &projRiskInput{Rule: scoring.DefaultInterviewRule(), Prior: []scoring.QuarterRates{q1}, PeriodEnd: true, NextEnd: "9月末"},
		Interviews: &projInterviewInput{Rule: scoring.DefaultInterviewRule(), List: scoring.Interviews([]scoring.QuarterRates{q1, now}, 2, 1)}})
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.render("projects.html", "测试", "", Meta{City: "青川市"}, body)
	if err != nil {
		t.Fatal(err)
	}
	charts := checkDocument(t, Document{Name: "evil", HTML: html},
		`<td class="name">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>`,
		`\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e`)
	if strings.Contains(string(html), evil) {
		t.Error("the county name appears unescaped")
	}
	rows := tRows(tBetween(t, string(html), `<section id="interviews">`, "</section>"))
	if len(rows) != len(scoring.ProjectRates) {
		t.Errorf("约谈 rows %q, want one per rate", rows)
	}
	for _, r := range rows {
		if r[0] != "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" {
			t.Errorf("约谈 row %q", r)
		}
	}
	names := charts["projects-investment"]["yAxis"].(map[string]any)["data"].([]any)
	if len(names) != 2 || names[1] != evil {
		t.Errorf("chart names %q, want the name back intact", names)
	}
}

func TestProjectReportsListOverdueProjects(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		doc  func() (Document, error)
		asOf time.Time
	}{
		{"2019-06", func() (Document, error) { return b.Month(ctx, "2019-06") }, time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)},
		{"2019-Q3", func() (Document, error) { return b.Quarter(ctx, "2019-Q3") }, time.Date(2019, 9, 30, 0, 0, 0, 0, time.UTC)},
	} {
		want, err := b.store.OverdueProjects(ctx, c.asOf)
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.doc()
		if err != nil {
			t.Fatal(err)
		}
		html := string(d.HTML)
		i := strings.Index(html, `<section id="overdue">`)
		if i < 0 {
			t.Fatalf("%s: no overdue section", c.name)
		}
		sec := html[i:]
		sec = sec[:strings.Index(sec, "</section>")]
		if len(want) == 0 {
			if !strings.Contains(sec, "均已开工") {
				t.Errorf("%s: no overdue projects, and the section does not say so", c.name)
			}
			continue
		}
		if !strings.Contains(sec, fmt.Sprintf("%d 个重点项目计划开工日期已过但尚未开工", len(want))) {
			t.Errorf("%s: the count %d is not stated", c.name, len(want))
		}
		if n := strings.Count(sec, "<tr><td class=\"name\">"); n != len(want) {
			t.Errorf("%s: %d rows, want %d", c.name, n, len(want))
		}
		for _, p := range want {
			row := fmt.Sprintf(`<td class="name wrap">%s</td>`, p.Name)
			if !strings.Contains(sec, row) || !strings.Contains(sec, fmt.Sprintf(`<td class="num">%d</td>`, p.DaysOverdue)) {
				t.Errorf("%s: %s (%d days) not listed", c.name, p.Name, p.DaysOverdue)
			}
		}
	}
	// store-free: an empty list and a hostile project name
	o := projOverdueOf("六、逾期未开工项目", "2019年6月30日", nil)
	if len(o.Rows) != 0 || !strings.Contains(o.Intro, "均已开工") {
		t.Errorf("empty list: %+v", o)
	}
	o = projOverdueOf("六、逾期未开工项目", "2019年6月30日", []analytics.OverdueProject{
		{Name: "甲", County: "A县", DaysOverdue: 9}, {Name: "乙", County: "B县", DaysOverdue: 5}, {Name: "丙", County: "B县", DaysOverdue: 2}})
	if strings.Join(o.ByCount, "，") != "B县 2 个，A县 1 个" {
		t.Errorf("by county %v, want B县 first", o.ByCount)
	}
}
