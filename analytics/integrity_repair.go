package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RepairResult says what a repair did: the findings before, the rows it
// deleted per table, the audit entries it added, and the findings after.
type RepairResult struct {
	Before  IntegrityReport  `json:"before"`
	Deleted map[string]int64 `json:"deleted"`
	Audited int64            `json:"audited"`
	After   IntegrityReport  `json:"after"`
}

// RepairIntegrity repairs what the integrity check can repair without
// guessing, in one transaction with its audit entry (action integrity.repair):
//   - rows of an import that has no import-log entry are deleted, which
//     leaves the rows of the last logged import of their keys;
//   - of a key stored more than once, the copies older than the copy of the
//     last logged import that wrote the key are deleted (a replacing import
//     whose deletes were lost while its rows and log entry were kept);
//   - results of a score run that does not exist, and runs with no results
//     that no round publishes, are deleted;
//   - an import-log entry with no audit entry gets one, dated as the import
//     and marked as written by the repair; an audit entry of an import that
//     the import log does not hold is answered by an entry import.unlogged saying that
//     the import did not complete and its rows are not in the database.
//
// What remains (a key stored twice by one and the same import, or by rows
// that carry no import id, a published round whose run is gone) is reported in After and keeps the database refused; the
// state is cleared when nothing remains.
func (s *Store) RepairIntegrity(ctx context.Context, actor string, now time.Time) (RepairResult, error) {
	s.importMu.Lock()
	defer s.importMu.Unlock()
	res := RepairResult{Deleted: map[string]int64{}}
	var err error
	if res.Before, err = s.CheckIntegrity(ctx); err != nil {
		return res, err
	}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		for _, k := range Kinds() {
			r, err := tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s t WHERE t.import_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_log l WHERE l.id = t.import_id)", ident(k.Name)))
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n > 0 {
				res.Deleted[k.Name] = n
			}
		}
		for _, k := range Kinds() {
			r, err := tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s", ident(k.Name), supersededRows(k)))
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n > 0 {
				res.Deleted[k.Name] += n
			}
		}
		for _, d := range []struct{ table, q string }{
			{"score_results", "DELETE FROM score_results r WHERE NOT EXISTS (SELECT 1 FROM score_runs u WHERE u.run_id = r.run_id)"},
			{"score_runs", `DELETE FROM score_runs u WHERE NOT EXISTS (SELECT 1 FROM score_results r WHERE r.run_id = u.run_id)
				AND NOT EXISTS (SELECT 1 FROM rounds o WHERE o.published_run_id = u.run_id)`},
		} {
			r, err := tx.ExecContext(ctx, d.q)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n > 0 {
				res.Deleted[d.table] = n
			}
		}
		n, err := auditMissingImports(ctx, tx, actor)
		if err != nil {
			return err
		}
		res.Audited = n
		return AuditTx(ctx, tx, now, actorOr(actor), "integrity.repair", "database", res.Before.Findings, map[string]any{
			"deleted": res.Deleted, "audited": res.Audited})
	})
	if err != nil {
		return res, fmt.Errorf("analytics: repair: %s (nothing was changed)", oneLine(err))
	}
	if res.After, err = s.CheckIntegrity(ctx); err != nil {
		return res, err
	}
	// The findings left (none: the state is cleared) replace those stored.
	return res, s.recordIntegrity(ctx, res.After, now)
}

// auditMissingImports writes the audit entries that make the import log and
// the audit log agree again, and returns how many it wrote.
func auditMissingImports(ctx context.Context, tx *sql.Tx, actor string) (int64, error) {
	var total int64
	r, err := tx.ExecContext(ctx, `INSERT INTO audit_log (happened_at, actor, action, subject, new_value)
		SELECT l.imported_at, l.actor, 'import', 'file:' || l.file,
		       json_object('status', 'imported', 'import_id', l.id, 'kind', l.kind, 'sha256', l.sha256,
		                   'new', l.rows_new, 'replaced', l.rows_replaced, 'unchanged', l.rows_unchanged,
		                   'written_by', 'integrity.repair', 'repaired_by', ?::VARCHAR)
		FROM import_log l WHERE NOT EXISTS (
			SELECT 1 FROM audit_log a WHERE a.action = 'import' AND a.subject = 'file:' || l.file AND a.happened_at = l.imported_at)`, actorOr(actor))
	if err != nil {
		return 0, err
	}
	n, _ := r.RowsAffected()
	total += n
	r, err = tx.ExecContext(ctx, `INSERT INTO audit_log (happened_at, actor, action, subject, new_value)
		SELECT now()::TIMESTAMP, ?::VARCHAR, 'import.unlogged', a.subject,
		       json_object('audit_id', a.id, 'note', '该导入没有完成,其数据不在数据库中')
		FROM audit_log a WHERE `+unloggedImportAudit, actorOr(actor))
	if err != nil {
		return 0, err
	}
	n, _ = r.RowsAffected()
	return total + n, nil
}

// supersededRows is the predicate (on the table of k) of the rows older
// than the newest import that wrote their key, among keys stored more than
// once: rows of an earlier import id, or without one (written before imports
// carried ids). Copies written by that newest import itself are not
// selected, for a person to judge. The check counts these rows; the repair
// deletes them.
func supersededRows(k *Kind) string {
	return fmt.Sprintf(`rowid IN (
	SELECT rowid FROM (
		SELECT rowid, import_id, max(import_id) OVER w AS last, count(*) OVER w AS n
		FROM %[1]s WINDOW w AS (PARTITION BY %[2]s))
	WHERE n > 1 AND last IS NOT NULL AND (import_id IS NULL OR import_id < last))`, ident(k.Name), keyList(k, ""))
}
