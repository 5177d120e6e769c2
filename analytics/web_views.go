package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// The web dashboard's views that the other commands do not need: the
// default periods of its pages, taken from the data rather than the clock
// (a city imports last month's data; "today" would show nothing).

// LatestProjectMonth is the newest month (YYYY-MM) with key-project
// progress; ok is false when no progress was imported.
func (s *Store) LatestProjectMonth(ctx context.Context) (month string, ok bool, err error) {
	var m sql.NullString
	if err := s.db.QueryRowContext(ctx, queries.SQL("projects_latest_month")).Scan(&m); err != nil {
		return "", false, fmt.Errorf("analytics: latest project month: %w", err)
	}
	return m.String, m.Valid && m.String != "", nil
}

// LatestActivityDay is the last day on which a case or complaint was
// received or a document step started (a whole day, UTC); ok is false when
// there is none.
func (s *Store) LatestActivityDay(ctx context.Context) (day time.Time, ok bool, err error) {
	var d sql.NullTime
	if err := s.db.QueryRowContext(ctx, queries.SQL("alerts_latest_day")).Scan(&d); err != nil {
		return time.Time{}, false, fmt.Errorf("analytics: latest activity day: %w", err)
	}
	if !d.Valid {
		return time.Time{}, false, nil
	}
	t := d.Time
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true, nil
}
