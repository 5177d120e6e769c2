package reports

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Key-project bulletins (重点项目建设通报, CONTRACT §4): the monthly
// progress bulletin and the quarterly bulletin with the 约谈 list. Both show
// the same county table and investment chart, built from plain values by
// buildProjectBody so that they can be tested without a store.

// projInput is everything a key-project bulletin shows, as plain values.
type projInput struct {
	Now scoring.QuarterRates
	// Prev is the previous period of the same year (month or quarter) for
	// the rank changes; nil when Now is the first of its year.
	Prev *scoring.QuarterRates
	// Totals are the city's sums as of Now (all counties added up); nil
	// leaves the city-wide sentence out.
	Totals *scoring.CountySums
	// Signed adds the 招商 ranking (monthly bulletin).
	Signed bool
	// Risk adds the 约谈 risk section (monthly bulletin); nil leaves it out.
	Risk *projRiskInput
	// Interviews adds the 约谈 list (quarterly bulletin); nil leaves it out.
	Interviews *projInterviewInput
	// Overdue lists the projects not started although due, as of AsOf.
	Overdue []analytics.OverdueProject
	AsOf    string
}

// projRiskInput is what the monthly 约谈 risk section needs: the rule and
// the rule's periods of the year that ended before Now, in order.
type projRiskInput struct {
	Rule scoring.InterviewRule
	// Prior are the rule's periods of the year ending before Now's month,
	// the first first (quarters Q1… or months 01…).
	Prior []scoring.QuarterRates
	// PeriodEnd is true when Now's month ends one of the rule's periods
	// (every month under a monthly rule, March, June, … under a quarterly).
	PeriodEnd bool
	// NextEnd names the end of the period that decides next, e.g. 6月末:
	// the running period's end when PeriodEnd is false, else the following
	// period's; empty at the end of the year (runs do not cross years).
	NextEnd string
}

// projInterviewInput is the 约谈 list as it stands at the end of Now.
type projInterviewInput struct {
	Rule    scoring.InterviewRule
	List    []scoring.Interview
	Periods int // how many of the rule's periods the list was computed over
}

// projBody is what projects.html shows.
type projBody struct {
	Overview   string
	Summary    []string
	Table      projTable
	Chart      projChart
	Signed     *projSigned
	Risk       *projRisk
	Interviews *projInterviews
	Overdue    *projOverdue
}

type projTable struct {
	Heading  string
	Note     string
	Labels   []string // the four rates, display order
	VsAt     int      // index of the investment rate, followed by the time progress column
	Rows     []projRow
	Unranked []string // notes on counties without a denominator
}

type projRow struct {
	Name   string
	Cells  []projCell // the four rates, display order
	VsTime string     // investment rate minus time progress, points with sign
	Behind bool       // investment below the time progress
}

type projCell struct {
	Value       string
	Rank        string
	Change      string
	ChangeClass string
	Unranked    bool
}

type projChart struct {
	Heading string
	Note    string
	Chart   Chart
}

type projSigned struct {
	Heading string
	Note    string
	Rows    []projSignedRow
}

type projSignedRow struct {
	Rank, Name, Signed, Landed, Rate, RateRank string
}

type projRisk struct {
	Heading    string
	Intro      string
	PrevLabel  string // e.g. 一季度末
	NowLabel   string // e.g. 6月末
	Rows       []projRiskRow
	None       string
	Conclusion string
}

type projRiskRow struct {
	Name, Rate, Before, Now, Status string
}

type projInterviews struct {
	Heading string
	Intro   string
	Rows    []projInterviewRow
	None    string
}

type projInterviewRow struct {
	Name, Rate, Periods, Values, Status string
}

// Colours of the investment chart.
const (
	projBarColor    = "#2f6fd0"
	projBehindColor = "#c0000b"
)

var projNumerals = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// projNumeral writes 1…10 in Chinese (section numbers, quarters).
func projNumeral(n int) string {
	if n >= 0 && n < len(projNumerals) {
		return projNumerals[n]
	}
	return strconv.Itoa(n)
}

