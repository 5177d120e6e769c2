package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The counties page (/counties): the four key-project rates of a quarter
// or month with their ranks, investment completion against time progress,
// the year's 约谈 list up to the period and the counties at risk of it.

// cntyPage is the counties page's body.
type cntyPage struct {
	Period, AsOf  string
	Year          int
	TimeProgress  float64
	Labels        []string // the rates' names, in scoring.ProjectRates order
	Rows          []cntyRow
	Chart         Chart
	Rule          scoring.InterviewRule // zero values filled in
	Through       string                // the newest rule period ended by AsOf ("" when none)
	Interviews    []cntyInterview
	AtRisk        []cntyRisk
	CSV, XLSX     string
	IvCSV, IvXLSX string
}

// cntyRow is one county's line.
type cntyRow struct {
	UnitID, Name string
	Rates        []cntyRate
	VsTime       *float64 // investment rate − time progress, percentage points
	Behind       bool     // investment below time progress
	Signed       int
	SignedRank   *int
	Early        int64 // 提前开工: started, planned start still ahead
}

// cntyRate is one rate of a county; Last marks the bottom places, Small a
// denominator of fewer projects than the 约谈 rule's minimum (样本不足).
type cntyRate struct {
	Value    *float64
	Rank     *int
	Last     bool
	Small    bool
	Projects int64
}

// cntyInterview is one entry of the 约谈 list.
type cntyInterview struct {
	UnitID, Name, Label string
	Periods             []string
	Values              []float64
}

// cntyRisk is a county at risk of the 约谈 list on one rate.
type cntyRisk struct {
	UnitID, Name, Label string
	Period              string  // the newest ended period, where it is in the bottom places
	Value               float64 // its rate there
	Run                 int     // consecutive bottom periods so far, ending at Period
	Need                int     // more such periods that would list it
}

// cntyRule is the scheme's 约谈 rule with zero values filled in as
// analytics.YearInterviews fills them.
func (s *Server) cntyRule() scoring.InterviewRule {
	r := s.cfg.Scheme.Interviews
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

// cntyPeriod reads ?period= (a quarter or a month); empty means the newest
// month with key-project progress, or the month before the clock's.
func (s *Server) cntyPeriod(ctx context.Context, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		m, ok, err := s.store.LatestProjectMonth(ctx)
		if err != nil || ok {
			return m, err
		}
		return s.now().AddDate(0, -1, 0).Format("2006-01"), nil
	}
	if _, _, err := analytics.ProjectPeriod(v); err != nil {
		return "", echo.NewHTTPError(http.StatusBadRequest, "期间格式应为季度 YYYY-Q1 … YYYY-Q4 或月份 YYYY-MM,例如 2019-Q2、2019-06")
	}
	return v, nil
}

// cntyData builds the counties page of ?period=.
func (s *Server) cntyData(c echo.Context) (cntyPage, error) {
	ctx := c.Request().Context()
	period, err := s.cntyPeriod(ctx, c.QueryParam("period"))
	if err != nil {
		return cntyPage{}, err
	}
	v, err := s.cached("cnty-period:"+period, func() (any, error) { return s.store.ProjectRanking(ctx, period, s.cfg.Scheme.Interviews.MinProjects) })
	if err != nil {
		return cntyPage{}, err
	}
	q := v.(scoring.QuarterRates)
	p := cntyPage{Period: q.Period, AsOf: q.AsOf, TimeProgress: q.TimeProgress, Rule: s.cntyRule()}
	p.Year, _ = strconv.Atoi(q.AsOf[:4])
	for _, k := range scoring.ProjectRates {
		p.Labels = append(p.Labels, scoring.RateLabel(k))
	}
	lows := map[string]map[string]bool{}
	for _, k := range scoring.ProjectRates {
		lows[k] = scoring.Bottom(q, k, p.Rule.Bottom)
	}
	for _, cr := range q.Counties {
		row := cntyRow{UnitID: cr.UnitID, Name: cr.Name, VsTime: cr.InvestmentVsTime, SignedRank: cr.SignedProjects.Rank, Early: cr.EarlyStarts}
		row.Behind = cr.InvestmentVsTime != nil && *cr.InvestmentVsTime < 0
		if cr.SignedProjects.Value != nil {
			row.Signed = int(*cr.SignedProjects.Value)
		}
		for _, k := range scoring.ProjectRates {
			rr := cr.Rates[k]
			row.Rates = append(row.Rates, cntyRate{Value: rr.Value, Rank: rr.Rank, Last: lows[k][cr.UnitID], Small: rr.SmallSample, Projects: rr.Projects})
		}
		p.Rows = append(p.Rows, row)
	}
	p.Chart = cntyInvestmentChart(q)
	if err := s.cntyInterviews(ctx, &p); err != nil {
		return p, err
	}
	query := url.Values{"period": {p.Period}}
	p.CSV, p.XLSX = dashExportLinks("counties", query)
	p.IvCSV, p.IvXLSX = dashExportLinks("interviews", query)
	return p, nil
}

