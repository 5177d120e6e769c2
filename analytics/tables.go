package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// TableCount is the number of rows of one input table.
type TableCount struct {
	Table string
	Rows  int64
}

// TableCounts counts the rows of every input table, in import order.
func (s *Store) TableCounts(ctx context.Context) ([]TableCount, error) {
	var out []TableCount
	for _, k := range Kinds() {
		var n int64
		// The table name comes from the fixed kind list, never from input.
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+ident(k.Name)).Scan(&n); err != nil {
			return nil, fmt.Errorf("analytics: count %s: %w", k.Name, err)
		}
		out = append(out, TableCount{Table: k.Name, Rows: n})
	}
	return out, nil
}

// TableChecksums returns, for every table of the database (input tables,
// calendar, logs), its row count and an order-independent hash of its rows,
// so tests and restores can tell whether anything changed.
func (s *Store) TableChecksums(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name")
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	out := make(map[string]string, len(names))
	for _, n := range names {
		var sum string
		q := fmt.Sprintf("SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(t::VARCHAR))::VARCHAR, '0') FROM %s t", ident(n))
		if err := s.db.QueryRowContext(ctx, q).Scan(&sum); err != nil {
			return nil, fmt.Errorf("analytics: checksum %s: %w", n, err)
		}
		out[n] = sum
	}
	return out, nil
}

// ImportLogEntry is one row of the import log.
type ImportLogEntry struct {
	ID                        int64
	File, Kind, SHA256, Actor string
	New, Replaced, Unchanged  int64
	At                        time.Time
}

// ImportLog returns the most recent imports, newest first.
func (s *Store) ImportLog(ctx context.Context, limit int) ([]ImportLogEntry, error) {
	rows, err := s.db.QueryContext(ctx, queries.SQL("import_log_list"), limit)
	if err != nil {
		return nil, fmt.Errorf("analytics: import log: %w", err)
	}
	defer rows.Close()
	var out []ImportLogEntry
	for rows.Next() {
		var e ImportLogEntry
		if err := rows.Scan(&e.ID, &e.File, &e.Kind, &e.SHA256, &e.New, &e.Replaced, &e.Unchanged, &e.Actor, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
