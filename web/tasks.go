package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/calendar"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The 督办台账 (/tasks): every 督办 task with its status as of a day (by
// default the earlier of today and the last day of imported data, asof.go;
// ?as_of= picks another), filtered by
// unit, source and status, overdue first, with a per-unit summary; and one
// task's page (/tasks/:task) with its details and history. The rules are the
// store's (README "Tasks and targets"); this file only shapes and labels.

// taskStatusOrder is the order of the statuses in the filter and the summary
// line (the ledger's own order).
var taskStatusOrder = []string{scoring.TaskOverdue, scoring.TaskDueSoon, scoring.TaskOpen, scoring.TaskLate, scoring.TaskOnTime}

// taskStatusLabels are the Chinese words of the statuses (those of the CLI
// and the README).
var taskStatusLabels = map[string]string{
	scoring.TaskOverdue: "超期", scoring.TaskDueSoon: "临期", scoring.TaskOpen: "在办",
	scoring.TaskLate: "逾期办结", scoring.TaskOnTime: "按时办结",
}

// taskStatusClasses are the CSS classes of the status badges (tasks.css).
var taskStatusClasses = map[string]string{
	scoring.TaskOverdue: "ts-overdue", scoring.TaskDueSoon: "ts-soon", scoring.TaskOpen: "ts-open",
	scoring.TaskLate: "ts-late", scoring.TaskOnTime: "ts-ontime",
}

// taskSourceOrder is the order of the sources in the filter.
var taskSourceOrder = []string{"leader_instruction", "key_work", "meeting_decision"}

// taskExtWhy says in Chinese why an extension request did not move the due
// date (scoring.Ext*); the README's rule is "approved and asked strictly
// before the then current due date".
var taskExtWhy = map[string]string{
	scoring.ExtNotApproved: "未获批准",
	scoring.ExtTooLate:     "逾期申请:须在时限届满前申请,申请时已到或超过时限",
	scoring.ExtNotLater:    "申请的日期未晚于当时的时限",
	scoring.ExtAfterDone:   "办结后申请",
}

// tasksPage is the ledger's body.
type tasksPage struct {
	AsOf                 string
	AsOfView             asOfView
	Unit, Source, Status string // the filters ("" for all)
	Units                []alertsOption
	Sources              []alertsOption
	Statuses             []alertsOption
	Total                int // tasks assigned by the as-of date
	Matched              int // tasks passing the filters
	Counts               []taskStatusCount
	Rows                 []taskRow
	Summary              []taskUnitRow
}

// taskStatusCount is the number of matching tasks of one status.
type taskStatusCount struct {
	Label, Class string
	N            int
}

// taskRow is one task of the ledger, ready to show.
type taskRow struct {
	ID, Title                string
	StatusLabel, StatusClass string
	Overdue                  bool
	Source                   string
	LeadID, LeadName         string
	Coop                     string // cooperating units' names joined
	Assigned, Due, Original  string // Original is set only when extensions moved the due date
	Days                     string
	DoneOn                   string
}

// taskUnitRow is one unit's line of the summary: as lead unit and as
// cooperating unit.
type taskUnitRow struct {
	UnitID, Name      string
	Selected          bool
	Lead, Cooperating scoring.TaskCounts
	LeadRate, Rate    string // on-time rates as lead and cooperating, — when nothing is due yet
	LeadInProgress    int    // due soon + open
}

// taskDetail is one task's page.
type taskDetail struct {
	AsOf                     string
	AsOfView                 asOfView
	ID, Title, Source        string
	StatusLabel, StatusClass string
	LeadID, LeadName         string
	Coop                     []taskUnitRef
	Assigned                 string
	OriginalDue, DueRule     string // DueRule: how the original due date was given ("30 个工作日"), "" for a date
	Due                      string
	Extended                 bool // the effective due date differs from the original
	Days                     string
	DoneOn                   string
	Evidence                 string
	History                  []taskHistoryRow
}

// taskUnitRef is a unit named on a task page.
type taskUnitRef struct{ ID, Name string }

// taskHistoryRow is one event of a task's history.
type taskHistoryRow struct {
	Date, Event, Class string
	Lines              []string
}

