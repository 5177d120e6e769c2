package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
)

// taskDeductionJSON is one suggestion in the JSON output.
type taskDeductionJSON struct {
	TaskID      string  `json:"task_id"`
	Title       string  `json:"title"`
	UnitID      string  `json:"unit_id"`
	UnitName    string  `json:"unit_name"`
	DueOn       string  `json:"due_on"`
	DaysOverdue int     `json:"working_days_overdue"`
	Points      float64 `json:"points"`
	DeductionID string  `json:"deduction_id"`
	Date        string  `json:"date"`
	Round       string  `json:"round"`
}

// taskDecisionJSON is one decision in the JSON output.
type taskDecisionJSON struct {
	TaskID      string   `json:"task_id"`
	DueOn       string   `json:"due_on"`
	Decision    string   `json:"decision"`
	UnitID      string   `json:"unit_id"`
	AsOf        string   `json:"as_of"`
	Round       string   `json:"round"`
	Points      *float64 `json:"points"`
	DeductionID *string  `json:"deduction_id"`
	Note        string   `json:"note"`
	DecidedBy   string   `json:"decided_by"`
	DecidedAt   string   `json:"decided_at"`
}

// taskDeductionsCmd is `xiaoneng tasks deductions`: the suggested 督办
// deductions and the admin's confirmations and dismissals.
func (a *app) taskDeductionsCmd() *cobra.Command {
	var asOfFlag, confirm, dismiss, reason, who, format string
	var points float64
	var decisions bool
	c := &cobra.Command{
		Use:   "deductions [--as-of 2019-12-20] [--confirm T001,T002 | --dismiss T003 --reason TEXT]",
		Short: "督办扣分 (overdue tasks as suggested deductions; --confirm or --dismiss them)",
		Long: `Lists every task overdue as of a day (default: the earlier of today and the
last day of imported data, written to stderr) that has no decision
yet, as a suggested deduction of its lead unit: --points each (default 1, at
most 10, the default scheme's per-round cap). Nothing is deducted until it
is confirmed: --confirm T001,T002 writes one deduction per task into the
deductions table (id DB-<task_id>-<due yyyymmdd>, dated the as-of day, so it
counts in the round containing that day), with the decision and an audit
entry by --user. --dismiss T003 --reason TEXT records that the task is not
deducted (the reason is required). Every listed task must be a current
suggestion, else nothing is done. A decision is about the task's due date:
a task whose due date later moves and is overdue again is suggested again.
--decisions lists the decisions made.`,
		Example: "  xiaoneng tasks deductions --as-of 2019-12-20\n" +
			"  xiaoneng tasks deductions --as-of 2019-12-20 --confirm T001,T002 --points 2\n" +
			"  xiaoneng tasks deductions --as-of 2019-12-20 --dismiss T003 --reason \"已报市领导同意延期\"",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := checkAsOfFlag("as-of", asOfFlag); err != nil {
				return err
			}
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			if err := analytics.CheckTaskDeductionPoints(points); err != nil {
				return fmt.Errorf("--points %g: greater than 0, at most %g, at most two decimals", points, analytics.MaxTaskDeductionPoints)
			}
			toConfirm, toDismiss := idList(confirm), idList(dismiss)
			if len(toDismiss) > 0 && strings.TrimSpace(reason) == "" {
				return errors.New("--dismiss needs --reason (why the tasks are not deducted)")
			}
			if len(toDismiss) == 0 && reason != "" {
				return errors.New("--reason goes with --dismiss")
			}
			for _, id := range toConfirm {
				if slices.Contains(toDismiss, id) {
					return fmt.Errorf("task %s is both in --confirm and --dismiss", id)
				}
			}
			if decisions && len(toConfirm)+len(toDismiss) > 0 {
				return errors.New("--decisions only lists; run it without --confirm and --dismiss")
			}
			st, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if decisions {
				ds, err := st.TaskDeductionDecisions(ctx)
				if err != nil {
					return err
				}
				return writeTaskDecisions(a.out, format, ds)
			}
			asOf, err := a.resolveAsOf(ctx, st, "as-of", asOfFlag)
			if err != nil {
				return err
			}
			day := asOf.Format("2006-01-02")
			if len(toConfirm)+len(toDismiss) > 0 {
				// Check every id first, so a typo in the list writes nothing.
				sg, err := st.SuggestedTaskDeductions(ctx, asOf, points)
				if err != nil {
					return err
				}
				var missing []string
				for _, id := range append(slices.Clone(toConfirm), toDismiss...) {
					if !slices.ContainsFunc(sg, func(s analytics.TaskDeductionSuggestion) bool { return s.TaskID == id }) {
						missing = append(missing, id)
					}
				}
				if len(missing) > 0 {
					return fmt.Errorf("not suggested as of %s (unknown, not overdue, or already decided): %s; nothing done", day, strings.Join(missing, ", "))
				}
				for _, id := range toConfirm {
					d, err := st.ConfirmTaskDeduction(ctx, who, asOf, id, points)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.out, "已确认扣分 %s: %s %s 扣 %s 分 (%s, 计入 %s)\n", d.TaskID, d.UnitID, d.UnitName, fmtPoints(d.Points), d.DeductionID, d.Round)
				}
				for _, id := range toDismiss {
					d, err := st.DismissTaskDeduction(ctx, who, asOf, id, reason)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.out, "不予扣分 %s: %s %s (%s)\n", d.TaskID, d.UnitID, d.UnitName, d.Note)
				}
			}
			sg, err := st.SuggestedTaskDeductions(ctx, asOf, points)
			if err != nil {
				return err
			}
			return writeTaskDeductions(a.out, format, day, points, sg)
		},
	}
	c.Flags().StringVar(&asOfFlag, "as-of", "", "as-of day, e.g. 2019-12-20 (default: the earlier of today and the last day of data); a confirmed deduction is dated on it and counts in its round")
	c.Flags().Float64Var(&points, "points", analytics.DefaultTaskDeductionPoints, "points per overdue task (> 0, at most 10)")
	c.Flags().StringVar(&confirm, "confirm", "", "task ids to deduct, separated by commas")
	c.Flags().StringVar(&dismiss, "dismiss", "", "task ids not to deduct, separated by commas (needs --reason)")
	c.Flags().StringVar(&reason, "reason", "", "why the --dismiss tasks are not deducted")
	c.Flags().StringVar(&who, "user", defaultActor(), "who decides, for the decision and the audit log")
	c.Flags().BoolVar(&decisions, "decisions", false, "list the decisions made instead of the suggestions")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	return c
}

