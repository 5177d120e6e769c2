package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
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

// What-if (权重模拟): a leader moves the parts' points and the peer class
// weights and sees the round re-ranked at once. The server recomputes the
// round from the inputs its published version was computed from (stored
// with that version; read once and cached) under the published run's
// scheme with the requested changes, so data imported after publication
// never shows. Nothing is stored:
// the page and the JSON say it is a simulation.

// whatIfNotice is the simulation banner of the page and the JSON.
const whatIfNotice = "模拟结果,不改变已发布的排名"

// whatIfKnob is one slider.
type whatIfKnob struct {
	Key, Label     string
	Min, Max, Step float64
	Value          float64
}

// whatIfPointKeys are the query keys of the points: the peer part, each rate
// indicator, the satisfaction part.
var whatIfPointKeys = append(append(append([]string{"peer"}, scoring.ServiceIndicators...), scoring.ComplaintIndicators...), "satisfaction")

// whatIfKeysOf are the point keys of a published scheme: whatIfPointKeys,
// and the 督办落实 indicators when the scheme scores that part (setting
// both to 0 simulates the round without it).
func whatIfKeysOf(base scoring.Scheme) []string {
	if !base.HasTasksPart() {
		return whatIfPointKeys
	}
	return append(append([]string(nil), whatIfPointKeys...), scoring.TaskIndicators...)
}

// whatIfClassKeys are the query keys of the peer class weights.
var whatIfClassKeys = []string{scoring.ClassLeader, scoring.ClassLeadHead, scoring.ClassMemberHead}

// whatIfPoints reads and writes the points of a key in a scheme.
func whatIfPoints(sc *scoring.Scheme, key string) *float64 {
	switch key {
	case "peer":
		return &sc.PeerPoints
	case "satisfaction":
		return &sc.SatisfactionPoints
	}
	return &sc.Rule(key).Points
}

func whatIfLabel(key string) string {
	switch key {
	case "peer":
		return "效能评议"
	case "satisfaction":
		return "满意度测评"
	}
	return scoring.IndicatorLabels[key]
}

// whatIfScheme applies the query's values to a copy of base. Points must be
// numbers in 0–100 and sum to more than 0; class weights in (0, 100]. The
// class weights are normalised to sum 1 (said in the messages) — only when
// they do not already, so the published weights stay bit-identical.
func whatIfScheme(base scoring.Scheme, q url.Values) (scoring.Scheme, []string, error) {
	sc := base
	sc.Peer.ClassWeights = maps.Clone(base.Peer.ClassWeights) // never write the cached scheme's map
	num := func(key string) (float64, bool, error) {
		v := strings.TrimSpace(q.Get(key))
		if v == "" {
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("%s 应为数字", key))
		}
		return f, true, nil
	}
	total := 0.0
	for _, k := range whatIfKeysOf(base) {
		f, ok, err := num(k)
		if err != nil {
			return sc, nil, err
		}
		if ok {
			if f < 0 || f > 100 {
				return sc, nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("%s(%s)的分值应在 0 到 100 之间", whatIfLabel(k), k))
			}
			*whatIfPoints(&sc, k) = f
		}
		total += *whatIfPoints(&sc, k)
	}
	if total <= 0 {
		return sc, nil, echo.NewHTTPError(http.StatusBadRequest, "各部分分值合计须大于 0")
	}
	for _, k := range whatIfClassKeys {
		f, ok, err := num(k)
		if err != nil {
			return sc, nil, err
		}
		if ok {
			if f <= 0 || f > 100 {
				return sc, nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("评议人类别 %s 的权重须大于 0(且不超过 100)", k))
			}
			sc.Peer.ClassWeights[k] = f
		}
	}
	var msgs []string
	sum := 0.0
	for _, w := range sc.Peer.ClassWeights {
		sum += w
	}
	if sum > 0 && math.Abs(sum-1) > 1e-9 {
		for k, w := range sc.Peer.ClassWeights {
			sc.Peer.ClassWeights[k] = w / sum
		}
		msgs = append(msgs, fmt.Sprintf("评议人类别权重合计为 %.4g,已按比例换算为合计 1", sum))
	}
	if nominal := scoring.NominalPoints(base); math.Abs(total-whatIfTotal(nominal)) > 1e-9 {
		msgs = append(msgs, fmt.Sprintf("各部分分值合计 %.2f 分(已发布方案为 %.2f 分),得分不再以百分计", total, whatIfTotal(nominal)))
	}
	return sc, msgs, nil
}

