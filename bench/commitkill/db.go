package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// makeBase creates t with the keys 0…n-1 and an empty log, checkpointed and
// closed so that the file alone holds it; it returns the DuckDB version.
func makeBase(path string, n int) (string, error) {
	os.Remove(path)
	os.Remove(path + ".wal")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var version string
	for _, q := range []string{
		"CREATE TABLE t (k BIGINT, v VARCHAR)",
		"CREATE TABLE log (id INTEGER)",
		fmt.Sprintf("INSERT INTO t SELECT range, 'old-' || range FROM range(0, %d)", n),
		"CHECKPOINT",
	} {
		if _, err := db.Exec(q); err != nil {
			return "", fmt.Errorf("%s: %w", q, err)
		}
	}
	if err := db.QueryRow("SELECT version()").Scan(&version); err != nil {
		return "", err
	}
	return version, db.Close()
}

// runChild replaces every row of t by n new keys (n…2n-1) and adds a log row
// in one transaction on one connection, printing a marker before each step.
// With hold it waits after COMMIT instead of closing the database.
func runChild(path string, n int, hold, noOptimistic bool) error {
	ctx := context.Background()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	steps := []string{
		"BEGIN TRANSACTION",
		"DELETE FROM t",
		fmt.Sprintf("INSERT INTO t SELECT range, 'new-' || range FROM range(%d, %d)", n, 2*n),
		"INSERT INTO log VALUES (1)",
	}
	if noOptimistic {
		steps = append([]string{"SET enable_optimistic_write = false"}, steps...)
	}
	fmt.Println("opened")
	for _, q := range steps {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	fmt.Println("committing")
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("COMMIT: %w", err)
	}
	fmt.Println("committed")
	if hold {
		time.Sleep(time.Hour)
		return nil
	}
	conn.Close()
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Println("closed")
	return nil
}

// state is what a reopened database holds.
type state struct {
	rows, distinct, old, new, logRows int64
}

// outcome classifies a state for n keys.
func (s state) outcome(n int) string {
	N := int64(n)
	switch {
	case s.rows == N && s.distinct == N && s.old == N && s.logRows == 0:
		return "OLD"
	case s.rows == N && s.distinct == N && s.new == N && s.logRows == 1:
		return "NEW"
	}
	return "MIXED"
}

func (s state) String() string {
	return fmt.Sprintf("rows %d, distinct %d, old %d, new %d, log %d", s.rows, s.distinct, s.old, s.new, s.logRows)
}

// inspect opens the database (replaying its WAL) and reads its state.
func inspect(path string, n int) (state, error) {
	var s state
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return s, err
	}
	defer db.Close()
	err = db.QueryRow(fmt.Sprintf(`SELECT count(*), count(DISTINCT k), count(*) FILTER (k < %d),
		count(*) FILTER (k >= %d), (SELECT count(*) FROM log) FROM t`, n, n)).
		Scan(&s.rows, &s.distinct, &s.old, &s.new, &s.logRows)
	if err != nil {
		return s, err
	}
	return s, db.Close()
}
