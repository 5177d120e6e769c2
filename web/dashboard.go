package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/reports"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The leadership dashboard (效能排名): the published ranking of a round per
// category, as a table and a bar chart coloured by tier. Leaders only ever
// see published versions; an admin is told when a newer version was
// computed and not yet published.

const dashMsgBadRound = "轮次格式应为 YYYY-B1 … YYYY-B6,例如 2019-B3"

// dashPage is the dashboard's body.
type dashPage struct {
	Round, AsOf string
	Rounds      []string // published rounds, newest first (the selector)
	Version     int
	PublishedAt time.Time
	Newer       *dashNewer // admins only
	Categories  []dashCategory
	PartHeads   []string // the table's part columns (dashPartHeads)
	CSV, XLSX   string   // export links
	Empty       bool     // nothing published yet
}

// dashNewer tells an admin that a computed version awaits publication.
type dashNewer struct {
	Version    int
	ComputedAt time.Time
}

// dashCategory is one category's table and chart.
type dashCategory struct {
	Name  string
	Rows  []dashRow
	Chart Chart
}

// dashRow is one unit's line of the ranking table.
type dashRow struct {
	UnitID, Name string
	Rank         *int
	Score        *float64
	Tier         string
	TierClass    string
	Change       string // ↑2, ↓1 or —
	ChangeClass  string
	Parts        []*float64 // in the order of the parts given to dashRowOf
	Robust       *analytics.Robustness
	NotRobust    bool
	Flags        []string // Chinese labels
}

// dashTierClasses are the CSS classes of the tier badges (app.css).
var dashTierClasses = map[string]string{scoring.TierGood: "tier-good", scoring.TierFairGood: "tier-fair",
	scoring.TierAverage: "tier-normal", scoring.TierPoor: "tier-poor"}

// dashTierColors are the chart colours of the tiers (as the bulletins).
var dashTierColors = map[string]string{scoring.TierGood: "#2e9d4f", scoring.TierFairGood: "#2f6fd0",
	scoring.TierAverage: "#9a9a9a", scoring.TierPoor: "#d0312d"}

var dashTierOrder = []string{scoring.TierGood, scoring.TierFairGood, scoring.TierAverage, scoring.TierPoor}

func dashTierColor(t string) string {
	if c, ok := dashTierColors[t]; ok {
		return c
	}
	return "#9a9a9a"
}

// dashPickRound reads ?round=: empty means the newest published round. It
// returns the round's state and the published rounds (oldest first); a
// malformed name is a 400, a round without a published version a 404. With
// nothing published at all, the state is zero and no error.
func (s *Server) dashPickRound(c echo.Context) (analytics.RoundState, []analytics.RoundState, error) {
	ctx := c.Request().Context()
	pub, err := s.publishedRounds(ctx)
	if err != nil {
		return analytics.RoundState{}, nil, err
	}
	round := strings.TrimSpace(c.QueryParam("round"))
	if round == "" {
		if len(pub) == 0 {
			return analytics.RoundState{}, pub, nil
		}
		return pub[len(pub)-1], pub, nil
	}
	if _, err := analytics.ParseRound(round); err != nil {
		return analytics.RoundState{}, nil, echo.NewHTTPError(http.StatusBadRequest, dashMsgBadRound)
	}
	for _, r := range pub {
		if r.Round == round {
			return r, pub, nil
		}
	}
	return analytics.RoundState{}, nil, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("轮次 %s 尚无已发布的排名", round))
}

// dashRoundNames lists published rounds newest first.
func dashRoundNames(pub []analytics.RoundState) []string {
	out := make([]string, 0, len(pub))
	for i := len(pub) - 1; i >= 0; i-- {
		out = append(out, pub[i].Round)
	}
	return out
}

// dashRunScheme is the scheme a stored computation used (cached): the
// explanation's nominal points and the base of what-if.
func (s *Server) dashRunScheme(ctx context.Context, round string, version int) (scoring.Scheme, error) {
	v, err := s.cached(fmt.Sprintf("dash-scheme:%s:%d", round, version), func() (any, error) {
		js, err := s.store.RunScheme(ctx, round, version)
		if err != nil {
			return nil, err
		}
		var sc scoring.Scheme
		if err := json.Unmarshal([]byte(js), &sc); err != nil {
			return nil, fmt.Errorf("web: scheme of %s version %d: %w", round, version, err)
		}
		return sc, nil
	})
	if err != nil {
		return scoring.Scheme{}, err
	}
	return v.(scoring.Scheme), nil
}

