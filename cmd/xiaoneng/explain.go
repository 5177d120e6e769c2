package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func (a *app) explainCmd() *cobra.Command {
	var round, unit, format, schemeFile string
	c := &cobra.Command{
		Use:   "explain --round 2019-B1 --unit F04",
		Short: "得分说明 (explain a unit's score: points per part and indicator against the category mean and the unit above)",
		Long: `Explains a unit's result in the newest stored version of a round: for each part
the points earned and lost, the category mean and the difference to the unit ranked just
above; for each indicator its value and points; then short sentences, biggest gaps first.
A round scored with --scheme needs the same --scheme here.`,
		Example: "  xiaoneng explain --round 2019-B1 --unit F04 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return fmt.Errorf("unknown --format %q (table or json)", format)
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
			e, err := st.ExplainScheme(cmd.Context(), round, unit, sc)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.out, e)
			}
			return writeExplainTable(a.out, round, e)
		},
	}
	c.Flags().StringVar(&round, "round", "", "round, e.g. 2019-B1 (required)")
	c.Flags().StringVar(&unit, "unit", "", "unit_id, e.g. F04 (required)")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	c.Flags().StringVar(&schemeFile, "scheme", "", "scheme file the round was scored with (default: xiaoneng scheme show)")
	c.MarkFlagRequired("round")
	c.MarkFlagRequired("unit")
	return c
}

// writeExplainTable prints the explanation: a heading, the parts, the
// indicators and the sentences.
func writeExplainTable(w io.Writer, round string, e scoring.Explanation) error {
	above := "—"
	if e.Above != nil {
		above = fmt.Sprintf("%s %s (第 %s 名, %s)", e.Above.UnitID, e.Above.Name, opt(e.Above.Rank), optF(e.Above.Score))
	}
	fmt.Fprintf(w, "%s %s %s (%s): 得分 %s, 排名 %s/%d, 类别平均 %s, 上一名 %s\n", round, e.UnitID, e.Name, e.Category,
		orDash(optF(e.Score)), orDash(opt(e.Rank)), e.RankedInCat, orDash(optF(e.ScoreMean)), above)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "部分\t得分\t满分\t失分\t类别平均\t比平均\t比上一名\t说明")
	for _, p := range e.Parts {
		note := ""
		if p.Redistributed {
			note = "无数据, 分值按比例分配"
		}
		fmt.Fprintln(tw, strings.Join([]string{p.Label, optF(p.Points), optF(p.Max), optF(p.Lost), optF(p.Mean),
			optF(p.VsMean), optF(p.VsAbove), note}, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "指标\t值\t得分\t类别平均")
	for _, ind := range e.Indicators {
		pts := ""
		if ind.Value != nil {
			pts = fmt.Sprintf("%.2f", ind.Points)
		}
		fmt.Fprintln(tw, strings.Join([]string{ind.Label, indicatorText(ind.Name, ind.Value), pts, indicatorText(ind.Name, ind.MeanValue)}, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, s := range e.Sentences {
		fmt.Fprintln(w, "- "+s)
	}
	return nil
}

// indicatorText prints a rate as a percentage and a 0–100 mean as a number.
func indicatorText(name string, v *float64) string {
	switch {
	case v == nil:
		return ""
	case name == scoring.IndPeerMean || name == scoring.IndSurveyMean:
		return fmt.Sprintf("%.2f", *v)
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
