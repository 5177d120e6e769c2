package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Finding kinds of the integrity check.
const (
	FindOrphanRows      = "orphan_rows"       // rows of an import that has no import-log entry
	FindDuplicateKeys   = "duplicate_keys"    // a key stored more than once
	FindImportNoAudit   = "import_no_audit"   // an import-log entry with no audit entry
	FindAuditNoImport   = "audit_no_import"   // an audit entry of an import with no import-log entry
	FindResultsNoRun    = "results_no_run"    // stored results of a score run that does not exist
	FindRunNoResults    = "run_no_results"    // a score run with no stored results
	FindPublishedNoRun  = "published_no_run"  // a round published with a run that does not exist
	FindPublishedNoRows = "published_no_rows" // a round published with a run that has no results
)

// Finding is one thing the integrity check found wrong: its kind, the table,
// how many rows, a sentence in Chinese, and whether a repair can fix it
// without guessing.
type Finding struct {
	Kind       string `json:"kind"`
	Table      string `json:"table"`
	Count      int64  `json:"count"`
	Detail     string `json:"detail"`
	Repairable bool   `json:"repairable"`
}

// IntegrityReport is what one run of the integrity check found.
type IntegrityReport struct {
	Findings []Finding `json:"findings"`
}

// OK tells that nothing was found.
func (r IntegrityReport) OK() bool { return len(r.Findings) == 0 }

// Summary is the report in one Chinese line.
func (r IntegrityReport) Summary() string {
	if r.OK() {
		return "数据库一致性检查通过:没有发现问题"
	}
	parts := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		parts[i] = f.Detail
	}
	return "数据库一致性检查发现问题:" + strings.Join(parts, ";")
}

// ErrInconsistent is returned (wrapped in an *IntegrityError) by Open when the
// database holds findings of the integrity check that no repair has cleared.
var ErrInconsistent = errors.New("database inconsistent")

// IntegrityError refuses to open a database whose stored numbers cannot be
// trusted; its message is one Chinese line that says what to run.
type IntegrityError struct{ Summary string }

func (e *IntegrityError) Error() string {
	return e.Summary + "。在修复之前不提供任何数据;请运行 xiaoneng check 查看详情,xiaoneng check --repair 修复"
}

// Unwrap makes errors.Is(err, ErrInconsistent) hold.
func (e *IntegrityError) Unwrap() error { return ErrInconsistent }

// walPresent tells whether the database was left with a write-ahead log,
// which a clean close (a checkpoint) removes: the last process stopped
// without closing, through a crash, a kill or a power failure.
func walPresent(path string) bool {
	if path == ":memory:" {
		return false
	}
	fi, err := os.Stat(path + ".wal")
	return err == nil && fi.Size() > 0
}