// dashPublishedAt is when a round was last published (its newest
// round.publish audit entry; zero when it was published without one).
func (s *Server) dashPublishedAt(ctx context.Context, round string, version int) (time.Time, error) {
	v, err := s.cached(fmt.Sprintf("dash-published-at:%s:%d", round, version), func() (any, error) {
		es, err := s.store.AuditLog(ctx, analytics.AuditFilter{ActionPrefix: "round.publish", Subject: "round:" + round, Limit: 1})
		if err != nil || len(es) == 0 {
			return time.Time{}, err
		}
		return es[0].HappenedAt, nil
	})
	if err != nil {
		return time.Time{}, err
	}
	return v.(time.Time), nil
}

// dashUnits are the units by unit_id (cached; imports invalidate).
func (s *Server) dashUnits(ctx context.Context) (map[string]analytics.Unit, error) {
	v, err := s.cached("dash-units", func() (any, error) {
		us, err := s.store.Units(ctx)
		if err != nil {
			return nil, err
		}
		m := make(map[string]analytics.Unit, len(us))
		for _, u := range us {
			m[u.ID] = u
		}
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]analytics.Unit), nil
}

// dashExportLinks are the CSV and XLSX links of a table with the page's query.
func dashExportLinks(table string, q url.Values) (csv, xlsx string) {
	q.Set("format", "csv")
	csv = "/export/" + table + "?" + q.Encode()
	q.Set("format", "xlsx")
	xlsx = "/export/" + table + "?" + q.Encode()
	q.Del("format")
	return csv, xlsx
}

// dashData builds the dashboard of the requested round.
func (s *Server) dashData(c echo.Context) (dashPage, analytics.Ranking, error) {
	ctx := c.Request().Context()
	st, pub, err := s.dashPickRound(c)
	if err != nil || st.Round == "" {
		return dashPage{Empty: true}, analytics.Ranking{}, err
	}
	rk, err := s.published(ctx, st.Round)
	if err != nil {
		return dashPage{}, rk, err
	}
	at, err := s.dashPublishedAt(ctx, st.Round, st.PublishedVersion)
	if err != nil {
		return dashPage{}, rk, err
	}
	p := dashPage{Round: rk.Round, AsOf: rk.AsOf, Rounds: dashRoundNames(pub), Version: rk.Version, PublishedAt: at}
	if u := currentUser(c); u != nil && u.Role == analytics.RoleAdmin && st.LatestVersion > st.PublishedVersion {
		p.Newer = &dashNewer{Version: st.LatestVersion, ComputedAt: st.LatestComputedAt}
	}
	p.CSV, p.XLSX = dashExportLinks("ranking", url.Values{"round": {rk.Round}})
	parts := scoring.PartsShown(analytics.WithTasksPart(rk.Units))
	for _, part := range parts {
		p.PartHeads = append(p.PartHeads, dashPartHeads[part])
	}
	for i, cat := range dashByCategory(rk.Units) {
		dc := dashCategory{Name: cat[0].Category}
		for _, u := range cat {
			dc.Rows = append(dc.Rows, dashRowOf(u, parts))
		}
		dc.Chart = dashTierChart(fmt.Sprintf("dash-chart-%d", i+1), dc.Name+" 得分", dc.Rows)
		p.Categories = append(p.Categories, dc)
	}
	return p, rk, nil
}

// dashByCategory splits a ranking (ordered by category, rank) into its
// categories, keeping the order.
func dashByCategory(units []analytics.UnitRanking) [][]analytics.UnitRanking {
	var out [][]analytics.UnitRanking
	for _, u := range units {
		if n := len(out); n > 0 && out[n-1][0].Category == u.Category {
			out[n-1] = append(out[n-1], u)
			continue
		}
		out = append(out, []analytics.UnitRanking{u})
	}
	return out
}

// dashPartHeads are the part column heads of the ranking table.
var dashPartHeads = map[string]string{scoring.PartPeer: "效能评议", scoring.PartService: "政务服务",
	scoring.PartComplaints: "诉求办理", scoring.PartSatisfaction: "满意度", scoring.PartTasks: "督办落实",
	scoring.PartDeductions: "扣分"}

// dashRowOf is one unit's row with the given parts (scoring.PartsShown).
func dashRowOf(u analytics.UnitRanking, parts []string) dashRow {
	r := dashRow{UnitID: u.UnitID, Name: u.Name, Rank: u.Rank, Score: u.Score, Change: change(u.PreviousRank, u.Rank),
		Robust: u.Robustness}
	if u.Tier != nil {
		r.Tier, r.TierClass = *u.Tier, dashTierClasses[*u.Tier]
	}
	switch {
	case strings.HasPrefix(r.Change, "↑"):
		r.ChangeClass = "up"
	case strings.HasPrefix(r.Change, "↓"):
		r.ChangeClass = "down"
	}
	for _, part := range parts {
		r.Parts = append(r.Parts, u.Parts[part])
	}
	for _, f := range u.Flags {
		r.NotRobust = r.NotRobust || f == scoring.FlagNotRobustLast || f == scoring.FlagNotRobustPoor
		r.Flags = append(r.Flags, reports.FlagLabel(f))
	}
	return r
}

