package web

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The meeting-room screen (数据大屏): a full-screen dark page of slides that
// screen.js rotates every 15 seconds — the latest published ranking of each
// category, the county key-project rates, the 约谈 list and the alert
// counts. Everything is rendered on the server (charts as JSON for
// charts.js) and served from /static, so it runs on an offline intranet;
// screen.js reloads the page every 5 minutes for fresh data.

// Tier colours of the screen's bar charts (bright on the dark background).
var screenTierColour = map[string]string{
	scoring.TierGood:     "#43a047",
	scoring.TierFairGood: "#1e88e5",
	scoring.TierAverage:  "#9e9e9e",
	scoring.TierPoor:     "#e53935",
}

// screenSlideMs is how long each slide shows; screenRefreshMs how often the
// page is reloaded with fresh data.
const (
	screenSlideMs   = 15000
	screenRefreshMs = 5 * 60 * 1000
	// screenListMax bounds the 约谈 list on its slide (no scrolling on a wall).
	screenListMax = 10
)

// screenClock words the time as screen.js does: 2020年1月10日 星期五 09:00.
func screenClock(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日 星期%s %s", t.Year(), t.Month(), t.Day(),
		[]string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()], t.Format("15:04"))
}

// screenRow is one unit in a category's table.
type screenRow struct {
	Rank         *int
	Name         string
	Score        *float64
	Tier         *string
	TierClass    string
	PreviousRank *int
	MoveClass    string // up or down since the previous round, for the arrow's colour
}

// screenCategory is one category's slide.
type screenCategory struct {
	Name     string
	Chart    Chart
	Rows     []screenRow
	Unranked []string
}

// screenInterview is one line of the 约谈 list or the at-risk list: the run
// of periods in short (2019-Q1—Q4) and the rate's value in its last period.
type screenInterview struct {
	Name, Label, Span string
	Last              float64
}

// screenInterviews shortens 约谈 entries for the slide.
func screenInterviews(ivs []scoring.Interview) []screenInterview {
	out := make([]screenInterview, 0, len(ivs))
	for _, iv := range ivs {
		x := screenInterview{Name: iv.Name, Label: iv.Label}
		if n := len(iv.Periods); n > 0 {
			x.Span = iv.Periods[0]
			if n > 1 {
				first, last := iv.Periods[0], iv.Periods[n-1]
				if len(first) > 5 && len(last) > 5 && first[:5] == last[:5] {
					last = last[5:] // same year: 2019-Q1—Q4
				}
				x.Span += "—" + last
			}
		}
		if n := len(iv.Values); n > 0 {
			x.Last = iv.Values[n-1]
		}
		out = append(out, x)
	}
	return out
}

// screenLevel is one alert count tile.
type screenLevel struct {
	Label string
	Count int
	Class string
}

// screenBody is everything the screen shows; a section that could not be
// computed carries its reason instead (the rest of the screen still shows).
type screenBody struct {
	City, Office  string
	Round, AsOf   string
	RankingErr    string
	Categories    []screenCategory
	Period        string
	ProjectsErr   string
	ProjectCharts []Chart // the four rates, two per slide
	Year          int
	Latest        string
	InterviewsErr string
	Interviews    []screenInterview
	AtRisk        []screenInterview
	MoreIV        int // entries of either list beyond what fits on the slide
	AlertsDate    string
	AlertsErr     string
	AlertsTotal   int
	Levels        []screenLevel
	Kinds         []screenLevel
	Now           time.Time
	NowText       string
	SlideMs       int
	RefreshMs     int
}

