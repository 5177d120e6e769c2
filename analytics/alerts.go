package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// Alert levels (CONTRACT §5), most severe first.
const (
	LevelOverdue  = "超期" // past its due date
	LevelAlarm    = "报警" // document circulation
	LevelDueSoon  = "临期" // due within 2 working days
	alarmDayHours = 24
)

// Alert kinds.
const (
	AlertCase               = "case"
	AlertComplaint          = "complaint"
	AlertDocumentStep       = "document_step"
	AlertDocumentUnresolved = "document_unresolved"
)

// Alert is one open alert as of a date. For a case, complaint or 督办 task
// (AlertTask, README "Tasks and targets") ID is its key,
// Due its due date and Days the working days past due (超期) or left (临期,
// the as-of day not counted). For a slow document step ID is the doc_id; for a
// unit with unresolved evaluations ID is the month (YYYY-MM); Due is zero and
// Days 0 for both, and a slow step's Hours are the hours it took (or has
// taken so far). CalendarDays are the calendar days past due of an overdue
// item (0 otherwise).
type Alert struct {
	Kind, ID, UnitID, Level string
	Due                     time.Time
	Days                    int
	CalendarDays            int
	Hours                   float64
	Detail                  string
}

var levelRank = map[string]int{LevelOverdue: 0, LevelAlarm: 1, LevelDueSoon: 2}

// AlertKindName is the Chinese word of each alert kind, shown wherever a
// person reads alerts (JSON keeps the codes).
var AlertKindName = map[string]string{
	AlertCase: "办件", AlertComplaint: "诉求", AlertDocumentStep: "公文流转环节",
	AlertDocumentUnresolved: "公文评价", AlertTask: "督办",
}

// DocumentStepName is the Chinese name of each document step, the words the
// documents import accepts for it (kinds_service.go).
var DocumentStepName = map[string]string{
	"register": "登记", "send": "发送", "receive": "签收",
	"feedback": "反馈", "deliver": "送达", "evaluate": "评价",
}

// CalendarDaysPast is the number of calendar days (自然日) from a due date to
// an as-of day, both taken as whole days: due Friday, as of Sunday is 2.
func CalendarDaysPast(due, asOf time.Time) int {
	return int(civil(asOf).Sub(civil(due)).Hours() / 24)
}

// OverdueWords words how late an open item is: 超期 N 个工作日(M 个自然日),
// the working days of the calendar and the calendar days beside them.
func OverdueWords(workingDays, calendarDays int) string {
	return fmt.Sprintf("超期 %d 个工作日(%d 个自然日)", workingDays, calendarDays)
}

// stepName is a document step's Chinese name (the code when unknown).
func stepName(step string) string {
	if n := DocumentStepName[step]; n != "" {
		return n
	}
	return step
}

// Alerts lists the open alerts as of a date, sorted by level (超期, 报警,
// 临期) and urgency (sortAlerts). A due date beyond the working-day calendar, or an
// as-of date outside it, is an error naming the calendar gap.
func (s *Store) Alerts(ctx context.Context, asOf time.Time) ([]Alert, error) {
	return s.alerts(ctx, asOf, "")
}

// UnitAlerts lists one unit's open alerts as of a date: exactly the alerts of
// Alerts whose UnitID is unitID, in the same order, but the statements filter
// on the unit before grading, so a unit profile does not pay for the whole
// city's cases and complaints. An empty unitID lists nothing.
func (s *Store) UnitAlerts(ctx context.Context, asOf time.Time, unitID string) ([]Alert, error) {
	if unitID == "" {
		return nil, nil
	}
	return s.alerts(ctx, asOf, unitID)
}

