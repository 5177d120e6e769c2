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
		Use:   "alerts --date 2019-06-30",
		Short: "预警 (open alerts as of a date: 超期, 报警, 临期; --format table|json|csv)",
		Long: `Lists the open alerts as of a date (CONTRACT §5): pending cases and open
complaints past their due date (超期) or due within 2 working days (临期, the
as-of day not counted), document steps taking more than 24 hours and units with
2 or more unresolved evaluations in the as-of month (报警), and 督办 tasks
open past their (extended) due date (超期) or due within 3 working days (临期),
on their lead unit (see xiaoneng tasks).`,
		Example: "  xiaoneng alerts --date 2019-06-30 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			asOf, err := parseDateFlag("date", date)
			if err != nil {
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
			as, err := st.Alerts(cmd.Context(), asOf)
			if err != nil {
				return err
			}
			return writeAlerts(a.out, format, date, as)
		},
	}
	c.Flags().StringVar(&date, "date", "", "as-of date, e.g. 2019-06-30 (required)")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	c.MarkFlagRequired("date")
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
		return writeCSV(w, []string{"level", "kind", "unit_id", "id", "due", "days", "detail"}, rowsOf(as, alertRow))
	}
	return writeTable(w, fmt.Sprintf("预警 (截至 %s): %d 条", date, len(as)), "等级\t类型\t单位\t编号\t期限\t工作日\t说明", rowsOf(as, alertRow))
}

// alertRow is one alert as text cells: level, kind, unit, id, due, days, detail.
func alertRow(x analytics.Alert) []string {
	due := ""
	if !x.Due.IsZero() {
		due = x.Due.Format("2006-01-02")
	}
	return []string{x.Level, x.Kind, x.UnitID, x.ID, due, strconv.Itoa(x.Days), x.Detail}
}