// screenPage renders the screen with its own full-page template (no site
// header: the screen is shown alone on a wall).
func (s *Server) screenPage(c echo.Context) error {
	ctx := c.Request().Context()
	now := s.now()
	b := screenBody{City: s.cfg.City, Office: s.cfg.Office, Now: now, NowText: screenClock(now),
		SlideMs: screenSlideMs, RefreshMs: screenRefreshMs}
	rk, err := s.latestPublished(ctx)
	switch {
	case err == nil:
		b.Round, b.AsOf = rk.Round, rk.AsOf
		b.Categories = screenCategories(rk)
	case isNotPublished(err):
		b.RankingErr = "尚无已发布的评议结果"
	default:
		return err
	}
	b.Period = lastQuarterBefore(now)
	if q, err := s.store.ProjectRanking(ctx, b.Period, s.cfg.Scheme.Interviews.MinProjects); err != nil {
		c.Logger().Error(err)
		b.ProjectsErr = "重点项目数据暂不可用"
	} else {
		b.ProjectCharts = screenProjectCharts(q)
	}
	b.Year, _ = yearParam("", now)
	if iv, err := s.yearInterviews(c, b.Year); err != nil {
		c.Logger().Error(err)
		b.InterviewsErr = "约谈名单暂不可用"
	} else {
		b.Latest = iv.Latest
		list, risk := iv.Interviews, iv.AtRisk
		if n := len(list) - screenListMax; n > 0 {
			list, b.MoreIV = list[:screenListMax], n
		}
		if n := len(risk) - screenListMax/2; n > 0 {
			risk, b.MoreIV = risk[:screenListMax/2], b.MoreIV+n
		}
		b.Interviews, b.AtRisk = screenInterviews(list), screenInterviews(risk)
	}
	day, _ := dateParam("", now)
	b.AlertsDate = day.Format(time.DateOnly)
	if al, err := s.alertsAsOf(c, day); err != nil {
		c.Logger().Error(err)
		b.AlertsErr = "预警数据暂不可用"
	} else {
		b.AlertsTotal = al.Total
		b.Levels = []screenLevel{
			{analytics.LevelOverdue, al.ByLevel[analytics.LevelOverdue], "lv-overdue"},
			{analytics.LevelAlarm, al.ByLevel[analytics.LevelAlarm], "lv-alarm"},
			{analytics.LevelDueSoon, al.ByLevel[analytics.LevelDueSoon], "lv-soon"},
		}
		b.Kinds = []screenLevel{
			{"办件", al.ByKind[analytics.AlertCase], ""},
			{"诉求", al.ByKind[analytics.AlertComplaint], ""},
			{"公文流转", al.ByKind[analytics.AlertDocumentStep] + al.ByKind[analytics.AlertDocumentUnresolved], ""},
		}
	}
	return s.renderScreen(c, b)
}

