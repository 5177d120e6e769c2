package analytics

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// faultHelperEnv makes the test binary a child process that works on a
// database until the parent kills it: "import:DB:CSV" or "score:DB".
const faultHelperEnv = "XIAONENG_TEST_FAULT"

// TestFaultHelperProcess is not a test: run by the kill tests as a child
// process, it imports a file or scores a round again and again, saying on
// stdout where it is, until it is killed.
func TestFaultHelperProcess(t *testing.T) {
	spec := os.Getenv(faultHelperEnv)
	if spec == "" {
		t.Skip("helper process for the TestFault kill tests")
	}
	parts := strings.Split(spec, "|")
	ctx := context.Background()
	s, err := Open(ctx, Options{Path: parts[1], Threads: 2, MemoryLimit: "512MB"})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	switch parts[0] {
	case "import":
		_, err = s.ImportFile(ctx, parts[2], ImportOptions{Actor: "child", Progress: func(p ImportProgress) {
			switch p.Phase {
			case "writing":
				fmt.Println("writing")
			case "done":
				fmt.Println("committed")
			}
		}})
		fmt.Println("done", err)
	case "publish", "confirm", "backup", "restore":
		faultLoop(ctx, s, parts)
	case "sql":
		// Runs one statement as a write the process never finishes
		// cleanly: the parent kills it, which leaves the write-ahead log.
		if _, err := s.db.ExecContext(ctx, parts[2]); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ran")
		select {}
	case "score":
		for i := 0; ; i++ {
			rk, err := s.ScoreRound(ctx, "2019-B1", scoring.DefaultScheme(), "child", time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC))
			if err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			fmt.Println("scored", rk.Version)
		}
	}
	s.Close()
	os.Exit(0)
}

// startFaultHelper starts the test binary as the fault helper running spec
// and returns it with its standard output.
func startFaultHelper(t *testing.T, spec string) (*exec.Cmd, io.ReadCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), faultHelperEnv+"="+spec)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, out
}

// runUntilKilled starts the helper, waits for a stdout line starting with
// signal, waits delay more and sends SIGKILL. It returns the lines read.
func runUntilKilled(t *testing.T, spec, signal string, times int, delay time.Duration) []string {
	t.Helper()
	cmd, out := startFaultHelper(t, spec)
	var lines []string
	sc := bufio.NewScanner(out)
	seen := 0
	for seen < times && sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.HasPrefix(sc.Text(), signal) {
			seen++
		}
		if strings.HasPrefix(sc.Text(), "error") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper: %s", sc.Text())
		}
	}
	time.Sleep(delay)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Logf("kill: %v (the helper had ended)", err)
	}
	go func() { // drain, so the child never blocks on a full pipe before dying
		for sc.Scan() {
		}
	}()
	if err := cmd.Wait(); err == nil {
		t.Logf("the helper ended by itself before the kill")
	}
	return lines
}

