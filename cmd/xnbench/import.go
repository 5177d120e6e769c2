package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

func numCPU() int { return runtime.NumCPU() }

// spent is the wall and CPU time (user + system, every thread of the
// process, DuckDB's included) of one measured step.
type spent struct{ wall, cpu float64 }

func (a spent) add(b spent) spent { return spent{a.wall + b.wall, a.cpu + b.cpu} }

// measure runs fn and returns its wall and CPU time.
func measure(fn func() error) (spent, error) {
	c, t := cpuSeconds(), time.Now()
	err := fn()
	return spent{time.Since(t).Seconds(), cpuSeconds() - c}, err
}

// kindImport is what importing the CSV files of one kind took.
type kindImport struct {
	files  int
	rows   int64
	took   spent
	phases map[string]spent // by import phase (reading, checking, writing)
}

// importKindFiles imports files through the real importer, timing each phase
// of each file from the importer's progress reports.
func importKindFiles(ctx context.Context, st *analytics.Store, files []string) (kindImport, error) {
	ki := kindImport{files: len(files), phases: map[string]spent{}}
	for _, f := range files {
		var phase string
		var since time.Time
		var cpu float64
		prog := func(p analytics.ImportProgress) {
			if p.Phase == phase {
				return
			}
			now, c := time.Now(), cpuSeconds()
			if phase != "" {
				ki.phases[phase] = ki.phases[phase].add(spent{now.Sub(since).Seconds(), c - cpu})
			}
			phase, since, cpu = p.Phase, now, c
		}
		var res analytics.ImportResult
		s, err := measure(func() (err error) {
			res, err = st.ImportFile(ctx, f, analytics.ImportOptions{Actor: "bench", Progress: prog})
			return err
		})
		if err != nil {
			return ki, err
		}
		ki.took = ki.took.add(s)
		ki.rows += res.Rows
	}
	return ki, nil
}

