package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// taskStatusName is the Chinese word of a task status.
var taskStatusName = map[string]string{
	scoring.TaskOnTime: "按时办结", scoring.TaskLate: "逾期办结", scoring.TaskOverdue: "超期",
	scoring.TaskDueSoon: "临期", scoring.TaskOpen: "在办",
}

// extensionWhy is the Chinese reason an extension did not count.
var extensionWhy = map[string]string{
	"": "已计入", scoring.ExtNotApproved: "未批准", scoring.ExtTooLate: "逾期申请",
	scoring.ExtNotLater: "未延后", scoring.ExtAfterDone: "办结后申请",
}

// taskJSON is one task in the JSON output.
type taskJSON struct {
	TaskID       string          `json:"task_id"`
	Title        string          `json:"title"`
	Source       string          `json:"source"`
	LeadUnitID   string          `json:"lead_unit_id"`
	Cooperating  []string        `json:"cooperating_unit_ids"`
	AssignedOn   string          `json:"assigned_on"`
	OriginalDue  string          `json:"original_due_on"`
	DueOn        string          `json:"due_on"`
	Status       string          `json:"status"`
	WorkingDays  int             `json:"working_days"`
	DoneOn       *string         `json:"done_on"`
	Extensions   []extensionJSON `json:"extensions"`
	EvidenceText string          `json:"evidence,omitempty"`
}

type extensionJSON struct {
	RequestedOn string `json:"requested_on"`
	NewDueOn    string `json:"new_due_on"`
	Approved    bool   `json:"approved"`
	Counted     bool   `json:"counted"`
	Why         string `json:"why,omitempty"`
	Reason      string `json:"reason"`
}

func (a *app) tasksCmd() *cobra.Command {
	var date, unit, status, source, format string
	c := &cobra.Command{
		Use:   "tasks [--date 2019-12-31]",
		Short: "督办台账 (tasks with their status as of a date, overdue first; --format table|json|csv)",
		Long: `Lists the 督办 tasks assigned by a date with their status as of that date:
超期 (open and past its due date), 临期 (open and due within 3 working days,
the as-of day not counted), 在办, 逾期办结 (done after its due date) and
按时办结 (done on or before it). An extension request moves the due date only
when it was approved and made before the then current due date; requests
chain in requested order. --unit selects the tasks a unit leads or
cooperates on; --status overdue|due_soon|open|late|on_time; --source
leader_instruction|key_work|meeting_decision. Without --date the ledger is as
of the earlier of today and the last day of imported data; the day used is
written to stderr.`,
		Example: "  xiaoneng tasks --date 2019-12-31 --status overdue\n  xiaoneng tasks --date 2019-12-31 --unit D01 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkAsOfFlag("date", date); err != nil {
				return err
			}
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			if _, ok := taskStatusName[status]; status != "" && !ok {
				return fmt.Errorf("unknown --status %q (overdue, due_soon, open, late or on_time)", status)
			}
			if _, ok := analytics.TaskSourceName[source]; source != "" && !ok {
				return fmt.Errorf("unknown --source %q (leader_instruction, key_work or meeting_decision)", source)
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			asOf, err := a.resolveAsOf(cmd.Context(), st, "date", date)
			if err != nil {
				return err
			}
			ts, err := st.Tasks(cmd.Context(), asOf, analytics.TaskFilter{UnitID: unit, Source: source, Status: status})
			if err != nil {
				return err
			}
			return writeTasks(a.out, format, ymd(asOf), ts)
		},
	}
	c.Flags().StringVar(&date, "date", "", "as-of date, e.g. 2019-12-31 (default: the earlier of today and the last day of data)")
	c.Flags().StringVar(&unit, "unit", "", "only the tasks this unit leads or cooperates on")
	c.Flags().StringVar(&status, "status", "", "overdue, due_soon, open, late or on_time")
	c.Flags().StringVar(&source, "source", "", "leader_instruction, key_work or meeting_decision")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	c.AddCommand(a.taskDeductionsCmd())
	return c
}

func ymd(t time.Time) string { return t.Format("2006-01-02") }

