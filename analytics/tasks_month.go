package analytics

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The 督办 ledger's month for the monthly bulletin (README "Tasks and
// targets"): what was assigned, done and extended in a month and what is
// overdue at its end. Pure Go over the ledger as of the month's last day
// (loadTasks): a task done, or an extension requested, by that day already
// has its final status there, so no second read is needed.

// TaskMonthReport is one month of the 督办 ledger. Every count is of the
// tasks assigned by End (the ledger as of End); Tasks is their number, and
// 0 means the city had no task yet (the bulletin leaves the section out).
type TaskMonthReport struct {
	Month      string    // YYYY-MM
	Start, End time.Time // the month's first and last day
	Tasks      int       // assigned by End
	New        int       // assigned in the month
	// DoneOnTime and DoneLate are the tasks done in the month, on or
	// before, and after, their (extended) due date.
	DoneOnTime, DoneLate int
	// Open counts the open tasks at End that are not overdue (临期 and 在办);
	// Overdue those open and past their (extended) due date at End.
	Open, Overdue int
	// Extended counts the extension requests made in the month that moved a
	// due date (approved and asked before the then current due date);
	// NotCounted those made in the month that did not, and NotCountedWhy
	// splits them by reason (scoring.ExtTooLate, ExtNotApproved, …).
	Extended, NotCounted int
	NotCountedWhy        map[string]int
	// Units are the lead units with anything to show (a count above 0),
	// overdue desc then unit_id.
	Units []TaskMonthUnit
	// OverdueTasks are every task overdue at End, longest overdue first
	// (earliest effective due date, then task_id).
	OverdueTasks []TaskMonthOverdue
}

// TaskMonthUnit is one lead unit's month: tasks assigned to it, done on time
// and late in the month, overdue at the month's end, and counted extension
// requests made in the month.
type TaskMonthUnit struct {
	UnitID, Name                       string
	New, DoneOnTime, DoneLate, Overdue int
	Extended                           int
}

// TaskMonthOverdue is a task overdue at the month's end: its effective due
// date, WorkingDays past it as the task's state gives (scoring.TaskStatus)
// and CalendarDays from the due date to End.
type TaskMonthOverdue struct {
	ID, Title, LeadUnitID, LeadUnit string
	Due                             time.Time
	WorkingDays, CalendarDays       int
}

// TaskMonth reports the 督办 ledger of a month (YYYY-MM) as of its last day.
func (s *Store) TaskMonth(ctx context.Context, month string) (TaskMonthReport, error) {
	start, err := time.Parse("2006-01", month)
	if err != nil {
		return TaskMonthReport{}, fmt.Errorf("analytics: %q is not a month (YYYY-MM)", month)
	}
	end := start.AddDate(0, 1, -1)
	ts, err := s.Tasks(ctx, end, TaskFilter{})
	if err != nil {
		return TaskMonthReport{}, err
	}
	r := TaskMonthReport{Month: month, Start: start, End: end, Tasks: len(ts), NotCountedWhy: map[string]int{}}
	if len(ts) == 0 {
		return r, nil
	}
	units, err := s.Units(ctx)
	if err != nil {
		return TaskMonthReport{}, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	r.count(ts, names)
	return r, nil
}

// count fills the report from the ledger as of r.End, in the order of
// Store.Tasks (overdue first, by effective due date and task_id).
func (r *TaskMonthReport) count(ts []Task, names map[string]string) {
	in := func(d time.Time) bool { return !d.IsZero() && !d.Before(r.Start) && !d.After(r.End) }
	by := map[string]*TaskMonthUnit{}
	unit := func(id string) *TaskMonthUnit {
		if by[id] == nil {
			by[id] = &TaskMonthUnit{UnitID: id, Name: names[id]}
		}
		return by[id]
	}
	for _, t := range ts {
		if in(t.Assigned) {
			r.New++
			unit(t.LeadUnitID).New++
		}
		if in(t.DoneOn) {
			switch t.State.Status {
			case scoring.TaskOnTime:
				r.DoneOnTime++
				unit(t.LeadUnitID).DoneOnTime++
			case scoring.TaskLate:
				r.DoneLate++
				unit(t.LeadUnitID).DoneLate++
			}
		}
		switch t.State.Status {
		case scoring.TaskOverdue:
			r.Overdue++
			unit(t.LeadUnitID).Overdue++
			r.OverdueTasks = append(r.OverdueTasks, TaskMonthOverdue{ID: t.ID, Title: t.Title,
				LeadUnitID: t.LeadUnitID, LeadUnit: names[t.LeadUnitID], Due: t.State.Due,
				WorkingDays: t.State.Days, CalendarDays: CalendarDaysPast(t.State.Due, r.End)})
		case scoring.TaskDueSoon, scoring.TaskOpen:
			r.Open++
		}
		for _, e := range t.State.Extensions {
			if !in(e.RequestedOn) {
				continue
			}
			if e.Counted {
				r.Extended++
				unit(t.LeadUnitID).Extended++
				continue
			}
			r.NotCounted++
			r.NotCountedWhy[e.Why]++
		}
	}
	for _, u := range by {
		r.Units = append(r.Units, *u)
	}
	sort.Slice(r.Units, func(i, j int) bool {
		a, b := r.Units[i], r.Units[j]
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		return a.UnitID < b.UnitID
	})
}