func (ki kindImport) phaseNote() string {
	names := make([]string, 0, len(ki.phases))
	for p := range ki.phases {
		names = append(names, p)
	}
	order := map[string]int{"reading": 0, "checking": 1, "writing": 2}
	sort.Slice(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	var parts []string
	for _, p := range names {
		parts = append(parts, fmt.Sprintf("%s %.2f s (CPU %.2f s)", p, ki.phases[p].wall, ki.phases[p].cpu))
	}
	return strings.Join(parts, ", ")
}

// importRows are the result rows of one kind: our import, DuckDB alone
// loading the same files one statement each (the issue's "the same file into
// a plain table", as the importer takes one transaction per file) and the
// ratio to it, then DuckDB alone loading every file in one statement.
func importRows(kind string, ki kindImport, base, all spent) []row {
	rate := float64(ki.rows) / ki.took.wall
	target := "≥ 1,000,000 rows/s"
	if kind == "complaints" {
		target = "—"
	}
	return []row{
		{fmt.Sprintf("%s import from CSV (%d files)", kind, ki.files),
			fmt.Sprintf("%s rows in %.2f s = %s rows/s (CPU %.2f s)", thousands(ki.rows), ki.took.wall, thousands(int64(rate)), ki.took.cpu), target,
			"detect encoding, stage, type and check every cell, duplicate keys, merge, in one transaction per file; phases: " + ki.phaseNote()},
		{kind + ": DuckDB read_csv alone, each file into a plain table",
			fmt.Sprintf("%.2f s = %s rows/s (CPU %.2f s)", base.wall, thousands(int64(float64(ki.rows)/base.wall)), base.cpu), "",
			baseNote(kind) + "; one statement per file, as the import takes one transaction per file"},
		{kind + ": xiaoneng ÷ DuckDB alone, file by file", fmt.Sprintf("%.2f× (CPU time %.2f×)", ki.took.wall/base.wall, ki.took.cpu/base.cpu), "≤ 1.5×",
			"measured back to back in one run; the CPU-time ratio moves less with other load on the machine"},
		{kind + ": DuckDB alone, every file in one statement",
			fmt.Sprintf("%.2f s = %s rows/s (CPU %.2f s); xiaoneng ÷ this %.2f× (CPU %.2f×)", all.wall, thousands(int64(float64(ki.rows)/all.wall)), all.cpu,
				ki.took.wall/all.wall, ki.took.cpu/all.cpu), "",
			"read_csv([…]) over all the files at once: DuckDB's best load on this machine, which a per-file transaction cannot be"},
	}
}

// duckdbAloneBoth times DuckDB alone loading the files one statement each
// (summed) and all in one statement.
func duckdbAloneBoth(ctx context.Context, st *analytics.Store, kind string, files []string, out string) (per, all spent, err error) {
	for _, f := range files {
		d, err := duckdbAlone(ctx, st, kind, []string{f}, out)
		if err != nil {
			return per, all, err
		}
		per = per.add(d)
	}
	all, err = duckdbAlone(ctx, st, kind, files, out)
	return per, all, err
}

// benchImport imports the whole sample city through the real importer, timing
// cases and complaints, then times DuckDB alone reading the same CSV files into
// a plain table in the same database, and reports the ratio.
func benchImport(ctx context.Context, out, data, mem string) ([]row, error) {
	st, err := freshStore(ctx, filepath.Join(out, "bench.duckdb"), mem)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	files, _, err := analytics.ExpandPaths([]string{data}, "")
	if err != nil {
		return nil, err
	}
	byKind := map[string][]string{}
	for _, f := range files {
		k := analytics.KindForFile(f)
		if k != nil && (k.Name == "cases" || k.Name == "complaints") && strings.HasSuffix(f, ".csv") {
			byKind[k.Name] = append(byKind[k.Name], f)
			continue
		}
		if _, err := st.ImportFile(ctx, f, analytics.ImportOptions{Actor: "bench"}); err != nil {
			return nil, err
		}
	}
	imports := map[string]kindImport{}
	for _, kind := range []string{"cases", "complaints"} {
		if imports[kind], err = importKindFiles(ctx, st, byKind[kind]); err != nil {
			return nil, err
		}
	}
	rows, err := benchScoring(ctx, st, "2019-B3")
	if err != nil {
		return nil, err
	}
	rep, err := benchReports(ctx, st)
	if err != nil {
		return nil, err
	}
	rows = append(rows, rep...)
	wb, err := benchWeb(ctx, st, "2019-B3")
	if err != nil {
		return nil, err
	}
	rows = append(rows, wb...)
	fl, err := benchFaults(ctx, st, data, "2019-B3")
	if err != nil {
		return nil, err
	}
	rows = append(rows, fl...)
	for _, kind := range []string{"cases", "complaints"} {
		per, all, err := duckdbAloneBoth(ctx, st, kind, byKind[kind], out)
		if err != nil {
			return nil, err
		}
		rows = append(rows, importRows(kind, imports[kind], per, all)...)
	}
	return rows, nil
}

// importOnly measures only the CSV import of cases (the first months files)
// and complaints on a fresh database holding the small reference files, each
// kind followed at once by DuckDB alone reading the same files, and prints the
// rows. It is for working on the importer: a run takes a minute or two.
func importOnly(ctx context.Context, out, data, mem string, months int) error {
	st, err := freshStore(ctx, filepath.Join(out, "import.duckdb"), mem)
	if err != nil {
		return err
	}
	defer st.Close()
	files, _, err := analytics.ExpandPaths([]string{data}, "")
	if err != nil {
		return err
	}
	byKind := map[string][]string{}
	for _, f := range files {
		k := analytics.KindForFile(f)
		switch {
		case k == nil:
		case (k.Name == "cases" || k.Name == "complaints") && strings.HasSuffix(f, ".csv"):
			byKind[k.Name] = append(byKind[k.Name], f)
		case k.Name == "holidays" || k.Name == "units" || k.Name == "work_groups" || k.Name == "evaluators":
			if _, err := st.ImportFile(ctx, f, analytics.ImportOptions{Actor: "bench"}); err != nil {
				return err
			}
		}
	}
	if months > 0 && months < len(byKind["cases"]) {
		byKind["cases"] = byKind["cases"][:months]
	}
	for _, kind := range []string{"cases", "complaints"} {
		ki, err := importKindFiles(ctx, st, byKind[kind])
		if err != nil {
			return err
		}
		per, all, err := duckdbAloneBoth(ctx, st, kind, byKind[kind], out)
		if err != nil {
			return err
		}
		for _, r := range importRows(kind, ki, per, all) {
			fmt.Printf("| %s | %s | %s | %s |\n", r.what, r.value, r.target, r.note)
		}
	}
	// A second import of the first cases file changes nothing: every row unchanged.
	if cs := byKind["cases"]; len(cs) > 0 {
		var res analytics.ImportResult
		s, err := measure(func() (err error) {
			res, err = st.ImportFile(ctx, cs[0], analytics.ImportOptions{Actor: "bench"})
			return err
		})
		if err != nil {
			return err
		}
		fmt.Printf("| re-import of %s | %.2f s (CPU %.2f s): %s |  |  |\n", filepath.Base(cs[0]), s.wall, s.cpu, res)
	}
	return nil
}

func baseNote(kind string) string {
	if kind == "complaints" {
		return "the file is GB18030, which DuckDB cannot read without an extension; DuckDB alone reads a UTF-8 copy (transcoding not timed)"
	}
	return "CREATE TABLE AS SELECT * FROM read_csv([...]) with auto-detection"
}

// duckdbAlone times DuckDB loading the same CSV files into a plain table.
func duckdbAlone(ctx context.Context, st *analytics.Store, kind string, files []string, out string) (spent, error) {
	src := files
	if kind == "complaints" {
		src = nil
		for _, f := range files {
			u, err := utf8Copy(f, out)
			if err != nil {
				return spent{}, err
			}
			defer os.Remove(u)
			src = append(src, u)
		}
	}
	quoted := make([]string, len(src))
	for i, f := range src {
		quoted[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
	}
	db := st.DB()
	db.ExecContext(ctx, "DROP TABLE IF EXISTS bench_plain")
	d, err := measure(func() error {
		_, err := db.ExecContext(ctx, "CREATE TABLE bench_plain AS SELECT * FROM read_csv(["+strings.Join(quoted, ", ")+"], header = true)")
		return err
	})
	if err != nil {
		return d, err
	}
	_, err = db.ExecContext(ctx, "DROP TABLE bench_plain")
	return d, err
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
