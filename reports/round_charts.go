package reports

import (
	"fmt"
	"math"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Tier colours of the charts (the tables use the CSS classes tier-…).
var tierColors = map[string]string{
	scoring.TierGood: "#2e9d4f", scoring.TierFairGood: "#2f6fd0", scoring.TierAverage: "#9a9a9a", scoring.TierPoor: "#d0312d",
}

var tierOrder = []string{scoring.TierGood, scoring.TierFairGood, scoring.TierAverage, scoring.TierPoor}

// tierColor is a tier's chart colour, grey for an unknown tier.
func tierColor(t string) string {
	if c, ok := tierColors[t]; ok {
		return c
	}
	return "#9a9a9a"
}

// tierBar is one bar of a tier-coloured ranking chart.
type tierBar struct {
	Name  string
	Score float64
	Tier  string
}

// tierBarChart is a horizontal ranking bar chart, rank 1 on top, each bar
// coloured by its tier and labelled with its score (2 decimals).
func tierBarChart(id, title string, ranked []analytics.UnitRanking) Chart {
	bars := make([]tierBar, 0, len(ranked))
	for _, u := range ranked {
		bars = append(bars, tierBar{Name: u.Name, Score: *u.Score, Tier: OptStr(u.Tier)})
	}
	return tierBars(id, title, "得分", bars)
}

// tierBars draws bars in the order given, each in its tier's colour, with a
// legend of the tiers present.
func tierBars(id, title, seriesName string, bars []tierBar) Chart {
	names := make([]string, 0, len(bars))
	data := make([]any, 0, len(bars))
	present := map[string]bool{}
	low := math.Inf(1)
	for _, b := range bars {
		names = append(names, b.Name)
		data = append(data, map[string]any{"value": b.Score,
			"itemStyle": map[string]any{"color": tierColor(b.Tier)},
			"label":     map[string]any{"formatter": fmt.Sprintf("%.2f", b.Score)}})
		present[b.Tier] = true
		low = math.Min(low, b.Score)
	}
	min := 0.0
	if len(bars) > 0 && low > 20 {
		min = math.Floor((low-10)/10) * 10
	}
	series := []any{map[string]any{"name": seriesName, "type": "bar", "stack": "rank", "barMaxWidth": 18, "data": data,
		"label": map[string]any{"show": true, "position": "right", "fontSize": 11}}}
	// Empty series stacked on the bars give the legend its tier colours
	// without taking space on the axis.
	var legend []string
	for _, t := range tierOrder {
		if present[t] {
			legend = append(legend, t)
			series = append(series, map[string]any{"name": t, "type": "bar", "stack": "rank", "data": []any{},
				"itemStyle": map[string]any{"color": tierColor(t)}})
		}
	}
	return Chart{ID: id, Height: 26*len(bars) + 90, Option: map[string]any{
		"title":   map[string]any{"text": title, "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"legend":  map[string]any{"bottom": 0, "data": legend, "selectedMode": false},
		"grid":    map[string]any{"left": 10, "right": 60, "top": 36, "bottom": 36, "containLabel": true},
		"xAxis":   map[string]any{"type": "value", "min": min},
		"yAxis":   map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"interval": 0}},
		"series":  series,
	}}
}

// partsChart stacks each unit's parts (after redistribution) and shows its
// deductions as a negative bar.
func partsChart(id, title string, ranked []analytics.UnitRanking) Chart {
	names := make([]string, 0, len(ranked))
	colors := map[string]string{scoring.PartPeer: "#5470c6", scoring.PartService: "#91cc75",
		scoring.PartComplaints: "#fac858", scoring.PartSatisfaction: "#73c0de", scoring.PartTasks: "#9a60b4",
		scoring.PartDeductions: "#d0312d"}
	series := []any{}
	var legend []string
	maxDed := 0.0
	for _, u := range ranked {
		names = append(names, u.Name)
		if v := u.Parts[scoring.PartDeductions]; v != nil {
			maxDed = math.Max(maxDed, *v)
		}
	}
	xAxis := map[string]any{"type": "value", "max": 100}
	if maxDed > 0 {
		xAxis["min"] = -math.Ceil(maxDed/10) * 10
	}
	for _, part := range scoring.PartsShown(analytics.WithTasksPart(ranked)) {
		label := partLabel(part)
		legend = append(legend, label)
		series = append(series, map[string]any{"name": label, "type": "bar", "stack": "parts", "barMaxWidth": 18,
			"data": partData(part, ranked), "itemStyle": map[string]any{"color": colors[part]}})
	}
	return Chart{ID: id, Height: 26*len(ranked) + 100, Option: map[string]any{
		"title":   map[string]any{"text": title, "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"legend":  map[string]any{"bottom": 0, "data": legend},
		"grid":    map[string]any{"left": 10, "right": 30, "top": 36, "bottom": 40, "containLabel": true},
		"xAxis":   xAxis,
		"yAxis":   map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"interval": 0}},
		"series":  series,
	}}
}

// partData is one part's points per unit, deductions negative, nil where
// the part has no data.
func partData(part string, ranked []analytics.UnitRanking) []any {
	data := make([]any, 0, len(ranked))
	for _, u := range ranked {
		v := u.Parts[part]
		switch {
		case v == nil:
			data = append(data, nil)
		case part == scoring.PartDeductions:
			data = append(data, scoring.Round2(-*v))
		default:
			data = append(data, scoring.Round2(*v))
		}
	}
	return data
}