// bigCases writes a cases CSV of n rows for the units of importBase.
func bigCases(t *testing.T, dir string, n int) string {
	t.Helper()
	p := filepath.Join(dir, "cases-big.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("case_id,unit_id,item_code,item_name,channel,received_at,completed_at,promised_days,visits,status\n")
	units := []string{"D01", "D02", "D03", "C01", "C02"}
	for i := 0; i < n; i++ {
		day := time.Date(2019, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i%300000) * time.Minute)
		fmt.Fprintf(w, "K%08d,%s,I%04d,不动产登记第%d号事项,window,%s,%s,%d,%d,completed\n",
			i, units[i%len(units)], i%997, i%997, day.Format(time.DateTime), day.Add(3*time.Hour).Format(time.DateTime), 1+i%5, i%3)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

// baseDB is a database file holding the units, groups and evaluators.
func baseDB(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "base.duckdb")
	s, err := Open(context.Background(), Options{Path: path, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	importBase(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func faultCount(t *testing.T, s *Store, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestFaultKillDuringImport kills the importing process once it is writing,
// at several moments, and reopens the file: the database opens, the file's
// rows are all in or all out, the import log and the audit log agree with
// the data, and what was there before is intact.
func TestFaultKillDuringImport(t *testing.T) {
	const rows = 300_000
	dir := t.TempDir()
	csvPath := bigCases(t, dir, rows)
	base := baseDB(t, dir)
	var outcomes []string
	for i, delay := range []time.Duration{0, 150 * time.Millisecond, 600 * time.Millisecond} {
		db := filepath.Join(dir, fmt.Sprintf("kill-%d.duckdb", i))
		copyFileTest(t, base, db)
		before := openChecksums(t, db)
		lines := runUntilKilled(t, "import|"+db+"|"+csvPath, "writing", 1, delay)
		s, err := Open(context.Background(), Options{Path: db, Threads: 2})
		if err != nil {
			t.Fatalf("after kill %d (%v): reopen: %v", i, lines, err)
		}
		n := faultCount(t, s, "SELECT count(*) FROM cases")
		logged := faultCount(t, s, "SELECT count(*) FROM import_log WHERE file = 'cases-big.csv'")
		audited := faultCount(t, s, "SELECT count(*) FROM audit_log WHERE action = 'import' AND subject = 'file:cases-big.csv'")
		switch {
		case n == 0 && logged == 0 && audited == 0:
			outcomes = append(outcomes, "out")
		case n == rows && logged == 1 && audited == 1:
			outcomes = append(outcomes, "in")
		default:
			t.Errorf("kill %d after %v: %d of %d rows, %d import log rows, %d audit entries", i, delay, n, rows, logged, audited)
		}
		after, err := s.TableChecksums(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range []string{"units", "work_groups", "evaluators", "calendar"} {
			if after[tb] != before[tb] {
				t.Errorf("kill %d: table %s changed: %s, was %s", i, tb, after[tb], before[tb])
			}
		}
		// The database works after the kill: the same file imports in full.
		if n == 0 {
			if _, err := s.ImportFile(context.Background(), csvPath, ImportOptions{}); err != nil {
				t.Errorf("kill %d: import after reopening: %v", i, err)
			} else if got := faultCount(t, s, "SELECT count(*) FROM cases"); got != rows {
				t.Errorf("kill %d: %d rows after the second import", i, got)
			}
		}
		s.Close()
	}
	t.Logf("outcomes by kill delay (0, 150 ms, 600 ms after the writing phase began): %v", outcomes)
}

func openChecksums(t *testing.T, path string) map[string]string {
	t.Helper()
	s, err := Open(context.Background(), Options{Path: path, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := s.TableChecksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func copyFileTest(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFaultKillDuringScoring kills a process that scores a round again and
// again, at several moments: every stored run is complete (one result per
// unit), the versions have no gap, each has its audit entry, and the first
// version is unchanged.
func TestFaultKillDuringScoring(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "score.duckdb")
	s, err := Open(ctx, Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	importFolder(t, s, "../fixtures/handcheck/full_round")
	first, err := s.ScoreRound(ctx, "2019-B1", scoring.DefaultScheme(), "test", time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	units := int64(len(first.Units))
	firstRows := dumpRun(t, s, 1)
	s.Close()
	if units == 0 {
		t.Fatal("the round has no units: the test proves nothing")
	}
	for i, delay := range []time.Duration{0, 3 * time.Millisecond, 11 * time.Millisecond, 29 * time.Millisecond, 53 * time.Millisecond, 97 * time.Millisecond} {
		lines := runUntilKilled(t, "score|"+db, "scored", 2, delay)
		s, err := Open(ctx, Options{Path: db, Threads: 2})
		if err != nil {
			t.Fatalf("after kill %d (%v): reopen: %v", i, lines, err)
		}
		runs := faultCount(t, s, "SELECT count(*) FROM score_runs WHERE round = '2019-B1'")
		maxV := faultCount(t, s, "SELECT max(version) FROM score_runs WHERE round = '2019-B1'")
		if runs != maxV {
			t.Errorf("kill %d: %d runs but versions up to %d", i, runs, maxV)
		}
		if bad := faultCount(t, s, `SELECT count(*) FROM (SELECT r.run_id, count(x.run_id) AS n FROM score_runs r
			LEFT JOIN score_results x USING (run_id) GROUP BY r.run_id) WHERE n <> ?`, units); bad != 0 {
			t.Errorf("kill %d: %d runs without exactly %d results", i, bad, units)
		}
		if audited := faultCount(t, s, "SELECT count(*) FROM audit_log WHERE action = 'round.compute' AND subject = 'round:2019-B1'"); audited != runs {
			t.Errorf("kill %d: %d runs, %d audit entries", i, runs, audited)
		}
		if got := dumpRun(t, s, 1); got != firstRows {
			t.Errorf("kill %d: version 1 changed", i)
		}
		t.Logf("kill %d after %v: %d complete versions (child said %v)", i, delay, runs, lines)
		s.Close()
	}
}

func dumpRun(t *testing.T, s *Store, version int) string {
	t.Helper()
	var out string
	if err := s.db.QueryRow(`SELECT string_agg(x::VARCHAR, chr(10) ORDER BY x.position) FROM score_results x
		JOIN score_runs r USING (run_id) WHERE r.round = '2019-B1' AND r.version = ?`, version).Scan(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFaultResourceLimitsDuringImport imports a large file with a small
// memory_limit and a tiny max_temp_directory_size: the import fails with a
// one-line error and nothing of it is written.
func TestFaultResourceLimitsDuringImport(t *testing.T) {
	dir := t.TempDir()
	csvPath := bigCases(t, dir, 300_000)
	// With a 1MB temp limit DuckDB 1.5 runs out of memory before it spills
	// (measured: 24, 64 and 80MB fail on memory, 96MB succeeds without
	// spilling), so this is the memory_limit case; the temp-full wording is
	// checked on DuckDB's message in TestFaultResourceMessages.
	faultResourceImport(t, dir, csvPath, "24MB", "1MB")
}

// TestFaultResourceMessages checks the one-line wording of DuckDB's
// resource errors, multi-line as DuckDB gives them.
func TestFaultResourceMessages(t *testing.T) {
	advice := "\n\nPossible solutions:\n* Reducing the number of threads (SET threads=X)\n* Increasing the memory limit (SET memory_limit='...GB')\n"
	tests := []struct{ in, want string }{
		{"Out of Memory Error: could not allocate block of size 128.0 MiB (1.3 MiB/22.8 MiB used)" + advice,
			"analytics: import c.csv: out of memory (could not allocate block of size 128.0 MiB (1.3 MiB/22.8 MiB used)); raise --memory-limit or import the data in smaller files (nothing was imported)"},
		{"Out of Memory Error: failed to offload data block of size 256.0 KiB (1.0 MiB/1.0 MiB used).\nThis limit was set by the 'max_temp_directory_size' setting." + advice,
			"analytics: import c.csv: the temporary directory is full (failed to offload data block of size 256.0 KiB (1.0 MiB/1.0 MiB used).); free disk space beside the database (its .tmp folder) and retry (nothing was imported)"},
		{"IO Error: Could not write file \"x.tmp/duckdb_temp_storage-0.tmp\": No space left on device" + advice,
			"analytics: import c.csv: the disk is full (IO Error: Could not write file \"x.tmp/duckdb_temp_storage-0.tmp\": No space left on device); free disk space beside the database (its .tmp folder) and retry (nothing was imported)"},
		{"Binder Error: column x not found", "analytics: check c.csv: Binder Error: column x not found"},
	}
	for _, tt := range tests {
		if got := checkError("c.csv", errors.New(tt.in)).Error(); got != tt.want {
			t.Errorf("\ngot  %q\nwant %q", got, tt.want)
		}
	}
}

func faultResourceImport(t *testing.T, dir, csvPath, memory, temp string) {
	ctx := context.Background()
	db := baseDB(t, dir)
	before := openChecksums(t, db)
	s, err := Open(ctx, Options{Path: db, Threads: 2, MemoryLimit: memory, MaxTempSize: temp})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.ImportFile(ctx, csvPath, ImportOptions{})
	if err == nil {
		t.Fatalf("the import succeeded within %s of memory and %s of temp space: the test proves nothing", memory, temp)
	}
	msg := err.Error()
	t.Logf("error: %s", msg)
	if strings.Contains(msg, "\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	if !strings.Contains(msg, "cases-big.csv") || !strings.Contains(msg, "nothing was imported") {
		t.Errorf("error does not name the file and say nothing was imported: %s", msg)
	}
	if !strings.Contains(msg, "memory") && !strings.Contains(msg, "temp") {
		t.Errorf("error does not say memory or temp space ran out: %s", msg)
	}
	after, err := s.TableChecksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for n, w := range before {
		if after[n] != w {
			t.Errorf("table %s changed: %s, was %s", n, after[n], w)
		}
	}
	// With the limits lifted the same database imports the file.
	s.Close()
	s2, err := Open(ctx, Options{Path: db, Threads: 2, MemoryLimit: "1GB"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.ImportFile(ctx, csvPath, ImportOptions{}); err != nil {
		t.Fatalf("import without the limits: %v", err)
	}
}

// TestFaultDamagedOrForeignDatabaseFile opens damaged copies of a real
// database and foreign files: each gives a one-line error naming the file.
func TestFaultDamagedOrForeignDatabaseFile(t *testing.T) {
	dir := t.TempDir()
	good := baseDB(t, dir)
	orig, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	tests := []struct {
		name string
		body func() []byte
		want string
	}{
		{"png", func() []byte { return png }, "is not a xiaoneng (DuckDB) database file"},
		{"text", func() []byte { return []byte("这不是数据库\n") }, "is not a xiaoneng (DuckDB) database file"},
		{"truncated_header", func() []byte { return orig[:100] }, "is damaged"},
		{"truncated_half", func() []byte { return orig[:len(orig)/2] }, "is damaged"},
		{"overwritten_headers", func() []byte {
			b := append([]byte(nil), orig...)
			for i := 4096; i < 3*4096 && i < len(b); i++ {
				b[i] = byte(i * 31)
			}
			return b
		}, "is damaged"},
		{"overwritten_blocks", func() []byte {
			b := append([]byte(nil), orig...)
			for i := 3 * 4096; i < len(b); i += 7 {
				b[i] ^= 0x5a
			}
			return b
		}, "is damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.duckdb")
			body := tt.body()
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Open(context.Background(), Options{Path: path, Threads: 1})
			if err == nil {
				// A damage DuckDB does not see on open must show on reading.
				_, err = s.TableChecksums(context.Background())
				s.Close()
				if err == nil {
					t.Fatal("a damaged database opened and read without error")
				}
				t.Logf("damage found on reading: %v", err)
				return
			}
			msg := err.Error()
			t.Logf("error: %s", msg)
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if !strings.Contains(msg, path) || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not name %s and say %q", msg, path, tt.want)
			}
		})
	}
}

// TestFaultOlderSchemaIsMigrated builds a database as the first release
// left it (migrations 001 and 002 only, with data) and opens it with the
// current program: the newer migrations apply and the data is kept.
func TestFaultOlderSchemaIsMigrated(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	oldSchemaDatabase(t, path)
	s, err := Open(ctx, Options{Path: path, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ms, _ := loadMigrations()
	if v, err := s.SchemaVersion(ctx); err != nil || v != ms[len(ms)-1].version {
		t.Errorf("schema version %d (%v), want %d", v, err, ms[len(ms)-1].version)
	}
	if n := faultCount(t, s, "SELECT count(*) FROM schema_migrations"); n != int64(len(ms)) {
		t.Errorf("%d migrations recorded, want %d", n, len(ms))
	}
	if got := faultCount(t, s, "SELECT count(*) FROM units"); got != 2 {
		t.Errorf("%d units after migrating, want 2", got)
	}
	if got := faultCount(t, s, "SELECT count(*) FROM audit_log WHERE actor = 'old'"); got != 1 {
		t.Errorf("%d old audit entries after migrating, want 1", got)
	}
	// The new tables work, and ids continue after the old ones.
	if err := s.AddUser(ctx, User{Username: "admin", DisplayName: "管理员", Role: RoleAdmin}, "password-123", "test", time.Now()); err != nil {
		t.Fatalf("add a user after migrating: %v", err)
	}
	if got := faultCount(t, s, "SELECT max(id) FROM audit_log"); got != 2 {
		t.Errorf("newest audit id %d after migrating, want 2", got)
	}
}

// oldSchemaDatabase writes at path a database of schema version 2 (as
// migrations 001 and 002 left it) with two units and one audit entry.
func oldSchemaDatabase(t testing.TB, path string) {
	t.Helper()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	c, err := duckdb.NewConnector(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer c.Close()
	defer db.Close()
	stmts := []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`}
	for _, m := range ms[:2] {
		stmts = append(stmts, m.sql, fmt.Sprintf("INSERT INTO schema_migrations (version, name) VALUES (%d, '%s')", m.version, m.name))
	}
	stmts = append(stmts,
		`INSERT INTO units (unit_id, name, kind, category) VALUES ('D01', '市财政局', 'department', '经济发展类'), ('C01', '青川区', 'county', '县(市、区)')`,
		`INSERT INTO audit_log (happened_at, actor, action, subject) VALUES (TIMESTAMP '2019-01-05 09:00:00', 'old', 'import', 'file:units.csv')`)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("old schema: %v", err)
		}
	}
}
