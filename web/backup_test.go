package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// TestBackupFromTheAdminPage backs up the running server's database from
// 数据备份: the backup lands in cfg.BackupDir with a verified manifest, is
// listed, audited, restorable, and only admins may take one.
func TestBackupFromTheAdminPage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups")
	ts := newTestServer(t, func(c *Config) { c.BackupDir = dir })
	admin := ts.login(t, adminUser)
	if code, body := admin.getBody("/admin/backup"); code != http.StatusOK || !strings.Contains(body, "尚无备份") {
		t.Fatalf("empty page: %d\n%s", code, body)
	}
	leader := ts.login(t, leaderUser)
	if resp := leader.postForm("/admin/backup", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a leader's backup: status %d, want 403", resp.StatusCode)
	}
	resp := admin.postForm("/admin/backup", url.Values{})
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "已备份到 xiaoneng-20200110-090000") {
		t.Fatalf("backup: %d\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, "<td>xiaoneng-20200110-090000</td>") {
		t.Errorf("the new backup is not listed:\n%s", body)
	}
	// A second click in the same second gets its own folder.
	if resp := admin.postForm("/admin/backup", url.Values{}); resp.StatusCode != http.StatusOK {
		t.Errorf("second backup: %d", resp.StatusCode)
	}
	bdir := filepath.Join(dir, "xiaoneng-20200110-090000")
	m, err := analytics.ReadBackupManifest(bdir)
	if err != nil {
		t.Fatal(err)
	}
	if err := analytics.VerifyBackupFiles(bdir, m); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "xiaoneng-20200110-090000-2", analytics.ManifestName)); err != nil {
		t.Errorf("second backup: %v", err)
	}
	if m.Actor != adminUser {
		t.Errorf("manifest actor %q", m.Actor)
	}
	entries, err := ts.store.AuditLog(context.Background(), analytics.AuditFilter{ActionPrefix: "backup", Limit: 10})
	if err != nil || len(entries) != 2 || entries[0].Actor != adminUser {
		t.Errorf("audit: %+v (%v)", entries, err)
	}
	// The backup restores to the server's data as of the snapshot.
	newDB := filepath.Join(t.TempDir(), "restored.duckdb")
	if _, err := analytics.Restore(context.Background(), bdir, analytics.Options{Path: newDB, Threads: 2}); err != nil {
		t.Fatal(err)
	}
	r, err := analytics.Open(context.Background(), analytics.Options{Path: newDB, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, _ := r.TableChecksums(context.Background())
	want, _ := ts.store.TableChecksums(context.Background())
	for n, w := range want {
		if n != "audit_log" && got[n] != w { // the server has since audited the backups
			t.Errorf("restored %s: %s, server %s", n, got[n], w)
		}
	}
}

// TestFaultServerMigratesOlderSchema starts the web service on a database
// that migrations 001 and 002 created, with data: it migrates, keeps the
// data and serves logins with the accounts table of the newer schema.
func TestFaultServerMigratesOlderSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	c, err := duckdb.NewConnector(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	stmts := []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`}
	for i, name := range []string{"001_init", "002_results"} {
		b, err := os.ReadFile(filepath.Join("..", "analytics", "migrations", name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, string(b), fmt.Sprintf("INSERT INTO schema_migrations (version, name) VALUES (%d, '%s')", i+1, name))
	}
	stmts = append(stmts, `INSERT INTO units (unit_id, name, kind, category) VALUES ('D01', '市财政局', 'department', '经济发展类')`)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("old schema: %v", err)
		}
	}
	db.Close()
	c.Close()

	st, err := analytics.Open(ctx, analytics.Options{Path: path, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.SchemaVersion(ctx); err != nil || v < 3 {
		t.Fatalf("schema version %d (%v) after opening, want at least 3", v, err)
	}
	units, err := st.Units(ctx)
	if err != nil || len(units) != 1 || units[0].Name != "市财政局" {
		t.Fatalf("units after migrating: %+v (%v)", units, err)
	}
	if err := st.AddUser(ctx, analytics.User{Username: adminUser, DisplayName: "管理员", Role: analytics.RoleAdmin}, testPassword, "test", testNow); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Now = func() time.Time { return testNow }
	srv, err := NewServer(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	ts := &testServer{Server: srv, URL: hs.URL, store: st, clock: testNow}
	admin := ts.login(t, adminUser)
	if code, body := admin.getBody("/admin/imports"); code != http.StatusOK {
		t.Errorf("imports page on the migrated database: %d\n%s", code, body)
	}
}
