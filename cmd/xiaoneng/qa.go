package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
)

func (a *app) qaCmd() *cobra.Command {
	var round, format, schemeFile string
	c := &cobra.Command{
		Use:   "qa --round 2019-B1",
		Short: "评议质量诊断 (peer-evaluation diagnostics: agreement, leniency, same-score evaluators; never change a score)",
		Long: `Diagnostics of a round that never change a score: the evaluators' agreement
(Kendall's W), each evaluator's leniency offset with robust z > 3.5 flagged,
evaluators who gave every unit the same score, and — from the newest stored
result — each indicator's entropy weight beside its weight in the scheme
(--scheme, default: xiaoneng scheme show).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := loadScheme(schemeFile)
			if err != nil {
				return err
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			qa, err := st.PeerQA(cmd.Context(), round)
			if err != nil {
				return err
			}
			if qa.IndicatorWeights, err = st.EntropyDiagnostic(cmd.Context(), round, sc); err != nil && !errors.Is(err, analytics.ErrNotScored) {
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
				if err := tw.Flush(); err != nil {
					return err
				}
				if len(qa.IndicatorWeights) > 0 {
					fmt.Fprintln(a.out, "指标权重诊断 (熵权法，仅供参考):")
					fmt.Fprintln(tw, "指标\t方案权重\t熵权")
					for _, w := range qa.IndicatorWeights {
						fmt.Fprintf(tw, "%s\t%.3f\t%.3f\n", w.Label, w.Scheme, w.Entropy)
					}
					return tw.Flush()
				}
				return nil
			}
			return fmt.Errorf("unknown --format %q (table or json)", format)
		},
	}
	c.Flags().StringVar(&round, "round", "", "round, e.g. 2019-B1 (required)")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	c.Flags().StringVar(&schemeFile, "scheme", "", "scheme file the round was scored with (default: xiaoneng scheme show)")
	c.MarkFlagRequired("round")
	return c
}
