package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Suggested 督办 deductions (README "Task deductions"): every task overdue as
// of a day is a suggestion; nothing is deducted until an admin confirms it,
// which writes one ordinary row into the deductions table (dated that day,
// so it counts in the round containing it) together with the decision and
// its audit entry. A dismissal needs a reason. A decision is about the
// task's effective due date at the time: if the due date later moves and
// the task is overdue again, it is suggested again.

// Decisions on a suggested task deduction.
const (
	DecisionConfirmed = "confirmed"
	DecisionDismissed = "dismissed"
)

// DefaultTaskDeductionPoints is the points suggested per overdue task unless
// the admin enters others: one point, a tenth of the default scheme's
// per-round deduction cap, so a unit reaches the cap only with ten overdue
// tasks confirmed in one round.
const DefaultTaskDeductionPoints = 1.0

// MaxTaskDeductionPoints is the most one confirmed task may deduct: the
// default scheme's per-round deduction cap (scheme deductions.cap, 10), as a
// single task can never weigh more than a whole round's deductions.
const MaxTaskDeductionPoints = 10.0

// MaxDismissReason is the longest dismissal reason accepted, in characters.
const MaxDismissReason = 500

// Errors of the task-deduction decisions (wrapped with the details).
var (
	// ErrTaskNotSuggested: the task is unknown, not overdue as of the day, or
	// its lead unit is not a known unit, so there is nothing to decide.
	ErrTaskNotSuggested = errors.New("not a suggested task deduction")
	// ErrTaskDecided: the task already has a decision for its effective due date.
	ErrTaskDecided = errors.New("already decided")
	// ErrTaskDeductionPoints: points not > 0, above MaxTaskDeductionPoints or
	// with more than two decimals.
	ErrTaskDeductionPoints = errors.New("invalid deduction points")
	// ErrDismissReason: a dismissal without a reason (or with an overlong one).
	ErrDismissReason = errors.New("a dismissal needs a reason")
)

// TaskDeductionSuggestion is one overdue task suggested as a deduction of
// its lead unit as of a day.
type TaskDeductionSuggestion struct {
	TaskID, Title       string
	UnitID, UnitName    string
	UnitKind            string    // department | county
	Due                 time.Time // the effective due date (after counted extensions)
	OriginalDue         time.Time
	DaysOverdue         int     // working days past Due as of the day
	Points              float64 // the suggested points
	DeductionID, Reason string  // what a confirmation would write
	Date                time.Time
	Round               string // the round containing Date, where the deduction counts
	Source, SourceName  string
	Assigned            time.Time
}

// TaskDeductionDecision is one decision taken on a suggestion.
type TaskDeductionDecision struct {
	TaskID           string
	Due              time.Time // the effective due date the decision is about
	Decision         string    // DecisionConfirmed | DecisionDismissed
	UnitID, UnitName string    // UnitName "" when the unit is no longer known
	AsOf             time.Time // the day the task was found overdue (the deduction's date)
	Round            string    // the round containing AsOf
	Points           float64   // confirmed only
	DeductionID      string    // confirmed only
	Note             string    // the dismissal reason, or the confirmed deduction's reason
	DecidedBy        string
	DecidedAt        time.Time
}

// TaskDeductionID is the deduction_id a confirmation writes:
// DB-<task_id>-<effective due yyyymmdd>. Imported deduction files may not use
// the DB- prefix (the deductions kind refuses it), so an import can neither
// replace nor forge a confirmed row.
func TaskDeductionID(taskID string, due time.Time) string {
	return "DB-" + taskID + "-" + due.Format("20060102")
}

// TaskDeductionReason is the reason written with a confirmed deduction.
func TaskDeductionReason(title, taskID string, due time.Time) string {
	return fmt.Sprintf("督办事项超期：%s（%s，应于%s办结）", title, taskID, due.Format("2006-01-02"))
}

// RoundOfDay names the bimonthly round containing a day (2019-12-20 → 2019-B6).
func RoundOfDay(day time.Time) string {
	return fmt.Sprintf("%d-B%d", day.Year(), (int(day.Month())+1)/2)
}

// CheckTaskDeductionPoints says whether points may be deducted for one task:
// greater than 0, at most MaxTaskDeductionPoints, at most two decimals.
func CheckTaskDeductionPoints(points float64) error {
	if math.IsNaN(points) || math.IsInf(points, 0) || points <= 0 || points > MaxTaskDeductionPoints {
		return fmt.Errorf("%w: %g (must be greater than 0 and at most %g)", ErrTaskDeductionPoints, points, MaxTaskDeductionPoints)
	}
	if math.Round(points*100)/100 != points {
		return fmt.Errorf("%w: %g (at most two decimals)", ErrTaskDeductionPoints, points)
	}
	return nil
}