// idList splits a comma-separated list of task ids (full-width commas too),
// dropping blanks and repeats.
func idList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

func fmtPoints(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// writeTaskDeductions prints the suggestions as a table or JSON.
func writeTaskDeductions(w io.Writer, format, day string, points float64, sg []analytics.TaskDeductionSuggestion) error {
	if format == "json" {
		out := struct {
			AsOf        string              `json:"as_of"`
			Points      float64             `json:"points"`
			Suggestions []taskDeductionJSON `json:"suggestions"`
		}{day, points, []taskDeductionJSON{}}
		for _, s := range sg {
			out.Suggestions = append(out.Suggestions, taskDeductionJSON{TaskID: s.TaskID, Title: s.Title, UnitID: s.UnitID, UnitName: s.UnitName,
				DueOn: ymd(s.Due), DaysOverdue: s.DaysOverdue, Points: s.Points, DeductionID: s.DeductionID, Date: ymd(s.Date), Round: s.Round})
		}
		return writeJSON(w, out)
	}
	round := ""
	if len(sg) > 0 {
		round = ", 计入 " + sg[0].Round
	}
	return writeTable(w, fmt.Sprintf("督办扣分建议 (截至 %s, 每项 %s 分%s): %d 项, 未经确认不扣分", day, fmtPoints(points), round, len(sg)),
		"编号\t牵头单位\t单位名称\t时限\t超期工作日\t扣分\t扣分编号\t事项",
		rowsOf(sg, func(s analytics.TaskDeductionSuggestion) []string {
			return []string{s.TaskID, s.UnitID, s.UnitName, ymd(s.Due), strconv.Itoa(s.DaysOverdue), fmtPoints(s.Points), s.DeductionID, s.Title}
		}))
}

// taskDecisionName is the Chinese word of a decision.
var taskDecisionName = map[string]string{analytics.DecisionConfirmed: "确认扣分", analytics.DecisionDismissed: "不予扣分"}

// writeTaskDecisions prints the decisions as a table or JSON.
func writeTaskDecisions(w io.Writer, format string, ds []analytics.TaskDeductionDecision) error {
	if format == "json" {
		out := struct {
			Decisions []taskDecisionJSON `json:"decisions"`
		}{[]taskDecisionJSON{}}
		for _, d := range ds {
			j := taskDecisionJSON{TaskID: d.TaskID, DueOn: ymd(d.Due), Decision: d.Decision, UnitID: d.UnitID, AsOf: ymd(d.AsOf), Round: d.Round,
				Note: d.Note, DecidedBy: d.DecidedBy, DecidedAt: d.DecidedAt.Format(time.RFC3339)}
			if d.Decision == analytics.DecisionConfirmed {
				p, id := d.Points, d.DeductionID
				j.Points, j.DeductionID = &p, &id
			}
			out.Decisions = append(out.Decisions, j)
		}
		return writeJSON(w, out)
	}
	return writeTable(w, fmt.Sprintf("督办扣分决定: %d 项", len(ds)), "编号\t时限\t决定\t牵头单位\t扣分\t扣分编号\t日期\t轮次\t决定人\t说明",
		rowsOf(ds, func(d analytics.TaskDeductionDecision) []string {
			p := ""
			if d.Decision == analytics.DecisionConfirmed {
				p = fmtPoints(d.Points)
			}
			return []string{d.TaskID, ymd(d.Due), taskDecisionName[d.Decision], d.UnitID, p, d.DeductionID, ymd(d.AsOf), d.Round, d.DecidedBy, d.Note}
		}))
}
