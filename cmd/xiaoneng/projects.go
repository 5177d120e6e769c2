package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func (a *app) projectsCmd() *cobra.Command {
	var quarter, month, format, schemeFile string
	c := &cobra.Command{
		Use:   "projects --quarter 2019-Q2 | --month 2019-06",
		Short: "重点项目县区排名 (county rates and ranks of a quarter or month: --format table|json|csv)",
		Long: `Ranks the counties on 供地率, 投资完成率, 开工率 and 签约项目落地率 as of the
last day of a quarter or month. 开工率 counts only the projects whose planned
start is on or before that day; projects started before a planned start that
is still ahead are shown as 提前开工 (early_starts), outside the rate. A rate
whose denominator holds fewer projects than the scheme's
interviews.min_projects (default 3) is marked 样本不足 (small_sample): it is
ranked but takes no part in the 约谈 rule.`,
		Example: "  xiaoneng projects --quarter 2019-Q2\n  xiaoneng projects --month 2019-06 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (quarter == "") == (month == "") {
				return fmt.Errorf("give exactly one of --quarter or --month")
			}
			if err := projCheckFormat(format); err != nil {
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
			q, err := st.ProjectRanking(cmd.Context(), quarter+month, sc.Interviews.MinProjects)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return writeJSON(a.out, q)
			case "csv":
				return writeProjectsCSV(a.out, q)
			}
			return writeProjectsTable(a.out, q)
		},
	}
	c.Flags().StringVar(&quarter, "quarter", "", "quarter, e.g. 2019-Q2")
	c.Flags().StringVar(&month, "month", "", "month, e.g. 2019-06")
	c.Flags().StringVar(&schemeFile, "scheme", "", "scheme file (YAML; default: xiaoneng scheme show), for interviews.min_projects")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	return c
}

func (a *app) interviewsCmd() *cobra.Command {
	var year, consecutive, bottom, minProjects int
	var format, schemeFile string
	c := &cobra.Command{
		Use:   "interviews --year 2019",
		Short: "约谈名单 (counties last on a rate in consecutive quarters: --format table|json|csv)",
		Long: `Lists the counties in the bottom places of the same key-project rate in
consecutive periods of a year. The rule (interviews.period quarter or month,
interviews.consecutive, interviews.bottom_places, interviews.min_projects)
comes from the scheme (--scheme; default: 2 consecutive quarters, last place,
at least 3 projects in the rate's denominator); --consecutive, --bottom and
--min-projects override it. Only counties with at least min_projects
projects in a rate's denominator (signed projects for 签约项目落地率) take
part, and "last" means last among them.`,
		Example: "  xiaoneng interviews --year 2019 --format csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := projCheckFormat(format); err != nil {
				return err
			}
			sc, err := loadScheme(schemeFile)
			if err != nil {
				return err
			}
			rule := sc.Interviews
			if cmd.Flags().Changed("consecutive") {
				rule.Consecutive = consecutive
			}
			if cmd.Flags().Changed("bottom") {
				rule.Bottom = bottom
			}
			if cmd.Flags().Changed("min-projects") {
				if minProjects < 0 {
					return fmt.Errorf("--min-projects %d: must be at least 0", minProjects)
				}
				rule.MinProjects = minProjects
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			ivs, _, err := st.YearInterviews(cmd.Context(), year, rule)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return writeJSON(a.out, map[string]any{"year": year, "interviews": projNonNil(ivs)})
			case "csv":
				return writeInterviewsCSV(a.out, ivs)
			}
			return writeInterviewsTable(a.out, year, ivs)
		},
	}
	c.Flags().IntVar(&year, "year", 0, "year, e.g. 2019 (required)")
	c.Flags().IntVar(&consecutive, "consecutive", 2, "consecutive periods that list a county (default from the scheme)")
	c.Flags().IntVar(&bottom, "bottom", 1, "bottom places that count as last (default from the scheme)")
	c.Flags().IntVar(&minProjects, "min-projects", 3, "fewest projects in a rate's denominator to take part (default from the scheme)")
	c.Flags().StringVar(&schemeFile, "scheme", "", "scheme file (YAML; default: xiaoneng scheme show)")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	c.MarkFlagRequired("year")
	return c
}

