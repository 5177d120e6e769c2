package analytics

import (
	"context"
	"database/sql"
	"fmt"

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