// writeTasks prints the ledger in one of the formats table, json or csv.
func writeTasks(w io.Writer, format, date string, ts []analytics.Task) error {
	switch format {
	case "json":
		out := struct {
			AsOf  string     `json:"as_of"`
			Tasks []taskJSON `json:"tasks"`
		}{date, []taskJSON{}}
		for _, t := range ts {
			j := taskJSON{TaskID: t.ID, Title: t.Title, Source: t.Source, LeadUnitID: t.LeadUnitID, Cooperating: t.Cooperating,
				AssignedOn: ymd(t.Assigned), OriginalDue: ymd(t.Due), DueOn: ymd(t.State.Due), Status: t.State.Status,
				WorkingDays: t.State.Days, Extensions: []extensionJSON{}, EvidenceText: t.Evidence}
			if j.Cooperating == nil {
				j.Cooperating = []string{}
			}
			if t.State.Status == scoring.TaskOnTime || t.State.Status == scoring.TaskLate {
				s := ymd(t.DoneOn)
				j.DoneOn = &s
			}
			for _, e := range t.State.Extensions {
				j.Extensions = append(j.Extensions, extensionJSON{RequestedOn: ymd(e.RequestedOn), NewDueOn: ymd(e.NewDue),
					Approved: e.Approved, Counted: e.Counted, Why: e.Why, Reason: e.Reason})
			}
			out.Tasks = append(out.Tasks, j)
		}
		return writeJSON(w, out)
	case "csv":
		return writeCSV(w, []string{"task_id", "status", "lead_unit_id", "cooperating_unit_ids", "source", "assigned_on", "original_due_on", "due_on", "working_days", "done_on", "extensions", "title"},
			rowsOf(ts, func(t analytics.Task) []string {
				row := taskRow(t)
				row[1], row[4] = t.State.Status, t.Source // machine values
				return row
			}))
	}
	return writeTable(w, fmt.Sprintf("督办台账 (截至 %s): %d 项", date, len(ts)),
		"编号\t状态\t牵头单位\t配合单位\t来源\t交办\t原时限\t时限\t工作日\t办结\t延期\t事项", rowsOf(ts, taskRow))
}

// taskRow is one task as text cells (Chinese status and source).
func taskRow(t analytics.Task) []string {
	done := ""
	if t.State.Status == scoring.TaskOnTime || t.State.Status == scoring.TaskLate {
		done = ymd(t.DoneOn)
	}
	var ext []string
	for _, e := range t.State.Extensions {
		ext = append(ext, fmt.Sprintf("%s→%s %s", e.RequestedOn.Format("01-02"), e.NewDue.Format("01-02"), extensionWhy[e.Why]))
	}
	return []string{t.ID, taskStatusName[t.State.Status], t.LeadUnitID, strings.Join(t.Cooperating, ";"), analytics.TaskSourceName[t.Source],
		ymd(t.Assigned), ymd(t.Due), ymd(t.State.Due), strconv.Itoa(t.State.Days), done, strings.Join(ext, "; "), t.Title}
}

// targetJSON is one target in the JSON output.
type targetJSON struct {
	TargetID     string      `json:"target_id"`
	Name         string      `json:"name"`
	Indicator    string      `json:"indicator"`
	Scope        string      `json:"scope"`
	Value        float64     `json:"value"`
	Direction    string      `json:"direction"`
	StartMonth   string      `json:"start_month"`
	DueOn        string      `json:"due_on"`
	Current      *float64    `json:"current"`
	Progress     *float64    `json:"progress"`
	TimeProgress float64     `json:"time_progress"`
	Met          bool        `json:"met"`
	Slope        *float64    `json:"trend_slope"`
	Intercept    *float64    `json:"trend_intercept"`
	AtDue        *float64    `json:"trend_at_due"`
	ReachOn      *string     `json:"trend_reaches"`
	AtRisk       bool        `json:"at_risk"`
	Status       string      `json:"status"`
	StatusLabel  string      `json:"status_label"`
	Months       []monthJSON `json:"months"`
}

type monthJSON struct {
	Month string   `json:"month"`
	Num   int      `json:"num"`
	Den   int      `json:"den"`
	Value *float64 `json:"value"`
}

func r4(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	x := math.Round(v*1e4) / 1e4
	return &x
}

