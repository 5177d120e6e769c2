package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
)

// alertJSON is one alert in the JSON output.
type alertJSON struct {
	Level  string  `json:"level"`
	Kind   string  `json:"kind"`
	UnitID string  `json:"unit_id"`
	ID     string  `json:"id"`
	Due    *string `json:"due"`
	Days   int     `json:"days"`
	Detail string  `json:"detail"`
}

func (a *app) alertsCmd() *cobra.Command {
	var date, format string
	c := &cobra.Command{
		Use:   "alerts [--date 2019-06-30]",
		Short: "预警 (open alerts as of a date: 超期, 报警, 临期; --format table|json|csv)",
		Long: `Lists the open alerts as of a date (CONTRACT §5): pending cases and open
complaints past their due date (超期) or due within 2 working days (临期, the
as-of day not counted), document steps taking more than 24 hours and units with
2 or more unresolved evaluations in the as-of month (报警), and 督办 tasks
open past their (extended) due date (超期) or due within 3 working days (临期),
on their lead unit (see xiaoneng tasks). Without --date the alerts are as of
the earlier of today and the last day of imported data; the day used is
written to stderr.`,
		Example: "  xiaoneng alerts --date 2019-06-30 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkAsOfFlag("date", date); err != nil {
				return err
			}
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
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
			as, err := st.Alerts(cmd.Context(), asOf)
			if err != nil {
				return err
			}
			return writeAlerts(a.out, format, asOf.Format("2006-01-02"), as)
		},
	}
	c.Flags().StringVar(&date, "date", "", "as-of date, e.g. 2019-06-30 (default: the earlier of today and the last day of data)")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	return c
}

// writeAlerts prints the alerts in one of the formats table, json or csv.
func writeAlerts(w io.Writer, format, date string, as []analytics.Alert) error {
	switch format {
	case "json":
		out := struct {
			AsOf   string      `json:"as_of"`
			Alerts []alertJSON `json:"alerts"`
		}{date, []alertJSON{}}
		for _, x := range as {
			j := alertJSON{Level: x.Level, Kind: x.Kind, UnitID: x.UnitID, ID: x.ID, Days: x.Days, Detail: x.Detail}
			if !x.Due.IsZero() {
				d := x.Due.Format("2006-01-02")
				j.Due = &d
			}
			out.Alerts = append(out.Alerts, j)
		}
		return writeJSON(w, out)
	case "csv":
		return writeCSV(w, []string{"等级", "类型", "单位", "编号", "期限", "工作日", "时长", "说明"}, rowsOf(as, alertCSVRow))
	}
	return writeTable(w, fmt.Sprintf("预警 (截至 %s): %d 条", date, len(as)), "等级\t类型\t单位\t编号\t期限\t时长\t说明", rowsOf(as, alertRow))
}

// alertRow is one alert as text cells in Chinese words: level, kind, unit,
// id, due, how long (working days, with calendar days when overdue; a
// document step's hours) and detail.
func alertRow(x analytics.Alert) []string {
	due := ""
	if !x.Due.IsZero() {
		due = x.Due.Format("2006-01-02")
	}
	kind := analytics.AlertKindName[x.Kind]
	if kind == "" {
		kind = x.Kind
	}
	return []string{x.Level, kind, x.UnitID, x.ID, due, alertSpan(x), x.Detail}
}

// alertCSVRow is alertRow with the working days as a number before the
// words (empty for an alert without a due date), for spreadsheets.
func alertCSVRow(x analytics.Alert) []string {
	r := alertRow(x)
	days := ""
	if !x.Due.IsZero() {
		days = strconv.Itoa(x.Days)
	}
	return append(r[:5:5], days, r[5], r[6])
}

// alertSpan words how long an alert has run: 超期 N 个工作日(M 个自然日),
// 剩余 N 个工作日, a document step's hours, or — for unresolved evaluations.
func alertSpan(x analytics.Alert) string {
	switch {
	case x.Kind == analytics.AlertDocumentStep:
		return strconv.FormatFloat(x.Hours, 'f', 1, 64) + " 小时"
	case x.Due.IsZero():
		return "—"
	case x.Level == analytics.LevelOverdue:
		return analytics.OverdueWords(x.Days, x.CalendarDays)
	}
	return "剩余 " + strconv.Itoa(x.Days) + " 个工作日"
}