func whatIfTotal(nominal map[string]float64) float64 {
	t := 0.0
	for _, v := range nominal {
		t += v
	}
	return t
}

// whatIfInputsOf reads the inputs the published version of a round was
// computed from (cached per round and version): a simulation never shows
// data imported or computed after what leaders were shown.
func (s *Server) whatIfInputsOf(ctx context.Context, round string, version int, base scoring.Scheme) ([]scoring.UnitInput, error) {
	v, err := s.cached(fmt.Sprintf("whatif-inputs:%s:v%d", round, version), func() (any, error) {
		in, err := s.store.RunInputs(ctx, round, version, base)
		if errors.Is(err, analytics.ErrRunInputsGone) {
			return nil, echo.NewHTTPError(http.StatusConflict,
				fmt.Sprintf("轮次 %s 已发布的第 %d 版未保存计算时的数据,且数据已变更,无法模拟;请重新计算并发布后再试", round, version))
		}
		if err != nil {
			return nil, err
		}
		return in.UnitInputs(), nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]scoring.UnitInput), nil
}

// whatIfResponse is the JSON of GET /api/v1/whatif?round=2019-B6&peer=50&…
// (query keys: peer, on_time_rate, online_rate, one_visit_rate,
// instant_rate, complaint_on_time_rate, resolution_rate, satisfaction_rate,
// satisfaction — points 0–100; leader, lead_head, member_head — class
// weights > 0; a key left out keeps the published scheme's value):
//
//	{"simulation": true, "notice": "模拟结果,不改变已发布的排名",
//	 "round": "2019-B6", "published_version": 1,
//	 "weights": {"points": {"peer": 50, "on_time_rate": 8, …, "satisfaction": 15},
//	             "class_weights": {"leader": 0.4, "lead_head": 0.3, "member_head": 0.3}},
//	 "total_points": 100,
//	 "messages": ["评议人类别权重合计为 2,已按比例换算为合计 1"],
//	 "units": [{"unit_id": "D44", "name": "…", "category": "城市建设类",
//	            "score": 86.74, "rank": 1, "tier": "好",
//	            "published_score": 86.74, "published_rank": 1, "published_tier": "好",
//	            "rank_change": 0, "score_change": 0}]}
//
// weights are those used (class weights after normalisation); units are the
// departments ordered by category, then simulated rank, then unit_id, with
// unranked units last in their category. score, rank and tier are the
// simulation's (null when unranked); published_* are the published
// version's; rank_change is published_rank − rank (positive: the unit
// moves up; null when either is null); score_change is score −
// published_score (2 decimals; null when either is null). A malformed or
// out-of-range value is a 400 {"error": "…"}, a round without a published
// version a 404.
type whatIfResponse struct {
	Simulation       bool          `json:"simulation"`
	Notice           string        `json:"notice"`
	Round            string        `json:"round"`
	PublishedVersion int           `json:"published_version"`
	Weights          whatIfWeights `json:"weights"`
	TotalPoints      float64       `json:"total_points"`
	Messages         []string      `json:"messages"`
	Units            []whatIfUnit  `json:"units"`
}

// whatIfWeights are the points and class weights a simulation used.
type whatIfWeights struct {
	Points       map[string]float64 `json:"points"`
	ClassWeights map[string]float64 `json:"class_weights"`
}

