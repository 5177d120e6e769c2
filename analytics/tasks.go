package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/xiaoneng/xiaoneng/calendar"
	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The 督办 ledger as of a date (README "Tasks and targets"): every task with
// its derived status and history, per-unit counts, and the task alerts. The
// rules themselves are scoring.TaskStatus and scoring.ApplyExtensions; this
// file loads the rows and resolves due_days through the working-day calendar.

// AlertTask is the alert kind of an overdue (超期) or due-soon (临期) task.
const AlertTask = "task"

// Task history event kinds.
const (
	EventAssigned  = "assigned"
	EventExtension = "extension"
	EventDone      = "done"
)

// TaskEvent is one line of a task's history. For EventAssigned Due is the
// original due date; for EventExtension Due is the requested new date,
// Approved and Reason are the request's, Counted says whether it moved the
// due date and Why (a scoring.Ext* value) why not; for EventDone Status is
// on_time or late.
type TaskEvent struct {
	Date     time.Time
	Kind     string
	Due      time.Time
	Approved bool
	Counted  bool
	Why      string
	Reason   string
	Status   string
}

// Task is one 督办 task as of a date. Due is the original due date (resolved
// from DueDays and DueUnit when the file gave a number of days); DoneOn is the
// stored completion date (zero while open; it may lie after the as-of date, in
// which case the task is open as of that date). State holds the effective due
// date, the status and the extension outcomes.
type Task struct {
	ID, Title, Source, LeadUnitID string
	Cooperating                   []string
	Assigned, Due, DoneOn         time.Time
	DueDays                       int    // as given, when DueUnit is set
	DueUnit                       string // working | calendar, "" when the file gave due_on
	Evidence                      string
	State                         scoring.TaskState
	History                       []TaskEvent
}

// TaskFilter selects tasks: UnitID as lead or cooperating unit, Source and
// Status (a scoring.Task* status) exactly; empty fields select everything.
type TaskFilter struct{ UnitID, Source, Status string }

// taskStatusRank orders the ledger: overdue first, then due soon, open, late, on time.
var taskStatusRank = map[string]int{scoring.TaskOverdue: 0, scoring.TaskDueSoon: 1, scoring.TaskOpen: 2, scoring.TaskLate: 3, scoring.TaskOnTime: 4}

// Tasks lists the tasks assigned by asOf with their status as of asOf, overdue
// first, then due soon, open, late and on time; within a status by effective
// due date and task_id. A due date the calendar cannot resolve is an error
// naming the missing year.
func (s *Store) Tasks(ctx context.Context, asOf time.Time, f TaskFilter) ([]Task, error) {
	ts, err := s.loadTasks(ctx, asOf, f.UnitID)
	if err != nil {
		return nil, err
	}
	out := ts[:0]
	for _, t := range ts {
		if (f.Source == "" || t.Source == f.Source) && (f.Status == "" || t.State.Status == f.Status) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := taskStatusRank[a.State.Status], taskStatusRank[b.State.Status]; ra != rb {
			return ra < rb
		}
		if !a.State.Due.Equal(b.State.Due) {
			return a.State.Due.Before(b.State.Due)
		}
		return a.ID < b.ID
	})
	return out, nil
}

// Task returns one task as of asOf, false when it is unknown or assigned after asOf.
func (s *Store) Task(ctx context.Context, asOf time.Time, id string) (Task, bool, error) {
	ts, err := s.loadTasks(ctx, asOf, "")
	if err != nil {
		return Task{}, false, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, true, nil
		}
	}
	return Task{}, false, nil
}

// UnitTaskSummary is one unit's tasks as of a date: as lead unit (the
// on-time completion rate of the 督办 part) and, counted separately, as a
// cooperating unit.
type UnitTaskSummary struct {
	UnitID, Name      string
	Lead, Cooperating scoring.TaskCounts
}

// TaskSummary counts every unit's tasks as of asOf, for the units that lead or
// cooperate on at least one task, by unit_id.
func (s *Store) TaskSummary(ctx context.Context, asOf time.Time) ([]UnitTaskSummary, error) {
	ts, err := s.loadTasks(ctx, asOf, "")
	if err != nil {
		return nil, err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	by := map[string]*UnitTaskSummary{}
	get := func(id string) *UnitTaskSummary {
		if by[id] == nil {
			by[id] = &UnitTaskSummary{UnitID: id, Name: names[id]}
		}
		return by[id]
	}
	day := civil(asOf)
	for _, t := range ts {
		get(t.LeadUnitID).Lead.Add(t.State, day)
		for _, c := range t.Cooperating {
			get(c).Cooperating.Add(t.State, day)
		}
	}
	out := make([]UnitTaskSummary, 0, len(by))
	for _, u := range by {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UnitID < out[j].UnitID })
	return out, nil
}

// TaskRatios are a unit's tasks whose effective due date lies in a period,
// as lead and as cooperating unit: Den the tasks, Num those done by their
// due date (scoring.TaskOnTime), all as of the period's last day.
type TaskRatios struct{ Lead, Coop scoring.Ratio }

// PeriodTaskRatios counts, per unit, the tasks due in the period (their
// effective due date, after the extensions that count, from p.Start to p.End
// inclusive) and how many of them were done on time, as of p.End: the
// indicators of the 督办落实 part. A task done on time counts even when it
// was done before the period; one still open or done late counts as not on
// time; one due after the period waits for the round it falls due in.
func (s *Store) PeriodTaskRatios(ctx context.Context, p Period) (map[string]TaskRatios, error) {
	ts, err := s.loadTasks(ctx, p.End, "")
	if err != nil {
		return nil, err
	}
	start, end := civil(p.Start), civil(p.End)
	out := map[string]TaskRatios{}
	add := func(unit string, lead, onTime bool) {
		r := out[unit]
		q := &r.Coop
		if lead {
			q = &r.Lead
		}
		q.Den++
		if onTime {
			q.Num++
		}
		out[unit] = r
	}
	for _, t := range ts {
		if t.State.Due.Before(start) || t.State.Due.After(end) {
			continue
		}
		onTime := t.State.Status == scoring.TaskOnTime
		add(t.LeadUnitID, true, onTime)
		for _, c := range t.Cooperating {
			add(c, false, onTime)
		}
	}
	return out, nil
}