// SuggestedTaskDeductions lists every task overdue as of asOf whose lead unit
// is a known unit and which has no decision for its effective due date, each
// with the given points, in the ledger's order (earliest due first, then
// task_id). It writes nothing.
func (s *Store) SuggestedTaskDeductions(ctx context.Context, asOf time.Time, points float64) ([]TaskDeductionSuggestion, error) {
	if err := CheckTaskDeductionPoints(points); err != nil {
		return nil, err
	}
	ts, err := s.Tasks(ctx, asOf, TaskFilter{Status: scoring.TaskOverdue})
	if err != nil {
		return nil, err
	}
	units, err := s.unitsByID(ctx)
	if err != nil {
		return nil, err
	}
	decided := map[string]bool{}
	ds, err := s.decisionRows(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		decided[decisionKey(d.TaskID, d.Due)] = true
	}
	day := civil(asOf)
	out := []TaskDeductionSuggestion{}
	for _, t := range ts {
		u, ok := units[t.LeadUnitID]
		if !ok || decided[decisionKey(t.ID, t.State.Due)] {
			continue
		}
		out = append(out, suggestionOf(t, u, day, points))
	}
	return out, nil
}

func suggestionOf(t Task, u Unit, day time.Time, points float64) TaskDeductionSuggestion {
	return TaskDeductionSuggestion{
		TaskID: t.ID, Title: t.Title, UnitID: u.ID, UnitName: u.Name, UnitKind: u.Kind,
		Due: t.State.Due, OriginalDue: t.Due, DaysOverdue: t.State.Days, Points: points,
		DeductionID: TaskDeductionID(t.ID, t.State.Due), Reason: TaskDeductionReason(t.Title, t.ID, t.State.Due),
		Date: day, Round: RoundOfDay(day), Source: t.Source, SourceName: TaskSourceName[t.Source],
		Assigned: t.Assigned,
	}
}

func decisionKey(taskID string, due time.Time) string {
	return taskID + "\x00" + due.Format("2006-01-02")
}

func (s *Store) unitsByID(ctx context.Context) (map[string]Unit, error) {
	us, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Unit, len(us))
	for _, u := range us {
		if u.Kind == "department" || u.Kind == "county" {
			m[u.ID] = u
		}
	}
	return m, nil
}

// suggestion re-derives one task's suggestion as of asOf (without looking at
// decisions), or an ErrTaskNotSuggested error saying why there is none.
func (s *Store) suggestion(ctx context.Context, asOf time.Time, taskID string, points float64) (TaskDeductionSuggestion, error) {
	day := civil(asOf)
	t, ok, err := s.Task(ctx, asOf, taskID)
	if err != nil {
		return TaskDeductionSuggestion{}, err
	}
	if !ok {
		return TaskDeductionSuggestion{}, fmt.Errorf("%w: task %s is unknown or assigned after %s", ErrTaskNotSuggested, taskID, day.Format("2006-01-02"))
	}
	if t.State.Status != scoring.TaskOverdue {
		return TaskDeductionSuggestion{}, fmt.Errorf("%w: task %s is not overdue as of %s (status %s, due %s)",
			ErrTaskNotSuggested, taskID, day.Format("2006-01-02"), t.State.Status, t.State.Due.Format("2006-01-02"))
	}
	units, err := s.unitsByID(ctx)
	if err != nil {
		return TaskDeductionSuggestion{}, err
	}
	u, ok := units[t.LeadUnitID]
	if !ok {
		return TaskDeductionSuggestion{}, fmt.Errorf("%w: the lead unit %s of task %s is not a known department or county", ErrTaskNotSuggested, t.LeadUnitID, taskID)
	}
	return suggestionOf(t, u, day, points), nil
}

// undecided fails with ErrTaskDecided when the task has a decision for due;
// it reads inside the deciding transaction, which InTx serialises with every
// other decision, so two clicks cannot both pass.
func undecided(ctx context.Context, tx *sql.Tx, taskID string, due time.Time) error {
	var n int
	if err := tx.QueryRowContext(ctx, queries.SQL("task_deduction_decision_count"), taskID, due).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: task %s due %s already has a decision", ErrTaskDecided, taskID, due.Format("2006-01-02"))
	}
	return nil
}