// cntyInterviews fills the 约谈 list of the page's year counted over the
// rule periods that have ended by the page's as-of date (a page for June
// does not judge on September), and the counties at risk.
func (s *Server) cntyInterviews(ctx context.Context, p *cntyPage) error {
	v, err := s.cached(fmt.Sprintf("cnty-year:%d", p.Year), func() (any, error) {
		_, qs, err := s.store.YearInterviews(ctx, p.Year, p.Rule)
		return qs, err
	})
	if err != nil {
		return err
	}
	var ended []scoring.QuarterRates
	for _, q := range v.([]scoring.QuarterRates) {
		if q.AsOf <= p.AsOf {
			ended = append(ended, q)
		}
	}
	if len(ended) == 0 {
		return nil
	}
	p.Through = ended[len(ended)-1].Period
	for _, iv := range scoring.Interviews(ended, p.Rule.Consecutive, p.Rule.Bottom) {
		p.Interviews = append(p.Interviews, cntyInterview{UnitID: iv.UnitID, Name: iv.Name, Label: iv.Label, Periods: iv.Periods, Values: iv.Values})
	}
	p.AtRisk = cntyAtRisk(ended, p.Rule)
	return nil
}

// cntyAtRisk lists the counties at risk of the 约谈 list. Precisely: on a
// rate, a county is at risk when it is in the bottom places of that rate
// (scoring.Bottom with the rule's number of places; nobody is when every
// ranked county shares one rank) in the newest of the ended periods, and
// its run of consecutive such periods ending there is still shorter than
// the rule's Consecutive — so Consecutive − run more such periods would list
// it. A county whose run is long enough is on the list, not at risk. Runs
// do not cross years, as the list is per year. Ordered by rate (display
// order), then unit_id.
func cntyAtRisk(ended []scoring.QuarterRates, rule scoring.InterviewRule) []cntyRisk {
	if len(ended) == 0 {
		return nil
	}
	last := ended[len(ended)-1]
	var out []cntyRisk
	// Runs of one period or more, of which those ending in the newest period.
	for _, run := range scoring.Interviews(ended, 1, rule.Bottom) {
		n := len(run.Periods)
		if run.Periods[n-1] != last.Period || n >= rule.Consecutive {
			continue
		}
		out = append(out, cntyRisk{UnitID: run.UnitID, Name: run.Name, Label: run.Label, Period: last.Period,
			Value: run.Values[n-1], Run: n, Need: rule.Consecutive - n})
	}
	return out
}