func (a *app) targetsCmd() *cobra.Command {
	var date, format, schemeFile string
	c := &cobra.Command{
		Use:   "targets [--date 2019-12-31]",
		Short: "目标任务 (reform targets: progress, trend and status as of a date; --format table|json|csv)",
		Long: `Assesses every target as of a date (default: the earlier of today and the
last day of imported cases, complaints or document steps; the date used is
printed): the monthly value of its metric for its scope (city = every unit
together) from the start month to the as-of month, the value so far against
the target, the elapsed share of the period (time progress), and a
least-squares line over the months with data.

Metrics: the scheme's rate indicators (网上办理率 is online_rate) and
一次性办结率 (first_contact_rate: complaints closed with first_contact yes ÷
complaints closed). 网上可办率 cannot be computed and is refused on import.

Status, the same on the web and in the monthly bulletin: on and after the
due date 已到期·达标 (due_met) or 已到期·未达标 (due_missed) by the value,
never at risk; before it 已达标 (met) when the value is already met, else
预计无法按期达成 (at_risk) when the line misses the value by the due month
(for a lower-is-better indicator under the scheme: does not fall to it; with
one month of data, when that month misses it; with none, always), else
预计可按期达成 (on_track).`,
		Example: "  xiaoneng targets\n  xiaoneng targets --date 2019-06-30 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			sc, err := loadScheme(schemeFile)
			if err != nil {
				return err
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			var asOf time.Time
			if date == "" {
				if asOf, err = st.TargetsAsOf(cmd.Context(), time.Now()); err != nil {
					return err
				}
			} else if asOf, err = parseDateFlag("date", date); err != nil {
				return err
			}
			ts, err := st.Targets(cmd.Context(), asOf, sc)
			if err != nil {
				return err
			}
			return writeTargets(a.out, format, asOf.Format(time.DateOnly), ts)
		},
	}
	c.Flags().StringVar(&date, "date", "", "as-of date, e.g. 2019-12-31 (default: the earlier of today and the last day of data)")
	c.Flags().StringVar(&schemeFile, "scheme", "", "scheme file for the indicators' directions (default: xiaoneng scheme show)")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	return c
}

// writeTargets prints the targets in one of the formats table, json or csv.
func writeTargets(w io.Writer, format, date string, ts []analytics.Target) error {
	switch format {
	case "json":
		out := struct {
			AsOf    string       `json:"as_of"`
			Targets []targetJSON `json:"targets"`
		}{date, []targetJSON{}}
		for _, t := range ts {
			j := targetJSON{TargetID: t.ID, Name: t.Name, Indicator: t.Indicator, Scope: t.Scope, Value: t.Value, Direction: "higher",
				StartMonth: t.StartMonth, DueOn: ymd(t.Due), TimeProgress: *r4(t.TimeProgress), Met: t.Met, AtRisk: t.AtRisk,
				Status: string(t.Status), StatusLabel: t.Status.Label(), Months: []monthJSON{}}
			if t.Lower {
				j.Direction = scoring.DirectionLower
			}
			if t.HasCurrent {
				j.Current, j.Progress = r4(t.Current), r4(t.Progress)
			}
			if t.HasTrend {
				j.Slope, j.Intercept, j.AtDue = r4(t.Trend.Slope), r4(t.Trend.Intercept), r4(t.AtDue)
				if t.Reaches {
					j.ReachOn = &t.ReachOn
				}
			}
			for _, m := range t.Months {
				j.Months = append(j.Months, monthJSON{Month: m.Month, Num: m.Num, Den: m.Den, Value: r4(m.Value)})
			}
			out.Targets = append(out.Targets, j)
		}
		return writeJSON(w, out)
	case "csv":
		return writeCSV(w, []string{"target_id", "indicator", "scope", "value", "due_on", "current", "progress", "time_progress", "trend_at_due", "trend_reaches", "at_risk", "status", "name"},
			rowsOf(ts, func(t analytics.Target) []string { return targetRow(t, true) }))
	}
	return writeTable(w, fmt.Sprintf("目标任务 (截至 %s): %d 项", date, len(ts)),
		"编号\t指标\t范围\t目标值\t时限\t当前值\t完成进度\t时间进度\t趋势至时限\t趋势达标月\t风险\t状态\t目标",
		rowsOf(ts, func(t analytics.Target) []string { return targetRow(t, false) }))
}

// targetRow is one target as text cells; plain gives machine values for CSV.
func targetRow(t analytics.Target, plain bool) []string {
	num := func(v float64, ok bool) string {
		if !ok || math.IsNaN(v) {
			return ""
		}
		if plain {
			return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
		}
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	risk := "否"
	if plain {
		risk = strconv.FormatBool(t.AtRisk)
	} else if t.AtRisk {
		risk = "是"
	}
	reach := ""
	if t.HasTrend && t.Reaches {
		reach = t.ReachOn
	} else if t.HasTrend && !plain {
		reach = "不达标"
	}
	op := "≥"
	if t.Lower {
		op = "≤"
	}
	value := op + num(t.Value, true)
	if plain {
		value = num(t.Value, true)
	}
	status := t.Status.Label()
	if plain {
		status = string(t.Status)
	}
	return []string{t.ID, t.Indicator, t.Scope, value, ymd(t.Due), num(t.Current, t.HasCurrent), num(t.Progress, t.HasCurrent),
		num(t.TimeProgress, true), num(t.AtDue, t.HasTrend), reach, risk, status, t.Name}
}
