package analytics

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// uncleanWrite runs stmt on db in a child process that is then killed, as a
// crash would stop it: the write is committed to the write-ahead log, the
// database is never closed, and the next open finds the log.
func uncleanWrite(t *testing.T, db, stmt string) {
	t.Helper()
	runUntilKilled(t, "sql|"+db+"|"+stmt, "ran", 1, 0)
	if !walPresent(db) {
		t.Fatal("the killed child left no write-ahead log")
	}
}

// smallCasesDB is a database with the base units and a 1,000-row cases
// import, closed cleanly, and the checksums of its tables.
func smallCasesDB(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	db := baseDB(t, dir)
	s, err := Open(context.Background(), Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportFile(context.Background(), bigCases(t, dir, 1000), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sums, err := s.TableChecksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return db, sums
}

// TestIntegrityHalfAppliedImportIsRefusedThenRepaired leaves the database
// as DuckDB 1.5.6 left it after a kill inside a replacing import's commit —
// the new rows appended under an import id the import log never received,
// the old rows not deleted — and checks that every open refuses it with one
// Chinese line, that the check names what is wrong, and that the repair
// (audited) restores exactly the tables of the last logged import.
func TestIntegrityHalfAppliedImportIsRefusedThenRepaired(t *testing.T) {
	ctx := context.Background()
	db, before := smallCasesDB(t)
	uncleanWrite(t, db, `INSERT INTO cases SELECT * REPLACE (concat(item_name, '(更正)') AS item_name, 999 AS import_id) FROM cases`)

	for i := 0; i < 2; i++ { // the finding outlives the log: the second open refuses too
		_, err := Open(ctx, Options{Path: db, Threads: 2})
		var ie *IntegrityError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInconsistent) {
			t.Fatalf("open %d: got %v, want an IntegrityError", i+1, err)
		}
		msg := err.Error()
		for _, want := range []string{"cases 表有 1000 行来自未完成的导入", "cases 表有 1000 行主键(case_id)重复", "xiaoneng check --repair"} {
			if !strings.Contains(msg, want) {
				t.Errorf("open %d: %q does not say %q", i+1, msg, want)
			}
		}
		if strings.Contains(msg, "\n") {
			t.Errorf("open %d: the message is not one line: %q", i+1, msg)
		}
	}

	s, err := Open(ctx, Options{Path: db, Threads: 2, AllowInconsistent: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.CheckIntegrity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 2 || rep.Findings[0].Kind != FindOrphanRows || rep.Findings[1].Kind != FindDuplicateKeys ||
		rep.Findings[0].Count != 1000 || rep.Findings[1].Count != 1000 || !rep.Findings[1].Repairable {
		t.Fatalf("findings %+v", rep.Findings)
	}
	res, err := s.RepairIntegrity(ctx, "admin", time.Date(2019, 7, 1, 9, 0, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	if !res.After.OK() || res.Deleted["cases"] != 1000 || len(res.Deleted) != 1 {
		t.Fatalf("repair: %+v", res)
	}
	after, err := s.TableChecksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for tb, sum := range before {
		if tb != "audit_log" && after[tb] != sum { // the audit log gains the repair's entry
			t.Errorf("table %s after the repair: %s, want %s as before the crash", tb, after[tb], sum)
		}
	}
	if n := faultCount(t, s, "SELECT count(*) FROM audit_log WHERE action = 'integrity.repair' AND actor = 'admin' AND json_extract(new_value, '$.deleted.cases')::BIGINT = 1000"); n != 1 {
		t.Errorf("%d integrity.repair audit entries, want 1", n)
	}
	if st, _ := s.IntegrityState(ctx); st != "" {
		t.Errorf("state after the repair: %q", st)
	}
	s.Close()
	s2, err := Open(ctx, Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatalf("open after the repair: %v", err)
	}
	s2.Close()
}

// TestIntegrityLogsAndResults breaks the import log against the audit log
// and the results against their runs, each as an interrupted write could:
// the check finds each, the repair fixes each without inventing an import,
// and the audit log keeps every entry it had.
func TestIntegrityLogsAndResults(t *testing.T) {
	ctx := context.Background()
	db, _ := smallCasesDB(t)
	uncleanWrite(t, db, `DELETE FROM audit_log WHERE action = 'import' AND subject = 'file:cases-big.csv';
		INSERT INTO audit_log (happened_at, actor, action, subject, new_value) VALUES (TIMESTAMP '2019-07-01 10:00:00', 'x', 'import', 'file:ghost.csv', '{"status":"imported"}');
		INSERT INTO score_results VALUES (4242, 1, 'D01', '{}');
		INSERT INTO score_runs (round, version, scheme, scheme_hash, inputs_fingerprint, seed, robust_runs, computed_at, actor)
			VALUES ('2019-B1', 1, '{}', 'h', 'f', 1, 0, TIMESTAMP '2019-03-01 00:00:00', 'x')`)
	s, err := Open(ctx, Options{Path: db, Threads: 2, AllowInconsistent: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.CheckIntegrity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, f := range rep.Findings {
		kinds = append(kinds, f.Kind)
	}
	if got, want := strings.Join(kinds, ","), "import_no_audit,audit_no_import,results_no_run,run_no_results"; got != want {
		t.Fatalf("findings %s, want %s (%s)", got, want, rep.Summary())
	}
	entries := faultCount(t, s, "SELECT count(*) FROM audit_log")
	res, err := s.RepairIntegrity(ctx, "admin", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !res.After.OK() || res.Deleted["score_results"] != 1 || res.Deleted["score_runs"] != 1 || res.Audited != 2 {
		t.Fatalf("repair: %+v", res)
	}
	// Two entries answer the two mismatches, one records the repair; none went.
	if got := faultCount(t, s, "SELECT count(*) FROM audit_log"); got != entries+3 {
		t.Errorf("%d audit entries after the repair, want %d", got, entries+3)
	}
	if got := faultCount(t, s, "SELECT count(*) FROM import_log"); got != 4 {
		t.Errorf("%d import log entries after the repair, want the 4 real imports", got)
	}
}

// TestIntegrityDuplicatesOfLoggedImportsStayRefused: keys stored twice by
// imports the log holds cannot be repaired without guessing which row is
// right, so the repair deletes nothing and the database stays refused.
func TestIntegrityDuplicatesOfLoggedImportsStayRefused(t *testing.T) {
	ctx := context.Background()
	db, _ := smallCasesDB(t)
	uncleanWrite(t, db, `INSERT INTO cases SELECT * FROM cases WHERE case_id = 'K00000007'`)
	s, err := Open(ctx, Options{Path: db, Threads: 2, AllowInconsistent: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.RepairIntegrity(ctx, "admin", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deleted) != 0 || len(res.After.Findings) != 1 || res.After.Findings[0].Kind != FindDuplicateKeys || res.After.Findings[0].Repairable {
		t.Fatalf("repair: %+v", res)
	}
	s.Close()
	if _, err := Open(ctx, Options{Path: db, Threads: 2}); !errors.Is(err, ErrInconsistent) {
		t.Fatalf("open after the repair: %v, want refused", err)
	}
}

// TestIntegrityCleanCloseSkipsTheCheck: a database closed cleanly has no
// write-ahead log, so opening it runs no check (and a problem written
// while it was open and then closed cleanly is found by `check` only).
func TestIntegrityCleanCloseSkipsTheCheck(t *testing.T) {
	ctx := context.Background()
	db, _ := smallCasesDB(t)
	if walPresent(db) {
		t.Fatal("a cleanly closed database left a write-ahead log")
	}
	if walPresent(filepath.Join(t.TempDir(), "missing.duckdb")) || walPresent(":memory:") {
		t.Fatal("walPresent for no file")
	}
	s, err := Open(ctx, Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.CheckIntegrity(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("check of a clean database: %v %s", err, rep.Summary())
	}
}

// TestIntegrityRepairKeepsTheLastLoggedImport leaves the database as
// DuckDB 1.5.6 recovered a replacing import whose log was cut by a few
// bytes: the new rows and the import-log entry came back, the deletes of
// the old rows did not. The repair keeps, of each key, the row of the last
// logged import and deletes the older copy, audited; what remains is the
// import applied in full.
func TestIntegrityRepairKeepsTheLastLoggedImport(t *testing.T) {
	ctx := context.Background()
	db, _ := smallCasesDB(t)
	uncleanWrite(t, db, `INSERT INTO import_log (id, file, kind, sha256, rows_new, rows_replaced, rows_unchanged, actor, imported_at)
			VALUES (nextval('import_log_id'), 'cases-new.csv', 'cases', 'x', 0, 1000, 0, 'test', TIMESTAMP '2019-07-01 10:00:00');
		INSERT INTO audit_log (happened_at, actor, action, subject, new_value)
			VALUES (TIMESTAMP '2019-07-01 10:00:00', 'test', 'import', 'file:cases-new.csv', '{"status":"imported"}');
		INSERT INTO cases SELECT * REPLACE (concat(item_name, '(更正)') AS item_name, (SELECT max(id) FROM import_log) AS import_id) FROM cases`)
	if _, err := Open(ctx, Options{Path: db, Threads: 2}); !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), "cases 表有 1000 行主键(case_id)重复") {
		t.Fatalf("open: %v", err)
	}
	s, err := Open(ctx, Options{Path: db, Threads: 2, AllowInconsistent: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.CheckIntegrity(ctx)
	if err != nil || len(rep.Findings) != 1 || !rep.Findings[0].Repairable {
		t.Fatalf("check: %v %+v", err, rep.Findings)
	}
	res, err := s.RepairIntegrity(ctx, "admin", time.Now())
	if err != nil || !res.After.OK() || res.Deleted["cases"] != 1000 {
		t.Fatalf("repair: %v %+v", err, res)
	}
	if n := faultCount(t, s, "SELECT count(*) FROM cases WHERE ends_with(item_name, '(更正)')"); n != 1000 {
		t.Errorf("%d rows of the last logged import kept, want 1000", n)
	}
	if n := faultCount(t, s, "SELECT count(*) FROM cases"); n != 1000 {
		t.Errorf("%d rows after the repair, want 1000", n)
	}
}
