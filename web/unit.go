package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/reports"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The unit page (/units/:unit): a unit's published result of a round, its
// history, the explanation of its score, its indicators, the spread of its
// peer scores, its deductions and its open alerts.

// unitPage is the unit page's body.
type unitPage struct {
	UnitID, Name, Category string
	Round, AsOf            string
	Rounds                 []string // published rounds, newest first
	Score                  *float64
	Rank                   *int
	Tier, TierClass        string
	Flags                  []string
	Explain                scoring.Explanation
	Indicators             []unitIndicator
	Boxes                  []unitBox
	Trend, Radar, Box      Chart
	Deductions             []analytics.DeductionItem
	Alerts                 []alertRow
	Facts                  unitFacts // unit_facts.go
	CSV, XLSX              string
}

// unitIndicator is one indicator line: value, points, full points and the
// category mean, as text ready to show.
type unitIndicator struct {
	Name, Label              string
	Value, Points, Max, Mean string
	// N is the cases (answers) behind the value, Scored the
	// credibility-weighted value the points come from ("—" when the round
	// was scored raw), Phrase the plain-words account (IndicatorPhrase)
	// when the weighting moved the value noticeably.
	N, Scored, Phrase string
	PointsNum, MaxNum *float64
	ValueNum, MeanNum *float64
	IsRate            bool
}

// unitBox is the five-number summary of a group of peer scores.
type unitBox struct {
	Label                    string
	N                        int
	Min, Q1, Median, Q3, Max float64
}

// unitClassLabels name the evaluator classes.
var unitClassLabels = map[string]string{scoring.ClassLeader: "牵头市领导", scoring.ClassLeadHead: "牵头部门主要负责人",
	scoring.ClassMemberHead: "责任部门主要负责人"}

// quartiles returns the minimum, first quartile, median, third quartile and
// maximum of v by linear interpolation between order statistics (Hyndman
// and Fan's type 7, the default of R and of Excel's QUARTILE.INC): with the
// scores sorted x[0] ≤ … ≤ x[n−1], the p-quantile is x[h] + (h − ⌊h⌋)(x[⌊h⌋+1]
// − x[⌊h⌋]) at h = (n − 1)p. It sorts a copy; v must not be empty.
func quartiles(v []float64) (min, q1, median, q3, max float64) {
	x := append([]float64(nil), v...)
	sort.Float64s(x)
	q := func(p float64) float64 {
		h := float64(len(x)-1) * p
		lo := int(math.Floor(h))
		if lo+1 >= len(x) {
			return x[len(x)-1]
		}
		return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
	}
	return x[0], q(0.25), q(0.5), q(0.75), x[len(x)-1]
}

// unitBoxesOf summarises a unit's peer scores: all of them, then each class.
func unitBoxesOf(rows []analytics.PeerRow) []unitBox {
	if len(rows) == 0 {
		return nil
	}
	byClass := map[string][]float64{}
	var all []float64
	for _, r := range rows {
		all = append(all, r.Score)
		byClass[r.Class] = append(byClass[r.Class], r.Score)
	}
	box := func(label string, v []float64) unitBox {
		b := unitBox{Label: label, N: len(v)}
		b.Min, b.Q1, b.Median, b.Q3, b.Max = quartiles(v)
		return b
	}
	out := []unitBox{box("全部", all)}
	for _, c := range []string{scoring.ClassLeader, scoring.ClassLeadHead, scoring.ClassMemberHead} {
		if v := byClass[c]; len(v) > 0 {
			out = append(out, box(unitClassLabels[c], v))
		}
	}
	return out
}

// unitPeerRows are a round's peer scores by unit (cached).
func (s *Server) unitPeerRows(c echo.Context, round string) (map[string][]analytics.PeerRow, error) {
	v, err := s.cached("unit-peer:"+round, func() (any, error) {
		rows, err := s.store.PeerRows(c.Request().Context(), round)
		if err != nil {
			return nil, err
		}
		m := map[string][]analytics.PeerRow{}
		for _, r := range rows {
			m[r.UnitID] = append(m[r.UnitID], r)
		}
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string][]analytics.PeerRow), nil
}

// unitDeductions are a round's deduction items (cached).
func (s *Server) unitDeductions(c echo.Context, round string) ([]analytics.DeductionItem, error) {
	v, err := s.cached("unit-deductions:"+round, func() (any, error) {
		return s.store.DeductionItems(c.Request().Context(), round)
	})
	if err != nil {
		return nil, err
	}
	return v.([]analytics.DeductionItem), nil
}

