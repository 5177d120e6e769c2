package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/xiaoneng/xiaoneng/calendar"
	"github.com/xiaoneng/xiaoneng/queries"
)

// Calendar returns the official calendar overlaid with the imported holidays.
func (s *Store) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	return loadCalendar(ctx, s.db)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func loadCalendar(ctx context.Context, q querier) (*calendar.Calendar, error) {
	rows, err := q.QueryContext(ctx, queries.SQL("holidays_list"))
	if err != nil {
		return nil, fmt.Errorf("analytics: holidays: %w", err)
	}
	defer rows.Close()
	var entries []calendar.Entry
	for rows.Next() {
		var e calendar.Entry
		var kind string
		if err := rows.Scan(&e.Date, &kind, &e.Name); err != nil {
			return nil, err
		}
		e.Date = calendar.Day(e.Date.Year(), e.Date.Month(), e.Date.Day())
		e.Kind = calendar.Holiday
		if kind == "workday" {
			e.Kind = calendar.Workday
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cal := calendar.Default()
	if len(entries) > 0 {
		cal = cal.With(entries)
	}
	return cal, nil
}

// rebuildCalendar refills the calendar table (one row per day of every covered
// year, with the working-day sequence) on conn, inside the caller's transaction.
func rebuildCalendar(ctx context.Context, conn *sql.Conn) error {
	cal, err := loadCalendar(ctx, conn)
	if err != nil {
		return err
	}
	years := cal.Years()
	if len(years) == 0 {
		return nil
	}
	days, err := cal.Days(calendar.Day(years[0], 1, 1), calendar.Day(years[len(years)-1], 12, 31))
	if err != nil {
		return fmt.Errorf("analytics: calendar: %w", err)
	}
	if _, err := conn.ExecContext(ctx, queries.SQL("calendar_clear")); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "", "main", "calendar")
		if err != nil {
			return err
		}
		for _, d := range days {
			var name driver.Value
			if d.Name != "" {
				name = d.Name
			}
			if err := a.AppendRow(d.Date, d.Working, int32(d.Seq), name); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
}

// ensureCalendar fills the calendar table on a new database.
func (s *Store) ensureCalendar(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM calendar").Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return inTx(ctx, conn, func() error { return rebuildCalendar(ctx, conn) })
}

// DueWorking computes a due date through the calendar table (for checks and SQL parity tests).
func (s *Store) DueWorking(ctx context.Context, received time.Time, n int) (time.Time, bool, error) {
	var due sql.NullTime
	err := s.db.QueryRowContext(ctx, queries.SQL("calendar_due_working"), n, n, received).Scan(&due)
	if err == sql.ErrNoRows {
		return time.Time{}, false, nil
	}
	return due.Time, due.Valid, err
}
