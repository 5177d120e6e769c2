package analytics

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// commitKillRows is over one DuckDB row group (122,880 rows), so that an
// import appends its rows optimistically (straight to the database file)
// as a large import does, which is where a commit cut short went wrong.
const commitKillRows = 130_000

// killMoment is when a child is killed: when the write-ahead log first
// reaches walBytes, or delay after it first grew at all, or (writing) delay
// after the import began to write.
type killMoment struct {
	walBytes  int64
	delay     time.Duration
	writing   bool
	committed bool // as soon as the commit has returned, before the close
}

func (m killMoment) String() string {
	switch {
	case m.walBytes > 0:
		return fmt.Sprintf("WAL ≥ %d B", m.walBytes)
	case m.writing:
		return fmt.Sprintf("%v after writing began", m.delay)
	}
	return fmt.Sprintf("%v after the WAL grew", m.delay)
}

// walWatch starts the fault helper with spec and watches db's WAL every
// 50 µs. With a moment it kills the child at that moment; without one it
// lets the import commit. It returns the largest WAL size seen, the time
// from the WAL's first growth to the commit's return, and whether it killed.
func walWatch(t *testing.T, spec, db string, m *killMoment) (maxWAL int64, commitSpan, writeSpan time.Duration, killed bool) {
	t.Helper()
	cmd, out := startFaultHelper(t, spec)
	var exited atomic.Bool
	var committedAt, writingAt atomic.Int64
	var lines []string
	drained := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			switch sc.Text() {
			case "committed":
				committedAt.Store(time.Now().UnixNano())
			case "writing":
				writingAt.Store(time.Now().UnixNano())
			}
			lines = append(lines, sc.Text())
		}
		close(drained)
	}()
	waitErr := make(chan error, 1)
	go func() {
		<-drained
		waitErr <- cmd.Wait()
		exited.Store(true)
	}()
	var grew time.Time
	deadline := time.Now().Add(2 * time.Minute)
	for !exited.Load() && time.Now().Before(deadline) {
		// Without a moment, the loop ends after the first look at the WAL
		// once the commit has returned (the log stays until the close).
		done := m == nil && committedAt.Load() != 0
		var size int64
		if fi, err := os.Stat(db + ".wal"); err == nil {
			size = fi.Size()
		}
		if size > maxWAL {
			maxWAL = size
		}
		if size > 0 && grew.IsZero() {
			grew = time.Now()
		}
		if done {
			break
		}
		if m != nil && (m.committed && committedAt.Load() != 0 || !m.committed && m.due(size, grew, writingAt.Load())) {
			if cmd.Process.Signal(syscall.SIGKILL) == nil {
				killed = true
			}
			break
		}
		time.Sleep(50 * time.Microsecond)
	}
	if err := <-waitErr; err != nil && !killed {
		t.Fatalf("fault helper: %v; output %v", err, lines)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "error") || strings.HasPrefix(l, "done") && !strings.HasSuffix(l, "<nil>") {
			t.Fatalf("fault helper: %s", l)
		}
	}
	if c := committedAt.Load(); c != 0 && !grew.IsZero() {
		commitSpan = max(time.Unix(0, c).Sub(grew), 0)
		writeSpan = grew.Sub(time.Unix(0, writingAt.Load()))
	}
	return maxWAL, commitSpan, writeSpan, killed
}

// due tells whether the moment has come, given the WAL's size, when it
// first grew (zero: not yet) and when writing began (0: not yet).
func (m killMoment) due(size int64, grew time.Time, writing int64) bool {
	switch {
	case m.writing:
		return writing != 0 && time.Since(time.Unix(0, writing)) >= m.delay
	case grew.IsZero():
		return false
	case m.walBytes > 0:
		return size >= m.walBytes
	}
	return time.Since(grew) >= m.delay
}

// commitMoments spreads n kill moments over the commit that a calibration
// run saw: half by WAL size from the first bytes to the largest size, half
// by time from the WAL's first growth to the commit's return; and adds four
// during the writing before the commit, where the outcome must be "before".
func commitMoments(maxWAL int64, span, write time.Duration, n int) []killMoment {
	var ms []killMoment
	for i := 0; i < 4; i++ {
		ms = append(ms, killMoment{writing: true, delay: write * time.Duration(i) / 5})
	}
	half := n / 2
	for i := 0; i < half; i++ {
		b := 1 + maxWAL*int64(i)/int64(half)
		ms = append(ms, killMoment{walBytes: max(b, 1)})
	}
	for i := 0; i < n-half; i++ {
		ms = append(ms, killMoment{delay: span * time.Duration(i) / time.Duration(n-half-1)})
	}
	return ms
}

