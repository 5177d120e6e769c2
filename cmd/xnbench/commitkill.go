package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// commitKillRows is the size of the imported cases file.
const commitKillRows = 1_000_000

// commitKillUnits is the units file the databases hold before any cases.
const commitKillUnits = "fixtures/handcheck/full_round/units.csv"

// killMoment is when to SIGKILL the import: by "size", once <db>.wal first
// exceeds walOver bytes; by "delay", delay after it first exceeds 240 bytes;
// by "start", delay after the process starts; by "" never.
type killMoment struct {
	label, by string
	walOver   int64
	delay     time.Duration
}

// importRun is what one run of `xiaoneng import` did.
type importRun struct {
	killed              bool
	walAtKill, maxWAL   int64
	first240, exited    time.Duration // from the start; 0: never
	killedAt            time.Duration // from the start
	killedAfterFirst240 time.Duration
}

// benchCommitKill SIGKILLs `bin import` inside the commit of a
// 1,000,000-row cases file and requires that every reopened database holds
// the state before the import or the state after it, nothing in between.
// Two imports: a fresh one (a database with the units and no cases) and a
// replacing one (the same 1,000,000 case_ids, visits changed in every row,
// so every row is replaced). For each, a first run is not killed: it gives
// the after state and times the commit (when <db>.wal first exceeds 240
// bytes, its largest size, the exit). Then each kill moment runs the import
// on a fresh copy of the base database and kills it shortly before the WAL
// grows (90 % and 97 % of the time the unkilled run took to get there: the
// rows are being written to the database file), when the WAL first exceeds a
// size (from 240 bytes to just under the largest seen), or a delay after it
// first exceeds 240 bytes (0 ms … 90 % of the time to the exit). About 20
// moments per import, each a whole 1,000,000-row import: some minutes in all.
// The reopened state (cases, distinct case_ids, changed rows, import_log rows,
// import audit rows) must equal the before or the after state. It prints one
// line per moment and a verdict, and returns the verdict row.
func benchCommitKill(out, bin string) ([]row, error) {
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("commit kill: %w (make build makes it)", err)
	}
	dir := filepath.Join(out, "commitkill")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	units, err := unitIDs(commitKillUnits)
	if err != nil {
		return nil, err
	}
	first, changed := filepath.Join(dir, "cases-first.csv"), filepath.Join(dir, "cases-changed.csv")
	if err := writeKillCases(first, commitKillRows, units, 0); err != nil {
		return nil, err
	}
	if err := writeKillCases(changed, commitKillRows, units, 1); err != nil {
		return nil, err
	}
	empty, full := filepath.Join(dir, "units.duckdb"), filepath.Join(dir, "cases.duckdb")
	removeKillDB(empty)
	if _, err := runImport(bin, empty, commitKillUnits, killMoment{}); err != nil {
		return nil, err
	}
	start := time.Now()
	total, ok := 0, 0
	var notes []string
	for _, sc := range []struct{ name, base, file, keep string }{
		{"fresh", empty, first, full},
		{"replacing", full, changed, ""},
	} {
		n, good, note, err := killScenario(bin, dir, sc.name, sc.base, sc.file, sc.keep)
		if err != nil {
			return nil, fmt.Errorf("commit kill, %s import: %w", sc.name, err)
		}
		total, ok = total+n, ok+good
		notes = append(notes, note)
	}
	verdict := fmt.Sprintf("all-or-nothing at %d of %d kill points", ok, total)
	fmt.Printf("%s (%.0f s)\n", verdict, time.Since(start).Seconds())
	r := row{fmt.Sprintf("SIGKILL of `xiaoneng import` inside the commit of %s cases", thousands(commitKillRows)),
		verdict, "all-or-nothing at every point", joinNotes(notes)}
	if ok != total {
		return []row{r}, fmt.Errorf("commit kill: %s", verdict)
	}
	return []row{r}, nil
}

