package scoring

import (
	"math"
	"sort"
	"time"
)

// The 督办 ledger rules (README "Tasks and targets"): which extension requests
// move a task's due date, and a task's status as of a date. Pure functions:
// the working days come from a small interface that calendar.Calendar
// satisfies, so this package still imports nothing of ours.

// WorkingDays counts working days: the number of working days d with
// a < d <= b (negative when b is before a), an error when the calendar does
// not cover the span. calendar.Calendar satisfies it.
type WorkingDays interface {
	WorkingDaysBetween(a, b time.Time) (int, error)
}

// Task statuses as of a date.
const (
	TaskOnTime  = "on_time"  // done on or before its (extended) due date
	TaskLate    = "late"     // done after its (extended) due date
	TaskOverdue = "overdue"  // open and past its (extended) due date (超期)
	TaskDueSoon = "due_soon" // open and due within DueSoonDays working days (临期)
	TaskOpen    = "open"     // open and not yet due soon
)

// DueSoonDays is the 临期 window: an open task is due soon when its due date
// is at most this many working days after the as-of date (the as-of day not
// counted; due on the as-of date itself is due soon, 0 days left).
const DueSoonDays = 3

// Why an extension request did not move the due date.
const (
	ExtNotApproved   = "not_approved"   // 未批准
	ExtTooLate       = "requested_late" // requested on or after the then current due date
	ExtNotLater      = "not_later"      // the new date is not after the current due date
	ExtAfterDone     = "after_done"     // requested after the task was done
	extensionCounted = ""
)

// TaskExtension is one extension request (延期申请).
type TaskExtension struct {
	RequestedOn, NewDue time.Time
	Approved            bool
	Reason              string
}

// ExtensionOutcome is an extension request and what it did: Counted when it
// moved the due date from DueBefore to NewDue, else Why names the rule.
type ExtensionOutcome struct {
	TaskExtension
	DueBefore time.Time
	Counted   bool
	Why       string
}

// TaskFacts are a task's dates: Due is the original due date (already
// resolved from a number of days), DoneOn the zero time while open.
type TaskFacts struct {
	Assigned, Due, DoneOn time.Time
	Extensions            []TaskExtension
}

// TaskState is a task's state as of a date: its effective due date after the
// counted extensions, the status, and Days — working days past due for
// overdue, left for due_soon and open, past due at completion for late, 0
// for on_time. Extensions lists the requests made by the as-of date in
// requested order, counted or not.
type TaskState struct {
	Status     string
	Due        time.Time
	Days       int
	Extensions []ExtensionOutcome
}

// ApplyExtensions chains the extension requests made by asOf, in requested
// order (ties by new date): a request counts only when it was approved, made
// strictly before the then current due date, made no later than the task was
// done, and asks for a later date; a counted request makes its new date the
// current due date for the requests after it. It returns the effective due
// date and every request's outcome.
func ApplyExtensions(due, doneOn, asOf time.Time, exts []TaskExtension) (time.Time, []ExtensionOutcome) {
	sorted := append([]TaskExtension(nil), exts...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].RequestedOn.Equal(sorted[j].RequestedOn) {
			return sorted[i].RequestedOn.Before(sorted[j].RequestedOn)
		}
		return sorted[i].NewDue.Before(sorted[j].NewDue)
	})
	var out []ExtensionOutcome
	for _, e := range sorted {
		if e.RequestedOn.After(asOf) {
			continue
		}
		o := ExtensionOutcome{TaskExtension: e, DueBefore: due}
		switch {
		case !doneOn.IsZero() && e.RequestedOn.After(doneOn):
			o.Why = ExtAfterDone
		case !e.RequestedOn.Before(due):
			o.Why = ExtTooLate
		case !e.Approved:
			o.Why = ExtNotApproved
		case !e.NewDue.After(due):
			o.Why = ExtNotLater
		default:
			o.Counted, o.Why = true, extensionCounted
			due = e.NewDue
		}
		out = append(out, o)
	}
	return due, out
}

