package reports

import (
	"fmt"
	"math"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// trendLines are a category's highest, mean and lowest ranked score per
// round (nil where no unit was ranked), and the extremes over all rounds.
type trendLines struct {
	rounds      []string
	hi, mean    []any
	lo          []any
	top, bottom float64
}

// categoryTrend collects the trend lines of one category over history.
func categoryTrend(category string, history []analytics.Ranking) trendLines {
	t := trendLines{top: math.Inf(-1), bottom: math.Inf(1)}
	for _, h := range history {
		var scores []float64
		for _, u := range h.Units {
			if u.Category == category && u.Score != nil && u.Rank != nil {
				scores = append(scores, *u.Score)
			}
		}
		t.rounds = append(t.rounds, roundShort(h.Round))
		if len(scores) == 0 {
			t.hi, t.mean, t.lo = append(t.hi, nil), append(t.mean, nil), append(t.lo, nil)
			continue
		}
		mx, mn, sum := scores[0], scores[0], 0.0
		for _, s := range scores {
			mx, mn, sum = math.Max(mx, s), math.Min(mn, s), sum+s
		}
		t.top, t.bottom = math.Max(t.top, mx), math.Min(t.bottom, mn)
		t.hi = append(t.hi, labelled(mx))
		t.mean = append(t.mean, labelled(scoring.Round2(sum/float64(len(scores)))))
		t.lo = append(t.lo, labelled(mn))
	}
	return t
}

// categoryTrendChart shows, for one category, the highest, mean and lowest
// score of its ranked units in each of the rounds given.
func categoryTrendChart(id, title, category string, history []analytics.Ranking) Chart {
	t := categoryTrend(category, history)
	line := func(name, color string, data []any, dashed bool, pos string) map[string]any {
		s := map[string]any{"name": name, "type": "line", "data": data, "symbolSize": 6,
			"itemStyle": map[string]any{"color": color}, "label": map[string]any{"show": true, "fontSize": 10, "position": pos}}
		if dashed {
			s["lineStyle"] = map[string]any{"type": "dashed"}
		}
		return s
	}
	// room above the highest and below the lowest point for their labels
	yAxis := map[string]any{"type": "value", "scale": true}
	if !math.IsInf(t.top, 0) {
		yAxis["min"] = math.Max(0, math.Floor((t.bottom-8)/10)*10)
		yAxis["max"] = math.Min(100, math.Ceil((t.top+5)/10)*10)
	}
	return Chart{ID: id, Height: 260, Option: map[string]any{
		"title":   map[string]any{"text": title, "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"bottom": 0, "data": []string{"最高分", "平均分", "最低分"}},
		"grid":    map[string]any{"left": 20, "right": 20, "top": 40, "bottom": 40, "containLabel": true},
		"xAxis":   map[string]any{"type": "category", "data": t.rounds},
		"yAxis":   yAxis,
		"series": []any{line("最高分", tierColors[scoring.TierGood], t.hi, true, "top"), line("平均分", "#2f6fd0", t.mean, false, "top"),
			line("最低分", tierColors[scoring.TierPoor], t.lo, true, "bottom")},
	}}
}

// labelled is a data point whose label shows the value with 2 decimals.
func labelled(v float64) map[string]any {
	return map[string]any{"value": v, "label": map[string]any{"formatter": fmt.Sprintf("%.2f", v)}}
}

// roundShort names a round on a chart axis: 第3次（5—6月）.
func roundShort(round string) string {
	p, err := analytics.ParseRound(round)
	if err != nil {
		return round
	}
	return fmt.Sprintf("第%d次（%d—%d月）", roundNumber(p), int(p.Start.Month()), int(p.End.Month()))
}