// tasksDay is the server clock's civil date.
func (s *Server) tasksDay() time.Time {
	now := s.now()
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// tasksAll are every task as of a day, overdue first (cached per day;
// imports invalidate).
func (s *Server) tasksAll(ctx context.Context, day time.Time) ([]analytics.Task, error) {
	v, err := s.cached("tasks-all:"+day.Format(time.DateOnly), func() (any, error) {
		return s.store.Tasks(ctx, day, analytics.TaskFilter{})
	})
	if err != nil {
		return nil, taskCalendarError(err)
	}
	return v.([]analytics.Task), nil
}

// tasksSummary is Store.TaskSummary as of a day (cached per day).
func (s *Server) tasksSummary(ctx context.Context, day time.Time) ([]analytics.UnitTaskSummary, error) {
	v, err := s.cached("tasks-summary:"+day.Format(time.DateOnly), func() (any, error) {
		return s.store.TaskSummary(ctx, day)
	})
	if err != nil {
		return nil, taskCalendarError(err)
	}
	return v.([]analytics.UnitTaskSummary), nil
}

// taskCalendarError turns a calendar that does not cover a year the ledger
// needs (the server's clock has moved into a year whose holidays were not
// imported) into a Chinese answer saying what to import, instead of a bare
// internal error.
func taskCalendarError(err error) error {
	var uy *calendar.UnknownYearError
	if errors.As(err, &uy) {
		return echo.NewHTTPError(http.StatusConflict,
			fmt.Sprintf("工作日历未覆盖 %d 年,无法计算督办时限。请先在“数据导入”中导入该年度的节假日安排(holidays)。", uy.Year))
	}
	return err
}

// taskMatches is Store.Tasks' filter: the unit as lead or cooperating unit,
// the source and the status exactly.
func taskMatches(t analytics.Task, f analytics.TaskFilter) bool {
	if f.UnitID != "" && t.LeadUnitID != f.UnitID && !slices.Contains(t.Cooperating, f.UnitID) {
		return false
	}
	return (f.Source == "" || t.Source == f.Source) && (f.Status == "" || t.State.Status == f.Status)
}

// taskDays words a task's working days for its status.
func taskDays(st scoring.TaskState) string {
	switch st.Status {
	case scoring.TaskOverdue:
		return fmt.Sprintf("超期 %d 个工作日", st.Days)
	case scoring.TaskDueSoon, scoring.TaskOpen:
		return fmt.Sprintf("剩余 %d 个工作日", st.Days)
	case scoring.TaskLate:
		return fmt.Sprintf("逾期 %d 个工作日办结", st.Days)
	}
	return "按时办结"
}

// taskRate is an on-time rate as a percentage, — when no task is due yet.
func taskRate(c scoring.TaskCounts) string {
	if c.Due == 0 || math.IsNaN(c.Rate) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", c.Rate*100)
}

// taskDone is the completion date when the task is done as of the day.
func taskDone(t analytics.Task) string {
	if t.State.Status == scoring.TaskOnTime || t.State.Status == scoring.TaskLate {
		return t.DoneOn.Format(time.DateOnly)
	}
	return ""
}

func taskSourceLabel(src string) string {
	if l := analytics.TaskSourceName[src]; l != "" {
		return l
	}
	return src
}

// taskUnitsLabel joins the names of units (the id when a name is missing).
func taskUnitsLabel(ids []string, units map[string]analytics.Unit) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		names = append(names, taskUnitName(id, units))
	}
	return strings.Join(names, "、")
}

func taskUnitName(id string, units map[string]analytics.Unit) string {
	if n := units[id].Name; n != "" {
		return n
	}
	return id
}