// TaskStatus derives a task's state as of asOf. A task done after asOf is
// still open as of asOf. Done on the due date is on time; done after it is
// late; open and asOf after the due date is overdue; open and the due date at
// most DueSoonDays working days after asOf is due soon.
func TaskStatus(t TaskFacts, asOf time.Time, wd WorkingDays) (TaskState, error) {
	done := t.DoneOn
	if !done.IsZero() && done.After(asOf) {
		done = time.Time{}
	}
	var st TaskState
	st.Due, st.Extensions = ApplyExtensions(t.Due, done, asOf, t.Extensions)
	var err error
	switch {
	case !done.IsZero() && !done.After(st.Due):
		st.Status = TaskOnTime
	case !done.IsZero():
		st.Status = TaskLate
		st.Days, err = wd.WorkingDaysBetween(st.Due, done)
	case asOf.After(st.Due):
		st.Status = TaskOverdue
		st.Days, err = wd.WorkingDaysBetween(st.Due, asOf)
	default:
		st.Days, err = wd.WorkingDaysBetween(asOf, st.Due)
		st.Status = TaskOpen
		if st.Days <= DueSoonDays {
			st.Status = TaskDueSoon
		}
	}
	if err != nil {
		return TaskState{}, err
	}
	return st, nil
}

// TaskCounts are a unit's tasks by status as of a date, and its on-time
// completion rate: Rate = OnTime / Due, where Due counts the tasks whose
// effective due date is on or before the as-of date and OnTime those of them
// done by their due date (a task done early but due later is not yet in
// either). Rate is NaN when Due is 0.
type TaskCounts struct {
	Total, OnTime, Late, Overdue, DueSoon, Open int
	Due, DueOnTime                              int
	Rate                                        float64
}

// Add counts one task's state as of asOf.
func (c *TaskCounts) Add(st TaskState, asOf time.Time) {
	c.Total++
	switch st.Status {
	case TaskOnTime:
		c.OnTime++
	case TaskLate:
		c.Late++
	case TaskOverdue:
		c.Overdue++
	case TaskDueSoon:
		c.DueSoon++
	default:
		c.Open++
	}
	if !st.Due.After(asOf) {
		c.Due++
		if st.Status == TaskOnTime {
			c.DueOnTime++
		}
	}
	c.Rate = math.NaN()
	if c.Due > 0 {
		c.Rate = float64(c.DueOnTime) / float64(c.Due)
	}
}

// Trend is a least-squares line y = Intercept + Slope·x over points (x, y),
// x the month index counted from a target's first month (0).
type Trend struct {
	Slope, Intercept float64
	Points           int
}

// At is the line's value at month index x.
func (t Trend) At(x float64) float64 { return t.Intercept + t.Slope*x }

// FitTrend fits the least-squares line through the points; ok is false with
// fewer than two distinct x.
func FitTrend(xs, ys []float64) (Trend, bool) {
	n := float64(len(xs))
	if len(xs) < 2 || len(xs) != len(ys) {
		return Trend{Points: len(xs)}, false
	}
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	if sxx == 0 {
		return Trend{Points: len(xs)}, false
	}
	b := sxy / sxx
	return Trend{Slope: b, Intercept: my - b*mx, Points: len(xs)}, true
}

// ReachMonth is the first whole month index x >= from from which the line
// stays at or beyond value (≥, or ≤ for a lower-is-better indicator): the
// crossing of a line going the right way, from itself when the line is
// already there. False for a line going the wrong way (it leaves the value,
// or never reaches it) and for a flat line short of the value.
func (t Trend) ReachMonth(value float64, lower bool, from int) (int, bool) {
	reached := func(x float64) bool {
		v := t.At(x)
		if lower {
			return v <= value+1e-12
		}
		return v >= value-1e-12
	}
	if t.Slope == 0 {
		return from, reached(float64(from))
	}
	slope := t.Slope
	if lower {
		slope = -slope
	}
	if slope < 0 {
		return 0, false
	}
	x := (value - t.Intercept) / t.Slope // where the line crosses value
	k := int(math.Ceil(x - 1e-9))
	if k < from {
		k = from
	}
	for !reached(float64(k)) { // guard against rounding at the crossing
		k++
	}
	return k, true
}