// Month renders the monthly key-project bulletin (月度重点项目建设进展通报)
// of a month such as 2019-06: the overview, the county table with rank
// changes against the previous month, the investment chart against the time
// progress, the 招商 ranking and the counties at risk of 约谈.
func (b *Builder) Month(ctx context.Context, month string) (Document, error) {
	p, m, err := analytics.ProjectPeriod(month)
	if err != nil {
		return Document{}, err
	}
	if !projMonthRE.MatchString(month) {
		return Document{}, fmt.Errorf("reports: %q is not a month (YYYY-MM)", month)
	}
	year := p.Start.Year()
	now, err := b.store.ProjectRanking(ctx, month)
	if err != nil {
		return Document{}, err
	}
	in := projInput{Now: now, Signed: true, AsOf: ChineseDate(p.End)}
	if in.Overdue, err = b.store.OverdueProjects(ctx, p.End); err != nil {
		return Document{}, err
	}
	if m > 1 {
		prev, err := b.store.ProjectRanking(ctx, fmt.Sprintf("%04d-%02d", year, m-1))
		if err != nil {
			return Document{}, err
		}
		in.Prev = &prev
	}
	if in.Totals, err = b.projTotals(ctx, p); err != nil {
		return Document{}, err
	}
	rule := projRule(b.scheme.Interviews)
	risk := &projRiskInput{Rule: rule, PeriodEnd: true}
	var prior []string
	if rule.Period == scoring.PeriodMonth {
		for k := 1; k < m; k++ {
			prior = append(prior, fmt.Sprintf("%04d-%02d", year, k))
		}
		if m < 12 {
			risk.NextEnd = fmt.Sprintf("%d月末", m+1)
		}
	} else {
		q := (m-1)/3 + 1
		for k := 1; k < q; k++ {
			prior = append(prior, fmt.Sprintf("%04d-Q%d", year, k))
		}
		switch {
		case m%3 != 0:
			risk.PeriodEnd, risk.NextEnd = false, fmt.Sprintf("%d月末", 3*q)
		case q < 4:
			risk.NextEnd = fmt.Sprintf("%d月末", 3*q+3)
		}
	}
	for i, name := range prior {
		if in.Prev != nil && i == len(prior)-1 && name == in.Prev.Period {
			risk.Prior = append(risk.Prior, *in.Prev) // the previous month, already read
			continue
		}
		r, err := b.store.ProjectRanking(ctx, name)
		if err != nil {
			return Document{}, err
		}
		risk.Prior = append(risk.Prior, r)
	}
	in.Risk = risk
	body := buildProjectBody(in)
	title := fmt.Sprintf("%d年%d月重点项目建设进展通报", year, m)
	subtitle := fmt.Sprintf("（截至%d年%d月%d日）", year, m, p.End.Day())
	return b.doc(ctx, "projects-"+month, "projects.html", title, subtitle, body)
}

// Quarter renders the quarterly key-project bulletin (季度重点项目建设通报)
// of a quarter such as 2019-Q2: the overview, the county table as of the
// quarter's end with rank changes against the previous quarter, the
// investment chart and the 约谈 list as it stands at the quarter's end.
func (b *Builder) Quarter(ctx context.Context, quarter string) (Document, error) {
	p, _, err := analytics.ProjectPeriod(quarter)
	if err != nil {
		return Document{}, err
	}
	mq := projQuarterRE.FindStringSubmatch(quarter)
	if mq == nil {
		return Document{}, fmt.Errorf("reports: %q is not a quarter (YYYY-Q1 … YYYY-Q4)", quarter)
	}
	q, _ := strconv.Atoi(mq[2])
	year := p.Start.Year()
	now, err := b.store.ProjectRanking(ctx, quarter)
	if err != nil {
		return Document{}, err
	}
	in := projInput{Now: now, AsOf: ChineseDate(p.End)}
	if in.Overdue, err = b.store.OverdueProjects(ctx, p.End); err != nil {
		return Document{}, err
	}
	if q > 1 {
		prev, err := b.store.ProjectRanking(ctx, fmt.Sprintf("%04d-Q%d", year, q-1))
		if err != nil {
			return Document{}, err
		}
		in.Prev = &prev
	}
	if in.Totals, err = b.projTotals(ctx, p); err != nil {
		return Document{}, err
	}
	// The list as it stands at the quarter's end: runs over the rule's
	// periods up to this quarter only, so that later periods neither add
	// entries nor lengthen runs.
	rule := projRule(b.scheme.Interviews)
	_, periods, err := b.store.YearInterviews(ctx, year, rule)
	if err != nil {
		return Document{}, err
	}
	var upTo []scoring.QuarterRates
	for _, r := range periods {
		if r.AsOf <= now.AsOf {
			upTo = append(upTo, r)
		}
	}
	in.Interviews = &projInterviewInput{Rule: rule, Periods: len(upTo),
		List: scoring.Interviews(upTo, rule.Consecutive, rule.Bottom)}
	body := buildProjectBody(in)
	title := fmt.Sprintf("%d年第%s季度重点项目建设通报", year, projNumeral(q))
	subtitle := fmt.Sprintf("（截至%d年%d月%d日）", year, int(p.End.Month()), p.End.Day())
	return b.doc(ctx, "projects-"+quarter, "projects.html", title, subtitle, body)
}