// dashTierChart is a horizontal bar chart of the ranked rows, rank 1 on
// top, each bar in its tier's colour, with a legend of the tiers present.
func dashTierChart(id, title string, rows []dashRow) Chart {
	var names []string
	var data []any
	present := map[string]bool{}
	for _, r := range rows {
		if r.Score == nil {
			continue
		}
		names = append(names, r.Name)
		data = append(data, map[string]any{"value": *r.Score, "itemStyle": map[string]any{"color": dashTierColor(r.Tier)}})
		present[r.Tier] = true
	}
	series := []any{map[string]any{"name": "得分", "type": "bar", "stack": "rank", "barMaxWidth": 18, "data": data,
		"label": map[string]any{"show": true, "position": "right", "fontSize": 11}}}
	var legend []string
	for _, t := range dashTierOrder {
		if present[t] {
			legend = append(legend, t)
			// An empty series stacked on the bars gives the legend its colour.
			series = append(series, map[string]any{"name": t, "type": "bar", "stack": "rank", "data": []any{},
				"itemStyle": map[string]any{"color": dashTierColor(t)}})
		}
	}
	return Chart{ID: id, Height: 26*len(names) + 90, Option: map[string]any{
		"title":   map[string]any{"text": title, "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"legend":  map[string]any{"bottom": 0, "data": legend, "selectedMode": false},
		"grid":    map[string]any{"left": 10, "right": 50, "top": 36, "bottom": 36, "containLabel": true},
		"xAxis":   map[string]any{"type": "value", "scale": true},
		"yAxis":   map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"interval": 0}},
		"series":  series,
	}}
}

// dashboard shows the published ranking of ?round= (the newest by default).
// The content depends only on the round, its published and newest versions
// and whether the reader is an admin, so it is rendered once per such key.
func (s *Server) dashboard(c echo.Context) error {
	st, _, err := s.dashPickRound(c)
	if err != nil {
		return err
	}
	title := "效能排名"
	if st.Round != "" {
		title = st.Round + " 效能排名"
	}
	admin := currentUser(c).Role == analytics.RoleAdmin
	key := fmt.Sprintf("%s|%d|%d|%t", st.Round, st.PublishedVersion, st.LatestVersion, admin)
	return s.renderCached(c, http.StatusOK, "dashboard", title, key, func() (any, error) {
		p, _, err := s.dashData(c)
		return p, err
	})
}

// dashRankingTable is the ranking export.
func dashRankingTable(p dashPage, rk analytics.Ranking) exportTable {
	t := exportTable{Name: p.Round + " 效能评议排名", ASCII: "ranking-" + p.Round,
		Header: []string{"类别", "名次", "单位编码", "单位名称", "得分", "等次", "上轮名次", "名次变化"}}
	parts := scoring.PartsShown(analytics.WithTasksPart(rk.Units))
	for _, part := range parts {
		t.Header = append(t.Header, scoring.PartLabels[part])
	}
	t.Header = append(t.Header, "名次区间P05", "名次区间P95", "名次稳健", "说明")
	for _, u := range rk.Units {
		r := dashRowOf(u, parts)
		row := []any{u.Category, exportInt(u.Rank), u.UnitID, u.Name, exportF(u.Score), r.Tier, exportInt(u.PreviousRank), r.Change}
		for _, v := range r.Parts {
			row = append(row, exportF(v))
		}
		if u.Robustness != nil {
			robust := "是"
			if r.NotRobust {
				robust = "否"
			}
			row = append(row, u.Robustness.P05, u.Robustness.P95, robust)
		} else {
			row = append(row, nil, nil, "")
		}
		row = append(row, strings.Join(r.Flags, ";"))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// dashErrNotPublished maps analytics.ErrNotPublished to a 404.
func dashErrNotPublished(err error, what string) error {
	if errors.Is(err, analytics.ErrNotPublished) {
		return echo.NewHTTPError(http.StatusNotFound, what+"尚无已发布的排名")
	}
	return err
}

// dashContains tells whether a published round list holds round.
func dashContains(pub []analytics.RoundState, round string) bool {
	return slices.ContainsFunc(pub, func(r analytics.RoundState) bool { return r.Round == round })
}
