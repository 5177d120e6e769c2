package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The 目标任务 page (/targets): each reform target as of a date (?date=;
// default the earlier of today and the last day of data), with its progress
// against the value and against time, its status (scoring.TargetStatus, as
// the CLI and the monthly bulletin show it) and a chart of the monthly
// values, the trend extended to the due month and the value.
// The indicators' directions come from the scheme the server scores with
// (Config.Scheme), as the CLI takes them from the scheme it is given.

// targetsPage is the targets page's body.
type targetsPage struct {
	AsOf   string
	AtRisk int
	Cards  []targetCard
}

// targetCard is one target, ready to show.
type targetCard struct {
	ID, Name               string
	Indicator, IndicatorID string
	Scope                  string // 全市, or the unit's name
	ScopeID                string // the unit's id ("" for the city)
	Op, Value              string // ≥ or ≤, the value as a percentage
	Due                    string
	Current, Progress      string // — without data
	ProgressBar            int    // 0–100 for <progress>
	Time                   string
	TimeBar                int
	Met, AtRisk            bool
	Status                 string // the verdict in Chinese
	Bad                    bool   // due and missed, or at risk
	Trend                  string // the reach month, or why there is none, in words
	AtDue                  string // the trend's value at the due month, — without a trend
	Chart                  Chart
}

// targetsAll are the targets as of a day under the server's scheme (cached
// per day; imports invalidate).
func (s *Server) targetsAll(ctx context.Context, day time.Time) ([]analytics.Target, error) {
	v, err := s.cached("targets-all:"+day.Format(time.DateOnly), func() (any, error) {
		return s.store.Targets(ctx, day, s.cfg.Scheme)
	})
	if err != nil {
		return nil, taskCalendarError(err)
	}
	return v.([]analytics.Target), nil
}

// targetPct is a rate as a percentage with one decimal.
func targetPct(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }

// targetBar is a share as a whole percentage for a <progress> bar, 0–100.
func targetBar(v float64) int {
	if math.IsNaN(v) {
		return 0
	}
	return int(math.Round(math.Max(0, math.Min(1, v)) * 100))
}

// targetCardOf shapes one target; i numbers its chart.
func targetCardOf(i int, t analytics.Target, units map[string]analytics.Unit) targetCard {
	c := targetCard{ID: t.ID, Name: t.Name, IndicatorID: t.Indicator, Indicator: analytics.TargetIndicatorLabel(t.Indicator),
		Op: "≥", Value: targetPct(t.Value), Due: t.Due.Format(time.DateOnly), Current: "—", Progress: "—",
		Time: targetPct(t.TimeProgress), TimeBar: targetBar(t.TimeProgress), Met: t.Met && t.HasCurrent, AtRisk: t.AtRisk, AtDue: "—",
		Status: t.Status.Label(), Bad: t.Status.Bad()}
	if c.Indicator == "" {
		c.Indicator = t.Indicator
	}
	if t.Lower {
		c.Op = "≤"
	}
	if t.Scope == "city" {
		c.Scope = "全市"
	} else {
		c.Scope, c.ScopeID = taskUnitName(t.Scope, units), t.Scope
	}
	if t.HasCurrent {
		c.Current, c.Progress, c.ProgressBar = targetPct(t.Current), targetPct(t.Progress), targetBar(t.Progress)
	}
	switch {
	case !t.HasTrend:
		c.Trend = "有数据的月份不足两个,无法拟合趋势"
	case t.Reaches:
		c.Trend = "趋势线自 " + t.ReachOn + " 起达到目标值"
		c.AtDue = targetPct(t.AtDue)
	default:
		c.Trend = "按趋势无法达到目标值"
		c.AtDue = targetPct(t.AtDue)
	}
	c.Chart = targetChart(i, t)
	return c
}

// targetChart draws the monthly values, the trend line from the start month
// to the due month and a horizontal line at the value, in percent.
func targetChart(i int, t analytics.Target) Chart {
	start, err := time.Parse("2006-01", t.StartMonth)
	n := t.DueIndex + 1
	if err != nil || n < len(t.Months) {
		n = len(t.Months)
	}
	months := make([]string, n)
	values := make([]any, n)
	trend := make([]any, n)
	goal := make([]any, n)
	for k := range n {
		if err == nil {
			months[k] = start.AddDate(0, k, 0).Format("2006-01")
		}
		goal[k] = round2(t.Value * 100)
		if t.HasTrend {
			trend[k] = round2(t.Trend.At(float64(k)) * 100)
		}
	}
	for _, m := range t.Months {
		if m.Index >= 0 && m.Index < n {
			months[m.Index] = m.Month
			if !math.IsNaN(m.Value) {
				values[m.Index] = round2(m.Value * 100)
			}
		}
	}
	series := []any{
		map[string]any{"name": "月度值", "type": "line", "data": values, "connectNulls": false,
			"label": map[string]any{"show": true, "formatter": "{c}%", "fontSize": 10}},
		map[string]any{"name": "目标值", "type": "line", "data": goal, "symbol": "none",
			"lineStyle": map[string]any{"type": "dashed", "color": "#c62828"}, "itemStyle": map[string]any{"color": "#c62828"}},
	}
	legend := []string{"月度值", "目标值"}
	if t.HasTrend {
		series = append(series, map[string]any{"name": "趋势", "type": "line", "data": trend, "symbol": "none",
			"lineStyle": map[string]any{"type": "dotted", "color": "#616e7c"}, "itemStyle": map[string]any{"color": "#616e7c"}})
		legend = append(legend, "趋势")
	}
	return Chart{ID: fmt.Sprintf("target-chart-%d", i), Height: 260, Option: map[string]any{
		"legend":  map[string]any{"bottom": 0, "data": legend},
		"grid":    map[string]any{"left": 50, "right": 20, "top": 20, "bottom": 50},
		"tooltip": map[string]any{"trigger": "axis"},
		"xAxis":   map[string]any{"type": "category", "data": months},
		"yAxis":   map[string]any{"type": "value", "scale": true, "axisLabel": map[string]any{"formatter": "{value}%"}},
		"series":  series,
	}}
}

// targetsDay reads ?date=; empty means the earlier of today and the last
// day of data. A malformed date is a 400.
func (s *Server) targetsDay(ctx context.Context, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return s.store.TargetsAsOf(ctx, s.now())
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.Year() < 1900 {
		return time.Time{}, echo.NewHTTPError(http.StatusBadRequest, "日期格式应为 YYYY-MM-DD,例如 2019-06-30")
	}
	return d, nil
}

// targetsPageHandler answers GET /targets.
func (s *Server) targetsPageHandler(c echo.Context) error {
	ctx := c.Request().Context()
	day, err := s.targetsDay(ctx, c.QueryParam("date"))
	if err != nil {
		return err
	}
	ts, err := s.targetsAll(ctx, day)
	if err != nil {
		return err
	}
	units, err := s.dashUnits(ctx)
	if err != nil {
		return err
	}
	p := targetsPage{AsOf: day.Format(time.DateOnly)}
	for i, t := range ts {
		if t.AtRisk {
			p.AtRisk++
		}
		p.Cards = append(p.Cards, targetCardOf(i, t, units))
	}
	return s.render(c, http.StatusOK, "targets", "目标任务 "+p.AsOf, p)
}