// unitData builds the page of unit id (from /units/:unit, or ?unit= of
// the export) in ?round=.
func (s *Server) unitData(c echo.Context, id string) (unitPage, error) {
	ctx := c.Request().Context()
	notFound := echo.NewHTTPError(http.StatusNotFound, "未找到该单位,或该单位不参加本轮效能评议排名")
	st, pub, err := s.dashPickRound(c)
	if err != nil {
		return unitPage{}, err
	}
	if st.Round == "" {
		return unitPage{}, echo.NewHTTPError(http.StatusNotFound, "尚无已发布的排名")
	}
	rk, err := s.published(ctx, st.Round)
	if err != nil {
		return unitPage{}, err
	}
	var me *analytics.UnitRanking
	for i := range rk.Units {
		if rk.Units[i].UnitID == id {
			me = &rk.Units[i]
		}
	}
	if me == nil {
		return unitPage{}, notFound
	}
	sc, err := s.dashRunScheme(ctx, rk.Round, rk.Version)
	if err != nil {
		return unitPage{}, err
	}
	ex, err := scoring.Explain(analytics.ExplainUnits(rk, sc), id)
	if errors.Is(err, scoring.ErrUnknownUnit) {
		return unitPage{}, notFound
	} else if err != nil {
		return unitPage{}, err
	}
	p := unitPage{UnitID: id, Name: me.Name, Category: me.Category, Round: rk.Round, AsOf: rk.AsOf,
		Rounds: dashRoundNames(pub), Score: me.Score, Rank: me.Rank, Explain: ex}
	if me.Tier != nil {
		p.Tier, p.TierClass = *me.Tier, dashTierClasses[*me.Tier]
	}
	for _, f := range me.Flags {
		p.Flags = append(p.Flags, reports.FlagLabel(f))
	}
	p.Indicators = unitIndicators(ex, sc)
	p.CSV, p.XLSX = dashExportLinks("indicators", url.Values{"unit": {id}, "round": {rk.Round}})
	if p.Trend, err = s.unitTrend(c, id, pub); err != nil {
		return p, err
	}
	p.Radar = unitRadar(ex)
	peer, err := s.unitPeerRows(c, rk.Round)
	if err != nil {
		return p, err
	}
	p.Boxes = unitBoxesOf(peer[id])
	p.Box = unitBoxChart(p.Boxes, peer[id])
	ds, err := s.unitDeductions(c, rk.Round)
	if err != nil {
		return p, err
	}
	for _, d := range ds {
		if d.UnitID == id {
			p.Deductions = append(p.Deductions, d)
		}
	}
	rp, _ := analytics.ParseRound(rk.Round)
	as, err := s.store.UnitAlerts(ctx, rp.End, id)
	if err != nil {
		return p, err
	}
	names, err := s.dashUnits(ctx)
	if err != nil {
		return p, err
	}
	for _, a := range as {
		p.Alerts = append(p.Alerts, alertRowOf(a, names))
	}
	if p.Facts, err = s.unitFactsOf(c, id, rp); err != nil {
		return p, err
	}
	return p, nil
}

// unitIndicators are the explanation's indicators with the scheme's full
// points of each.
func unitIndicators(ex scoring.Explanation, sc scoring.Scheme) []unitIndicator {
	var out []unitIndicator
	for _, ind := range ex.Indicators {
		ui := unitIndicator{Name: ind.Name, Label: ind.Label, ValueNum: ind.Value, MeanNum: ind.MeanValue,
			IsRate: ind.Name != scoring.IndPeerMean && ind.Name != scoring.IndSurveyMean}
		var max float64
		switch ind.Name {
		case scoring.IndPeerMean:
			max = sc.PeerPoints
		case scoring.IndSurveyMean:
			max = sc.SatisfactionPoints
		default:
			if r := sc.Rule(ind.Name); r != nil {
				max = r.Points
			}
		}
		ui.MaxNum = &max
		ui.Max = fmt.Sprintf("%.2f", max)
		ui.Value, ui.Mean = unitIndicatorText(ui.IsRate, ind.Value), unitIndicatorText(ui.IsRate, ind.MeanValue)
		ui.N, ui.Scored = "—", "—"
		if ind.N > 0 {
			ui.N = strconv.Itoa(ind.N)
			ui.Scored = unitIndicatorText(ui.IsRate, ind.Credible)
			if strings.Contains(ind.Phrase, "折算") {
				ui.Phrase = ind.Phrase
			}
		}
		ui.Points = "—"
		if ind.Value != nil {
			pts := ind.Points
			ui.PointsNum = &pts
			ui.Points = fmt.Sprintf("%.2f", pts)
		}
		out = append(out, ui)
	}
	return out
}

// unitIndicatorText shows a rate as a percentage and a 0–100 mean as a number.
func unitIndicatorText(rate bool, v *float64) string {
	switch {
	case v == nil:
		return "—"
	case rate:
		return fmt.Sprintf("%.2f%%", *v*100)
	}
	return fmt.Sprintf("%.2f", *v)
}