var (
	projMonthRE   = regexp.MustCompile(`^\d{4}-\d{2}$`)
	projQuarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
)

// projRule fills the defaults of an interview rule (quarter, 2, 1).
func projRule(r scoring.InterviewRule) scoring.InterviewRule {
	if r.Period == "" {
		r.Period = scoring.PeriodQuarter
	}
	if r.Consecutive <= 0 {
		r.Consecutive = 2
	}
	if r.Bottom <= 0 {
		r.Bottom = 1
	}
	return r
}

// projTotals adds up the counties' sums as of the end of a period.
func (b *Builder) projTotals(ctx context.Context, p analytics.Period) (*scoring.CountySums, error) {
	sums, err := b.store.CountyRates(ctx, p.End)
	if err != nil {
		return nil, err
	}
	var t scoring.CountySums
	for _, s := range sums {
		t.LandSupplied += s.LandSupplied
		t.LandNeed += s.LandNeed
		t.InvestmentYTD += s.InvestmentYTD
		t.AnnualPlan += s.AnnualPlan
		t.Started += s.Started
		t.Planned += s.Planned
		t.Signed += s.Signed
		t.Landed += s.Landed
	}
	return &t, nil
}

// buildProjectBody assembles a key-project bulletin from values only.
func buildProjectBody(in projInput) projBody {
	var body projBody
	section := 1
	heading := func(s string) string {
		h := projNumeral(section) + "、" + s
		section++
		return h
	}
	body.Overview = heading("总体情况")
	body.Summary = projSummary(in)
	body.Table = projTableOf(heading("各县区指标"), in.Now, in.Prev)
	body.Chart = projChart{Heading: heading("投资完成率与时间进度"),
		Note:  fmt.Sprintf("时间进度为%s（已过月数 ÷ 12）。红色柱为投资完成率低于时间进度的县区，虚线为时间进度。", projPct(in.Now.TimeProgress)),
		Chart: projInvestmentChart("projects-investment", in.Now)}
	if in.Signed {
		body.Signed = projSignedOf(heading("招商引资"), in.Now)
	}
	if in.Risk != nil {
		body.Risk = projRiskOf(heading("约谈风险"), in.Now, *in.Risk)
	}
	if in.Interviews != nil {
		body.Interviews = projInterviewsOf(heading("约谈名单"), in.Now, *in.Interviews)
	}
	if in.AsOf != "" {
		body.Overdue = projOverdueOf(heading("逾期未开工项目"), in.AsOf, in.Overdue)
	}
	return body
}

// projPct writes a fraction as a percentage with 2 decimals: 12.34%.
func projPct(v float64) string { return fmt.Sprintf("%.2f%%", v*100) }

// projPoints writes a difference in percentage points with its sign:
// +3.21 个百分点, −3.21 个百分点 (a true minus sign), 0.00 个百分点.
func projPoints(d float64) string {
	s := fmt.Sprintf("%.2f", math.Abs(d))
	switch {
	case s == "0.00":
	case d < 0:
		s = "−" + s
	default:
		s = "+" + s
	}
	return s + " 个百分点"
}