// cntyInvestmentChart draws every county's investment completion rate (%),
// highest first, red when behind the time progress, with the time progress
// as a dashed line. Counties without an annual plan keep a place, no bar.
func cntyInvestmentChart(q scoring.QuarterRates) Chart {
	cs := append([]scoring.CountyRates(nil), q.Counties...)
	sort.SliceStable(cs, func(a, b int) bool {
		va, vb := cs[a].Rates[scoring.RateInvestment].Value, cs[b].Rates[scoring.RateInvestment].Value
		if va == nil || vb == nil {
			return va != nil && vb == nil
		}
		return *va > *vb
	})
	tp := round2(q.TimeProgress * 100)
	var names []string
	var data []any
	top := 100.0
	for _, c := range cs {
		names = append(names, c.Name)
		v := c.Rates[scoring.RateInvestment].Value
		if v == nil {
			data = append(data, nil)
			continue
		}
		color := "#2f6fd0"
		if c.InvestmentVsTime != nil && *c.InvestmentVsTime < 0 {
			color = "#c0000b"
		}
		data = append(data, map[string]any{"value": round2(*v * 100), "itemStyle": map[string]any{"color": color}})
		top = math.Max(top, *v*100)
	}
	return Chart{ID: "cnty-investment", Height: 26*len(cs) + 110, Option: map[string]any{
		"title": map[string]any{"text": "投资完成率与时间进度", "left": "center", "textStyle": map[string]any{"fontSize": 14},
			"subtext": fmt.Sprintf("虚线为时间进度 %.2f%%,红色为低于时间进度", tp)},
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"grid":    map[string]any{"left": 10, "right": 60, "top": 72, "bottom": 30, "containLabel": true},
		"xAxis": map[string]any{"type": "value", "min": 0, "max": math.Ceil(top/10) * 10,
			"axisLabel": map[string]any{"formatter": "{value}%"}},
		"yAxis": map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"interval": 0}},
		"series": []any{map[string]any{"name": "投资完成率(%)", "type": "bar", "barMaxWidth": 18, "data": data,
			"label": map[string]any{"show": true, "position": "right", "fontSize": 11},
			"markLine": map[string]any{"silent": true, "symbol": "none",
				"lineStyle": map[string]any{"color": "#c0000b", "type": "dashed"},
				"label":     map[string]any{"formatter": fmt.Sprintf("时间进度 %.2f%%", tp), "position": "start"},
				"data":      []any{map[string]any{"name": "时间进度", "xAxis": tp}}},
		}},
	}}
}

// countiesPage answers GET /counties.
func (s *Server) countiesPage(c echo.Context) error {
	p, err := s.cntyData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "counties", p.Period+" 重点项目", p)
}

// cntyTable is the county rates export.
func cntyTable(p cntyPage) exportTable {
	t := exportTable{Name: p.Period + " 重点项目县区排名", ASCII: "counties-" + p.Period,
		Header: []string{"县区编码", "县区"}}
	for _, l := range p.Labels {
		t.Header = append(t.Header, l+"(%)", l+"排名")
	}
	t.Header = append(t.Header, "投资完成率比时间进度(百分点)", "提前开工项目数", "签约项目数", "招商排名", "样本不足")
	for _, r := range p.Rows {
		row := []any{r.UnitID, r.Name}
		var small []string
		for i, x := range r.Rates {
			row = append(row, exportPct(x.Value), exportInt(x.Rank))
			if x.Small {
				small = append(small, p.Labels[i])
			}
		}
		t.Rows = append(t.Rows, append(row, exportF(r.VsTime), r.Early, r.Signed, exportInt(r.SignedRank), strings.Join(small, "、")))
	}
	return t
}

// cntyInterviewTable is the 约谈 list export.
func cntyInterviewTable(p cntyPage) exportTable {
	t := exportTable{Name: fmt.Sprintf("%d 约谈名单(截至 %s)", p.Year, p.AsOf), ASCII: fmt.Sprintf("interviews-%d-%s", p.Year, p.Period),
		Header: []string{"县区编码", "县区", "指标", "期间", "数值(%)"}}
	for _, iv := range p.Interviews {
		vals := make([]string, len(iv.Values))
		for i, v := range iv.Values {
			vals[i] = strconv.FormatFloat(round2(v*100), 'f', 2, 64)
		}
		t.Rows = append(t.Rows, []any{iv.UnitID, iv.Name, iv.Label, strings.Join(iv.Periods, ";"), strings.Join(vals, ";")})
	}
	return t
}
