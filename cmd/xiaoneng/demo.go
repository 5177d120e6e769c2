package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scheme"
)

func (a *app) demoCmd() *cobra.Command {
	var dir, scale string
	var noPDF bool
	c := &cobra.Command{
		Use:   "demo",
		Short: "演示 (a fresh database with the sample city, imported through the real importers)",
		Long: `Generates the sample city (青川市, 2019) into --dir, creates a fresh database
(--db, default demo/xiaoneng.duckdb), imports every file as a user would,
prints what the database holds, scores the six rounds of 2019 and writes the
bulletins of December 2019 into --dir/reports (HTML, and PDF when Chromium is
installed).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("db") && os.Getenv("XIAONENG_DB") == "" {
				a.db = filepath.Join(dir, "xiaoneng.duckdb")
			}
			data := filepath.Join(dir, "data")
			fmt.Fprintf(a.out, "生成示例城市 (%s) → %s\n", scale, data)
			if _, err := fixtures.Generate(fixtures.Options{Scale: fixtures.Scale(scale), Out: data}); err != nil {
				return err
			}
			for _, p := range []string{a.db, a.db + ".wal"} {
				if err := os.RemoveAll(p); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.out, "导入 → %s\n", a.db)
			if err := a.runImport(cmd.Context(), []string{data}, "", ""); err != nil {
				return err
			}
			if err := a.printSummary(cmd); err != nil {
				return err
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			fmt.Fprintln(a.out, "评分:")
			if err := a.scoreRounds(cmd, st, scheme.Default(), []string{"2019-B1", "2019-B2", "2019-B3", "2019-B4", "2019-B5", "2019-B6"}); err != nil {
				return err
			}
			st.Close()
			out := filepath.Join(dir, "reports")
			fmt.Fprintln(a.out, "通报 (2019年12月全部报告):")
			if err := a.runReport(cmd, reportOptions{month: "2019-12", all: true, out: out, pdf: !noPDF,
				office: "青川市机关效能建设领导小组办公室", date: "2020-01-06"}); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "查看排名: bin/xiaoneng --db %s ranking --round 2019-B6\n", a.db)
			fmt.Fprintf(a.out, "查看通报: %s\n", filepath.Join(out, "round-2019-B6.html"))
			return nil
		},
	}
	c.Flags().StringVar(&dir, "dir", "demo", "folder for the generated data and the database")
	c.Flags().StringVar(&scale, "scale", "small", "sample city scale: small, city or province")
	c.Flags().BoolVar(&noPDF, "no-pdf", false, "write the reports as HTML only")
	return c
}

// printSummary prints the row count of every input table.
func (a *app) printSummary(cmd *cobra.Command) error {
	st, err := a.open(cmd.Context())
	if err != nil {
		return err
	}
	defer st.Close()
	counts, err := st.TableCounts(cmd.Context())
	if err != nil {
		return err
	}
	fmt.Fprintln(a.out, "数据库内容:")
	for _, c := range counts {
		fmt.Fprintf(a.out, "  %-18s %10d\n", c.Table, c.Rows)
	}
	return nil
}