// killScenario runs one import unkilled on a copy of base (kept as keep, if
// given), then once per kill moment, and checks every reopened state.
func killScenario(bin, dir, name, base, file, keep string) (total, ok int, note string, err error) {
	before, err := readKillState(base)
	if err != nil {
		return 0, 0, "", err
	}
	run := filepath.Join(dir, "run.duckdb")
	if err := copyKillDB(base, run); err != nil {
		return 0, 0, "", err
	}
	cal, err := runImport(bin, run, file, killMoment{})
	if err != nil {
		return 0, 0, "", err
	}
	after, err := readKillState(run)
	if err != nil {
		return 0, 0, "", err
	}
	if after == before || after.importLog != before.importLog+1 || after.auditImports != before.auditImports+1 {
		return 0, 0, "", fmt.Errorf("the unkilled import gave %v from %v", after, before)
	}
	if keep != "" {
		if err := copyKillDB(run, keep); err != nil {
			return 0, 0, "", err
		}
	}
	fmt.Printf("%s import: before {%v}; after {%v}; WAL first > 240 B at %.0f ms, largest %d B, exit at %.0f ms\n",
		name, before, after, ms(cal.first240), cal.maxWAL, ms(cal.exited))
	fmt.Println("| import | kill moment | killed | WAL at kill (B) | ms after WAL > 240 B | reopened state | outcome |\n|---|---|---|---|---|---|---|")
	counts := map[string]int{}
	for _, m := range killMoments(cal) {
		if err := copyKillDB(base, run); err != nil {
			return 0, 0, "", err
		}
		r, err := runImport(bin, run, file, m)
		if err != nil {
			return 0, 0, "", fmt.Errorf("%s: %w", m.label, err)
		}
		got, rerr := readKillState(run)
		outcome := "VIOLATION"
		switch {
		case rerr != nil:
			outcome = "VIOLATION (does not open: " + rerr.Error() + ")"
		case got == before:
			outcome = "before"
		case got == after:
			outcome = "after"
		}
		counts[outcome]++
		since := "—"
		switch {
		case r.killed && r.first240 > 0:
			since = fmt.Sprintf("%.1f", ms(r.killedAfterFirst240))
		case r.killed:
			since = fmt.Sprintf("before it (%.0f ms after start)", ms(r.killedAt))
		}
		killed := "yes"
		if !r.killed {
			killed = "no (exited)"
		}
		fmt.Printf("| %s | %s | %s | %d | %s | %v | %s |\n", name, m.label, killed, r.walAtKill, since, got, outcome)
		total++
	}
	ok = counts["before"] + counts["after"]
	return total, ok, fmt.Sprintf("%s import: %d before, %d after, %d other", name, counts["before"], counts["after"], total-ok), nil
}

// killMoments spreads kill moments over the commit the unkilled run timed.
func killMoments(cal importRun) []killMoment {
	var moments []killMoment
	// Before the WAL grows: the rows are being written (DuckDB writes large
	// inserts to the database file before COMMIT).
	for _, f := range []float64{0.9, 0.97} {
		d := time.Duration(f * float64(cal.first240)).Round(time.Millisecond)
		moments = append(moments, killMoment{label: fmt.Sprintf("%s after start (%.0f%% of the time to WAL > 240 B)", d, 100*f), by: "start", delay: d})
	}
	sizes := []int64{240, 1000, 4096, 65536}
	for _, f := range []float64{0.25, 0.5, 0.75, 0.9} {
		sizes = append(sizes, int64(f*float64(cal.maxWAL)))
	}
	sizes = append(sizes, cal.maxWAL-64, cal.maxWAL-1)
	slices.Sort(sizes)
	for _, s := range slices.Compact(sizes) {
		if s >= 240 && s < cal.maxWAL {
			moments = append(moments, killMoment{label: fmt.Sprintf("WAL > %d B", s), by: "size", walOver: s})
		}
	}
	delays := []time.Duration{0, 1, 2, 5, 10, 20, 40, 80}
	for i := range delays {
		delays[i] *= time.Millisecond
	}
	if cal.first240 > 0 {
		window := cal.exited - cal.first240
		for _, f := range []float64{0.5, 0.9} {
			delays = append(delays, time.Duration(f*float64(window)).Round(time.Millisecond))
		}
	}
	slices.Sort(delays)
	for _, d := range slices.Compact(delays) {
		moments = append(moments, killMoment{label: fmt.Sprintf("%s after WAL > 240 B", d), by: "delay", delay: d})
	}
	return moments
}

// runImport runs `bin import --db db file`, polling <db>.wal every ~100 µs,
// and SIGKILLs it at the moment m (the zero moment lets it finish).
func runImport(bin, db, file string, m killMoment) (importRun, error) {
	var r importRun
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "import", "--db", db, file)
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case err := <-done:
			r.exited = time.Since(start)
			if err != nil && !r.killed {
				return r, fmt.Errorf("%s import %s: %v: %s", bin, file, err, stderr.String())
			}
			return r, nil
		default:
		}
		if r.killed {
			time.Sleep(100 * time.Microsecond)
			continue
		}
		size := fileSizeOf(db + ".wal")
		r.maxWAL = max(r.maxWAL, size)
		if size > 240 && r.first240 == 0 {
			r.first240 = time.Since(start)
		}
		if (m.by == "size" && size > m.walOver) || (m.by == "delay" && r.first240 > 0 && time.Since(start)-r.first240 >= m.delay) ||
			(m.by == "start" && time.Since(start) >= m.delay) {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
				return r, err
			}
			r.killed = true
			r.walAtKill = fileSizeOf(db + ".wal")
			r.killedAt = time.Since(start)
			r.killedAfterFirst240 = r.killedAt - r.first240
			continue
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// fileSizeOf is a file's size, or 0 when it does not exist.
func fileSizeOf(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}
