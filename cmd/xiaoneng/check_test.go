package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// TestCheckCommand: rows of an import the log never received are found by
// `check` (exit status 1, one line each), a database whose open recorded
// findings is refused by every other command with the one Chinese line,
// and `check --repair` deletes those rows, is audited, and lets the
// commands work again with the ranking unchanged.
func TestCheckCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	if _, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "score", "--round", "2019-B1"); err != nil {
		t.Fatal(err)
	}
	ranking, _, err := run(t, "--db", db, "ranking", "--round", "2019-B1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "--db", db, "check")
	if err != nil || !strings.Contains(out, "没有发现问题") {
		t.Fatalf("check of a clean database: %q, %v", out, err)
	}

	st, err := analytics.Open(ctx, analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	// As a commit cut short by DuckDB 1.5.6 left it, and as the open after
	// it records it.
	for _, q := range []string{
		`INSERT INTO cases SELECT * REPLACE (77 AS import_id) FROM cases`,
		`INSERT INTO integrity_state VALUES (now()::TIMESTAMP, '数据库一致性检查发现问题:cases 表有若干行来自未完成的导入', '[]')`,
	} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	st.DB().QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&n)
	st.Close()

	_, _, err = run(t, "--db", db, "ranking", "--round", "2019-B1")
	if err == nil || !strings.Contains(err.Error(), "在修复之前不提供任何数据") || !strings.Contains(err.Error(), "xiaoneng check --repair") {
		t.Fatalf("ranking on a refused database: %v", err)
	}
	out, _, err = run(t, "--db", db, "check")
	if err == nil || !strings.Contains(out, "cases 表有") || !strings.Contains(out, "行来自未完成的导入(导入日志中没有记录)(可修复)") {
		t.Fatalf("check: %q, %v", out, err)
	}
	out, _, err = run(t, "--db", db, "check", "--repair", "--actor", "office")
	if err != nil || !strings.Contains(out, "已删除 cases 表中来自未完成导入的") || !strings.Contains(out, "没有发现问题") {
		t.Fatalf("check --repair: %q, %v", out, err)
	}
	after, _, err := run(t, "--db", db, "ranking", "--round", "2019-B1", "--format", "json")
	if err != nil || after != ranking {
		t.Fatalf("ranking after the repair: %v (same: %v)", err, after == ranking)
	}
	st, err = analytics.Open(ctx, analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var cases, audited int
	st.DB().QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&cases)
	st.DB().QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'integrity.repair' AND actor = 'office'").Scan(&audited)
	if cases*2 != n || audited != 1 {
		t.Errorf("after the repair: %d cases (of %d), %d repair audit entries", cases, n, audited)
	}
}
