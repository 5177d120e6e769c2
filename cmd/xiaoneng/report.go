package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/reports"
	"golang.org/x/term"
)

// reportOptions are the flags of `xiaoneng report`.
type reportOptions struct {
	round, month, quarter, unit, out, office, date, schemeFile string
	year                                                       int
	all, pdf                                                   bool
}

func (a *app) reportCmd() *cobra.Command {
	var o reportOptions
	c := &cobra.Command{
		Use:   "report (--round R | --month M [--all] | --quarter Q | --year Y | --unit U --round R) --out DIR [--pdf]",
		Short: "通报 (write the bulletins as self-contained HTML, and PDF with --pdf)",
		Long: `Writes the bulletins (通报) of the efficiency office into --out as one
self-contained HTML file each (opens from a USB stick, no network), and with
--pdf also as A4 PDF through headless Chromium:

  --round 2019-B3          双月效能评议通报, and beside it round-2019-B3-qa-annex
                           (评议质量附件: the evaluators by name, office-only)
  --month 2019-06          月度重点项目建设进展通报
  --month 2019-06 --all    everything of the month: the month's bulletin, the
                           quarter's when the month ends one, the round's and
                           every unit's profile when it ends a round, the year's in December
  --quarter 2019-Q2        季度通报 with the 约谈 list
  --year 2019              年度综合评议
  --unit D38 --round 2019-B4   单位效能画像

When Chromium is missing the HTML is still written and one line says how to
install it.`,
		Example: "  xiaoneng report --month 2019-06 --all --out reports --pdf",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runReport(cmd, o) },
	}
	f := c.Flags()
	f.StringVar(&o.round, "round", "", "round, e.g. 2019-B3")
	f.StringVar(&o.month, "month", "", "month, e.g. 2019-06")
	f.StringVar(&o.quarter, "quarter", "", "quarter, e.g. 2019-Q2")
	f.IntVar(&o.year, "year", 0, "year, e.g. 2019")
	f.StringVar(&o.unit, "unit", "", "unit_id for a unit profile (with --round)")
	f.BoolVar(&o.all, "all", false, "with --month: every report of the month")
	f.StringVar(&o.out, "out", "reports", "output folder")
	f.BoolVar(&o.pdf, "pdf", false, "also print each report to PDF (needs Chromium)")
	f.StringVar(&o.office, "office", os.Getenv("XIAONENG_OFFICE"), "issuing office on the cover (default: XIAONENG_OFFICE or 机关效能建设领导小组办公室)")
	f.StringVar(&o.date, "date", "", "date of issue on the cover, YYYY-MM-DD (default: today)")
	f.StringVar(&o.schemeFile, "scheme", "", "scheme file (YAML; default: xiaoneng scheme show)")
	return c
}

// selected counts the report kinds chosen; exactly one is allowed.
func (o reportOptions) check() error {
	n := 0
	for _, set := range []bool{o.round != "" && o.unit == "", o.month != "", o.quarter != "", o.year != 0, o.unit != ""} {
		if set {
			n++
		}
	}
	switch {
	case n != 1:
		return errors.New("choose one of --round, --month, --quarter, --year or --unit with --round")
	case o.unit != "" && o.round == "":
		return errors.New("--unit needs --round")
	case o.all && o.month == "":
		return errors.New("--all goes with --month")
	}
	return nil
}

func (a *app) runReport(cmd *cobra.Command, o reportOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	sc, err := loadScheme(o.schemeFile)
	if err != nil {
		return err
	}
	meta := reports.Meta{Office: o.office}
	if o.date != "" {
		d, err := time.Parse(time.DateOnly, o.date)
		if err != nil {
			return fmt.Errorf("--date %q: want YYYY-MM-DD", o.date)
		}
		meta.Date = reports.ChineseDate(d)
	}
	st, err := a.open(cmd.Context())
	if err != nil {
		return err
	}
	defer st.Close()
	b, err := reports.New(st, meta, sc)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	var docs []reports.Document
	var one reports.Document
	switch {
	case o.all:
		var skipped []string
		docs, skipped, err = b.All(ctx, o.month, func(done, total int, name string) {
			if a.isTerminal() {
				fmt.Fprintf(a.errOut, "\r生成报告 %d/%d %-32s", done, total, name)
			}
		})
		if a.isTerminal() {
			fmt.Fprintln(a.errOut)
		}
		for _, r := range skipped {
			fmt.Fprintf(a.out, "跳过 %s: 尚未评分 (xiaoneng score --round %s)\n", r, r)
		}
	case o.unit != "":
		one, err = b.Unit(ctx, o.round, o.unit)
	case o.round != "":
		// The bulletin, and beside it the office-only annex that names
		// evaluators (the bulletin never does).
		var bulletin, annex reports.Document
		if bulletin, err = b.Round(ctx, o.round); err == nil {
			annex, err = b.RoundQAAnnex(ctx, o.round)
			docs = append(docs, bulletin, annex)
		}
	case o.month != "":
		one, err = b.Month(ctx, o.month)
	case o.quarter != "":
		one, err = b.Quarter(ctx, o.quarter)
	default:
		one, err = b.Year(ctx, o.year)
	}
	if err != nil {
		return err
	}
	if one.Name != "" {
		docs = append(docs, one)
	}
	return a.writeReports(cmd, docs, o)
}

// writeReports writes each document's HTML (atomically, through a temporary
// file) and, with --pdf, its PDF through one shared browser.
func (a *app) writeReports(cmd *cobra.Command, docs []reports.Document, o reportOptions) error {
	// Every name is checked before anything is written.
	for _, d := range docs {
		for _, ext := range []string{".html", ".pdf"} {
			if _, err := reports.FilePath(o.out, d.Name+ext); err != nil {
				return err
			}
		}
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	for _, d := range docs {
		if err := writeAtomic(o.out, d.Name+".html", d.HTML); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.out, "已写出 %d 份 HTML 报告 → %s\n", len(docs), o.out)
	if !o.pdf || len(docs) == 0 {
		return nil
	}
	p, err := reports.NewPrinter(cmd.Context(), reports.PDFOptions{})
	if errors.Is(err, reports.ErrNoChromium) {
		fmt.Fprintln(a.errOut, err)
		return nil
	} else if err != nil {
		return err
	}
	defer p.Close()
	var print []reports.Document
	for _, d := range docs {
		if !d.HTMLOnly {
			print = append(print, d)
		}
	}
	start := time.Now()
	pdfs, err := p.PDFAll(cmd.Context(), print, 0)
	if err != nil {
		return err
	}
	for i, d := range print {
		if err := writeAtomic(o.out, d.Name+".pdf", pdfs[i]); err != nil {
			return err
		}
	}
	if a.isTerminal() {
		fmt.Fprintf(a.errOut, "PDF 用时 %.1f 秒\n", time.Since(start).Seconds())
	}
	fmt.Fprintf(a.out, "已写出 %d 份 PDF 报告 → %s（单位画像的 PDF 见汇编 units-*.pdf）\n", len(print), o.out)
	return nil
}

// writeAtomic writes data to the file name in dir through a temporary file
// in the same folder, so that a reader never sees half a report; a name that
// is not a plain file name of dir (reports.FilePath) is refused.
func writeAtomic(dir, name string, data []byte) error {
	path, err := reports.FilePath(dir, name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// isTerminal reports whether progress can be drawn on the error stream.
func (a *app) isTerminal() bool {
	f, ok := a.errOut.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
