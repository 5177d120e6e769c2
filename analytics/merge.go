package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// collectProblems reads the bad rows of the typed table and the duplicate keys,
// returning nil when the file is clean.
func collectProblems(ctx context.Context, conn *sql.Conn, k *Kind, typed, name string) (*ImportError, error) {
	var total, badRows int
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT coalesce(sum(len(errs)), 0), count(*) FROM %s WHERE errs IS NOT NULL", ident(typed))).Scan(&total, &badRows); err != nil {
		return nil, err
	}
	var probs []Problem
	if total > 0 {
		rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT line, e FROM (SELECT line, unnest(errs) AS e FROM %s WHERE errs IS NOT NULL) ORDER BY line LIMIT %d", ident(typed), MaxListed))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var p Problem
			var e string
			if err := rows.Scan(&p.Line, &e); err != nil {
				rows.Close()
				return nil, err
			}
			p.Column, p.Reason, _ = strings.Cut(e, ": ")
			probs = append(probs, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	dups, ndup, err := duplicateKeys(ctx, conn, k, typed)
	if err != nil {
		return nil, err
	}
	if total == 0 && ndup == 0 {
		return nil, nil
	}
	probs = append(probs, dups...)
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	if len(probs) > MaxListed {
		probs = probs[:MaxListed]
	}
	return &ImportError{File: name, Problems: probs, Total: total + ndup, BadRows: badRows + ndup}, nil
}

// duplicateKeys counts the rows whose key already appeared in the same file
// (whatever the line numbers hold) and details the first of them by line.
func duplicateKeys(ctx context.Context, conn *sql.Conn, k *Kind, typed string) ([]Problem, int, error) {
	keys := keyList(k, "")
	notNull := strings.ReplaceAll(keys, ", ", " IS NOT NULL AND ") + " IS NOT NULL"
	var n int
	q := fmt.Sprintf("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1)", ident(typed), notNull, keys)
	if len(k.Key) == 1 {
		// The same count (rows past the first of each key), at under half the cost.
		q = fmt.Sprintf("SELECT count(%[1]s) - count(DISTINCT %[1]s) FROM %[2]s", keys, ident(typed))
	}
	if err := conn.QueryRowContext(ctx, q).Scan(&n); err != nil || n == 0 {
		return nil, n, err
	}
	q = fmt.Sprintf(`WITH d AS (SELECT %[1]s FROM %[2]s WHERE %[3]s GROUP BY ALL HAVING count(*) > 1),
r AS (SELECT t.line, concat_ws('/', %[4]s) AS k, min(t.line) OVER (PARTITION BY %[4]s) AS first
      FROM %[2]s t JOIN d ON %[5]s)
SELECT line, k, first FROM r WHERE line > first ORDER BY line LIMIT %[6]d`,
		keys, ident(typed), notNull, keyList(k, "t."), keyMatch(k, "t", "d"), MaxListed)
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Problem
	col := strings.Join(k.Key, "+")
	for rows.Next() {
		var line, first int
		var key string
		if err := rows.Scan(&line, &key, &first); err != nil {
			return nil, 0, err
		}
		out = append(out, Problem{Line: line, Column: col, Reason: "duplicate key " + key, Ref: first})
	}
	return out, n, rows.Err()
}

// counts says how the rows of a clean typed table relate to the stored table.
type counts struct{ New, Replaced, Unchanged int64 }

// merge writes a clean typed table into its target (inside the caller's
// transaction): rows whose key is new are inserted, changed rows replaced,
// identical rows left alone. Inserted rows carry importID.
//
// The stored table grows to tens of millions of rows, so it is read only
// between the file's smallest and largest first key column: DuckDB skips the
// row groups whose min/max statistics lie outside, and a file of new keys
// (the first import of a month) finds no stored row at all and is inserted
// as it is. Only when stored rows fall in that range are they compared.
func merge(ctx context.Context, conn *sql.Conn, k *Kind, typed string, importID int64) (counts, error) {
	var c counts
	tgt, s := ident(k.Name), ident(typed)
	k0 := ident(k.Key[0])
	var lo, hi any
	var total int64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT min(%[1]s), max(%[1]s), count(*) FROM %[2]s", k0, s)).Scan(&lo, &hi, &total); err != nil {
		return c, fmt.Errorf("compare: %w", err)
	}
	if total == 0 {
		return c, nil
	}
	inRange := fmt.Sprintf("(SELECT * FROM %s WHERE %s BETWEEN $1 AND $2)", tgt, k0)
	var stored int64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s t", inRange), lo, hi).Scan(&stored); err != nil {
		return c, fmt.Errorf("compare: %w", err)
	}
	if stored == 0 {
		q := fmt.Sprintf(`INSERT INTO %s (%s, import_id) SELECT %s, %d FROM %s s`, tgt, columnList(k, ""), columnList(k, "s."), importID, s)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return c, fmt.Errorf("insert: %w", err)
		}
		c.New = total
		return c, nil
	}
	chg := ident(typed + "_chg")
	q := fmt.Sprintf(`CREATE TEMP TABLE %[1]s AS SELECT %[2]s, CASE WHEN %[3]s THEN 'unchanged' ELSE 'replaced' END AS status
		FROM %[4]s s JOIN %[5]s t ON %[6]s`, chg, keyList(k, "s."), sameRow(k, "s", "t"), s, inRange, keyMatch(k, "s", "t"))
	if _, err := conn.ExecContext(ctx, q, lo, hi); err != nil {
		return c, fmt.Errorf("compare: %w", err)
	}
	defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+chg)
	q = fmt.Sprintf(`SELECT count(*) FILTER (WHERE status = 'replaced'), count(*) FILTER (WHERE status = 'unchanged') FROM %s`, chg)
	if err := conn.QueryRowContext(ctx, q).Scan(&c.Replaced, &c.Unchanged); err != nil {
		return c, fmt.Errorf("compare: %w", err)
	}
	c.New = total - c.Replaced - c.Unchanged
	if c.Replaced > 0 {
		q = fmt.Sprintf(`DELETE FROM %[1]s USING %[2]s c WHERE c.status = 'replaced' AND %[3]s`, tgt, chg, keyMatch(k, k.Name, "c"))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return c, fmt.Errorf("replace: %w", err)
		}
	}
	switch {
	case c.New+c.Replaced == 0:
		return c, nil
	case c.Unchanged == 0:
		q = fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s s`, tgt, columnList(k, ""), columnList(k, "s."), s)
	default:
		q = fmt.Sprintf(`INSERT INTO %s (%s, import_id) SELECT %s, %d FROM %s s ANTI JOIN (SELECT * FROM %s WHERE status = 'unchanged') c ON %s`,
			tgt, columnList(k, ""), columnList(k, "s."), importID, s, chg, keyMatch(k, "s", "c"))
	}
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return c, fmt.Errorf("insert: %w", err)
	}
	return c, nil
}
