package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupAndRestoreCommands backs up a scored database with the CLI,
// restores it into a new file, and checks that the restore refuses an
// existing file and a tampered backup, leaving nothing behind.
func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	if _, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "score", "--round", "2019-B1"); err != nil {
		t.Fatal(err)
	}
	bdir := filepath.Join(dir, "b")
	out, _, err := run(t, "--db", db, "backup", "--out", bdir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "已备份到 "+bdir+": ") {
		t.Errorf("backup said %q", out)
	}
	restored := filepath.Join(dir, "r.duckdb")
	out, _, err = run(t, "--db", restored, "restore", bdir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "已恢复到 "+restored+": ") || !strings.Contains(out, "校验一致") {
		t.Errorf("restore said %q", out)
	}
	a, _, err := run(t, "--db", db, "ranking", "--round", "2019-B1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := run(t, "--db", restored, "ranking", "--round", "2019-B1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if a != b || a == "" {
		t.Errorf("the restored ranking differs from the original")
	}
	if _, _, err := run(t, "--db", restored, "restore", bdir); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("restore over an existing file: %v", err)
	}
	f, err := os.OpenFile(filepath.Join(bdir, "units.parquet"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("x")
	f.Close()
	other := filepath.Join(dir, "other.duckdb")
	_, _, err = run(t, "--db", other, "restore", bdir)
	if err == nil || !strings.Contains(err.Error(), "units.parquet has changed since the backup") {
		t.Errorf("restore of a tampered backup: %v", err)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("the refused restore created the database file")
	}
}