// CheckIntegrity looks for what an interrupted write could have left:
// imported rows whose import was never logged, keys stored twice, the
// import log against the audit log, and stored results against their runs.
func (s *Store) CheckIntegrity(ctx context.Context) (IntegrityReport, error) {
	var rep IntegrityReport
	add := func(f Finding) { rep.Findings = append(rep.Findings, f) }
	for _, k := range Kinds() {
		t := ident(k.Name)
		var orphans int64
		q := fmt.Sprintf("SELECT count(*) FROM %s t WHERE t.import_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_log l WHERE l.id = t.import_id)", t)
		if err := s.db.QueryRowContext(ctx, q).Scan(&orphans); err != nil {
			return rep, fmt.Errorf("analytics: check %s: %w", k.Name, err)
		}
		if orphans > 0 {
			add(Finding{Kind: FindOrphanRows, Table: k.Name, Count: orphans, Repairable: true,
				Detail: fmt.Sprintf("%s 表有 %d 行来自未完成的导入(导入日志中没有记录)", k.Name, orphans)})
		}
		dups, err := s.duplicateStoredKeys(ctx, k)
		if err != nil {
			return rep, err
		}
		if dups > 0 {
			var superseded int64
			q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", t, supersededRows(k))
			if err := s.db.QueryRowContext(ctx, q).Scan(&superseded); err != nil {
				return rep, fmt.Errorf("analytics: check %s: %w", k.Name, err)
			}
			add(Finding{Kind: FindDuplicateKeys, Table: k.Name, Count: dups, Repairable: orphans+superseded >= dups,
				Detail: fmt.Sprintf("%s 表有 %d 行主键(%s)重复", k.Name, dups, strings.Join(k.Key, "+"))})
		}
	}
	counts := []struct {
		kind, table, q, detail string
		repairable             bool
	}{
		{FindImportNoAudit, "import_log", `SELECT count(*) FROM import_log l WHERE NOT EXISTS (
			SELECT 1 FROM audit_log a WHERE a.action = 'import' AND a.subject = 'file:' || l.file AND a.happened_at = l.imported_at)`,
			"导入日志有 %d 条没有对应的审计记录", true},
		{FindAuditNoImport, "audit_log", `SELECT count(*) FROM audit_log a WHERE ` + unloggedImportAudit,
			"审计日志有 %d 条导入记录在导入日志中没有对应", true},
		{FindResultsNoRun, "score_results", `SELECT count(*) FROM score_results r WHERE NOT EXISTS (SELECT 1 FROM score_runs u WHERE u.run_id = r.run_id)`,
			"score_results 表有 %d 行属于不存在的计算版本", true},
		{FindRunNoResults, "score_runs", `SELECT count(*) FROM score_runs u WHERE NOT EXISTS (SELECT 1 FROM score_results r WHERE r.run_id = u.run_id)
			AND NOT EXISTS (SELECT 1 FROM rounds o WHERE o.published_run_id = u.run_id)`,
			"有 %d 个计算版本没有任何结果", true},
		{FindPublishedNoRun, "rounds", `SELECT count(*) FROM rounds o WHERE o.published_run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM score_runs u WHERE u.run_id = o.published_run_id)`,
			"有 %d 个已发布轮次指向不存在的计算版本", false},
		{FindPublishedNoRows, "rounds", `SELECT count(*) FROM rounds o JOIN score_runs u ON u.run_id = o.published_run_id WHERE NOT EXISTS (SELECT 1 FROM score_results r WHERE r.run_id = u.run_id)`,
			"有 %d 个已发布轮次的计算版本没有结果", false},
	}
	for _, c := range counts {
		var n int64
		if err := s.db.QueryRowContext(ctx, c.q).Scan(&n); err != nil {
			return rep, fmt.Errorf("analytics: check %s: %w", c.table, err)
		}
		if n > 0 {
			add(Finding{Kind: c.kind, Table: c.table, Count: n, Detail: fmt.Sprintf(c.detail, n), Repairable: c.repairable})
		}
	}
	return rep, nil
}

// unloggedImportAudit selects (as audit_log a) the audit entries of imports
// that the import log does not hold and that no import.unlogged entry answers.
const unloggedImportAudit = `a.action = 'import' AND json_extract_string(a.new_value, '$.status') = 'imported'
	AND NOT EXISTS (SELECT 1 FROM import_log l WHERE a.subject = 'file:' || l.file AND a.happened_at = l.imported_at)
	AND NOT EXISTS (SELECT 1 FROM audit_log v WHERE v.action = 'import.unlogged' AND json_extract(v.new_value, '$.audit_id')::BIGINT = a.id)`

// duplicateStoredKeys counts the stored rows past the first of each key.
func (s *Store) duplicateStoredKeys(ctx context.Context, k *Kind) (int64, error) {
	keys := keyList(k, "")
	q := fmt.Sprintf("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM %s GROUP BY %s HAVING count(*) > 1)", ident(k.Name), keys)
	if len(k.Key) == 1 {
		q = fmt.Sprintf("SELECT count(%[1]s) - count(DISTINCT %[1]s) FROM %[2]s", keys, ident(k.Name))
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("analytics: check %s: %w", k.Name, err)
	}
	return n, nil
}

// recordIntegrity stores the findings of a check, replacing earlier ones, so
// that every later open refuses until a repair clears them.
func (s *Store) recordIntegrity(ctx context.Context, rep IntegrityReport, now time.Time) error {
	details, err := json.Marshal(rep.Findings)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM integrity_state"); err != nil {
			return err
		}
		if rep.OK() {
			return nil
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO integrity_state (found_at, summary, details) VALUES (?, ?, ?)", now, rep.Summary(), string(details))
		return err
	})
}

// IntegrityState is the summary of findings that no repair has cleared yet,
// or "" when there are none.
func (s *Store) IntegrityState(ctx context.Context) (string, error) {
	var summary string
	err := s.db.QueryRowContext(ctx, "SELECT summary FROM integrity_state ORDER BY found_at DESC LIMIT 1").Scan(&summary)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return summary, err
}