// whatIfUnit is one department's simulated and published result.
type whatIfUnit struct {
	UnitID         string   `json:"unit_id"`
	Name           string   `json:"name"`
	Category       string   `json:"category"`
	Score          *float64 `json:"score"`
	Rank           *int     `json:"rank"`
	Tier           *string  `json:"tier"`
	PublishedScore *float64 `json:"published_score"`
	PublishedRank  *int     `json:"published_rank"`
	PublishedTier  *string  `json:"published_tier"`
	RankChange     *int     `json:"rank_change"`
	ScoreChange    *float64 `json:"score_change"`
}

// whatIfRun simulates a published round under the query's changes.
func (s *Server) whatIfRun(ctx context.Context, round string, q url.Values) (whatIfResponse, error) {
	if _, err := analytics.ParseRound(round); err != nil {
		return whatIfResponse{}, echo.NewHTTPError(http.StatusBadRequest, dashMsgBadRound)
	}
	rk, err := s.published(ctx, round)
	if err != nil {
		return whatIfResponse{}, dashErrNotPublished(err, "轮次 "+round)
	}
	base, err := s.dashRunScheme(ctx, round, rk.Version)
	if err != nil {
		return whatIfResponse{}, err
	}
	sc, msgs, err := whatIfScheme(base, q)
	if err != nil {
		return whatIfResponse{}, err
	}
	units, err := s.whatIfInputsOf(ctx, round, rk.Version, base)
	if err != nil {
		return whatIfResponse{}, err
	}
	out := whatIfResponse{Simulation: true, Notice: whatIfNotice, Round: round, PublishedVersion: rk.Version,
		Messages: append([]string{}, msgs...),
		Weights:  whatIfWeights{Points: map[string]float64{}, ClassWeights: maps.Clone(sc.Peer.ClassWeights)}}
	for _, k := range whatIfKeysOf(base) {
		v := *whatIfPoints(&sc, k)
		out.Weights.Points[k] = v
		out.TotalPoints += v
	}
	out.TotalPoints = round2(out.TotalPoints)
	pub := make(map[string]*analytics.UnitRanking, len(rk.Units))
	for i := range rk.Units {
		pub[rk.Units[i].UnitID] = &rk.Units[i]
	}
	for _, r := range scoring.ComputeRound(units, sc) {
		u := whatIfUnit{UnitID: r.UnitID, Category: r.Category}
		if r.Ranked {
			score, rank, tier := r.Score, r.Rank, r.Tier
			u.Score, u.Rank, u.Tier = &score, &rank, &tier
		}
		if p := pub[r.UnitID]; p != nil {
			u.Name, u.PublishedScore, u.PublishedRank, u.PublishedTier = p.Name, p.Score, p.Rank, p.Tier
		}
		if u.Rank != nil && u.PublishedRank != nil {
			d := *u.PublishedRank - *u.Rank
			u.RankChange = &d
		}
		if u.Score != nil && u.PublishedScore != nil {
			d := round2(*u.Score - *u.PublishedScore)
			u.ScoreChange = &d
		}
		out.Units = append(out.Units, u)
	}
	return out, nil
}

// whatIfRound is ?round=, the newest published round by default ("" when
// nothing is published).
func (s *Server) whatIfRound(c echo.Context) (string, []analytics.RoundState, error) {
	st, pub, err := s.dashPickRound(c)
	return st.Round, pub, err
}