// ConfirmTaskDeduction deducts points from the lead unit of a task overdue as
// of asOf: in one transaction it writes one deductions row (deduction_id
// TaskDeductionID, dated asOf's day so it counts in the round containing it,
// reason TaskDeductionReason), the decision and an audit entry by who. It
// fails, writing nothing, when the task is no longer overdue
// (ErrTaskNotSuggested), already has a decision for its effective due date
// (ErrTaskDecided) or the points are out of range (ErrTaskDeductionPoints).
func (s *Store) ConfirmTaskDeduction(ctx context.Context, who string, asOf time.Time, taskID string, points float64) (TaskDeductionDecision, error) {
	if err := CheckTaskDeductionPoints(points); err != nil {
		return TaskDeductionDecision{}, err
	}
	sg, err := s.suggestion(ctx, asOf, taskID, points)
	if err != nil {
		return TaskDeductionDecision{}, err
	}
	now := time.Now()
	who = actorOr(who)
	d := TaskDeductionDecision{TaskID: sg.TaskID, Due: sg.Due, Decision: DecisionConfirmed, UnitID: sg.UnitID, UnitName: sg.UnitName,
		AsOf: sg.Date, Round: sg.Round, Points: points, DeductionID: sg.DeductionID, Note: sg.Reason, DecidedBy: who, DecidedAt: now}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		if err := undecided(ctx, tx, d.TaskID, d.Due); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, queries.SQL("deductions_count_id"), d.DeductionID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: deduction %s is already stored", ErrTaskDecided, d.DeductionID)
		}
		if _, err := tx.ExecContext(ctx, queries.SQL("deductions_insert"), d.DeductionID, d.UnitID, d.AsOf, points, sg.Reason); err != nil {
			return fmt.Errorf("write deduction: %w", err)
		}
		if err := insertDecision(ctx, tx, d); err != nil {
			return err
		}
		return AuditTx(ctx, tx, now, who, "task.deduction.confirm", "task:"+d.TaskID, nil, map[string]any{
			"task_id": d.TaskID, "due_on": d.Due.Format("2006-01-02"), "unit_id": d.UnitID, "deduction_id": d.DeductionID,
			"date": d.AsOf.Format("2006-01-02"), "round": d.Round, "points": points, "reason": sg.Reason})
	})
	if err != nil {
		return TaskDeductionDecision{}, fmt.Errorf("analytics: confirm task deduction %s: %w", taskID, err)
	}
	return d, nil
}

// DismissTaskDeduction records that a task overdue as of asOf is not to be
// deducted, with a required reason, and audits it; nothing is deducted. The
// task is no longer suggested for its effective due date.
func (s *Store) DismissTaskDeduction(ctx context.Context, who string, asOf time.Time, taskID, reason string) (TaskDeductionDecision, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return TaskDeductionDecision{}, fmt.Errorf("%w (task %s)", ErrDismissReason, taskID)
	}
	if utf8.RuneCountInString(reason) > MaxDismissReason {
		return TaskDeductionDecision{}, fmt.Errorf("%w: at most %d characters (task %s)", ErrDismissReason, MaxDismissReason, taskID)
	}
	sg, err := s.suggestion(ctx, asOf, taskID, DefaultTaskDeductionPoints)
	if err != nil {
		return TaskDeductionDecision{}, err
	}
	now := time.Now()
	who = actorOr(who)
	d := TaskDeductionDecision{TaskID: sg.TaskID, Due: sg.Due, Decision: DecisionDismissed, UnitID: sg.UnitID, UnitName: sg.UnitName,
		AsOf: sg.Date, Round: sg.Round, Note: reason, DecidedBy: who, DecidedAt: now}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		if err := undecided(ctx, tx, d.TaskID, d.Due); err != nil {
			return err
		}
		if err := insertDecision(ctx, tx, d); err != nil {
			return err
		}
		return AuditTx(ctx, tx, now, who, "task.deduction.dismiss", "task:"+d.TaskID, nil, map[string]any{
			"task_id": d.TaskID, "due_on": d.Due.Format("2006-01-02"), "unit_id": d.UnitID,
			"date": d.AsOf.Format("2006-01-02"), "reason": reason})
	})
	if err != nil {
		return TaskDeductionDecision{}, fmt.Errorf("analytics: dismiss task deduction %s: %w", taskID, err)
	}
	return d, nil
}

func insertDecision(ctx context.Context, tx *sql.Tx, d TaskDeductionDecision) error {
	var points, id any
	if d.Decision == DecisionConfirmed {
		points, id = d.Points, d.DeductionID
	}
	if _, err := tx.ExecContext(ctx, queries.SQL("task_deduction_decision_insert"), d.TaskID, d.Due, d.Decision, d.UnitID, d.AsOf,
		points, id, d.Note, d.DecidedBy, d.DecidedAt); err != nil {
		return fmt.Errorf("write decision: %w", err)
	}
	return nil
}

// TaskDeductionDecisions lists every decision taken, newest first, with the
// unit's current name.
func (s *Store) TaskDeductionDecisions(ctx context.Context) ([]TaskDeductionDecision, error) {
	ds, err := s.decisionRows(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.unitsByID(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		ds[i].UnitName = units[ds[i].UnitID].Name
	}
	return ds, nil
}

func (s *Store) decisionRows(ctx context.Context) ([]TaskDeductionDecision, error) {
	out := []TaskDeductionDecision{}
	err := s.eachRow(ctx, queries.SQL("task_deduction_decisions_list"), nil, func(r *sql.Rows) error {
		var d TaskDeductionDecision
		var points sql.NullFloat64
		var id sql.NullString
		if err := r.Scan(&d.TaskID, &d.Due, &d.Decision, &d.UnitID, &d.AsOf, &points, &id, &d.Note, &d.DecidedBy, &d.DecidedAt); err != nil {
			return err
		}
		d.Due, d.AsOf = civil(d.Due), civil(d.AsOf)
		d.Points, d.DeductionID = points.Float64, id.String
		d.Round = RoundOfDay(d.AsOf)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: task deduction decisions: %w", err)
	}
	return out, nil
}
