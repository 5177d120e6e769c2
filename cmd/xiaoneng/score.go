package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func (a *app) scoreCmd() *cobra.Command {
	var round, schemeFile, format string
	c := &cobra.Command{
		Use:   "score --round 2019-B1",
		Short: "计算评议结果 (compute a round from the stored inputs and store it as a new version)",
		Long: `Computes the bimonthly department scores of a round under a scheme (--scheme,
default: the scheme of CONTRACT §3, printed by xiaoneng scheme show) and stores them with the scheme, its hash and a fingerprint of the
inputs. Re-scoring never overwrites: it stores the next version. It prints a
summary line, or with --format table|json|csv the stored result as
xiaoneng ranking prints it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" {
				if err := checkFormat(format, "table", "json", "csv"); err != nil {
					return err
				}
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			sc, err := loadScheme(schemeFile)
			if err != nil {
				return err
			}
			if format == "" {
				return a.scoreRounds(cmd, st, sc, []string{round})
			}
			// the summary line goes to stderr so that stdout is the result alone
			out := a.out
			a.out = a.errOut
			err = a.scoreRounds(cmd, st, sc, []string{round})
			a.out = out
			if err != nil {
				return err
			}
			rk, err := st.Ranking(cmd.Context(), round)
			if err != nil {
				return err
			}
			return writeRanking(a.out, rk, format)
		},
	}
	c.Flags().StringVar(&format, "format", "", "also print the stored result: table, json or csv (default: a summary line)")
	c.Flags().StringVar(&round, "round", "", "round to score, e.g. 2019-B1 (required)")
	c.Flags().StringVar(&schemeFile, "scheme", "", "scheme file (YAML; default: xiaoneng scheme show)")
	c.MarkFlagRequired("round")
	return c
}

// scoreRounds scores rounds in order and prints one summary line each.
func (a *app) scoreRounds(cmd *cobra.Command, st *analytics.Store, sc scoring.Scheme, rounds []string) error {
	actor := cliActor()
	for _, r := range rounds {
		rk, err := st.ScoreRound(cmd.Context(), r, sc, actor, time.Now())
		if err != nil {
			return err
		}
		ranked := 0
		for _, u := range rk.Units {
			if u.Rank != nil {
				ranked++
			}
		}
		fmt.Fprintf(a.out, "%s 第 %d 版: %d 个单位排名, %d 个未排名 (方案 %s)\n", r, rk.Version, ranked, len(rk.Units)-ranked, rk.SchemeHash[:12])
	}
	return nil
}

func (a *app) rankingCmd() *cobra.Command {
	var round, format string
	c := &cobra.Command{
		Use:     "ranking --round 2019-B1",
		Short:   "排名 (print the stored ranking of a round: --format table|json|csv)",
		Example: "  xiaoneng ranking --round 2019-B1 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			rk, err := st.Ranking(cmd.Context(), round)
			if err != nil {
				return err
			}
			return writeRanking(a.out, rk, format)
		},
	}
	c.Flags().StringVar(&round, "round", "", "round, e.g. 2019-B1 (required)")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	c.MarkFlagRequired("round")
	return c
}

// writeRanking prints a stored ranking as a table, JSON or CSV.
func writeRanking(w io.Writer, rk analytics.Ranking, format string) error {
	switch format {
	case "json":
		return writeJSON(w, rk)
	case "csv":
		return writeRankingCSV(w, rk)
	case "table":
		return writeRankingTable(w, rk)
	}
	return fmt.Errorf("unknown --format %q (table, json or csv)", format)
}

var partOrder = []string{"peer", "service", "complaints", "satisfaction", "deductions"}

// rankingParts are the parts of a ranking's columns: partOrder, with the
// 督办落实 part before the deductions when the round's scheme has it (a
// unit's parts then name it), so that the parts add up to the score.
func rankingParts(rk analytics.Ranking) []string {
	for _, u := range rk.Units {
		if _, ok := u.Parts[scoring.PartTasks]; ok {
			return []string{"peer", "service", "complaints", "satisfaction", scoring.PartTasks, "deductions"}
		}
	}
	return partOrder
}

// rankingRow is a unit's line of the ranking, with the parts given.
func rankingRow(parts []string) func(analytics.UnitRanking) []string {
	return func(u analytics.UnitRanking) []string {
		row := []string{opt(u.Rank), u.UnitID, u.Name, u.Category, optF(u.Score), optS(u.Tier), opt(u.PreviousRank)}
		for _, p := range parts {
			row = append(row, optF(u.Parts[p]))
		}
		return append(row, strings.Join(u.Flags, ";"))
	}
}

func writeRankingCSV(w io.Writer, rk analytics.Ranking) error {
	parts := rankingParts(rk)
	head := append([]string{"rank", "unit_id", "name", "category", "score", "tier", "previous_rank"}, parts...)
	return writeCSV(w, append(head, "flags"), rowsOf(rk.Units, rankingRow(parts)))
}

func writeRankingTable(w io.Writer, rk analytics.Ranking) error {
	parts := rankingParts(rk)
	head := "排名\t编码\t单位\t类别\t得分\t等次\t上次\t评议\t政务服务\t诉求办理\t满意度\t扣分\t标记"
	if len(parts) > len(partOrder) {
		head = "排名\t编码\t单位\t类别\t得分\t等次\t上次\t评议\t政务服务\t诉求办理\t满意度\t督办落实\t扣分\t标记"
	}
	return writeTable(w, fmt.Sprintf("%s 效能评议排名 (截至 %s, 第 %d 版, 方案 %s)", rk.Round, rk.AsOf, rk.Version, rk.SchemeHash[:12]),
		head, rowsOf(rk.Units, rankingRow(parts)))
}

// neutralise prefixes a cell that a spreadsheet would read as a formula
// (names come from imported files) with an apostrophe; numbers stay as they are.
func neutralise(row []string) []string {
	for i, v := range row {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				row[i] = "'" + v
			}
		}
	}
	return row
}

func opt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func optF(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

func optS(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