// unitTrend is the unit's score and rank over the published rounds.
func (s *Server) unitTrend(c echo.Context, id string, pub []analytics.RoundState) (Chart, error) {
	var rounds []string
	var scores, ranks []any
	for _, r := range pub {
		rk, err := s.published(c.Request().Context(), r.Round)
		if err != nil {
			return Chart{}, err
		}
		var sc, rank any
		for _, u := range rk.Units {
			if u.UnitID == id {
				if u.Score != nil {
					sc = *u.Score
				}
				if u.Rank != nil {
					rank = *u.Rank
				}
			}
		}
		rounds, scores, ranks = append(rounds, r.Round), append(scores, sc), append(ranks, rank)
	}
	return Chart{ID: "unit-trend", Height: 260, Option: map[string]any{
		"title":   map[string]any{"text": "得分与名次(已发布轮次)", "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"legend":  map[string]any{"bottom": 0, "data": []string{"得分", "名次"}},
		"grid":    map[string]any{"left": 50, "right": 50, "top": 40, "bottom": 50},
		"tooltip": map[string]any{"trigger": "axis"},
		"xAxis":   map[string]any{"type": "category", "data": rounds},
		"yAxis": []any{
			map[string]any{"type": "value", "name": "得分", "scale": true},
			map[string]any{"type": "value", "name": "名次", "inverse": true, "minInterval": 1, "min": 1},
		},
		"series": []any{
			map[string]any{"name": "得分", "type": "line", "data": scores, "label": map[string]any{"show": true}},
			map[string]any{"name": "名次", "type": "line", "yAxisIndex": 1, "data": ranks, "lineStyle": map[string]any{"type": "dashed"}},
		},
	}}, nil
}

// unitRadar shows each part as a percentage of its (redistributed) full
// points, for the unit and for its category's mean.
func unitRadar(ex scoring.Explanation) Chart {
	var indicator, mine, mean []any
	for _, p := range ex.Parts {
		if p.Name == scoring.PartDeductions || p.Max == nil || *p.Max <= 0 {
			continue
		}
		indicator = append(indicator, map[string]any{"name": p.Label, "max": 100})
		mine = append(mine, unitShare(p.Points, *p.Max))
		mean = append(mean, unitShare(p.Mean, *p.Max))
	}
	if len(indicator) == 0 {
		return Chart{ID: "unit-radar", Empty: "各部分得分率:暂无数据"}
	}
	return Chart{ID: "unit-radar", Height: 300, Option: map[string]any{
		"title":   map[string]any{"text": "各部分得分率(%)与类别平均", "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"legend":  map[string]any{"bottom": 0, "data": []string{"本单位", "类别平均"}},
		"tooltip": map[string]any{},
		"radar":   map[string]any{"indicator": indicator, "radius": "60%"},
		"series": []any{map[string]any{"type": "radar", "data": []any{
			map[string]any{"name": "本单位", "value": mine, "areaStyle": map[string]any{"opacity": 0.2}},
			map[string]any{"name": "类别平均", "value": mean, "lineStyle": map[string]any{"type": "dashed"}},
		}}},
	}}
}

func unitShare(points *float64, max float64) any {
	if points == nil {
		return nil
	}
	return round2(*points / max * 100)
}

// unitBoxChart draws the five-number summaries with every score as a dot.
func unitBoxChart(boxes []unitBox, rows []analytics.PeerRow) Chart {
	var labels []string
	var data []any
	for _, b := range boxes {
		labels = append(labels, b.Label)
		data = append(data, []float64{round2(b.Min), round2(b.Q1), round2(b.Median), round2(b.Q3), round2(b.Max)})
	}
	var dots []any
	for _, r := range rows {
		dots = append(dots, []any{"全部", r.Score})
		if l, ok := unitClassLabels[r.Class]; ok {
			dots = append(dots, []any{l, r.Score})
		}
	}
	return Chart{ID: "unit-box", Height: 300, Option: map[string]any{
		"title":   map[string]any{"text": "评议票分布(最小值、四分位数、中位数、最大值)", "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "item"},
		"grid":    map[string]any{"left": 50, "right": 20, "top": 40, "bottom": 40},
		"xAxis":   map[string]any{"type": "category", "data": labels},
		"yAxis":   map[string]any{"type": "value", "name": "评分", "scale": true},
		"series": []any{
			map[string]any{"name": "分布", "type": "boxplot", "data": data},
			map[string]any{"name": "评分", "type": "scatter", "data": dots, "symbolSize": 8,
				"itemStyle": map[string]any{"color": "#d0312d", "opacity": 0.6}},
		},
	}}
}

// unitPageHandler answers GET /units/:unit.
func (s *Server) unitPageHandler(c echo.Context) error {
	p, err := s.unitData(c, c.Param("unit"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "unit", p.Name+" · "+p.Round, p)
}

// unitIndicatorTable is the unit's indicators export.
func unitIndicatorTable(p unitPage) exportTable {
	t := exportTable{Name: p.Round + " " + p.Name + " 指标", ASCII: "indicators-" + p.UnitID + "-" + p.Round,
		Header: []string{"轮次", "单位编码", "单位名称", "指标", "值(比率以%计)", "得分", "满分", "类别平均值(比率以%计)"}}
	for _, ind := range p.Indicators {
		val, mean := exportF(ind.ValueNum), exportF(ind.MeanNum)
		if ind.IsRate {
			val, mean = exportPct(ind.ValueNum), exportPct(ind.MeanNum)
		}
		t.Rows = append(t.Rows, []any{p.Round, p.UnitID, p.Name, ind.Label, val, exportF(ind.PointsNum), exportF(ind.MaxNum), mean})
	}
	return t
}
