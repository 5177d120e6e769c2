package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
	"golang.org/x/term"
)

func (a *app) importCmd() *cobra.Command {
	var kind, sheet string
	c := &cobra.Command{
		Use:   "import PATH...",
		Short: "导入数据文件 (import CSV, XLSX or Parquet files, or every recognised file in a folder)",
		Long: `Imports files of any input kind (units, work_groups, evaluators, peer_scores,
cases, complaints, surveys, deductions, projects, project_progress,
signed_projects, documents, holidays). The kind comes from the file name
(cases.csv, cases-2019-03.xlsx, 办件.xlsx) or --kind. Each file is imported
whole or not at all; a bad file is reported as file:line: column: reason.
Folders are imported in dependency order (units before groups before scores).`,
		Example: "  xiaoneng import data/2019-03/\n  xiaoneng import --kind cases 三月办件.xlsx",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runImport(cmd.Context(), args, kind, sheet)
		},
	}
	c.Flags().StringVar(&kind, "kind", "", "input kind, when the file name does not tell it")
	c.Flags().StringVar(&sheet, "sheet", "", "XLSX sheet to read (default the first)")
	return c
}

func (a *app) runImport(ctx context.Context, paths []string, kind, sheet string) error {
	files, skipped, err := analytics.ExpandPaths(paths, kind)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		fmt.Fprintf(a.errOut, "skipped %s: the kind cannot be told from its name (use --kind)\n", s)
	}
	if len(files) == 0 {
		return errors.New("no importable files found")
	}
	st, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	actor := cliActor()
	for i, f := range files {
		bar := newBar(a, fmt.Sprintf("[%d/%d] %s", i+1, len(files), f))
		res, err := st.ImportFile(ctx, f, analytics.ImportOptions{Kind: kind, Sheet: sheet, Actor: actor, Progress: bar})
		for _, w := range res.Warnings {
			fmt.Fprintln(a.errOut, "warning: "+w)
		}
		if err != nil {
			if rest := len(files) - i - 1; rest > 0 {
				fmt.Fprintf(a.errOut, "stopped: %d file(s) after %s were not imported\n", rest, f)
			}
			return err
		}
		fmt.Fprintln(a.out, res.String())
	}
	return nil
}

// newBar returns a progress callback drawing a spinner with the phase on a
// terminal, and nothing otherwise.
func newBar(a *app, label string) func(analytics.ImportProgress) {
	if f, ok := a.errOut.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	bar := progressbar.NewOptions64(-1, progressbar.OptionSetWriter(a.errOut), progressbar.OptionSetDescription(label),
		progressbar.OptionSpinnerType(14), progressbar.OptionClearOnFinish(), progressbar.OptionShowCount())
	return func(p analytics.ImportProgress) {
		bar.Describe(fmt.Sprintf("%s: %s", label, phaseText[p.Phase]))
		if p.Rows > 0 {
			bar.Set64(p.Rows)
		}
		if p.Phase == "done" {
			bar.Finish()
		}
	}
}

var phaseText = map[string]string{"reading": "读取", "checking": "校验", "writing": "写入", "done": "完成"}

func (a *app) importsCmd() *cobra.Command {
	var limit int
	c := &cobra.Command{
		Use:   "imports",
		Short: "导入记录 (the import log: file, kind, rows new/replaced/unchanged, who, when)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			log, err := st.ImportLog(cmd.Context(), limit)
			if err != nil {
				return err
			}
			for _, e := range log {
				fmt.Fprintf(a.out, "%s  %-24s %-16s new %-8d replaced %-8d unchanged %-8d %s  sha256 %s\n",
					e.At.Format("2006-01-02 15:04:05"), e.File, e.Kind, e.New, e.Replaced, e.Unchanged, e.Actor, e.SHA256[:12])
			}
			return nil
		},
	}
	c.Flags().IntVar(&limit, "limit", 50, "how many of the latest imports to list")
	return c
}