// alerts runs the alert statements for one unit, or every unit when unitID
// is empty (the statements' shared filter parameter).
func (s *Store) alerts(ctx context.Context, asOf time.Time, unitID string) ([]Alert, error) {
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	if _, ok, err := s.DueWorking(ctx, day, 0); err != nil {
		return nil, fmt.Errorf("analytics: alerts: %w", err)
	} else if !ok {
		return nil, fmt.Errorf("analytics: alerts: %s is outside the working-day calendar; import holidays.csv for %d", day.Format("2006-01-02"), day.Year())
	}
	var out []Alert
	dated := func(r *sql.Rows, day time.Time) error {
		a, err := scanDatedAlert(r, day)
		if err == nil {
			out = append(out, a)
		}
		return err
	}
	steps := []struct{ name, sql string }{
		{"alerts_cases", queries.SQL("alerts_cases")},
		{"alerts_complaints", queries.SQL("alerts_complaints")},
	}
	for _, st := range steps {
		if err := s.eachRow(ctx, st.sql, []any{day, unitID}, func(r *sql.Rows) error { return dated(r, day) }); err != nil {
			return nil, fmt.Errorf("analytics: %s as of %s: %w", st.name, day.Format("2006-01-02"), err)
		}
	}
	docs := func(r *sql.Rows) error {
		a, err := scanDocumentAlert(r)
		if err == nil {
			out = append(out, a)
		}
		return err
	}
	if err := s.eachRow(ctx, queries.SQL("alerts_documents"), []any{day, unitID}, docs); err != nil {
		return nil, fmt.Errorf("analytics: alerts_documents as of %s: %w", day.Format("2006-01-02"), err)
	}
	tasks, err := s.taskAlerts(ctx, day, unitID)
	if err != nil {
		return nil, err
	}
	out = append(out, tasks...)
	sortAlerts(out)
	return out, nil
}

// sortAlerts orders alerts by level (超期 first), then by urgency — the most
// working days overdue first among 超期 (then the most calendar days), the
// fewest working days left first among 临期 — then unit, id and kind.
func sortAlerts(as []Alert) {
	sort.SliceStable(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if a.Level != b.Level {
			return levelRank[a.Level] < levelRank[b.Level]
		}
		switch a.Level {
		case LevelOverdue:
			if a.Days != b.Days {
				return a.Days > b.Days
			}
			if a.CalendarDays != b.CalendarDays {
				return a.CalendarDays > b.CalendarDays
			}
		case LevelDueSoon:
			if a.Days != b.Days {
				return a.Days < b.Days
			}
		}
		if a.UnitID != b.UnitID {
			return a.UnitID < b.UnitID
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Kind < b.Kind
	})
}

// scanDatedAlert reads one row of alerts_cases or alerts_complaints.
func scanDatedAlert(r *sql.Rows, asOf time.Time) (Alert, error) {
	var a Alert
	var received time.Time
	var due sql.NullTime
	var level sql.NullString
	var gapYear int64
	if err := r.Scan(&a.Kind, &a.ID, &a.UnitID, &received, &due, &level, &a.Days, &gapYear); err != nil {
		return Alert{}, err
	}
	if !due.Valid {
		return Alert{}, fmt.Errorf("%s %s received %s: its due date lies outside the working-day calendar; import holidays.csv for %d",
			a.Kind, a.ID, received.Format("2006-01-02"), gapYear)
	}
	a.Level, a.Due = level.String, due.Time
	left := fmt.Sprintf("剩余 %d 个工作日", a.Days)
	if a.Level == LevelOverdue {
		a.CalendarDays = CalendarDaysPast(a.Due, asOf)
		left = OverdueWords(a.Days, a.CalendarDays)
	}
	a.Detail = fmt.Sprintf("受理 %s, 期限 %s, %s", received.Format("2006-01-02 15:04"), a.Due.Format("2006-01-02"), left)
	return a, nil
}

// scanDocumentAlert reads one row of alerts_documents.
func scanDocumentAlert(r *sql.Rows) (Alert, error) {
	var a Alert
	var step sql.NullString
	var hours sql.NullFloat64
	var finished sql.NullBool
	var unresolved int64
	if err := r.Scan(&a.Kind, &a.ID, &a.UnitID, &step, &hours, &finished, &unresolved); err != nil {
		return Alert{}, err
	}
	a.Level, a.Hours = LevelAlarm, hours.Float64
	switch {
	case a.Kind == AlertDocumentUnresolved:
		a.Detail = fmt.Sprintf("%s 未解决评价 %d 件", a.ID, unresolved)
	case finished.Bool:
		a.Detail = fmt.Sprintf("%s环节用时 %.1f 小时(超过 %d 小时)", stepName(step.String), hours.Float64, alarmDayHours)
	default:
		a.Detail = fmt.Sprintf("%s环节已用 %.1f 小时未完成(超过 %d 小时)", stepName(step.String), hours.Float64, alarmDayHours)
	}
	return a, nil
}
