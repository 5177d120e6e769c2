package reports

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// unitBody is what unit.html shows: a one-page profile (单位效能画像) of a
// unit at a round.
type unitBody struct {
	Name, Category, Round string
	Score                 *float64
	Rank                  *int
	Ranked                int // ranked units of the category
	Tier                  *string
	Change                string
	Flags                 []string
	Parts                 []scoring.PartExplanation
	Indicators            []unitIndicator
	// Credibility is set when an indicator was scored on its credibility-weighted value.
	Credibility  bool
	Sentences    []string
	Alerts       map[string]int // level → count as of the round's end
	AlertLevels  []string
	Trend, Radar Chart
}

type unitIndicator struct {
	Label            string
	Value, MeanValue string
	Points           string
}

// Unit renders the profile of one unit at a round: score and rank over the
// year's rounds so far, its parts against the category mean, its indicators,
// the explanation and its open alerts at the round's end.
func (b *Builder) Unit(ctx context.Context, round, unitID string) (Document, error) {
	name, err := unitDocName(unitID, round)
	if err != nil {
		return Document{}, err
	}
	rk, err := b.store.Ranking(ctx, round)
	if err != nil {
		return Document{}, err
	}
	h, err := b.unitHistory(ctx, round, unitID)
	if err != nil {
		return Document{}, err
	}
	body, err := b.unitBodyFor(ctx, rk, h, unitID)
	if err != nil {
		return Document{}, err
	}
	title := fmt.Sprintf("%s效能画像", body.Name)
	return b.docPage(ctx, name, "unit.html", title, roundLabel(round), body, true)
}

// Units renders every unit of a round's stored result as one document, one
// page per unit (单位效能画像汇编): what an office prints, in one go, where the
// separate profiles are what it sends to each unit.
func (b *Builder) Units(ctx context.Context, round string) (Document, error) {
	_, all, err := b.UnitSet(ctx, round)
	return all, err
}

// UnitSet renders every unit's profile of a round on its own (HTMLOnly: to
// send to the unit) and all of them in the compendium, reading the round's
// shared values (rankings of the year, alerts) once.
func (b *Builder) UnitSet(ctx context.Context, round string) ([]Document, Document, error) {
	rk, err := b.store.Ranking(ctx, round)
	if err != nil {
		return nil, Document{}, err
	}
	if h := scoring.SchemeHash(b.scheme); h != rk.SchemeHash {
		return nil, Document{}, fmt.Errorf("reports: %w: %s has scheme %.12s, not %.12s", analytics.ErrSchemeMismatch, round, rk.SchemeHash, h)
	}
	for _, u := range rk.Units {
		if _, err := unitDocName(u.UnitID, round); err != nil {
			return nil, Document{}, err
		}
	}
	h, err := b.unitHistory(ctx, round, "")
	if err != nil {
		return nil, Document{}, err
	}
	explained := analytics.ExplainUnits(rk, b.scheme)
	var docs []Document
	var bodies []unitBody
	for i, u := range rk.Units {
		ex, err := scoring.Explain(explained, u.UnitID)
		if err != nil {
			return nil, Document{}, err
		}
		body := buildUnitBody(round, rk.Units[i], ex, h.rankings, h.alerts)
		name, _ := unitDocName(u.UnitID, round)
		d, err := b.docPage(ctx, name, "unit.html", body.Name+"效能画像", roundLabel(round), body, true)
		if err != nil {
			return nil, Document{}, err
		}
		d.HTMLOnly = true
		docs = append(docs, d)
		bodies = append(bodies, body)
	}
	all, err := b.docPage(ctx, "units-"+round, "units.html", "单位效能画像汇编", roundLabel(round), bodies, true)
	return docs, all, err
}

// unitHistoryData holds what every profile of a round shares: the year's stored
// rankings up to the round and the open alerts at its end (of every unit, or
// of the one unit profiled alone).
type unitHistoryData struct {
	round    string
	rankings []analytics.Ranking
	alerts   []analytics.Alert
}