// projGap says in words how far a rate is from the time progress:
// 慢于时间进度3.21个百分点, 快于…, 与时间进度持平.
func projGap(d float64) string {
	s := fmt.Sprintf("%.2f", math.Abs(d))
	switch {
	case s == "0.00":
		return "与时间进度持平"
	case d < 0:
		return "慢于时间进度" + s + "个百分点"
	}
	return "快于时间进度" + s + "个百分点"
}

// projBehind reports whether a difference in points shows as below zero.
func projBehind(d *float64) bool {
	return d != nil && *d < 0 && fmt.Sprintf("%.2f", -*d) != "0.00"
}

// projUnrankedReason says why a county has no value for a rate.
func projUnrankedReason(key string) string {
	switch key {
	case scoring.RateLand:
		return "无用地需求"
	case scoring.RateInvestment:
		return "无年度计划投资"
	case scoring.RateStart:
		return "尚无计划开工项目"
	case scoring.RateLanding:
		return "本年度尚无签约项目"
	}
	return "无数据"
}

// projPeriodLabel names a period in text: 6月, 第二季度.
func projPeriodLabel(period string) string {
	if m := projQuarterRE.FindStringSubmatch(period); m != nil {
		q, _ := strconv.Atoi(m[2])
		return "第" + projNumeral(q) + "季度"
	}
	if len(period) == 7 && projMonthRE.MatchString(period) {
		mo, _ := strconv.Atoi(period[5:])
		return fmt.Sprintf("%d月", mo)
	}
	return period
}

// projPeriodEnd names the end of a period: 6月末, 一季度末.
func projPeriodEnd(period string) string {
	if m := projQuarterRE.FindStringSubmatch(period); m != nil {
		q, _ := strconv.Atoi(m[2])
		return projNumeral(q) + "季度末"
	}
	return projPeriodLabel(period) + "末"
}

// projUnit is how periods of a rule are counted in text.
func projUnit(rule scoring.InterviewRule) string {
	if rule.Period == scoring.PeriodMonth {
		return "个月"
	}
	return "个季度"
}

// projBottomText describes the bottom places of a rule: 末位, 后2位.
func projBottomText(rule scoring.InterviewRule) string {
	if rule.Bottom <= 1 {
		return "末位"
	}
	return fmt.Sprintf("后%d位", rule.Bottom)
}

// projAsOfText writes a period's as-of date as 2019年6月底.
func projAsOfText(q scoring.QuarterRates) string {
	if len(q.AsOf) >= 7 {
		y, _ := strconv.Atoi(q.AsOf[:4])
		m, _ := strconv.Atoi(q.AsOf[5:7])
		return fmt.Sprintf("%d年%d月底", y, m)
	}
	return q.AsOf
}

// projSummary writes the overview from the numbers.
func projSummary(in projInput) []string {
	q := in.Now
	var out []string
	var ahead, even, behind, noPlan int
	for _, c := range q.Counties {
		switch d := c.InvestmentVsTime; {
		case d == nil:
			noPlan++
		case projBehind(d):
			behind++
		case fmt.Sprintf("%.2f", math.Abs(*d)) == "0.00":
			even++
		default:
			ahead++
		}
	}
	first := fmt.Sprintf("截至%s，全市%d个县区重点项目建设时间进度为%s。", projAsOfText(q), len(q.Counties), projPct(q.TimeProgress))
	if t := in.Totals; t != nil && t.AnnualPlan > 0 {
		first += fmt.Sprintf("全市重点项目年度计划投资%.2f亿元，累计完成投资%.2f亿元，投资完成率%s，%s",
			t.AnnualPlan/1e4, t.InvestmentYTD/1e4, projPct(t.InvestmentYTD/t.AnnualPlan), projGap((t.InvestmentYTD/t.AnnualPlan-q.TimeProgress)*100))
		if t.Planned > 0 {
			first += fmt.Sprintf("；计划开工项目%d个，已开工%d个", t.Planned, t.Started)
		}
		first += fmt.Sprintf("；今年以来签约招商项目%d个，已落地%d个。", t.Signed, t.Landed)
	}
	var inv string
	switch {
	case ahead+even == 0 && behind > 0:
		inv = fmt.Sprintf("%d个县区投资完成率均慢于时间进度", behind)
	case behind+even == 0 && ahead > 0:
		inv = fmt.Sprintf("%d个县区投资完成率均快于时间进度", ahead)
	default:
		inv = fmt.Sprintf("投资完成率快于时间进度的县区%d个", ahead)
		if even > 0 {
			inv += fmt.Sprintf("，与时间进度持平的%d个", even)
		}
		inv += fmt.Sprintf("，慢于时间进度的%d个", behind)
	}
	if noPlan > 0 {
		inv += fmt.Sprintf("，%d个县区无年度计划投资", noPlan)
	}
	out = append(out, first+inv+"。")
	var rates []string
	for _, key := range scoring.ProjectRates {
		rates = append(rates, projRateSummary(q, key))
	}
	out = append(out, "分指标看："+strings.Join(rates, "；")+"。")
	return out
}

