package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The investment chart (投资完成率与时间进度) of a key-project bulletin:
// every county's investment completion rate against the time progress.

// projChart is the chart's section.
type projChart struct {
	Heading string
	Note    string
	Chart   Chart
}

// Colours of the investment chart.
const (
	projBarColor    = "#2f6fd0"
	projBehindColor = "#c0000b"
)

// projChartOf builds the chart's section with its note on the time progress.
func projChartOf(heading string, q scoring.QuarterRates) projChart {
	return projChart{Heading: heading,
		Note:  fmt.Sprintf("时间进度为%s（已过月数 ÷ 12）。红色柱为投资完成率低于时间进度的县区，虚线为时间进度。", projPct(q.TimeProgress)),
		Chart: projInvestmentChart("projects-investment", q)}
}

// projInvestmentChart draws every county's investment completion rate (%)
// as a horizontal bar, highest first, red when below the time progress,
// with a dashed mark line at the time progress. Counties without an annual
// plan keep their place on the axis with no bar.
func projInvestmentChart(id string, q scoring.QuarterRates) Chart {
	cs := projByInvestment(q)
	names, data := projInvestmentBars(cs)
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

// projByInvestment orders the counties by investment completion rate,
// highest first, those without an annual plan last (stable otherwise).
func projByInvestment(q scoring.QuarterRates) []scoring.CountyRates {
	cs := append([]scoring.CountyRates(nil), q.Counties...)
	sort.SliceStable(cs, func(a, b int) bool {
		va, vb := cs[a].Rates[scoring.RateInvestment].Value, cs[b].Rates[scoring.RateInvestment].Value
		switch {
		case va == nil || vb == nil:
			return va != nil && vb == nil
		}
		return *va > *vb
	})
	return cs
}

// projInvestmentBars are the axis names and the bars of the chart: the
// rate in %, red when below the time progress, nil without an annual plan.
func projInvestmentBars(cs []scoring.CountyRates) ([]string, []any) {
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
	return names, data
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