// tasksData builds the ledger from the query's filters; a value not in
// the filter's choices is a 400.
func (s *Server) tasksData(c echo.Context) (tasksPage, error) {
	ctx := c.Request().Context()
	a, view, err := s.resolveAsOf(c, "/tasks")
	if err != nil {
		return tasksPage{}, err
	}
	day := a.Day
	p := tasksPage{AsOf: day.Format(time.DateOnly), AsOfView: view, Unit: strings.TrimSpace(c.QueryParam("unit")),
		Source: strings.TrimSpace(c.QueryParam("source")), Status: strings.TrimSpace(c.QueryParam("status"))}
	if p.Status != "" && taskStatusLabels[p.Status] == "" {
		return p, echo.NewHTTPError(http.StatusBadRequest, "状态应为 overdue(超期)、due_soon(临期)、open(在办)、late(逾期办结)或 on_time(按时办结)")
	}
	if p.Source != "" && analytics.TaskSourceName[p.Source] == "" {
		return p, echo.NewHTTPError(http.StatusBadRequest, "来源应为 leader_instruction(领导批示)、key_work(重点工作)或 meeting_decision(会议议定)")
	}
	units, err := s.dashUnits(ctx)
	if err != nil {
		return p, err
	}
	if _, ok := units[p.Unit]; p.Unit != "" && !ok {
		return p, echo.NewHTTPError(http.StatusBadRequest, "没有这个单位")
	}
	all, err := s.tasksAll(ctx, day)
	if err != nil {
		return p, err
	}
	sum, err := s.tasksSummary(ctx, day)
	if err != nil {
		return p, err
	}
	p.Total = len(all)
	f := analytics.TaskFilter{UnitID: p.Unit, Source: p.Source, Status: p.Status}
	counts := map[string]int{}
	sources := map[string]bool{}
	for _, t := range all {
		sources[t.Source] = true
		if !taskMatches(t, f) {
			continue
		}
		p.Matched++
		counts[t.State.Status]++
		r := taskRow{ID: t.ID, Title: t.Title, StatusLabel: taskStatusLabels[t.State.Status], StatusClass: taskStatusClasses[t.State.Status],
			Overdue: t.State.Status == scoring.TaskOverdue, Source: taskSourceLabel(t.Source),
			LeadID: t.LeadUnitID, LeadName: taskUnitName(t.LeadUnitID, units), Coop: taskUnitsLabel(t.Cooperating, units),
			Assigned: t.Assigned.Format(time.DateOnly), Due: t.State.Due.Format(time.DateOnly),
			Days: taskDays(t.State), DoneOn: taskDone(t)}
		if !t.State.Due.Equal(t.Due) {
			r.Original = t.Due.Format(time.DateOnly)
		}
		p.Rows = append(p.Rows, r)
	}
	for _, st := range taskStatusOrder {
		p.Counts = append(p.Counts, taskStatusCount{Label: taskStatusLabels[st], Class: taskStatusClasses[st], N: counts[st]})
		p.Statuses = append(p.Statuses, alertsOption{Value: st, Label: taskStatusLabels[st], Selected: st == p.Status})
	}
	for _, src := range taskSourceOrder {
		if sources[src] || src == p.Source {
			p.Sources = append(p.Sources, alertsOption{Value: src, Label: taskSourceLabel(src), Selected: src == p.Source})
		}
	}
	for _, u := range sum {
		name := u.Name
		if name == "" {
			name = u.UnitID
		}
		p.Units = append(p.Units, alertsOption{Value: u.UnitID, Label: u.UnitID + " " + name, Selected: u.UnitID == p.Unit})
		p.Summary = append(p.Summary, taskUnitRow{UnitID: u.UnitID, Name: name, Selected: u.UnitID == p.Unit,
			Lead: u.Lead, Cooperating: u.Cooperating, LeadRate: taskRate(u.Lead), Rate: taskRate(u.Cooperating),
			LeadInProgress: u.Lead.DueSoon + u.Lead.Open})
	}
	if p.Unit != "" && !slices.ContainsFunc(p.Units, func(o alertsOption) bool { return o.Value == p.Unit }) {
		// A known unit without tasks: keep it selected in the form.
		p.Units = append(p.Units, alertsOption{Value: p.Unit, Label: p.Unit + " " + taskUnitName(p.Unit, units), Selected: true})
	}
	// The units with the most overdue tasks they lead come first.
	sort.SliceStable(p.Summary, func(i, j int) bool {
		a, b := p.Summary[i], p.Summary[j]
		if a.Lead.Overdue != b.Lead.Overdue {
			return a.Lead.Overdue > b.Lead.Overdue
		}
		return a.UnitID < b.UnitID
	})
	return p, nil
}

// tasksPageHandler answers GET /tasks.
func (s *Server) tasksPageHandler(c echo.Context) error {
	p, err := s.tasksData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "tasks", "督办台账 "+p.AsOf, p)
}

