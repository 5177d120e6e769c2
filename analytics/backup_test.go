package analytics_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scoring"
)

var (
	cityOnce sync.Once
	cityDB   string // the scored sample city, built once; tests copy it
	cityData string // its input files
	cityErr  error
)

var cityAt = time.Date(2020, 1, 10, 9, 0, 0, 0, time.UTC)

// scoredCity builds the small sample city once: every file imported, rounds
// 2019-B1 (twice, so two versions) and 2019-B2 scored, B1 published, one
// account; audit and import logs filled by those actions.
func scoredCity(t *testing.T) (db, data string) {
	t.Helper()
	cityOnce.Do(func() {
		ctx := context.Background()
		// The city outlives each test (there is no TestMain to remove it):
		// remove those of earlier runs.
		old, _ := filepath.Glob(filepath.Join(os.TempDir(), "xiaoneng-backup-*"))
		for _, o := range old {
			if fi, err := os.Stat(o); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.RemoveAll(o)
			}
		}
		dir, err := os.MkdirTemp("", "xiaoneng-backup-")
		if err != nil {
			cityErr = err
			return
		}
		cityData = filepath.Join(dir, "city")
		if _, cityErr = fixtures.Generate(fixtures.Options{Scale: fixtures.Small, Out: cityData}); cityErr != nil {
			return
		}
		cityDB = filepath.Join(dir, "city.duckdb")
		st, err := analytics.Open(ctx, analytics.Options{Path: cityDB, Threads: 2, MemoryLimit: "1GB"})
		if err != nil {
			cityErr = err
			return
		}
		defer st.Close()
		files, _, err := analytics.ExpandPaths([]string{cityData}, "")
		if err != nil {
			cityErr = err
			return
		}
		for _, f := range files {
			if _, err := st.ImportFile(ctx, f, analytics.ImportOptions{Actor: "test"}); err != nil {
				cityErr = err
				return
			}
		}
		for _, r := range []string{"2019-B1", "2019-B1", "2019-B2"} {
			if _, err := st.ScoreRound(ctx, r, scoring.DefaultScheme(), "test", cityAt); err != nil {
				cityErr = err
				return
			}
		}
		if _, err := st.Publish(ctx, "2019-B1", analytics.PublishOptions{Reason: "sample city: few complaints per department"}, "test", cityAt); err != nil {
			cityErr = err
			return
		}
		cityErr = st.AddUser(ctx, analytics.User{Username: "admin", DisplayName: "管理员", Role: analytics.RoleAdmin}, "password-123", "test", cityAt)
	})
	if cityErr != nil {
		t.Fatalf("sample city: %v", cityErr)
	}
	return cityDB, cityData
}

