package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/xiaoneng/xiaoneng/analytics"
)

func (a *app) checkCmd() *cobra.Command {
	var repair bool
	var actor, format string
	c := &cobra.Command{
		Use:   "check [--repair]",
		Short: "检查数据库一致性,必要时修复 (integrity check and repair)",
		Long: `Checks what an interrupted write could have left in the database: imported
rows whose import never reached the import log, keys stored twice, the import
log against the audit log, and stored results against their score runs.

The same check runs by itself when the database opens after an unclean
shutdown (a crash, a kill or a power failure leaves DuckDB's write-ahead log
behind); if it finds anything, every command and the web service refuse the
database until it is repaired. This command opens it anyway and explains.

--repair fixes what it can without guessing, in one transaction with an
audit entry (integrity.repair): it deletes the rows of imports that have no
import-log entry (which leaves the rows of the last logged import), deletes
results of runs that do not exist and runs without results that no round
publishes, and adds the audit entries that make the import log and the audit
log agree (marked as written by the repair). Keys stored twice by logged
imports, or a published round whose run is gone, are not guessed at: they
are reported, and the database stays refused until the data is corrected.

Exit status 0 when the database is (now) consistent, 1 otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			st, err := analytics.Open(cmd.Context(), analytics.Options{Path: a.db, MemoryLimit: a.memory, AllowInconsistent: true})
			if err != nil {
				return err
			}
			defer st.Close()
			if !repair {
				rep, err := st.CheckIntegrity(cmd.Context())
				if err != nil {
					return err
				}
				if format == "json" {
					if err := writeJSON(a.out, rep); err != nil {
						return err
					}
				} else {
					printFindings(a, rep)
				}
				if !rep.OK() {
					return fmt.Errorf("数据库不一致,发现 %d 个问题;运行 xiaoneng check --repair 修复", len(rep.Findings))
				}
				return nil
			}
			res, err := st.RepairIntegrity(cmd.Context(), actor, time.Now())
			if err != nil {
				return err
			}
			if format == "json" {
				if err := writeJSON(a.out, res); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(a.out, "修复前:")
				printFindings(a, res.Before)
				for _, k := range analytics.Kinds() {
					if n := res.Deleted[k.Name]; n > 0 {
						fmt.Fprintf(a.out, "已删除 %s 表中来自未完成导入的 %d 行\n", k.Name, n)
					}
				}
				for _, tb := range []string{"score_results", "score_runs"} {
					if n := res.Deleted[tb]; n > 0 {
						fmt.Fprintf(a.out, "已删除 %s 表中的 %d 行\n", tb, n)
					}
				}
				if res.Audited > 0 {
					fmt.Fprintf(a.out, "已补记 %d 条审计记录(标明由修复写入)\n", res.Audited)
				}
				fmt.Fprintln(a.out, "修复后:")
				printFindings(a, res.After)
			}
			if !res.After.OK() {
				return fmt.Errorf("仍有 %d 个问题无法在不猜测的情况下修复;请核对并重新导入相关文件", len(res.After.Findings))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&repair, "repair", false, "repair what can be repaired without guessing (audited)")
	c.Flags().StringVar(&actor, "actor", defaultActor(), "who repairs, for the audit log")
	c.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return c
}

// printFindings prints a report as one line per finding.
func printFindings(a *app, rep analytics.IntegrityReport) {
	if rep.OK() {
		fmt.Fprintln(a.out, rep.Summary())
		return
	}
	for _, f := range rep.Findings {
		how := "可修复"
		if !f.Repairable {
			how = "需人工核对"
		}
		fmt.Fprintf(a.out, "- %s(%s)\n", f.Detail, how)
	}
}