// taskPageHandler answers GET /tasks/:task: one task's details and history
// as of the page's as-of day; unknown (or not yet assigned) is a 404.
func (s *Server) taskPageHandler(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("task")
	a, view, err := s.resolveAsOf(c, "/tasks/"+url.PathEscape(id))
	if err != nil {
		return err
	}
	day := a.Day
	var t analytics.Task
	found := false
	all, err := s.tasksAll(ctx, day)
	if err != nil {
		return err
	}
	for _, x := range all {
		if x.ID == id {
			t, found = x, true
			break
		}
	}
	if !found {
		return echo.NewHTTPError(http.StatusNotFound, "督办事项不存在")
	}
	units, err := s.dashUnits(ctx)
	if err != nil {
		return err
	}
	d := taskDetailOf(t, units, day)
	d.AsOfView = view
	return s.render(c, http.StatusOK, "task", "督办事项 "+t.ID, d)
}

// taskDetailOf shapes one task and its history for its page.
func taskDetailOf(t analytics.Task, units map[string]analytics.Unit, day time.Time) taskDetail {
	ymd := func(x time.Time) string { return x.Format(time.DateOnly) }
	d := taskDetail{AsOf: ymd(day), ID: t.ID, Title: t.Title, Source: taskSourceLabel(t.Source),
		StatusLabel: taskStatusLabels[t.State.Status], StatusClass: taskStatusClasses[t.State.Status],
		LeadID: t.LeadUnitID, LeadName: taskUnitName(t.LeadUnitID, units), Assigned: ymd(t.Assigned),
		OriginalDue: ymd(t.Due), Due: ymd(t.State.Due), Extended: !t.State.Due.Equal(t.Due),
		Days: taskDays(t.State), DoneOn: taskDone(t), Evidence: t.Evidence}
	for _, id := range t.Cooperating {
		d.Coop = append(d.Coop, taskUnitRef{ID: id, Name: taskUnitName(id, units)})
	}
	if t.DueUnit != "" {
		unit := "个工作日"
		if t.DueUnit == "calendar" {
			unit = "个自然日"
		}
		d.DueRule = fmt.Sprintf("%d %s", t.DueDays, unit)
	}
	ext := 0 // the history lists the extension requests in the order of State.Extensions
	for _, e := range t.History {
		r := taskHistoryRow{Date: ymd(e.Date)}
		switch e.Kind {
		case analytics.EventAssigned:
			r.Event, r.Class = "交办", "th-assigned"
			due := "办结时限 " + ymd(e.Due)
			if d.DueRule != "" {
				due += "(" + d.DueRule + ")"
			}
			r.Lines = []string{"牵头单位 " + d.LeadName, due}
		case analytics.EventExtension:
			r.Event = "延期申请"
			r.Lines = []string{"申请延期至 " + ymd(e.Due)}
			if e.Reason != "" {
				r.Lines = append(r.Lines, "理由:"+e.Reason)
			}
			if e.Approved {
				r.Lines = append(r.Lines, "已批准")
			} else {
				r.Lines = append(r.Lines, "未批准")
			}
			before := ""
			if ext < len(t.State.Extensions) {
				before = ymd(t.State.Extensions[ext].DueBefore)
			}
			ext++
			if e.Counted {
				r.Class = "th-counted"
				r.Lines = append(r.Lines, fmt.Sprintf("已计入:时限由 %s 延至 %s", before, ymd(e.Due)))
			} else {
				r.Class = "th-refused"
				why := taskExtWhy[e.Why]
				if why == "" {
					why = e.Why
				}
				line := "不计入:" + why
				if before != "" {
					line += fmt.Sprintf("(当时时限 %s)", before)
				}
				r.Lines = append(r.Lines, line)
			}
		case analytics.EventDone:
			r.Event = "办结"
			if e.Status == scoring.TaskLate {
				r.Class = "th-late"
				r.Lines = []string{fmt.Sprintf("逾期办结:时限 %s,逾期 %d 个工作日", ymd(e.Due), t.State.Days)}
			} else {
				r.Class = "th-ontime"
				r.Lines = []string{fmt.Sprintf("按时办结:时限 %s", ymd(e.Due))}
			}
		default:
			r.Event = e.Kind
		}
		d.History = append(d.History, r)
	}
	return d
}
