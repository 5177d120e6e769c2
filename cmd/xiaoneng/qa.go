package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func (a *app) qaCmd() *cobra.Command {
	var round, format string
	c := &cobra.Command{
		Use:   "qa --round 2019-B1",
		Short: "评议质量诊断 (peer-evaluation diagnostics: agreement, leniency, same-score evaluators; never change a score)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			qa, err := st.PeerQA(cmd.Context(), round)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return writeJSON(a.out, qa)
			case "table":
				w := "无法计算"
				if qa.KendallW != nil {
					w = fmt.Sprintf("%.3f", *qa.KendallW)
				}
				fmt.Fprintf(a.out, "%s 评议质量诊断: 一致性 Kendall W = %s; 给所有单位同一分数的评议人: %s\n", qa.Round, w, strings.Join(qa.SameScore, ", "))
				tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "评议人\t评分数\t宽严偏差\t稳健z\t异常")
				for _, e := range qa.Evaluators {
					flag := ""
					if e.Flagged {
						flag = "是"
					}
					fmt.Fprintf(tw, "%s\t%d\t%+.2f\t%+.2f\t%s\n", e.EvaluatorID, e.Scores, e.Offset, e.Z, flag)
				}
				return tw.Flush()
			}
			return fmt.Errorf("unknown --format %q (table or json)", format)
		},
	}
	c.Flags().StringVar(&round, "round", "", "round, e.g. 2019-B1 (required)")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	c.MarkFlagRequired("round")
	return c
}