// copyCity gives the test its own copy of the sample city database.
func copyCity(t *testing.T) string {
	t.Helper()
	src, _ := scoredCity(t)
	dst := filepath.Join(t.TempDir(), "x.duckdb")
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

func openAt(t *testing.T, path string) *analytics.Store {
	t.Helper()
	st, err := analytics.Open(context.Background(), analytics.Options{Path: path, Threads: 2, MemoryLimit: "1GB"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// dumpTables renders every table as its rows in text, sorted: two databases
// with equal dumps hold the same data, value for value.
func dumpTables(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		var s sql.NullString
		q := fmt.Sprintf(`SELECT string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR) FROM "%s" t`, n)
		if err := db.QueryRowContext(ctx, q).Scan(&s); err != nil {
			t.Fatalf("dump %s: %v", n, err)
		}
		out[n] = s.String
	}
	return out
}

// storedResults returns every stored score result JSON, by run and position.
func storedResults(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT r.round, r.version, s::VARCHAR FROM score_results s JOIN score_runs r USING (run_id)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var round, row string
		var v int
		if err := rows.Scan(&round, &v, &row); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%s v%d %s", round, v, row[:min(len(row), 40)])] = row
	}
	return out
}

func compareDumps(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d tables, want %d", what, len(got), len(want))
	}
	for n, w := range want {
		g, ok := got[n]
		if !ok {
			t.Errorf("%s: table %s missing", what, n)
			continue
		}
		if g != w {
			t.Errorf("%s: table %s differs (%d bytes, want %d)", what, n, len(g), len(w))
		}
	}
}

func TestBackupRestoreIsIdentical(t *testing.T) {
	ctx := context.Background()
	src := openAt(t, copyCity(t))
	want := dumpTables(t, src.DB())
	wantSums, err := src.TableChecksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantResults := storedResults(t, src.DB())
	if len(wantResults) == 0 || want["score_results"] == "" || want["audit_log"] == "" || want["cases"] == "" {
		t.Fatal("the sample city has no scores, audit entries or cases: the comparison would prove nothing")
	}
	var wantRankings []string
	for _, r := range []string{"2019-B1", "2019-B2"} {
		rk, err := src.Ranking(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rk)
		wantRankings = append(wantRankings, string(b))
	}

	dir := filepath.Join(t.TempDir(), "backup")
	m, err := src.Backup(ctx, dir, analytics.BackupOptions{Actor: "tester", Now: func() time.Time { return cityAt }})
	if err != nil {
		t.Fatal(err)
	}
	if m.Actor != "tester" || !m.CreatedAt.Equal(cityAt) || m.Format != analytics.BackupFormat {
		t.Errorf("manifest header %+v", m)
	}
	if v, _ := src.SchemaVersion(ctx); m.SchemaVersion != v {
		t.Errorf("manifest schema version %d, database %d", m.SchemaVersion, v)
	}
	for _, tb := range m.Tables {
		if wantSums[tb.Name] != tb.Checksum {
			t.Errorf("manifest checksum of %s %s, database %s", tb.Name, tb.Checksum, wantSums[tb.Name])
		}
	}
	if len(m.Tables) != len(wantSums) {
		t.Errorf("manifest lists %d tables, the database has %d", len(m.Tables), len(wantSums))
	}
	// The backup is audited, after (and so outside) the snapshot.
	entries, err := src.AuditLog(ctx, analytics.AuditFilter{ActionPrefix: "backup", Limit: 5})
	if err != nil || len(entries) != 1 || entries[0].Actor != "tester" || entries[0].Subject != "backup:backup" {
		t.Errorf("audit of the backup: %+v (%v)", entries, err)
	}

	newDB := filepath.Join(t.TempDir(), "restored.duckdb")
	if _, err := analytics.Restore(ctx, dir, analytics.Options{Path: newDB, Threads: 2, MemoryLimit: "1GB"}); err != nil {
		t.Fatal(err)
	}
	dst := openAt(t, newDB)
	compareDumps(t, "restored", dumpTables(t, dst.DB()), want)
	gotSums, err := dst.TableChecksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for n, w := range wantSums {
		if gotSums[n] != w {
			t.Errorf("restored checksum of %s %s, want %s", n, gotSums[n], w)
		}
	}
	gotResults := storedResults(t, dst.DB())
	if len(gotResults) != len(wantResults) {
		t.Errorf("%d stored results restored, want %d", len(gotResults), len(wantResults))
	}
	for k, w := range wantResults {
		if gotResults[k] != w {
			t.Errorf("stored result %s differs", k)
		}
	}
	for i, r := range []string{"2019-B1", "2019-B2"} {
		rk, err := dst.Ranking(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(rk); string(b) != wantRankings[i] {
			t.Errorf("ranking %s differs after restore", r)
		}
	}

	// The sequences continue after the restored ids: a new audit entry, a
	// new score run and a new import get fresh ids, never a collision.
	var maxAudit, maxRun, maxImport int64
	db := dst.DB()
	db.QueryRow("SELECT max(id) FROM audit_log").Scan(&maxAudit)
	db.QueryRow("SELECT max(run_id) FROM score_runs").Scan(&maxRun)
	db.QueryRow("SELECT max(id) FROM import_log").Scan(&maxImport)
	if err := dst.Audit(ctx, cityAt, "tester", "test.after_restore", "x", nil, nil); err != nil {
		t.Fatalf("audit after restore: %v", err)
	}
	rk, err := dst.ScoreRound(ctx, "2019-B1", scoring.DefaultScheme(), "tester", cityAt)
	if err != nil {
		t.Fatalf("score after restore: %v", err)
	}
	if rk.Version != 3 {
		t.Errorf("the next version of 2019-B1 after restore is %d, want 3", rk.Version)
	}
	var newAudit, newRun int64
	db.QueryRow("SELECT min(id) FROM audit_log WHERE id > ?", maxAudit).Scan(&newAudit)
	db.QueryRow("SELECT max(run_id) FROM score_runs").Scan(&newRun)
	if newAudit != maxAudit+1 || newRun != maxRun+1 {
		t.Errorf("after restore: new audit id %d (max was %d), new run id %d (max was %d)", newAudit, maxAudit, newRun, maxRun)
	}
	_, data := scoredCity(t)
	if _, err := dst.ImportFile(ctx, filepath.Join(data, "work_groups.csv"), analytics.ImportOptions{Actor: "tester"}); err != nil {
		t.Fatalf("import after restore: %v", err)
	}
	var newImport int64
	db.QueryRow("SELECT max(id) FROM import_log").Scan(&newImport)
	if newImport != maxImport+1 {
		t.Errorf("new import id %d, max was %d", newImport, maxImport)
	}
}

func TestBackupRefusals(t *testing.T) {
	ctx := context.Background()
	src := openAt(t, copyCity(t))
	dir := filepath.Join(t.TempDir(), "b")
	if _, err := src.Backup(ctx, dir, analytics.BackupOptions{Actor: "tester"}); err != nil {
		t.Fatal(err)
	}
	// A non-empty folder is refused, and left as it was.
	if _, err := src.Backup(ctx, dir, analytics.BackupOptions{}); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("backup into a used folder: %v", err)
	}
	if _, err := analytics.ReadBackupManifest(dir); err != nil {
		t.Errorf("the refused second backup damaged the first: %v", err)
	}
	// Restoring over an existing file is refused and leaves it alone.
	existing := filepath.Join(t.TempDir(), "existing.duckdb")
	os.WriteFile(existing, []byte("keep"), 0o644)
	if _, err := analytics.Restore(ctx, dir, analytics.Options{Path: existing}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("restore over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Error("restore changed the existing file")
	}
}

// copyDir copies a backup folder so each tampering starts from a good one.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRefusesTamperedBackup(t *testing.T) {
	ctx := context.Background()
	src := openAt(t, copyCity(t))
	good := filepath.Join(t.TempDir(), "good")
	if _, err := src.Backup(ctx, good, analytics.BackupOptions{Actor: "tester"}); err != nil {
		t.Fatal(err)
	}
	flip := func(name string) func(dir string) {
		return func(dir string) {
			p := filepath.Join(dir, name)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 0x01
			os.WriteFile(p, b, 0o644)
		}
	}
	tests := []struct {
		name   string
		tamper func(dir string)
		want   string
	}{
		{"flipped_bit_in_scores", flip("score_results.parquet"), "analytics: backup %s: score_results.parquet has changed since the backup"},
		{"edited_load_script", func(dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, "load.sql"), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("DELETE FROM units;\n")
			f.Close()
		}, "analytics: backup %s: load.sql has changed since the backup"},
		{"missing_table_file", func(dir string) { os.Remove(filepath.Join(dir, "cases.parquet")) }, "analytics: backup %s: cases.parquet is missing; nothing was restored"},
		{"missing_manifest", func(dir string) { os.Remove(filepath.Join(dir, analytics.ManifestName)) }, "analytics: %s is not a xiaoneng backup (no manifest.json"},
		{"forged_checksum", func(dir string) {
			// A manifest edited to match edited data: every file hash
			// matches, but the table checksum of the restored data does not.
			m, _ := analytics.ReadBackupManifest(dir)
			for i := range m.Tables {
				if m.Tables[i].Name == "units" {
					m.Tables[i].Checksum = "1:1"
				}
			}
			b, _ := json.Marshal(m)
			os.WriteFile(filepath.Join(dir, analytics.ManifestName), b, 0o644)
		}, "analytics: restore %s: table units restored with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "b")
			copyDir(t, good, dir)
			tt.tamper(dir)
			target := filepath.Join(t.TempDir(), "new.duckdb")
			_, err := analytics.Restore(ctx, dir, analytics.Options{Path: target, Threads: 2})
			if err == nil {
				t.Fatal("restore of a tampered backup succeeded")
			}
			if want := fmt.Sprintf(tt.want, dir); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error:\ngot  %s\nwant %s…", err, want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			ents, _ := os.ReadDir(filepath.Dir(target))
			for _, e := range ents {
				t.Errorf("the refused restore left %s behind", e.Name())
			}
		})
	}
}

