package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The alerts page (/alerts): the open alerts (预警) as of a date, filtered by
// unit and kind. The date defaults to the earlier of today and the last day
// of imported data (asof.go): the city imports last month's cases, and the
// wall clock would make every pending case look overdue.

// alertsShown caps the rows drawn on the page; the export has them all.
const alertsShown = 1000

// alertsPage is the alerts page's body.
type alertsPage struct {
	Date       string
	AsOf       asOfView
	Unit, Kind string // the filters ("" for all)
	Units      []alertsOption
	Kinds      []alertsOption
	Levels     []alertsCount
	Rows       []alertRow
	Total      int // alerts as of the date
	Matched    int // alerts passing the filters
	Truncated  bool
	CSV, XLSX  string
}

// alertsOption is one choice of a filter.
type alertsOption struct {
	Value, Label string
	Selected     bool
}

// alertsCount is the number of matching alerts of a level.
type alertsCount struct {
	Level, Class string
	N            int
}

// alertRow is one alert ready to show.
type alertRow struct {
	Level, LevelClass string
	Kind, KindLabel   string
	UnitID, UnitName  string
	ID, Due, Detail   string
	Days              int
	Span              string // how long: working days (and calendar days when overdue), or a step's hours
}

var (
	alertKinds = []string{analytics.AlertCase, analytics.AlertComplaint, analytics.AlertDocumentStep, analytics.AlertDocumentUnresolved, analytics.AlertTask}
	// alertKindLabels name the kinds of alerts.
	alertKindLabels   = analytics.AlertKindName
	alertLevels       = []string{analytics.LevelOverdue, analytics.LevelAlarm, analytics.LevelDueSoon}
	alertLevelClasses = map[string]string{analytics.LevelOverdue: "lvl-overdue", analytics.LevelAlarm: "lvl-alarm",
		analytics.LevelDueSoon: "lvl-soon"}
)

func alertRowOf(a analytics.Alert, units map[string]analytics.Unit) alertRow {
	r := alertRow{Level: a.Level, LevelClass: alertLevelClasses[a.Level], Kind: a.Kind, KindLabel: alertKindLabels[a.Kind],
		UnitID: a.UnitID, UnitName: units[a.UnitID].Name, ID: a.ID, Detail: a.Detail, Days: a.Days}
	if r.KindLabel == "" {
		r.KindLabel = a.Kind
	}
	if !a.Due.IsZero() {
		r.Due = a.Due.Format(time.DateOnly)
	}
	switch {
	case a.Kind == analytics.AlertDocumentStep:
		r.Span = fmt.Sprintf("%.1f 小时", a.Hours)
	case a.Due.IsZero():
		r.Span = "—"
	case a.Level == analytics.LevelOverdue:
		r.Span = analytics.OverdueWords(a.Days, a.CalendarDays)
	default:
		r.Span = fmt.Sprintf("剩余 %d 个工作日", a.Days)
	}
	return r
}

// alertsAll are every open alert as of a day (cached per day; imports invalidate).
func (s *Server) alertsAll(ctx context.Context, day time.Time) ([]analytics.Alert, error) {
	v, err := s.cached("alerts-all:"+day.Format(time.DateOnly), func() (any, error) {
		if _, ok, err := s.store.DueWorking(ctx, day, 0); err != nil {
			return nil, err
		} else if !ok {
			return nil, echo.NewHTTPError(http.StatusBadRequest,
				fmt.Sprintf("日期 %s 超出工作日历范围,请先导入 %d 年的节假日安排", day.Format(time.DateOnly), day.Year()))
		}
		return s.store.Alerts(ctx, day)
	})
	if err != nil {
		return nil, err
	}
	return v.([]analytics.Alert), nil
}

// alertsData builds the alerts page; capped limits the rows to alertsShown.
func (s *Server) alertsData(c echo.Context, capped bool) (alertsPage, error) {
	ctx := c.Request().Context()
	a, view, err := s.resolveAsOf(c, "/alerts")
	if err != nil {
		return alertsPage{}, err
	}
	day := a.Day
	p := alertsPage{Date: day.Format(time.DateOnly), AsOf: view, Unit: strings.TrimSpace(c.QueryParam("unit")), Kind: strings.TrimSpace(c.QueryParam("kind"))}
	if p.Kind != "" && alertKindLabels[p.Kind] == "" {
		return p, echo.NewHTTPError(http.StatusBadRequest, "预警类型应为 办件、诉求、公文流转环节、公文评价或督办之一")
	}
	all, err := s.alertsAll(ctx, day)
	if err != nil {
		return p, err
	}
	units, err := s.dashUnits(ctx)
	if err != nil {
		return p, err
	}
	p.Total = len(all)
	levels := map[string]int{}
	present := map[string]bool{}
	for _, a := range all {
		present[a.UnitID] = true
		if (p.Unit != "" && a.UnitID != p.Unit) || (p.Kind != "" && a.Kind != p.Kind) {
			continue
		}
		p.Matched++
		levels[a.Level]++
		if capped && len(p.Rows) >= alertsShown {
			p.Truncated = true
			continue
		}
		p.Rows = append(p.Rows, alertRowOf(a, units))
	}
	for _, l := range alertLevels {
		p.Levels = append(p.Levels, alertsCount{Level: l, Class: alertLevelClasses[l], N: levels[l]})
	}
	ids := make([]string, 0, len(present))
	for id := range present {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p.Units = append(p.Units, alertsOption{Value: id, Label: id + " " + units[id].Name, Selected: id == p.Unit})
	}
	for _, k := range alertKinds {
		p.Kinds = append(p.Kinds, alertsOption{Value: k, Label: alertKindLabels[k], Selected: k == p.Kind})
	}
	q := url.Values{"as_of": {p.Date}}
	if p.Unit != "" {
		q.Set("unit", p.Unit)
	}
	if p.Kind != "" {
		q.Set("kind", p.Kind)
	}
	p.CSV, p.XLSX = dashExportLinks("alerts", q)
	return p, nil
}

// alertsPageHandler answers GET /alerts.
func (s *Server) alertsPageHandler(c echo.Context) error {
	p, err := s.alertsData(c, true)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "alerts", "预警 "+p.Date, p)
}

// alertsTable is the alerts export (every matching alert).
func alertsTable(p alertsPage) exportTable {
	t := exportTable{Name: p.Date + " 预警", ASCII: "alerts-" + p.Date,
		Header: []string{"等级", "类型", "单位编码", "单位名称", "编号", "期限", "工作日", "时长", "说明"}}
	for _, r := range p.Rows {
		// Document alerts have no due date, and so no working days.
		var due, days any
		if r.Due != "" {
			due, days = r.Due, r.Days
		}
		t.Rows = append(t.Rows, []any{r.Level, r.KindLabel, r.UnitID, r.UnitName, r.ID, due, days, r.Span, r.Detail})
	}
	return t
}