// civil is the civil date of t at 00:00 UTC.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// loadTasks reads the tasks assigned by asOf (those unitID leads or
// cooperates on, or all when it is empty) and derives their state.
func (s *Store) loadTasks(ctx context.Context, asOf time.Time, unitID string) ([]Task, error) {
	day := civil(asOf)
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	var ts []Task
	err = s.eachRow(ctx, queries.SQL("tasks_list"), []any{day, unitID}, func(r *sql.Rows) error {
		var t Task
		var coop string
		var due, done sql.NullTime
		var days sql.NullInt64
		var unit sql.NullString
		if err := r.Scan(&t.ID, &t.Title, &t.Source, &t.LeadUnitID, &coop, &t.Assigned, &due, &days, &unit, &done, &t.Evidence); err != nil {
			return err
		}
		if coop != "" {
			t.Cooperating = strings.Split(coop, ",")
		}
		t.Assigned = civil(t.Assigned)
		if done.Valid {
			t.DoneOn = civil(done.Time)
		}
		if due.Valid {
			t.Due = civil(due.Time)
		} else {
			t.DueDays, t.DueUnit = int(days.Int64), unit.String
			u := calendar.Working
			if unit.String == "calendar" {
				u = calendar.CalendarDays
			}
			d, err := cal.Due(t.Assigned, t.DueDays, u)
			if err != nil {
				return fmt.Errorf("task %s assigned %s, %d %s days: %w", t.ID, t.Assigned.Format("2006-01-02"), t.DueDays, t.DueUnit, err)
			}
			t.Due = d
		}
		ts = append(ts, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: tasks as of %s: %w", day.Format("2006-01-02"), err)
	}
	exts := map[string][]scoring.TaskExtension{}
	err = s.eachRow(ctx, queries.SQL("task_extensions_list"), []any{day, unitID}, func(r *sql.Rows) error {
		var id string
		var e scoring.TaskExtension
		if err := r.Scan(&id, &e.RequestedOn, &e.NewDue, &e.Reason, &e.Approved); err != nil {
			return err
		}
		e.RequestedOn, e.NewDue = civil(e.RequestedOn), civil(e.NewDue)
		exts[id] = append(exts[id], e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: task extensions as of %s: %w", day.Format("2006-01-02"), err)
	}
	for i := range ts {
		t := &ts[i]
		st, err := scoring.TaskStatus(scoring.TaskFacts{Assigned: t.Assigned, Due: t.Due, DoneOn: t.DoneOn, Extensions: exts[t.ID]}, day, cal)
		if err != nil {
			return nil, fmt.Errorf("analytics: task %s as of %s: %w", t.ID, day.Format("2006-01-02"), err)
		}
		t.State = st
		t.History = taskHistory(t, day)
	}
	return ts, nil
}

// taskHistory lists what happened to a task up to asOf, in date order:
// assigned, each extension request (counted or not), done.
func taskHistory(t *Task, asOf time.Time) []TaskEvent {
	h := []TaskEvent{{Date: t.Assigned, Kind: EventAssigned, Due: t.Due}}
	for _, o := range t.State.Extensions {
		h = append(h, TaskEvent{Date: o.RequestedOn, Kind: EventExtension, Due: o.NewDue, Approved: o.Approved,
			Counted: o.Counted, Why: o.Why, Reason: o.Reason})
	}
	if !t.DoneOn.IsZero() && !t.DoneOn.After(asOf) {
		h = append(h, TaskEvent{Date: t.DoneOn, Kind: EventDone, Due: t.State.Due, Status: t.State.Status})
	}
	return h
}

// taskAlerts are the alerts of the tasks led by unitID (every unit when
// empty): 超期 for overdue tasks, 临期 for tasks due within
// scoring.DueSoonDays working days. Days are working days past due or left.
func (s *Store) taskAlerts(ctx context.Context, day time.Time, unitID string) ([]Alert, error) {
	ts, err := s.loadTasks(ctx, day, unitID)
	if err != nil {
		return nil, err
	}
	var out []Alert
	for _, t := range ts {
		if unitID != "" && t.LeadUnitID != unitID {
			continue
		}
		a := Alert{Kind: AlertTask, ID: t.ID, UnitID: t.LeadUnitID, Due: t.State.Due, Days: t.State.Days}
		switch t.State.Status {
		case scoring.TaskOverdue:
			a.Level, a.CalendarDays = LevelOverdue, CalendarDaysPast(a.Due, day)
			a.Detail = fmt.Sprintf("督办: %s, 交办 %s, 期限 %s, %s", t.Title, t.Assigned.Format("2006-01-02"), a.Due.Format("2006-01-02"), OverdueWords(a.Days, a.CalendarDays))
		case scoring.TaskDueSoon:
			a.Level = LevelDueSoon
			a.Detail = fmt.Sprintf("督办: %s, 交办 %s, 期限 %s, 剩余 %d 个工作日", t.Title, t.Assigned.Format("2006-01-02"), a.Due.Format("2006-01-02"), a.Days)
		default:
			continue
		}
		out = append(out, a)
	}
	return out, nil
}
