// Command commitkill checks whether a DuckDB commit that deletes every row of
// a table, bulk-inserts as many new rows and adds a log row is all-or-nothing
// when the process dies inside the commit, or when the tail of the WAL it
// wrote is lost. It uses nothing but the standard library and the DuckDB
// driver, so the same file builds against any duckdb-go/v2 release.
//
// The parent builds a base database (table t with -n keys 0…n-1, an empty
// table log), then for every kill moment copies it, runs this program again
// in child mode, SIGKILLs the child at that moment, reopens the copy and
// classifies what it holds:
//
//	OLD    n rows, all old keys, no log row (the commit did not happen)
//	NEW    n rows, all new keys, one log row (the commit happened whole)
//	MIXED  anything else (for instance 2n rows, or new rows without the log row)
//	ERROR  the copy does not open
//
// Kill moments are chosen by WAL size (the parent polls <db>.wal every ~100 µs
// and kills when it first exceeds a threshold) and by delays after the child
// prints "committing" right before COMMIT. In the WAL-cut mode the child
// commits and waits (so the WAL is not checkpointed into the database file);
// it is killed, and copies of the database with the last 1…64 (and some more)
// bytes of the WAL cut off are reopened and classified.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	child := flag.Bool("child", false, "internal: run the committing transaction on -db")
	hold := flag.Bool("hold", false, "internal, with -child: after COMMIT returns, print \"committed\" and wait to be killed (no close, no checkpoint)")
	db := flag.String("db", "", "internal, with -child: the database file")
	n := flag.Int("n", 1_000_000, "keys in t before and after the transaction")
	dir := flag.String("dir", "", "scratch folder (default a new temporary one, removed at the end)")
	mode := flag.String("mode", "kill,walcut", "what to run: kill, walcut or both, comma-separated")
	noOptimistic := flag.Bool("no-optimistic-write", false, "SET enable_optimistic_write = false in the child before the transaction")
	flag.Parse()
	if *child {
		if err := runChild(*db, *n, *hold, *noOptimistic); err != nil {
			fmt.Fprintln(os.Stderr, "commitkill child:", err)
			os.Exit(1)
		}
		return
	}
	if err := runParent(*dir, *n, *mode, *noOptimistic); err != nil {
		fmt.Fprintln(os.Stderr, "commitkill:", err)
		os.Exit(1)
	}
}

func runParent(dir string, n int, mode string, noOptimistic bool) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "commitkill-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	h := &harness{self: self, dir: dir, n: n, noOptimistic: noOptimistic, base: filepath.Join(dir, "base.duckdb")}
	version, err := makeBase(h.base, n)
	if err != nil {
		return fmt.Errorf("base database: %w", err)
	}
	fmt.Printf("DuckDB %s; n = %d; enable_optimistic_write = %v\n", version, n, !noOptimistic)
	cal, err := h.calibrate()
	if err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	fmt.Printf("calibration (child commits, not killed): WAL %d bytes after COMMIT, COMMIT took %s, outcome %s\n\n",
		cal.walSize, cal.commitTook, cal.outcome)
	var all []result
	for _, m := range splitList(mode) {
		var rs []result
		switch m {
		case "kill":
			rs, err = h.killRuns(cal)
		case "walcut":
			rs, err = h.walCuts(cal)
		default:
			err = fmt.Errorf("unknown mode %q", m)
		}
		if err != nil {
			return err
		}
		all = append(all, rs...)
	}
	printSummary(all)
	return nil
}