func projCheckFormat(f string) error { return checkFormat(f, "table", "json", "csv") }

func projNonNil(v []scoring.Interview) []scoring.Interview {
	if v == nil {
		return []scoring.Interview{}
	}
	return v
}

// pct formats a fraction as a percentage with 2 decimals ("" for nil).
func projPct(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p*100, 'f', 2, 64)
}

// projectRow is one county: name, then value and rank of each rate, with the
// investment gap after the investment rate and the early starts after the
// start rate, then the 招商 ranking and the rates of too few projects.
func projectRow(c scoring.CountyRates) []string {
	row := []string{c.UnitID, c.Name}
	var small []string
	for _, k := range scoring.ProjectRates {
		r := c.Rates[k]
		row = append(row, projPct(r.Value), opt(r.Rank))
		if k == scoring.RateInvestment {
			row = append(row, optF(c.InvestmentVsTime))
		}
		if k == scoring.RateStart {
			row = append(row, strconv.FormatInt(c.EarlyStarts, 10))
		}
		if r.SmallSample {
			small = append(small, k)
		}
	}
	row = append(row, strconv.Itoa(int(*c.SignedProjects.Value)), opt(c.SignedProjects.Rank))
	return append(row, strings.Join(small, ";"))
}

// projectTableRow is projectRow with the 样本不足 rates by their Chinese names.
func projectTableRow(c scoring.CountyRates) []string {
	row := projectRow(c)
	var small []string
	for _, k := range scoring.ProjectRates {
		if c.Rates[k].SmallSample {
			small = append(small, scoring.RateLabel(k))
		}
	}
	row[len(row)-1] = strings.Join(small, "、")
	return row
}

func writeProjectsCSV(w io.Writer, q scoring.QuarterRates) error {
	head := []string{"unit_id", "name"}
	for _, k := range scoring.ProjectRates {
		head = append(head, k+"_pct", k+"_rank")
		if k == scoring.RateInvestment {
			head = append(head, "investment_vs_time_points")
		}
		if k == scoring.RateStart {
			head = append(head, "early_starts")
		}
	}
	return writeCSV(w, append(head, "signed_projects", "signed_projects_rank", "small_sample"), rowsOf(q.Counties, projectRow))
}

func writeProjectsTable(w io.Writer, q scoring.QuarterRates) error {
	return writeTable(w, fmt.Sprintf("%s 重点项目县区排名 (截至 %s, 时间进度 %.2f%%)", q.Period, q.AsOf, q.TimeProgress*100),
		"编码\t县区\t供地率%\t排名\t投资完成率%\t排名\t比时间进度(点)\t开工率%\t排名\t提前开工\t签约项目落地率%\t排名\t签约项目数\t招商排名\t样本不足",
		rowsOf(q.Counties, projectTableRow))
}

// interviewRow is one entry: county, rate, periods and values in percent.
func interviewRow(iv scoring.Interview) []string {
	vals := make([]string, len(iv.Values))
	for i := range iv.Values {
		vals[i] = projPct(&iv.Values[i])
	}
	return []string{iv.UnitID, iv.Name, iv.Label, strings.Join(iv.Periods, ";"), strings.Join(vals, ";")}
}

func writeInterviewsCSV(w io.Writer, ivs []scoring.Interview) error {
	return writeCSV(w, []string{"unit_id", "name", "rate", "periods", "values_pct"}, rowsOf(ivs, interviewRow))
}

func writeInterviewsTable(w io.Writer, year int, ivs []scoring.Interview) error {
	return writeTable(w, fmt.Sprintf("%d 年约谈名单 (%d 条)", year, len(ivs)), "编码\t县区\t指标\t期间\t数值%", rowsOf(ivs, interviewRow))
}
