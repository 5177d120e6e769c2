package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// execer is a transaction or a connection inside one.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// AuditEntry is one line of the audit log: who did what to which subject
// when, with the old and new values as JSON.
type AuditEntry struct {
	ID         int64           `json:"id"`
	HappenedAt time.Time       `json:"happened_at"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Subject    string          `json:"subject"`
	Old        json.RawMessage `json:"old_value"`
	New        json.RawMessage `json:"new_value"`
}

// AuditFilter narrows the audit log; empty fields match everything.
type AuditFilter struct {
	Actor, ActionPrefix, Subject string
	Limit, Offset                int
}

func jsonOrNil(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// AuditTx writes one audit entry inside the caller's transaction, so the
// change and its record are committed together or not at all.
func AuditTx(ctx context.Context, tx execer, now time.Time, actor, action, subject string, old, new any) error {
	o, err := jsonOrNil(old)
	if err != nil {
		return err
	}
	n, err := jsonOrNil(new)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, queries.SQL("audit_insert"), now, actor, action, subject, o, n)
	return err
}

// Audit writes one audit entry on its own (for events that change nothing
// else, such as a lockout).
func (s *Store) Audit(ctx context.Context, now time.Time, actor, action, subject string, old, new any) error {
	return s.InTx(ctx, func(tx *sql.Tx) error {
		return AuditTx(ctx, tx, now, actor, action, subject, old, new)
	})
}

// AuditLog reads the audit log, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []AuditEntry
	err := s.eachRow(ctx, queries.SQL("audit_list"), []any{f.Actor, f.ActionPrefix, f.Subject, f.Limit, f.Offset}, func(r *sql.Rows) error {
		var e AuditEntry
		var o, n sql.NullString
		if err := r.Scan(&e.ID, &e.HappenedAt, &e.Actor, &e.Action, &e.Subject, &o, &n); err != nil {
			return err
		}
		if o.Valid {
			e.Old = json.RawMessage(o.String)
		}
		if n.Valid {
			e.New = json.RawMessage(n.String)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// InTx runs fn in one write transaction, serialised with the service's other
// writes (DuckDB has one writer; serialising avoids transaction conflicts).
func (s *Store) InTx(ctx context.Context, fn func(*sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
