package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// killTriggers spreads kill moments across the commit: WAL sizes from the
// first bytes to the size COMMIT leaves, and delays after "committing" up to
// beyond the time COMMIT took in the calibration run.
func killTriggers(c calibration) []trigger {
	sizes := []int64{0, 100, 240, 1000, 4096, 16384, 65536, 262144}
	for _, f := range []float64{0.1, 0.25, 0.5, 0.75, 0.9, 0.99} {
		sizes = append(sizes, int64(f*float64(c.walSize)))
	}
	sizes = append(sizes, c.walSize-64, c.walSize-8, c.walSize-1)
	slices.Sort(sizes)
	sizes = slices.Compact(sizes)
	var ts []trigger
	for _, s := range sizes {
		if s >= 0 && s < c.walSize {
			ts = append(ts, trigger{label: fmt.Sprintf("WAL > %d B", s), walOver: s})
		}
	}
	delays := []time.Duration{0, 1, 2, 5, 10, 20, 40, 80, 160}
	for i := range delays {
		delays[i] *= time.Millisecond
	}
	for _, f := range []float64{0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.5} {
		delays = append(delays, time.Duration(f*float64(c.commitTook)).Round(100*time.Microsecond))
	}
	slices.Sort(delays)
	delays = slices.Compact(delays)
	for _, d := range delays {
		ts = append(ts, trigger{label: fmt.Sprintf("%s after committing", d), walOver: -1, delay: d})
	}
	return ts
}

func (h *harness) killRuns(c calibration) ([]result, error) {
	fmt.Println("| mode | kill moment | killed | last marker | WAL at kill (B) | ms after committing | outcome | reopened state |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	var rs []result
	for _, tr := range killTriggers(c) {
		path := filepath.Join(h.dir, "run.duckdb")
		r, _, err := h.run(path, tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tr.label, err)
		}
		r.mode = "kill"
		r.st, r.err = inspect(path, h.n)
		r.outcome = r.st.outcome(h.n)
		if r.err != nil {
			r.outcome = "ERROR"
		}
		removeDB(path)
		printResult(r)
		rs = append(rs, r)
	}
	fmt.Println()
	return rs, nil
}

// walCuts reopens copies of the calibration's committed database with the
// last bytes of its WAL cut off.
func (h *harness) walCuts(c calibration) ([]result, error) {
	var cuts []int64
	for i := int64(0); i <= 64; i++ {
		cuts = append(cuts, i)
	}
	cuts = append(cuts, 96, 128, 200, 240, 256, 512, 1024, 4096, 65536, c.walSize/2, c.walSize)
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	fmt.Printf("| mode | bytes cut from the WAL's end (of %d) | outcome | reopened state |\n|---|---|---|---|\n", c.walSize)
	var rs []result
	for _, cut := range cuts {
		if cut > c.walSize {
			continue
		}
		r := result{mode: "walcut", label: fmt.Sprintf("%d", cut), killed: true}
		r.st, r.err = inspectCopy(c.db, filepath.Join(h.dir, "cut.duckdb"), c.walSize-cut, h.n)
		r.outcome = r.st.outcome(h.n)
		if r.err != nil {
			r.outcome = "ERROR"
		}
		st := r.st.String()
		if r.err != nil {
			st = r.err.Error()
		}
		fmt.Printf("| walcut | %d | %s | %s |\n", cut, r.outcome, st)
		rs = append(rs, r)
	}
	fmt.Println()
	return rs, nil
}

func printResult(r result) {
	since := "before"
	if r.sinceCommit >= 0 {
		since = fmt.Sprintf("%.1f", r.sinceCommit.Seconds()*1000)
	}
	killed := "yes"
	if !r.killed {
		killed = "no (exited)"
	}
	st := r.st.String()
	if r.err != nil {
		st = r.err.Error()
	}
	fmt.Printf("| %s | %s | %s | %s | %d | %s | %s | %s |\n", r.mode, r.label, killed, r.phase, r.walAtKill, since, r.outcome, st)
}

func printSummary(rs []result) {
	type key struct{ mode, outcome string }
	count := map[key]int{}
	modes := []string{}
	for _, r := range rs {
		if !slices.Contains(modes, r.mode) {
			modes = append(modes, r.mode)
		}
		count[key{r.mode, r.outcome}]++
	}
	fmt.Println("| mode | runs | OLD | NEW | MIXED | ERROR |\n|---|---|---|---|---|---|")
	for _, m := range modes {
		o, nw, mx, e := count[key{m, "OLD"}], count[key{m, "NEW"}], count[key{m, "MIXED"}], count[key{m, "ERROR"}]
		fmt.Printf("| %s | %d | %d | %d | %d | %d |\n", m, o+nw+mx+e, o, nw, mx, e)
	}
	bad := 0
	for k, v := range count {
		if k.outcome != "OLD" && k.outcome != "NEW" {
			bad += v
		}
	}
	fmt.Printf("\nall-or-nothing in %d of %d runs\n", len(rs)-bad, len(rs))
}

// inspectCopy copies a database (keeping walKeep bytes of its WAL; -1: all),
// reads the copy's state and removes the copy.
func inspectCopy(src, dst string, walKeep int64, n int) (state, error) {
	if err := copyDB(src, dst, walKeep); err != nil {
		return state{}, err
	}
	defer removeDB(dst)
	return inspect(dst, n)
}

// copyDB copies a database file and its WAL (the first walKeep bytes; -1: all).
func copyDB(src, dst string, walKeep int64) error {
	removeDB(dst)
	if err := copyFile(src, dst, -1); err != nil {
		return err
	}
	if _, err := os.Stat(src + ".wal"); err == nil {
		return copyFile(src+".wal", dst+".wal", walKeep)
	}
	return nil
}

func copyFile(src, dst string, keep int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	var r io.Reader = in
	if keep >= 0 {
		r = io.LimitReader(in, keep)
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func removeDB(p string) {
	os.Remove(p)
	os.Remove(p + ".wal")
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
