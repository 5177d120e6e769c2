package reports

import (
	"context"
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// yearBody is what year.html shows.
type yearBody struct {
	Summary    []string
	Formula    string
	MeanHead   string // 六次评议平均, or 4次评议平均 when fewer rounds were scored
	RoundHeads []string
	Categories []yearCategory
	Trend      Chart
}

type yearCategory struct {
	Index    string
	Name     string
	Ranked   int
	Rows     []yearRow
	Unranked []yearRow
	Notes    []string
	Bar      Chart
}

type yearRow struct {
	Rank, Name, Score, RoundsMean, Survey, Tier string
	Rounds                                      []string // B1…B6, — when not ranked in the round
	Reason                                      string   // why unranked
}

// Year renders the year composite (年度综合评议) of year under the
// builder's scheme: the composite ranking per category, each unit's round
// scores and the charts.
func (b *Builder) Year(ctx context.Context, year int) (Document, error) {
	an, err := b.store.Annual(ctx, year, b.scheme)
	if err != nil {
		return Document{}, err
	}
	body := buildYearBody(an, b.scheme.Year)
	title := fmt.Sprintf("%d年度机关效能综合评议通报", year)
	return b.doc(ctx, fmt.Sprintf("year-%d", year), "year.html", title, "（1—12月）", body)
}

// yearCat is one category of the composite.
type yearCat = catGroup[analytics.AnnualUnit]

// buildYearBody assembles the year report from values only.
func buildYearBody(an analytics.AnnualRanking, w scoring.AnnualWeights) yearBody {
	rounds := make([]string, 6)
	scored := map[string]bool{}
	for k := range rounds {
		rounds[k] = fmt.Sprintf("%d-B%d", an.Year, k+1)
	}
	for _, u := range an.Units {
		for r := range u.Rounds {
			scored[r] = true
		}
	}
	n := 0
	for _, r := range rounds {
		if scored[r] {
			n++
		}
	}
	body := yearBody{MeanHead: "六次评议平均",
		Formula: fmt.Sprintf("综合得分 = 各次双月评议得分的平均分 × %s + 全年效能问政测评平均分 × %s。", weightPct(w.Rounds), weightPct(w.Survey))}
	if n != 6 {
		body.MeanHead = fmt.Sprintf("%d次评议平均", n)
	}
	for k := range rounds {
		body.RoundHeads = append(body.RoundHeads, fmt.Sprintf("第%d次", k+1))
	}
	cats := yearGroup(an.Units)
	for i, c := range cats {
		yc := yearCategory{Index: chineseOrdinal(i + 1), Name: c.Name, Ranked: len(c.Ranked)}
		var bars []tierBar
		for _, u := range c.Ranked {
			yc.Rows = append(yc.Rows, yearRowOf(u, rounds))
			bars = append(bars, tierBar{Name: u.Name, Score: *u.Score, Tier: OptStr(u.Tier)})
			if notes := yearNotes(u.Flags); len(notes) > 0 {
				yc.Notes = append(yc.Notes, u.Name+strings.Join(notes, "，"))
			}
		}
		for _, u := range c.Unranked {
			row := yearRowOf(u, rounds)
			row.Reason = "本年度无任何评议得分和效能问政测评数据"
			yc.Unranked = append(yc.Unranked, row)
		}
		yc.Bar = tierBars(fmt.Sprintf("year-rank-%d", i+1), c.Name+"综合得分", "综合得分", bars)
		body.Categories = append(body.Categories, yc)
	}
	body.Summary = yearSummary(an, cats, n)
	body.Trend = yearTrendChart(cats, rounds)
	return body
}

func weightPct(w float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", w*100), "0"), ".") + "%"
}

// yearGroup splits the composite's units into categories in the order they first appear.
func yearGroup(units []analytics.AnnualUnit) []yearCat {
	return groupByCategory(units, func(u analytics.AnnualUnit) (string, string, *int) {
		if u.Score == nil {
			return u.Category, u.UnitID, nil
		}
		return u.Category, u.UnitID, u.Rank
	})
}

func yearRowOf(u analytics.AnnualUnit, rounds []string) yearRow {
	row := yearRow{Rank: OptInt(u.Rank), Name: u.Name, Score: OptF2(u.Score), RoundsMean: OptF2(u.RoundsMean),
		Survey: OptF2(u.SurveyMean), Tier: OptStr(u.Tier)}
	for _, r := range rounds {
		if v, ok := u.Rounds[r]; ok {
			row.Rounds = append(row.Rounds, fmt.Sprintf("%.2f", v))
		} else {
			row.Rounds = append(row.Rounds, "—")
		}
	}
	return row
}

func yearNotes(flags []string) []string {
	var out []string
	for _, f := range flags {
		switch f {
		case scoring.FlagNoSurvey:
			out = append(out, "无效能问政测评数据，综合得分按各次评议平均分计")
		case scoring.FlagNoRounds:
			out = append(out, "未参与任何一次评议排名，综合得分按效能问政测评计")
		}
	}
	return out
}

func yearSummary(an analytics.AnnualRanking, cats []yearCat, scoredRounds int) []string {
	ranked, unranked := 0, 0
	tiers := map[string]int{}
	for _, c := range cats {
		ranked += len(c.Ranked)
		unranked += len(c.Unranked)
		for _, u := range c.Ranked {
			tiers[OptStr(u.Tier)]++
		}
	}
	first := fmt.Sprintf("%d年共开展双月效能评议 %d 次，%d 个市直部门参加年度综合评议，其中 %d 个单位参与排名，分 %d 个考评类别。",
		an.Year, scoredRounds, ranked+unranked, ranked, len(cats))
	var tierParts []string
	for _, t := range tierOrder {
		if tiers[t] > 0 {
			tierParts = append(tierParts, fmt.Sprintf("“%s”等次 %d 个", t, tiers[t]))
		}
	}
	if len(tierParts) > 0 {
		first += "评定" + strings.Join(tierParts, "，") + "。"
	}
	out := []string{first}
	var lines []string
	for _, c := range cats {
		if len(c.Ranked) == 0 {
			lines = append(lines, c.Name+"无单位参与排名")
			continue
		}
		s := fmt.Sprintf("%s %d 个单位参与排名，", c.Name, len(c.Ranked))
		s += firstAndLast(c.Ranked, func(u analytics.AnnualUnit) (string, float64, int) { return u.Name, *u.Score, *u.Rank })
		lines = append(lines, s)
	}
	out = append(out, "分类别看，"+strings.Join(lines, "；")+"。")
	var noSurvey, noRounds, none []string
	for _, c := range cats {
		for _, u := range c.Ranked {
			if containsString(u.Flags, scoring.FlagNoSurvey) {
				noSurvey = append(noSurvey, u.Name)
			}
			if containsString(u.Flags, scoring.FlagNoRounds) {
				noRounds = append(noRounds, u.Name)
			}
		}
		for _, u := range c.Unranked {
			none = append(none, u.Name)
		}
	}
	var notes []string
	if len(noSurvey) > 0 {
		notes = append(notes, strings.Join(noSurvey, "、")+"全年无效能问政测评数据，综合得分按各次评议平均分计。")
	}
	if len(noRounds) > 0 {
		notes = append(notes, strings.Join(noRounds, "、")+"未参与任何一次双月评议排名，综合得分按效能问政测评计。")
	}
	if len(none) > 0 {
		notes = append(notes, strings.Join(none, "、")+"全年无任何评议得分和效能问政测评数据，不参与年度排名。")
	}
	if len(notes) > 0 {
		out = append(out, strings.Join(notes, ""))
	}
	return out
}

// yearTrendChart is each category's mean round score over the year's rounds.
func yearTrendChart(cats []yearCat, rounds []string) Chart {
	var x []string
	for _, r := range rounds {
		x = append(x, roundShort(r))
	}
	var series []any
	var legend []string
	for _, c := range cats {
		var data []any
		for _, r := range rounds {
			sum, n := 0.0, 0
			for _, u := range append(append([]analytics.AnnualUnit{}, c.Ranked...), c.Unranked...) {
				if v, ok := u.Rounds[r]; ok {
					sum += v
					n++
				}
			}
			if n == 0 {
				data = append(data, nil)
			} else {
				data = append(data, scoring.Round2(sum/float64(n)))
			}
		}
		legend = append(legend, c.Name)
		series = append(series, map[string]any{"name": c.Name, "type": "line", "data": data, "symbolSize": 6})
	}
	return Chart{ID: "year-trend", Height: 300, Option: map[string]any{
		"title":   map[string]any{"text": "各类别各次评议平均分", "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"bottom": 0, "data": legend},
		"grid":    map[string]any{"left": 20, "right": 20, "top": 40, "bottom": 40, "containLabel": true},
		"xAxis":   map[string]any{"type": "category", "data": x, "axisLabel": map[string]any{"interval": 0, "fontSize": 11}},
		"yAxis":   map[string]any{"type": "value", "scale": true},
		"series":  series,
	}}
}