// unitHistory gathers the shared values of a round's profiles. With unitID
// it reads only that unit's alerts: counting one unit's from the whole
// city's would read every open case and complaint (seconds at city scale),
// and buildUnitBody keeps only the unit's alerts either way.
func (b *Builder) unitHistory(ctx context.Context, round, unitID string) (unitHistoryData, error) {
	p, err := analytics.ParseRound(round)
	if err != nil {
		return unitHistoryData{}, err
	}
	h := unitHistoryData{round: round}
	for k := 1; k <= 6; k++ {
		name := fmt.Sprintf("%d-B%d", p.Start.Year(), k)
		if name > round {
			break
		}
		r, err := b.store.Ranking(ctx, name)
		if errors.Is(err, analytics.ErrNotScored) {
			continue
		} else if err != nil {
			return h, err
		}
		h.rankings = append(h.rankings, r)
	}
	if unitID != "" {
		h.alerts, err = b.store.UnitAlerts(ctx, p.End, unitID)
	} else {
		h.alerts, err = b.store.Alerts(ctx, p.End)
	}
	return h, err
}

// unitBodyFor builds the profile of one unit of rk.
func (b *Builder) unitBodyFor(ctx context.Context, rk analytics.Ranking, h unitHistoryData, unitID string) (unitBody, error) {
	round := rk.Round
	ex, err := b.store.ExplainScheme(ctx, round, unitID, b.scheme)
	if err != nil {
		return unitBody{}, err
	}
	var me *analytics.UnitRanking
	for i := range rk.Units {
		if rk.Units[i].UnitID == unitID {
			me = &rk.Units[i]
		}
	}
	if me == nil {
		return unitBody{}, fmt.Errorf("reports: unit %s is not in round %s", unitID, round)
	}
	return buildUnitBody(round, *me, ex, h.rankings, h.alerts), nil
}

// roundLabel names a round in Chinese: 2019年第3次（5—6月）.
func roundLabel(round string) string {
	p, err := analytics.ParseRound(round)
	if err != nil {
		return round
	}
	k := (int(p.Start.Month())-1)/2 + 1
	return fmt.Sprintf("%d年第%d次机关效能评议（%d—%d月）", p.Start.Year(), k, int(p.Start.Month()), int(p.End.Month()))
}

// buildUnitBody assembles the profile from values only (no store), so that
// it can be tested with hostile names.
func buildUnitBody(round string, me analytics.UnitRanking, ex scoring.Explanation, history []analytics.Ranking, alerts []analytics.Alert) unitBody {
	body := unitBody{Name: me.Name, Category: me.Category, Round: roundLabel(round), Score: me.Score, Rank: me.Rank,
		Ranked: ex.RankedInCat, Tier: me.Tier, Change: change(me.Rank, me.PreviousRank), Flags: flagLabels(me.Flags),
		Parts: ex.Parts, Sentences: scoring.CompactSentences(ex), Alerts: map[string]int{},
		AlertLevels: []string{analytics.LevelOverdue, analytics.LevelAlarm, analytics.LevelDueSoon}}
	for _, ind := range ex.Indicators {
		v := indicatorValue(ind.Name, ind.Value)
		if ind.N > 0 && ind.Value != nil {
			v += fmt.Sprintf("(%d)", ind.N)
			if movedByCredibility(ind.Name, *ind.Value, ind.Credible) {
				v += "→" + indicatorValue(ind.Name, ind.Credible)
				body.Credibility = true
			}
		}
		body.Indicators = append(body.Indicators, unitIndicator{Label: ind.Label,
			Value: v, MeanValue: indicatorValue(ind.Name, ind.MeanValue),
			Points: strconv.FormatFloat(ind.Points, 'f', 2, 64)})
	}
	for _, a := range alerts {
		if a.UnitID == me.UnitID {
			body.Alerts[a.Level]++
		}
	}
	body.Trend = unitTrend(me.UnitID, history)
	body.Radar = unitRadar(me.UnitID, ex)
	return body
}

// movedByCredibility reports whether the credibility-weighted value the
// points come from differs from the raw value by at least half a percentage
// point of a rate, or half a point of a 0–100 mean.
func movedByCredibility(name string, raw float64, credible *float64) bool {
	if credible == nil {
		return false
	}
	d := math.Abs(*credible - raw)
	if name == scoring.IndPeerMean || name == scoring.IndSurveyMean {
		return d >= 0.5
	}
	return d >= 0.005
}