// apiWhatIf answers GET /api/v1/whatif (see whatIfResponse).
func (s *Server) apiWhatIf(c echo.Context) error {
	round, _, err := s.whatIfRound(c)
	if err != nil {
		return err
	}
	if round == "" {
		return echo.NewHTTPError(http.StatusNotFound, "尚无已发布的排名")
	}
	out, err := s.whatIfRun(c.Request().Context(), round, c.QueryParams())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// whatIfPage is the what-if page's body.
type whatIfPage struct {
	Round      string
	Rounds     []string
	Points     []whatIfKnob
	Classes    []whatIfKnob
	Result     whatIfResponse
	Categories []string
	Category   string // the chart's category
	Chart      Chart
	Colors     map[string]string // tier colours for whatif.js
	Empty      bool
}

// whatIfPageHandler answers GET /whatif: the sliders, the simulated table
// and the chart of one category, drawn by the server the first time and by
// static/whatif.js after each change.
func (s *Server) whatIfPageHandler(c echo.Context) error {
	round, pub, err := s.whatIfRound(c)
	if err != nil {
		return err
	}
	p := whatIfPage{Round: round, Rounds: dashRoundNames(pub), Colors: dashTierColors}
	if round == "" {
		p.Empty = true
		return s.render(c, http.StatusOK, "whatif", "权重模拟", p)
	}
	res, err := s.whatIfRun(c.Request().Context(), round, c.QueryParams())
	if err != nil {
		return err
	}
	p.Result = res
	for _, k := range append(append([]string(nil), whatIfPointKeys...), scoring.TaskIndicators...) {
		if _, ok := res.Weights.Points[k]; !ok {
			continue // the 督办落实 indicators, for a scheme without that part
		}
		max := 20.0
		if k == "peer" {
			max = 100
		} else if k == "satisfaction" {
			max = 50
		}
		p.Points = append(p.Points, whatIfKnob{Key: k, Label: whatIfLabel(k), Min: 0, Max: max, Step: 0.5, Value: res.Weights.Points[k]})
	}
	for _, k := range whatIfClassKeys {
		p.Classes = append(p.Classes, whatIfKnob{Key: k, Label: unitClassLabels[k], Min: 0.05, Max: 1, Step: 0.05,
			Value: res.Weights.ClassWeights[k]})
	}
	seen := map[string]bool{}
	for _, u := range res.Units {
		if !seen[u.Category] {
			seen[u.Category] = true
			p.Categories = append(p.Categories, u.Category)
		}
	}
	sort.Strings(p.Categories)
	p.Category = c.QueryParam("category")
	if !seen[p.Category] && len(p.Categories) > 0 {
		p.Category = p.Categories[0]
	}
	p.Chart = whatIfChart(res, p.Category)
	return s.render(c, http.StatusOK, "whatif", "权重模拟 "+round, p)
}

// whatIfChart compares the simulated score (tier colour) with the
// published score (grey) of a category's ranked units, in simulated order.
// static/whatif.js rebuilds the same series from the JSON.
func whatIfChart(res whatIfResponse, category string) Chart {
	var names []string
	var sim, pub []any
	for _, u := range res.Units {
		if u.Category != category || u.Score == nil {
			continue
		}
		names = append(names, u.Name)
		sim = append(sim, map[string]any{"value": *u.Score, "itemStyle": map[string]any{"color": dashTierColor(*u.Tier)}})
		if u.PublishedScore != nil {
			pub = append(pub, *u.PublishedScore)
		} else {
			pub = append(pub, nil)
		}
	}
	return Chart{ID: "whatif-chart", Height: 34*len(names) + 90, Option: map[string]any{
		"title":   map[string]any{"text": "模拟得分与已发布得分", "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"legend":  map[string]any{"bottom": 0, "data": []string{"模拟得分", "已发布得分"}},
		"grid":    map[string]any{"left": 10, "right": 50, "top": 36, "bottom": 36, "containLabel": true},
		"xAxis":   map[string]any{"type": "value", "scale": true},
		"yAxis":   map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"interval": 0}},
		"series": []any{
			map[string]any{"name": "模拟得分", "type": "bar", "barMaxWidth": 14, "data": sim,
				"label": map[string]any{"show": true, "position": "right", "fontSize": 11}},
			map[string]any{"name": "已发布得分", "type": "bar", "barMaxWidth": 14, "data": pub, "itemStyle": map[string]any{"color": "#c8ced6"}},
		},
	}}
}
