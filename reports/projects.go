package reports

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

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
	// Tasks adds the 督办落实情况 section (monthly bulletin); nil or a
	// ledger without tasks leaves it out.
	Tasks *analytics.TaskMonthReport
	// Targets adds the 目标任务进展 section (monthly bulletin); nil or no
	// target in force leaves it out.
	Targets *projTargetsInput
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
	Tasks      *projTasks
	Targets    *projTargets
}

var (
	projMonthRE   = regexp.MustCompile(`^\d{4}-\d{2}$`)
	projQuarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
)

// Month renders the monthly key-project bulletin (月度重点项目建设进展通报)
// of a month such as 2019-06: the overview, the county table with rank
// changes against the previous month, the investment chart against the time
// progress, the 招商 ranking, the counties at risk of 约谈, the projects
// overdue, and — when the city has them — the month of the 督办 ledger and
// the reform targets.
func (b *Builder) Month(ctx context.Context, month string) (Document, error) {
	p, m, err := analytics.ProjectPeriod(month)
	if err != nil {
		return Document{}, err
	}
	if !projMonthRE.MatchString(month) {
		return Document{}, fmt.Errorf("reports: %q is not a month (YYYY-MM)", month)
	}
	year := p.Start.Year()
	prev := ""
	if m > 1 {
		prev = fmt.Sprintf("%04d-%02d", year, m-1)
	}
	in, err := b.projInputOf(ctx, p, month, prev)
	if err != nil {
		return Document{}, err
	}
	in.Signed = true
	if in.Risk, err = b.projMonthRisk(ctx, year, m, in.Prev); err != nil {
		return Document{}, err
	}
	if in.Tasks, in.Targets, err = b.projTaskInputs(ctx, month, p.End); err != nil {
		return Document{}, err
	}
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
	prev := ""
	if q > 1 {
		prev = fmt.Sprintf("%04d-Q%d", year, q-1)
	}
	in, err := b.projInputOf(ctx, p, quarter, prev)
	if err != nil {
		return Document{}, err
	}
	if in.Interviews, err = b.projInterviewsAt(ctx, year, in.Now); err != nil {
		return Document{}, err
	}
	body := buildProjectBody(in)
	title := fmt.Sprintf("%d年第%s季度重点项目建设通报", year, projNumeral(q))
	subtitle := fmt.Sprintf("（截至%d年%d月%d日）", year, int(p.End.Month()), p.End.Day())
	return b.doc(ctx, "projects-"+quarter, "projects.html", title, subtitle, body)
}

// projInputOf reads what both bulletins show of a period: its ranking, the
// projects overdue and the city's totals at its end, and the ranking of
// prev, the previous period of the same year (empty when there is none).
func (b *Builder) projInputOf(ctx context.Context, p analytics.Period, period, prev string) (projInput, error) {
	now, err := b.store.ProjectRanking(ctx, period, b.scheme.Interviews.MinProjects)
	if err != nil {
		return projInput{}, err
	}
	in := projInput{Now: now, AsOf: ChineseDate(p.End)}
	if in.Overdue, err = b.store.OverdueProjects(ctx, p.End); err != nil {
		return projInput{}, err
	}
	if prev != "" {
		r, err := b.store.ProjectRanking(ctx, prev, b.scheme.Interviews.MinProjects)
		if err != nil {
			return projInput{}, err
		}
		in.Prev = &r
	}
	if in.Totals, err = b.projTotals(ctx, p); err != nil {
		return projInput{}, err
	}
	return in, nil
}

// projMonthRisk reads the rule's periods of the year that ended before
// month m for the 约谈 risk section; prev is the previous month's ranking
// (nil in January), reused when it is the last of those periods.
func (b *Builder) projMonthRisk(ctx context.Context, year, m int, prev *scoring.QuarterRates) (*projRiskInput, error) {
	rule := projRule(b.scheme.Interviews)
	prior, periodEnd, nextEnd := projRiskPeriods(rule, year, m)
	risk := &projRiskInput{Rule: rule, PeriodEnd: periodEnd, NextEnd: nextEnd}
	for i, name := range prior {
		if prev != nil && i == len(prior)-1 && name == prev.Period {
			risk.Prior = append(risk.Prior, *prev) // the previous month, already read
			continue
		}
		r, err := b.store.ProjectRanking(ctx, name, rule.MinProjects)
		if err != nil {
			return nil, err
		}
		risk.Prior = append(risk.Prior, r)
	}
	return risk, nil
}

// projRiskPeriods names the rule's periods of the year that ended before
// month m, says whether m ends one of them, and names the end of the period
// that decides next (see projRiskInput).
func projRiskPeriods(rule scoring.InterviewRule, year, m int) (prior []string, periodEnd bool, nextEnd string) {
	periodEnd = true
	if rule.Period == scoring.PeriodMonth {
		for k := 1; k < m; k++ {
			prior = append(prior, fmt.Sprintf("%04d-%02d", year, k))
		}
		if m < 12 {
			nextEnd = fmt.Sprintf("%d月末", m+1)
		}
		return prior, periodEnd, nextEnd
	}
	q := (m-1)/3 + 1
	for k := 1; k < q; k++ {
		prior = append(prior, fmt.Sprintf("%04d-Q%d", year, k))
	}
	switch {
	case m%3 != 0:
		periodEnd, nextEnd = false, fmt.Sprintf("%d月末", 3*q)
	case q < 4:
		nextEnd = fmt.Sprintf("%d月末", 3*q+3)
	}
	return prior, periodEnd, nextEnd
}

// projInterviewsAt reads the 约谈 list as it stands at the end of now: runs
// over the rule's periods up to now only, so that later periods neither add
// entries nor lengthen runs.
func (b *Builder) projInterviewsAt(ctx context.Context, year int, now scoring.QuarterRates) (*projInterviewInput, error) {
	rule := projRule(b.scheme.Interviews)
	_, periods, err := b.store.YearInterviews(ctx, year, rule)
	if err != nil {
		return nil, err
	}
	var upTo []scoring.QuarterRates
	for _, r := range periods {
		if r.AsOf <= now.AsOf {
			upTo = append(upTo, r)
		}
	}
	return &projInterviewInput{Rule: rule, Periods: len(upTo),
		List: scoring.Interviews(upTo, rule.Consecutive, rule.Bottom)}, nil
}

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
		t.Early += s.Early
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
	body.Chart = projChartOf(heading("投资完成率与时间进度"), in.Now)
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
	// numbered only when present: a city without tasks or targets gets no
	// empty section and no gap in the numbering
	if in.Tasks != nil && in.Tasks.Tasks > 0 {
		body.Tasks = projTasksOf(heading("督办落实情况"), in.Tasks)
	}
	if t := projTargetsOf("", in.Targets); t != nil {
		t.Heading = heading("目标任务进展")
		body.Targets = t
	}
	return body
}