// TestBackupWhileWritingIsConsistent backs up while another goroutine keeps
// importing and auditing: the backup holds each write entirely or not at
// all, its manifest checksums are those of the restored data, and the
// writes that committed during the backup are not in it.
func TestBackupWhileWritingIsConsistent(t *testing.T) {
	ctx := context.Background()
	st := openAt(t, copyCity(t))
	_, data := scoredCity(t)
	var before int64
	st.DB().QueryRow("SELECT count(*) FROM import_log").Scan(&before)

	var done atomic.Bool
	var writes atomic.Int64
	started := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		defer close(errc)
		for i := 0; !done.Load(); i++ {
			// Each import writes data, its import_log row and its audit
			// entry in one transaction.
			if _, err := st.ImportFile(ctx, filepath.Join(data, "work_groups.csv"), analytics.ImportOptions{Actor: "writer", Name: fmt.Sprintf("work_groups-%d.csv", i), Kind: "work_groups"}); err != nil {
				errc <- err
				return
			}
			if err := st.Audit(ctx, cityAt, "writer", "test.write", fmt.Sprint(i), nil, map[string]int{"i": i}); err != nil {
				errc <- err
				return
			}
			if writes.Add(1) == 1 {
				close(started)
			}
		}
	}()
	select {
	case <-started:
	case err := <-errc:
		t.Fatalf("writer: %v", err)
	}
	// A backup is quick; one that happens to see no write commit meanwhile
	// proves nothing, so it is taken again (a few times at most).
	var dir string
	var m analytics.BackupManifest
	var err error
	var during, atStart int64
	for try := 0; try < 5 && err == nil && during == 0; try++ {
		atStart = writes.Load()
		dir = filepath.Join(t.TempDir(), fmt.Sprintf("b%d", try))
		m, err = st.Backup(ctx, dir, analytics.BackupOptions{Actor: "tester"})
		during = writes.Load() - atStart
	}
	done.Store(true)
	if werr := <-errc; werr != nil {
		t.Fatalf("writer: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if during == 0 {
		t.Fatal("no write committed while the backup ran: the test proves nothing")
	}
	t.Logf("%d writes committed while the backup ran", during)

	newDB := filepath.Join(t.TempDir(), "r.duckdb")
	if _, err := analytics.Restore(ctx, dir, analytics.Options{Path: newDB, Threads: 2}); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, newDB)
	sums, err := r.TableChecksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range m.Tables {
		if sums[tb.Name] != tb.Checksum {
			t.Errorf("restored %s checksum %s, manifest %s", tb.Name, sums[tb.Name], tb.Checksum)
		}
	}
	var imports, importAudits, writerAudits, maxWriter int64
	r.DB().QueryRow("SELECT count(*) FROM import_log WHERE actor = 'writer'").Scan(&imports)
	r.DB().QueryRow("SELECT count(*) FROM audit_log WHERE actor = 'writer' AND action = 'import'").Scan(&importAudits)
	r.DB().QueryRow("SELECT count(*), coalesce(max(subject::INTEGER), -1) FROM audit_log WHERE action = 'test.write'").Scan(&writerAudits, &maxWriter)
	if imports != importAudits {
		t.Errorf("the backup holds %d writer imports but %d of their audit entries", imports, importAudits)
	}
	// The writes are sequential: the snapshot holds a prefix of them, each
	// import with (or just before) its audit line.
	if writerAudits != maxWriter+1 || imports < writerAudits || imports > writerAudits+1 {
		t.Errorf("snapshot is not a prefix of the writes: %d imports, %d audit lines (max %d)", imports, writerAudits, maxWriter)
	}
	var final int64
	st.DB().QueryRow("SELECT count(*) FROM import_log WHERE actor = 'writer'").Scan(&final)
	if imports >= final {
		t.Errorf("the backup holds %d writer imports, the database %d: writes committed during the backup leaked in", imports, final)
	}
	if imports < atStart {
		t.Errorf("the backup holds %d writer imports, fewer than the %d committed before it started", imports, atStart)
	}
}