// indicatorValue formats a rate as a percentage and a 0–100 mean as a number.
func indicatorValue(name string, v *float64) string {
	if v == nil {
		return "—"
	}
	if name == scoring.IndPeerMean || name == scoring.IndSurveyMean {
		return fmt.Sprintf("%.2f", *v)
	}
	return fmt.Sprintf("%.2f%%", *v*100)
}

// unitTrend is the unit's score (left axis) and rank (right axis, 1 on top)
// over the rounds given.
func unitTrend(unitID string, history []analytics.Ranking) Chart {
	var rounds []string
	var scores, ranks []any
	for _, h := range history {
		rounds = append(rounds, h.Round)
		var s, r any
		for _, u := range h.Units {
			if u.UnitID == unitID {
				if u.Score != nil {
					s = *u.Score
				}
				if u.Rank != nil {
					r = *u.Rank
				}
			}
		}
		scores, ranks = append(scores, s), append(ranks, r)
	}
	return Chart{ID: "unit-trend-" + unitID, Height: 210, Option: map[string]any{
		"title":   map[string]any{"text": "得分与名次", "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"legend":  map[string]any{"bottom": 0, "data": []string{"得分", "名次"}},
		"grid":    map[string]any{"left": 50, "right": 50, "top": 40, "bottom": 50},
		"tooltip": map[string]any{"trigger": "axis"},
		"xAxis":   map[string]any{"type": "category", "data": rounds},
		"yAxis": []any{
			map[string]any{"type": "value", "name": "得分", "scale": true},
			map[string]any{"type": "value", "name": "名次", "inverse": true, "minInterval": 1, "min": 1},
		},
		"series": []any{
			map[string]any{"name": "得分", "type": "line", "data": scores, "label": map[string]any{"show": true}, "connectNulls": false},
			map[string]any{"name": "名次", "type": "line", "yAxisIndex": 1, "data": ranks, "lineStyle": map[string]any{"type": "dashed"}},
		},
	}}
}

// unitRadar shows each part as a share (%) of its maximum for the unit and
// for the category mean.
func unitRadar(unitID string, ex scoring.Explanation) Chart {
	id := "unit-radar-" + unitID
	var indicator []any
	var mine, mean []any
	for _, p := range ex.Parts {
		if p.Name == scoring.PartDeductions || p.Max == nil || *p.Max <= 0 {
			continue
		}
		indicator = append(indicator, map[string]any{"name": p.Label, "max": 100})
		mine = append(mine, share(p.Points, *p.Max))
		mean = append(mean, share(p.Mean, *p.Max))
	}
	return Chart{ID: id, Height: 210, Option: map[string]any{
		"title":  map[string]any{"text": "各部分得分率（%）", "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"legend": map[string]any{"bottom": 0, "data": []string{"本单位", "类别平均"}},
		"radar":  map[string]any{"indicator": indicator, "radius": "60%"},
		"series": []any{map[string]any{"type": "radar", "data": []any{
			map[string]any{"name": "本单位", "value": mine, "areaStyle": map[string]any{"opacity": 0.2}},
			map[string]any{"name": "类别平均", "value": mean, "lineStyle": map[string]any{"type": "dashed"}},
		}}},
	}}
}

// share is points as a percentage of max, 2 decimals; nil without points.
func share(points *float64, max float64) any {
	if points == nil {
		return nil
	}
	return scoring.Round2(*points / max * 100)
}

// flagLabels turns result flags into Chinese.
func flagLabels(flags []string) []string {
	var out []string
	for _, f := range flags {
		out = append(out, FlagLabel(f))
	}
	return out
}

// FlagLabel is the Chinese text of a result flag.
func FlagLabel(f string) string {
	switch f {
	case scoring.FlagNoData:
		return "无任何数据，不参与排名"
	case scoring.FlagInsufficientPeerScores:
		return "有效评议票不足 3 张，评议部分不计"
	case scoring.FlagDeductionsCapped:
		return "扣分超过上限，按上限计"
	case scoring.FlagNotRobustLast:
		return "末位不稳健"
	case scoring.FlagNotRobustPoor:
		return "较差等次不稳健"
	}
	if len(f) > len(scoring.FlagRedistributedPrefix) && f[:len(scoring.FlagRedistributedPrefix)] == scoring.FlagRedistributedPrefix {
		part := f[len(scoring.FlagRedistributedPrefix):]
		return scoring.PartLabels[part] + "无数据，分值按比例分配到其他部分"
	}
	return f
}