// projRateSummary names the first and last counties on one rate.
func projRateSummary(q scoring.QuarterRates, key string) string {
	label := scoring.RateLabel(key)
	var ranked []scoring.CountyRates
	var unranked []string
	last := 0
	for _, c := range q.Counties {
		rr := c.Rates[key]
		if rr.Rank == nil || rr.Value == nil {
			unranked = append(unranked, c.Name)
			continue
		}
		ranked = append(ranked, c)
		last = max(last, *rr.Rank)
	}
	var s string
	switch {
	case len(ranked) == 0:
		s = label + "各县区均无数据，不作排名"
	case last == 1 && len(unranked) > 0:
		s = fmt.Sprintf("%s参与排名的%d个县区均为%s", label, len(ranked), projPct(*ranked[0].Rates[key].Value))
	case last == 1:
		s = fmt.Sprintf("%s各县区均为%s", label, projPct(*ranked[0].Rates[key].Value))
	default:
		s = fmt.Sprintf("%s%s最高，%s最低", label, projNamesAt(ranked, key, 1), projNamesAt(ranked, key, last))
	}
	if len(unranked) > 0 {
		s += fmt.Sprintf("，%s%s，不参与排名", strings.Join(unranked, "、"), projUnrankedReason(key))
	}
	return s
}

// projNamesAt lists the counties at one rank of a rate with the value:
// 甲（12.34%）, or 甲、乙（均为100.00%）.
func projNamesAt(cs []scoring.CountyRates, key string, rank int) string {
	var names []string
	var v float64
	for _, c := range cs {
		if rr := c.Rates[key]; rr.Rank != nil && *rr.Rank == rank {
			names = append(names, c.Name)
			v = *rr.Value
		}
	}
	if len(names) == 1 {
		return fmt.Sprintf("%s（%s）", names[0], projPct(v))
	}
	return fmt.Sprintf("%s（均为%s）", strings.Join(names, "、"), projPct(v))
}

