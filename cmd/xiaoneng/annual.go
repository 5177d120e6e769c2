package main

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func (a *app) annualCmd() *cobra.Command {
	var year int
	var format, schemeFile string
	c := &cobra.Command{
		Use:   "annual --year 2019",
		Short: "年度综合评议 (the year composite: 80% mean of the rounds + 20% 效能问政, ranked)",
		Long: `Computes the year composite from the newest stored result of each of the
year's rounds and the year's 效能问政 answers. The weights (year.rounds_weight,
year.survey_weight), the tier rule and the rank convention come from the
scheme (--scheme; default: xiaoneng scheme show).`,
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
			an, err := st.Annual(cmd.Context(), year, sc)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return writeJSON(a.out, an)
			case "csv", "table":
				head := []string{"rank", "unit_id", "name", "category", "score", "tier", "rounds_mean", "survey_mean", "rounds", "flags"}
				var rows [][]string
				for _, u := range an.Units {
					rows = append(rows, []string{opt(u.Rank), u.UnitID, u.Name, u.Category, optF(u.Score), optS(u.Tier),
						optF(u.RoundsMean), optF(u.SurveyMean), strconv.Itoa(len(u.Rounds)), strings.Join(u.Flags, ";")})
				}
				if format == "csv" {
					cw := csv.NewWriter(a.out)
					cw.Write(head)
					for _, r := range rows {
						cw.Write(neutralise(r))
					}
					cw.Flush()
					return cw.Error()
				}
				fmt.Fprintf(a.out, "%d 年度综合评议 (截至 %s)\n", an.Year, an.AsOf)
				var used []string
				for _, r := range an.Rounds {
					used = append(used, fmt.Sprintf("%s 第 %d 版 (满分 %s, 折合百分制)", r.Round, r.Version, strconv.FormatFloat(r.TotalPoints, 'f', -1, 64)))
				}
				fmt.Fprintf(a.out, "计入的已发布轮次: %s\n", strings.Join(used, "、"))
				tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "排名\t编码\t单位\t类别\t综合得分\t等次\t轮次均分\t效能问政\t轮次数\t标记")
				for _, r := range rows {
					fmt.Fprintln(tw, strings.Join(r, "\t"))
				}
				return tw.Flush()
			}
			return fmt.Errorf("unknown --format %q (table, json or csv)", format)
		},
	}
	c.Flags().StringVar(&schemeFile, "scheme", "", "scheme file (YAML; default: xiaoneng scheme show)")
	c.Flags().IntVar(&year, "year", 0, "year, e.g. 2019 (required)")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	c.MarkFlagRequired("year")
	return c
}