// TargetAssessment is a target's progress as of a date.
type TargetAssessment struct {
	Current      float64 // the rate over the months so far (pooled counts)
	Progress     float64 // Current against the value (higher: Current/value; lower: value/Current), may exceed 1
	TimeProgress float64 // elapsed share of the period, 0–1
	Met          bool    // Current meets the value
	HasTrend     bool    // two or more months with data
	Trend        Trend
	AtDue        float64 // the line's value at the due month, when HasTrend
	ReachMonth   int     // month index where the line reaches the value, when Reaches
	Reaches      bool
	// Status is the one verdict every view shows (TargetStatus); AtRisk is
	// Status == TargetAtRisk.
	Status TargetStatus
	AtRisk bool
}

// TargetStatus is a target's verdict as of a date.
type TargetStatus string

// The verdicts. On and after the due date a target is judged by its value
// (达标 or 未达标), never at risk; before it, a target whose value is
// already met is 已达标, and one not met is at risk when the trend misses
// the value by the due month.
const (
	TargetDueMet    TargetStatus = "due_met"    // 已到期·达标
	TargetDueMissed TargetStatus = "due_missed" // 已到期·未达标
	TargetMet       TargetStatus = "met"        // 已达标 (before the due date)
	TargetAtRisk    TargetStatus = "at_risk"    // 预计无法按期达成
	TargetOnTrack   TargetStatus = "on_track"   // 预计可按期达成
)

// Label is the verdict in Chinese.
func (s TargetStatus) Label() string {
	switch s {
	case TargetDueMet:
		return "已到期·达标"
	case TargetDueMissed:
		return "已到期·未达标"
	case TargetMet:
		return "已达标"
	case TargetAtRisk:
		return "预计无法按期达成"
	case TargetOnTrack:
		return "预计可按期达成"
	}
	return string(s)
}

// Bad reports a verdict shown as a warning: due and missed, or at risk.
func (s TargetStatus) Bad() bool { return s == TargetDueMissed || s == TargetAtRisk }

// AssessTarget judges a target from its monthly values ys at month indexes xs
// (months with data only), the pooled current value, the due month's index,
// the elapsed share of the period and whether the as-of date is on or after
// the due date (due). A due target is 已到期·达标 when the current value
// meets the value and 已到期·未达标 otherwise (also without data); it is
// never at risk. Before the due date a target whose current value meets the
// value is 已达标. Otherwise, with a trend, it is at risk when the line's
// value at the due month does not reach the value (is below it, or above it
// for a lower-is-better indicator); without one (fewer than two months of
// data) it is at risk when the current value does not meet it, and with no
// data at all it is at risk.
func AssessTarget(xs, ys []float64, current float64, hasCurrent bool, value float64, lower bool, dueMonth int, timeProgress float64, due bool) TargetAssessment {
	a := TargetAssessment{Current: current, TimeProgress: math.Max(0, math.Min(1, timeProgress))}
	if hasCurrent {
		a.Met = current >= value
		if lower {
			a.Met = current <= value
		}
		switch {
		case !lower && value > 0:
			a.Progress = current / value
		case !lower:
			a.Progress = 1
		case current > 0:
			a.Progress = value / current
		default:
			a.Progress = 1
		}
	}
	a.Trend, a.HasTrend = FitTrend(xs, ys)
	misses := !hasCurrent || !a.Met
	if a.HasTrend {
		a.AtDue = a.Trend.At(float64(dueMonth))
		a.ReachMonth, a.Reaches = a.Trend.ReachMonth(value, lower, 0)
		// Judged at the due month, not by the reach month.
		misses = a.AtDue < value-1e-12
		if lower {
			misses = a.AtDue > value+1e-12
		}
	}
	met := hasCurrent && a.Met
	switch {
	case due && met:
		a.Status = TargetDueMet
	case due:
		a.Status = TargetDueMissed
	case met:
		a.Status = TargetMet
	case misses:
		a.Status = TargetAtRisk
	default:
		a.Status = TargetOnTrack
	}
	a.AtRisk = a.Status == TargetAtRisk
	return a
}

// IndicatorRatio returns a unit's counts for a rate indicator of the scheme
// (ServiceIndicators, ComplaintIndicators), and false for any other name.
func IndicatorRatio(u *UnitInput, name string) (Ratio, bool) {
	for _, n := range append(append([]string(nil), ServiceIndicators...), ComplaintIndicators...) {
		if n == name {
			return u.ratio(name), true
		}
	}
	return Ratio{}, false
}