// casesWithNames writes a cases CSV like bigCases whose item names end in
// suffix, so that a second file with another suffix changes every row.
func casesWithNames(t *testing.T, dir, suffix string, n int) string {
	t.Helper()
	src := bigCases(t, dir, n)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "cases-"+suffix+".csv")
	out := strings.ReplaceAll(string(b), "号事项,", "号事项"+suffix+",")
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// commitKillBases writes the two cases files of the commit kill tests
// (commitKillRows rows each, the same keys, every item name changed) and
// two databases: fresh (units, groups, evaluators) and replacing (fresh
// with the first file imported). It returns them and the second file.
func commitKillBases(t *testing.T, dir string) (fresh, replacing, newCSV string) {
	t.Helper()
	oldCSV := casesWithNames(t, dir, "甲", commitKillRows)
	newCSV = casesWithNames(t, dir, "乙", commitKillRows)
	fresh = baseDB(t, dir)
	replacing = filepath.Join(dir, "replacing.duckdb")
	copyFileTest(t, fresh, replacing)
	s, err := Open(context.Background(), Options{Path: replacing, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportFile(context.Background(), oldCSV, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return fresh, replacing, newCSV
}

// commitState is what the kill test reads back: rows, distinct keys, rows
// carrying the new file's names, import-log and audit entries of the file.
type commitState struct{ rows, keys, renamed, logged, audited int64 }

func readCommitState(t *testing.T, db, file, suffix string) commitState {
	t.Helper()
	s, err := Open(context.Background(), Options{Path: db, Threads: 2, AllowInconsistent: true})
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer s.Close()
	if rep, err := s.CheckIntegrity(context.Background()); err != nil || !rep.OK() {
		t.Errorf("integrity after the kill: %v %s", err, rep.Summary())
	}
	return commitState{
		rows:    faultCount(t, s, "SELECT count(*) FROM cases"),
		keys:    faultCount(t, s, "SELECT count(DISTINCT case_id) FROM cases"),
		renamed: faultCount(t, s, "SELECT count(*) FROM cases WHERE ends_with(item_name, ?)", suffix),
		logged:  faultCount(t, s, "SELECT count(*) FROM import_log WHERE file = ?", file),
		audited: faultCount(t, s, "SELECT count(*) FROM audit_log WHERE action = 'import' AND subject = ?", "file:"+file),
	}
}

// TestFaultKillInsideImportCommit kills an importing process at 20 moments
// spread across its commit — by the size of the write-ahead log and by the
// time since it began to grow, as a calibration run measured them — and at
// 4 during the writing before it, for a
// fresh import and for one that replaces every stored row. After each kill
// the database opens (its integrity check finds nothing) and holds either
// the state before the import or the state after it, never a mixture.
func TestFaultKillInsideImportCommit(t *testing.T) {
	const n = commitKillRows
	dir := t.TempDir()
	fresh, replacing, newCSV := commitKillBases(t, dir)

	file := filepath.Base(newCSV)
	modes := []struct {
		name   string
		base   string
		before commitState
	}{
		{"fresh", fresh, commitState{}},
		{"replacing", replacing, commitState{rows: n, keys: n}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			after := commitState{rows: n, keys: n, renamed: n, logged: 1, audited: 1}
			cal := filepath.Join(dir, mode.name+"-calibrate.duckdb")
			copyFileTest(t, mode.base, cal)
			maxWAL, span, write, _ := walWatch(t, "import|"+cal+"|"+newCSV, cal, nil)
			if got := readCommitState(t, cal, file, "乙"); got != after {
				t.Fatalf("an import left to finish: %+v, want %+v", got, after)
			}
			if maxWAL == 0 {
				t.Fatal("the calibration run never saw a write-ahead log")
			}
			outcomes := map[string]int{}
			for i, m := range commitMoments(maxWAL, span, write, 20) {
				db := filepath.Join(dir, fmt.Sprintf("%s-%02d.duckdb", mode.name, i))
				copyFileTest(t, mode.base, db)
				_, _, _, killed := walWatch(t, "import|"+db+"|"+newCSV, db, &m)
				got := readCommitState(t, db, file, "乙")
				switch got {
				case mode.before:
					outcomes["before"]++
				case after:
					outcomes["after"]++
				default:
					t.Errorf("killed at %v (killed: %v): %+v; want all of %+v or all of %+v", m, killed, got, mode.before, after)
				}
				os.Remove(db)
				os.Remove(db + ".wal")
			}
			t.Logf("calibration: writing %v before the WAL grew, then WAL up to %d B in %v to the commit's return; outcomes of 24 kills: %v", write, maxWAL, span, outcomes)
		})
	}
}

// TestFaultCutWALOfReplacingImport commits a replacing import and kills the
// process before it closes the database, so the whole commit is still in
// the write-ahead log; then it reopens copies of the database whose log
// lost its last 1 … 32 bytes (and larger parts), as a write cut short by a
// power failure leaves it. Each copy opens with its integrity check finding
// nothing and holds the state before the import; the uncut log gives the
// state after. (DuckDB 1.5.6 recovered logs cut by 1–21 bytes with the old
// and the new rows both present.)
func TestFaultCutWALOfReplacingImport(t *testing.T) {
	const n = commitKillRows
	dir := t.TempDir()
	_, db, newCSV := commitKillBases(t, dir)
	_, _, _, killed := walWatch(t, "import|"+db+"|"+newCSV, db, &killMoment{committed: true})
	wal, err := os.ReadFile(db + ".wal")
	if err != nil || !killed {
		t.Fatalf("no write-ahead log left by the killed import (killed: %v): %v", killed, err)
	}
	file := filepath.Base(newCSV)
	before := commitState{rows: n, keys: n}
	after := commitState{rows: n, keys: n, renamed: n, logged: 1, audited: 1}
	cuts := []int{0}
	for c := 1; c <= 32; c++ {
		cuts = append(cuts, c)
	}
	cuts = append(cuts, 64, 256, 4096, len(wal)/2, len(wal)-1)
	outcomes := map[string]int{}
	for _, c := range cuts {
		cp := filepath.Join(dir, fmt.Sprintf("cut-%d.duckdb", c))
		copyFileTest(t, db, cp)
		if err := os.WriteFile(cp+".wal", wal[:len(wal)-c], 0o644); err != nil {
			t.Fatal(err)
		}
		got := readCommitState(t, cp, file, "乙")
		switch {
		case got == after && c == 0:
			outcomes["after"]++
		case got == before && c > 0:
			outcomes["before"]++
		default:
			t.Errorf("the log cut by %d of its %d bytes: %+v; want all of %+v (uncut: %+v)", c, len(wal), got, before, after)
		}
		os.Remove(cp)
		os.Remove(cp + ".wal")
	}
	t.Logf("WAL of %d bytes cut %d ways: %v", len(wal), len(cuts), outcomes)
}