// projTableOf builds the county table, counties in the order given, with
// rank changes against prev (nil: every ranked county is 新).
func projTableOf(heading string, q scoring.QuarterRates, prev *scoring.QuarterRates) projTable {
	t := projTable{Heading: heading}
	for i, key := range scoring.ProjectRates {
		t.Labels = append(t.Labels, scoring.RateLabel(key))
		if key == scoring.RateInvestment {
			t.VsAt = i
		}
	}
	before := map[string]scoring.CountyRates{}
	if prev != nil {
		for _, c := range prev.Counties {
			before[c.UnitID] = c
		}
		t.Note = fmt.Sprintf("名次按各指标由高到低排列，数值相同的名次并列。名次变化与%s相比，“↑”为名次上升，“↓”为名次下降，“—”为名次不变，“新”为%s未参与排名。",
			projPeriodEnd(prev.Period), projPeriodEnd(prev.Period))
	} else {
		t.Note = fmt.Sprintf("名次按各指标由高到低排列，数值相同的名次并列。%s为本年度首期，无上期名次可比，名次变化均记为“新”。", projPeriodLabel(q.Period))
	}
	t.Note += fmt.Sprintf("与时间进度差为投资完成率减去时间进度（%s），单位为百分点。", projPct(q.TimeProgress))
	for _, c := range q.Counties {
		row := projRow{Name: c.Name, VsTime: "—", Behind: projBehind(c.InvestmentVsTime)}
		if c.InvestmentVsTime != nil {
			row.VsTime = projPoints(*c.InvestmentVsTime)
		}
		for _, key := range scoring.ProjectRates {
			rr := c.Rates[key]
			cell := projCell{Value: optPct(rr.Value)}
			if rr.Rank == nil {
				cell.Unranked = true
				t.Unranked = append(t.Unranked, fmt.Sprintf("%s%s，%s不参与排名", c.Name, projUnrankedReason(key), scoring.RateLabel(key)))
			} else {
				cell.Rank = strconv.Itoa(*rr.Rank)
				var was *int
				if b, ok := before[c.UnitID]; ok {
					was = b.Rates[key].Rank
				}
				cell.Change = change(rr.Rank, was)
				switch {
				case strings.HasPrefix(cell.Change, "↑"):
					cell.ChangeClass = "up"
				case strings.HasPrefix(cell.Change, "↓"):
					cell.ChangeClass = "down"
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// projInvestmentChart draws every county's investment completion rate (%)
// as a horizontal bar, highest first, red when below the time progress,
// with a dashed mark line at the time progress. Counties without an annual
// plan keep their place on the axis with no bar.
func projInvestmentChart(id string, q scoring.QuarterRates) Chart {
	cs := append([]scoring.CountyRates(nil), q.Counties...)
	sort.SliceStable(cs, func(a, b int) bool {
		va, vb := cs[a].Rates[scoring.RateInvestment].Value, cs[b].Rates[scoring.RateInvestment].Value
		switch {
		case va == nil || vb == nil:
			return va != nil && vb == nil
		}
		return *va > *vb
	})
	names := make([]string, 0, len(cs))
	data := make([]any, 0, len(cs))
	for _, c := range cs {
		names = append(names, c.Name)
		v := c.Rates[scoring.RateInvestment].Value
		if v == nil {
			data = append(data, nil)
			continue
		}
		color := projBarColor
		if projBehind(c.InvestmentVsTime) {
			color = projBehindColor
		}
		data = append(data, map[string]any{"value": scoring.Round2(*v * 100), "itemStyle": map[string]any{"color": color},
			"label": map[string]any{"formatter": projPct(*v)}})
	}
	tp := scoring.Round2(q.TimeProgress * 100)
	return Chart{ID: id, Height: 26*len(cs) + 110, Option: map[string]any{
		"title": map[string]any{"text": "各县区重点项目投资完成率", "left": "center", "textStyle": map[string]any{"fontSize": 14},
			"subtext": fmt.Sprintf("虚线为时间进度 %.2f%%，红色为低于时间进度", tp)},
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"grid":    map[string]any{"left": 10, "right": 70, "top": 72, "bottom": 30, "containLabel": true},
		"xAxis": map[string]any{"type": "value", "min": 0, "max": math.Max(100, math.Ceil(projMax(data)/10)*10),
			"axisLabel": map[string]any{"formatter": "{value}%"}},
		"yAxis": map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"interval": 0}},
		"series": []any{map[string]any{
			"name": "投资完成率", "type": "bar", "barMaxWidth": 18, "data": data,
			"label": map[string]any{"show": true, "position": "right", "fontSize": 11},
			"markLine": map[string]any{
				"silent": true, "symbol": "none",
				"lineStyle": map[string]any{"color": projBehindColor, "type": "dashed", "width": 1.5},
				"label":     map[string]any{"formatter": fmt.Sprintf("时间进度 %.2f%%", tp), "position": "start", "color": projBehindColor},
				"data":      []any{map[string]any{"name": "时间进度", "xAxis": tp}},
			},
		}},
	}}
}

// projMax is the largest bar value of the chart data (0 when none).
func projMax(data []any) float64 {
	m := 0.0
	for _, d := range data {
		if item, ok := d.(map[string]any); ok {
			m = math.Max(m, item["value"].(float64))
		}
	}
	return m
}

// projSignedOf builds the 招商 ranking: counties by number of projects
// signed this year, with the landing rate and its rank.
func projSignedOf(heading string, q scoring.QuarterRates) *projSigned {
	cs := append([]scoring.CountyRates(nil), q.Counties...)
	rank := func(c scoring.CountyRates) int {
		if c.SignedProjects.Rank == nil {
			return math.MaxInt
		}
		return *c.SignedProjects.Rank
	}
	sort.SliceStable(cs, func(a, b int) bool { return rank(cs[a]) < rank(cs[b]) })
	s := &projSigned{Heading: heading,
		Note: fmt.Sprintf("签约项目数为%d年1月1日至%s签约的招商引资项目，所有县区均参与排名；落地率为其中已落地项目所占比例，本年度尚无签约项目的县区不参与落地率排名。",
			projYear(q), projAsOfText(q))}
	for _, c := range cs {
		row := projSignedRow{Rank: optInt(c.SignedProjects.Rank), Name: c.Name, Signed: "0", Landed: "—",
			Rate: "—", RateRank: "不参与排名"}
		if v := c.SignedProjects.Value; v != nil {
			row.Signed = strconv.FormatFloat(*v, 'f', 0, 64)
			if r := c.Rates[scoring.RateLanding]; r.Value != nil {
				row.Landed = strconv.FormatFloat(math.Round(*r.Value**v), 'f', 0, 64)
			}
		}
		if r := c.Rates[scoring.RateLanding]; r.Value != nil {
			row.Rate = optPct(r.Value)
			if r.Rank != nil {
				row.RateRank = strconv.Itoa(*r.Rank)
			}
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

// projYear is the year of a period.
func projYear(q scoring.QuarterRates) int {
	y, _ := strconv.Atoi(q.Period[:min(4, len(q.Period))])
	return y
}

// projRiskOf lists the counties at risk of 约谈 for each rate: those in
// the bottom places now that were also there at the end of the previous
// period of the rule, and — when now ends a period and the year goes on —
// those whom one more period in the bottom places would list. Rows already
// meeting the rule come first.
func projRiskOf(heading string, now scoring.QuarterRates, in projRiskInput) *projRisk {
	rule := in.Rule
	unit, low := projUnit(rule), projBottomText(rule)
	r := &projRisk{Heading: heading, NowLabel: projPeriodEnd(now.Period)}
	var prev *scoring.QuarterRates
	if len(in.Prior) > 0 {
		prev = &in.Prior[len(in.Prior)-1]
		r.PrevLabel = projPeriodEnd(prev.Period)
	}
	r.Intro = fmt.Sprintf("按规定，县区同一指标连续%d%s排名%s（并列亦计；所有县区并列时不计）的，列入约谈名单。",
		rule.Consecutive, unit, low)
	if prev != nil {
		r.Intro += fmt.Sprintf("下表列出截至%s处于%s、且%s亦处于%s的县区", projAsOfText(now), low, r.PrevLabel, low)
		if in.PeriodEnd && in.NextEnd != "" {
			r.Intro += fmt.Sprintf("，以及再有1%s处于%s即列入约谈名单的县区", unit, low)
		}
		r.Intro += "。"
	} else if in.PeriodEnd && in.NextEnd != "" {
		r.Intro += fmt.Sprintf("下表列出截至%s处于%s、再有1%s处于%s即列入约谈名单的县区。", projAsOfText(now), low, unit, low)
	}
	var listed, atRisk []projRiskRow
	lows := make([]map[string]bool, len(in.Prior))
	for _, key := range scoring.ProjectRates {
		nowLow := scoring.Bottom(now, key, rule.Bottom)
		for i, p := range in.Prior {
			lows[i] = scoring.Bottom(p, key, rule.Bottom)
		}
		for _, c := range now.Counties {
			if !nowLow[c.UnitID] {
				continue
			}
			n := 1 // now, then the prior periods in a row
			for i := len(lows) - 1; i >= 0 && lows[i][c.UnitID]; i-- {
				n++
			}
			if n < 2 && !(in.PeriodEnd && in.NextEnd != "" && n+1 >= rule.Consecutive) {
				continue
			}
			row := projRiskRow{Name: c.Name, Rate: scoring.RateLabel(key), Now: optPct(c.Rates[key].Value), Before: "—"}
			if prev != nil {
				row.Before = optPct(projCountyRate(*prev, c.UnitID, key))
			}
			// k: the run at the next decisive period end if the standing holds.
			k := n
			if in.PeriodEnd {
				k = n + 1
			}
			switch {
			case in.PeriodEnd && n >= rule.Consecutive:
				row.Status = fmt.Sprintf("已连续%d%s处于%s，列入约谈名单", n, unit, low)
				listed = append(listed, row)
				continue
			case !in.PeriodEnd && n-1 >= rule.Consecutive:
				row.Status = fmt.Sprintf("已连续%d%s处于%s、列入约谈名单，本月仍处于%s", n-1, unit, low, low)
				listed = append(listed, row)
				continue
			case in.NextEnd == "":
				row.Status = fmt.Sprintf("已连续%d%s处于%s", n, unit, low)
			case k >= rule.Consecutive:
				row.Status = fmt.Sprintf("若至%s仍处于%s，将列入约谈名单", in.NextEnd, low)
			default:
				row.Status = fmt.Sprintf("若至%s仍处于%s，将连续%d%s处于%s，再有%d%s将被约谈",
					in.NextEnd, low, k, unit, low, rule.Consecutive-k, unit)
			}
			atRisk = append(atRisk, row)
		}
	}
	r.Rows = append(listed, atRisk...)
	if len(r.Rows) == 0 {
		if prev == nil && !(in.PeriodEnd && in.NextEnd != "") {
			r.None = fmt.Sprintf("%s处于本年度第一个考核期内，尚无上一考核期排名，暂无约谈风险。", projPeriodLabel(now.Period))
		} else {
			r.None = fmt.Sprintf("截至%s，暂无存在约谈风险的县区。", projAsOfText(now))
		}
		return r
	}
	var parts []string
	if len(listed) > 0 {
		parts = append(parts, fmt.Sprintf("%d项已达到约谈条件", len(listed)))
	}
	if len(atRisk) > 0 {
		parts = append(parts, fmt.Sprintf("%d项存在约谈风险", len(atRisk)))
	}
	r.Conclusion = "以上" + strings.Join(parts, "，") + "，请相关县区对照问题、加快推进。"
	return r
}

// projCountyRate is a county's value of a rate in a period (nil when absent).
func projCountyRate(q scoring.QuarterRates, id, key string) *float64 {
	for _, c := range q.Counties {
		if c.UnitID == id {
			return c.Rates[key].Value
		}
	}
	return nil
}

// projInterviewsOf writes the 约谈 list as it stands at the end of now.
func projInterviewsOf(heading string, now scoring.QuarterRates, in projInterviewInput) *projInterviews {
	rule := in.Rule
	unit := projUnit(rule)
	out := &projInterviews{Heading: heading,
		Intro: fmt.Sprintf("按规定，县区同一指标连续%d%s排名%s（并列亦计；所有县区并列时不计）的，列入约谈名单。截至%s，本年度列入约谈名单共%d项（同一县区同一指标连续多期处于末位的合为一项）。",
			rule.Consecutive, unit, projBottomText(rule), projAsOfText(now), len(in.List))}
	for _, iv := range in.List {
		var periods, values []string
		for i, p := range iv.Periods {
			periods = append(periods, projPeriodLabel(p))
			values = append(values, projPct(iv.Values[i]))
		}
		row := projInterviewRow{Name: iv.Name, Rate: iv.Label, Periods: strings.Join(periods, "、"), Values: strings.Join(values, "、")}
		if last := iv.Periods[len(iv.Periods)-1]; last == now.Period || projPeriodEndsWith(last, now) {
			row.Status = "截至" + projPeriodEnd(now.Period) + "仍处于" + projBottomText(rule)
		} else {
			row.Status = projPeriodEnd(last) + "后已退出" + projBottomText(rule)
		}
		out.Rows = append(out.Rows, row)
	}
	if len(out.Rows) == 0 {
		out.None = fmt.Sprintf("截至%s，本年度没有连续%d%s处于%s的县区。", projAsOfText(now), rule.Consecutive, unit, projBottomText(rule))
	}
	return out
}

// projPeriodEndsWith reports whether a period of the rule ends on the same
// day as now (a monthly rule's June in the second-quarter bulletin).
func projPeriodEndsWith(period string, now scoring.QuarterRates) bool {
	p, _, err := analytics.ProjectPeriod(period)
	return err == nil && p.End.Format("2006-01-02") == now.AsOf
}