// renderScreen executes the "screenpage" template (a whole document) of
// screen.html into a buffer and writes it.
func (s *Server) renderScreen(c echo.Context, b screenBody) error {
	t, ok := s.pages.byName["screen"]
	if !ok {
		return fmt.Errorf("web: no screen template")
	}
	csrf, _ := c.Get(ctxCSRF).(string)
	d := pageData{Title: "数据大屏", User: currentUser(c), CSRF: csrf, Body: b, Charts: true, Now: b.Now}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "screenpage", d); err != nil {
		return fmt.Errorf("web: render screen: %w", err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// screenCategories groups a ranking by category (ordered by their smallest
// unit_id, the order the office numbers them in), each sorted by rank with its bar chart coloured by tier.
// Unranked units are named apart, never drawn as a zero.
func screenCategories(rk analytics.Ranking) []screenCategory {
	var order []string
	by := map[string][]analytics.UnitRanking{}
	firstID := map[string]string{}
	for _, u := range rk.Units {
		if _, ok := by[u.Category]; !ok {
			order = append(order, u.Category)
		}
		by[u.Category] = append(by[u.Category], u)
		if f, ok := firstID[u.Category]; !ok || u.UnitID < f {
			firstID[u.Category] = u.UnitID
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return firstID[order[a]] < firstID[order[b]] })
	out := make([]screenCategory, 0, len(order))
	for i, cat := range order {
		us := by[cat]
		sort.SliceStable(us, func(a, b int) bool {
			ra, rb := us[a].Rank, us[b].Rank
			if (ra == nil) != (rb == nil) {
				return ra != nil
			}
			return ra != nil && *ra < *rb
		})
		sc := screenCategory{Name: cat}
		var names []string
		var data []any
		low := 100.0
		for _, u := range us {
			if u.Score == nil {
				sc.Unranked = append(sc.Unranked, u.Name)
				continue
			}
			row := screenRow{Rank: u.Rank, Name: u.Name, Score: u.Score, Tier: u.Tier, PreviousRank: u.PreviousRank}
			if u.PreviousRank != nil && u.Rank != nil && *u.PreviousRank != *u.Rank {
				row.MoveClass = "down"
				if *u.PreviousRank > *u.Rank {
					row.MoveClass = "up"
				}
			}
			colour := "#90a4ae"
			if u.Tier != nil {
				row.TierClass = tierClass(*u.Tier)
				if c, ok := screenTierColour[*u.Tier]; ok {
					colour = c
				}
			}
			sc.Rows = append(sc.Rows, row)
			names = append(names, u.Name)
			data = append(data, map[string]any{"value": *u.Score, "itemStyle": map[string]any{"color": colour}})
			low = math.Min(low, *u.Score)
		}
		sc.Chart = Chart{ID: fmt.Sprintf("screen-cat-%d", i+1), Height: 760, Option: screenBarOption(names, data, math.Max(0, math.Floor(low/10)*10-10), 100, "")}
		out = append(out, sc)
	}
	return out
}

// tierClass is the CSS class of a tier badge.
func tierClass(t string) string {
	switch t {
	case scoring.TierGood:
		return "tier-good"
	case scoring.TierFairGood:
		return "tier-fair"
	case scoring.TierPoor:
		return "tier-poor"
	}
	return "tier-normal"
}

// screenBarOption is a horizontal bar chart, first item on top, with large
// labels for reading across a meeting room. A mark value draws a dashed line
// (the time progress) at that value.
func screenBarOption(names []string, data []any, min, max float64, unit string, mark ...float64) map[string]any {
	label := "{c}"
	if unit != "" {
		label = "{c}" + unit
	}
	series := map[string]any{
		"type": "bar", "data": data, "barMaxWidth": 36,
		"label": map[string]any{"show": true, "position": "right", "color": "#e3f2fd", "fontSize": 20, "formatter": label},
	}
	if len(mark) > 0 {
		series["markLine"] = map[string]any{
			"symbol": "none", "silent": true,
			"lineStyle": map[string]any{"color": "#ffca28", "type": "dashed", "width": 3},
			"label":     map[string]any{"color": "#ffca28", "fontSize": 18, "position": "start", "formatter": "时间进度 {c}" + unit},
			"data":      []any{map[string]any{"xAxis": mark[0]}},
		}
	}
	x := map[string]any{"type": "value", "min": min,
		"axisLabel": map[string]any{"color": "#b0bec5", "fontSize": 18},
		"splitLine": map[string]any{"lineStyle": map[string]any{"color": "#263850"}}}
	if max > 0 {
		x["max"] = max
	}
	return map[string]any{
		"backgroundColor": "transparent",
		"grid":            map[string]any{"left": 16, "right": 90, "top": 10, "bottom": 10, "containLabel": true},
		"xAxis":           x,
		"yAxis": map[string]any{"type": "category", "inverse": true, "data": names,
			"axisLabel": map[string]any{"color": "#eceff1", "fontSize": 20},
			"axisLine":  map[string]any{"lineStyle": map[string]any{"color": "#546e7a"}}},
		"series": []any{series},
	}
}

// screenProjectCharts draws the four county rates of a period, best first,
// the county in last place in red; counties without a value (no
// denominator) are left out rather than drawn as zero.
func screenProjectCharts(q scoring.QuarterRates) []Chart {
	out := make([]Chart, 0, len(scoring.ProjectRates))
	for i, key := range scoring.ProjectRates {
		type item struct {
			name string
			v    float64
			rank int
		}
		var items []item
		worst := 0
		for _, c := range q.Counties {
			rr := c.Rates[key]
			if rr.Value == nil || rr.Rank == nil {
				continue
			}
			items = append(items, item{c.Name, round1(*rr.Value * 100), *rr.Rank})
			worst = max(worst, *rr.Rank)
		}
		sort.SliceStable(items, func(a, b int) bool { return items[a].rank < items[b].rank })
		names := make([]string, 0, len(items))
		data := make([]any, 0, len(items))
		top := 100.0
		for _, it := range items {
			colour := "#29b6f6"
			if it.rank == worst && worst > 1 {
				colour = "#e53935"
			}
			names = append(names, it.name)
			data = append(data, map[string]any{"value": it.v, "itemStyle": map[string]any{"color": colour}})
			top = math.Max(top, it.v)
		}
		var opt map[string]any
		if key == scoring.RateInvestment {
			opt = screenBarOption(names, data, 0, math.Ceil(top/10)*10, "%", round1(q.TimeProgress*100))
		} else {
			opt = screenBarOption(names, data, 0, math.Ceil(top/10)*10, "%")
		}
		opt["title"] = map[string]any{"text": scoring.RateLabel(key), "left": "center",
			"textStyle": map[string]any{"color": "#ffffff", "fontSize": 28}}
		opt["grid"].(map[string]any)["top"] = 56
		out = append(out, Chart{ID: fmt.Sprintf("screen-rate-%d", i+1), Height: 760, Option: opt})
	}
	return out
}

// round1 rounds to one decimal (percentages on the screen).
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// isNotPublished tells the error of a store without any published round.
func isNotPublished(err error) bool {
	return err != nil && errors.Is(err, analytics.ErrNotPublished)
}
