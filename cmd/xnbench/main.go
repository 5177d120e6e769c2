// Command xnbench measures xiaoneng at city scale and writes a Markdown table
// of figures beside their targets. It is run by `make bench`, never by
// `make test`: timings are measured here, never asserted in tests.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
)

// row is one line of the results table.
type row struct {
	what, value, target, note string
}

func main() {
	out := flag.String("out", "bench/out", "working folder (generated data is kept between runs)")
	results := flag.String("results", "bench/results.md", "Markdown file for the figures")
	scale := flag.String("scale", "city", "sample city scale: small, city or province")
	mem := flag.String("memory-limit", "1GB", "DuckDB memory_limit during the benchmarks")
	growth := flag.String("growth", "small,city,province", "scales of the growth section (scoring one round at each), comma-separated, or none")
	months := flag.Int("growth-months", growthMonths, "growth section: import only the cases and complaints received in 2019-01 … this month (0 = the whole year)")
	child := flag.String("growth-child", "", "internal: measure one scale of the growth section and print the result as JSON")
	webOnly := flag.Bool("web-only", false, "only the web load test, on the database an earlier run left in -out (prints the rows)")
	faultsOnly := flag.Bool("faults-only", false, "only the load test with an import and a scoring run at the same time, on the database an earlier run left in -out (prints the rows)")
	importOnlyFlag := flag.Bool("import-only", false, "only the CSV import of cases and complaints and DuckDB alone on the same files, on a fresh database (prints the rows)")
	xlsxOnly := flag.Bool("xlsx-only", false, "only the XLSX import (a fresh process, as a user runs it; make bench runs it so), printing its row as JSON")
	importMonths := flag.Int("import-months", 0, "with -import-only: import only the first N cases files (0 = all)")
	commitKillOnly := flag.Bool("commitkill-only", false, "only the kill test: SIGKILL `xiaoneng import` (-bin) inside the commit of a 1,000,000-row cases file and check all-or-nothing (prints the rows)")
	bin := flag.String("bin", "bin/xiaoneng", "the xiaoneng binary the kill test runs")
	flag.Parse()
	ctx := context.Background()
	if *commitKillOnly {
		rows, err := benchCommitKill(*out, *bin)
		for _, r := range rows {
			fmt.Printf("| %s | %s | %s | %s |\n", r.what, r.value, r.target, r.note)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "xnbench:", err)
			os.Exit(1)
		}
		return
	}
	if *importOnlyFlag {
		data := filepath.Join(*out, *scale)
		err := ensureFixtures(data, fixtures.Scale(*scale))
		if err == nil {
			err = importOnly(ctx, *out, data, *mem, *importMonths)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "xnbench:", err)
			os.Exit(1)
		}
		return
	}
	if *xlsxOnly {
		rows, err := benchXLSX(ctx, *out, filepath.Join(*out, *scale), *mem)
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode([]string{rows[0].what, rows[0].value, rows[0].target, rows[0].note})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "xnbench:", err)
			os.Exit(1)
		}
		return
	}
	if *faultsOnly {
		if err := faultsOnlyRun(ctx, *out, filepath.Join(*out, *scale), *mem); err != nil {
			fmt.Fprintln(os.Stderr, "xnbench:", err)
			os.Exit(1)
		}
		return
	}
	if *webOnly {
		if err := webOnlyRun(ctx, *out, *mem); err != nil {
			fmt.Fprintln(os.Stderr, "xnbench:", err)
			os.Exit(1)
		}
		return
	}
	if *child != "" {
		if err := growthChild(ctx, *out, *mem, fixtures.Scale(*child), *months); err != nil {
			fmt.Fprintln(os.Stderr, "xnbench:", err)
			os.Exit(1)
		}
		return
	}
	scales, err := parseScales(*growth)
	if err == nil {
		err = run(ctx, *out, *results, *bin, fixtures.Scale(*scale), *mem, scales, *months)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "xnbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, results, bin string, scale fixtures.Scale, mem string, growth []fixtures.Scale, months int) error {
	data := filepath.Join(out, string(scale))
	if err := ensureFixtures(data, scale); err != nil {
		return err
	}
	var rows []row
	imp, err := benchImport(ctx, out, data, mem)
	if err != nil {
		return err
	}
	rows = append(rows, imp...)
	xl, err := benchXLSXChild(ctx, out, scale, mem)
	if err != nil {
		return err
	}
	rows = append(rows, xl...)
	ck, err := benchCommitKill(out, bin)
	if err != nil {
		return err
	}
	rows = append(rows, ck...)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	rss := float64(ru.Maxrss) / (1 << 20) // KiB → GiB
	rows = append(rows, row{"peak RSS of the whole run", fmt.Sprintf("%.2f GiB", rss), "< 2 GiB", "DuckDB memory_limit " + mem})
	if len(growth) > 0 {
		gr, err := benchGrowth(ctx, out, mem, growth, months)
		if err != nil {
			return err
		}
		rows = append(rows, gr...)
	}
	return report(results, scale, rows)
}

// ensureFixtures generates the sample city once; a marker file records that it finished.
func ensureFixtures(dir string, scale fixtures.Scale) error {
	marker := filepath.Join(dir, ".complete")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	os.RemoveAll(dir)
	fmt.Fprintf(os.Stderr, "generating the %s-scale sample city into %s …\n", scale, dir)
	t := time.Now()
	if _, err := fixtures.Generate(fixtures.Options{Scale: scale, Out: dir}); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "generated in %s\n", time.Since(t).Round(time.Millisecond))
	return os.WriteFile(marker, []byte(string(scale)+"\n"), 0o644)
}

func freshStore(ctx context.Context, path, mem string) (*analytics.Store, error) {
	for _, p := range []string{path, path + ".wal"} {
		os.Remove(p)
	}
	os.RemoveAll(path + ".tmp")
	return analytics.Open(ctx, analytics.Options{Path: path, MemoryLimit: mem})
}

// filesOf lists the CSV files of one kind in dir, in import order.
func filesOf(dir, kind string) ([]string, error) { return kindFiles(dir, kind, ".csv") }

// kindFiles lists the files of one kind in dir (with the extension, if given).
func kindFiles(dir, kind, ext string) ([]string, error) {
	all, _, err := analytics.ExpandPaths([]string{dir}, "")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range all {
		if k := analytics.KindForFile(f); k != nil && k.Name == kind && strings.HasSuffix(f, ext) {
			out = append(out, f)
		}
	}
	return out, nil
}

func report(path string, scale fixtures.Scale, rows []row) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# xiaoneng benchmarks (%s scale)\n\nMeasured by `make bench` on %s, %d CPUs; one run, figures beside their targets.\n\n",
		scale, time.Now().Format("2006-01-02 15:04"), numCPU())
	b.WriteString("| measure | value | target | note |\n|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.what, r.value, r.target, r.note)
	}
	fmt.Print(b.String())
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// webOnlyRun measures the web service alone on the city database of an
// earlier full run (for working on the server without re-importing).
func webOnlyRun(ctx context.Context, out, mem string) error {
	st, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(out, "bench.duckdb"), MemoryLimit: mem})
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := benchWeb(ctx, st, "2019-B3")
	if err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", r.what, r.value, r.target, r.note)
	}
	return nil
}
