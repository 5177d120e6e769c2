package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// The as-of date of every date-dependent page and command (CONTRACT §7): by
// default the earlier of today and the last day of imported data, so that a
// city whose data ends in 2019 is not judged as of today's wall clock.

// DataLastDay is the last day of imported data (queries/data_last_day.sql),
// as a whole day in UTC; ok is false when no data kind holds a dated row.
func (s *Store) DataLastDay(ctx context.Context) (day time.Time, ok bool, err error) {
	var d sql.NullTime
	if err := s.db.QueryRowContext(ctx, queries.SQL("data_last_day")).Scan(&d); err != nil {
		return time.Time{}, false, fmt.Errorf("analytics: last day of data: %w", err)
	}
	if !d.Valid {
		return time.Time{}, false, nil
	}
	return civil(d.Time), true, nil
}

// DefaultAsOf is the default as-of day: the earlier of now's civil date
// (in now's location) and DataLastDay; now's date when there is no data.
// The result is a whole day in UTC.
func (s *Store) DefaultAsOf(ctx context.Context, now time.Time) (time.Time, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	last, ok, err := s.DataLastDay(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return EarlierAsOf(today, last, ok), nil
}

// EarlierAsOf is DefaultAsOf's rule on its two days: last when the data
// has one (ok) and it is before today, today otherwise.
func EarlierAsOf(today, last time.Time, ok bool) time.Time {
	if ok && last.Before(today) {
		return last
	}
	return today
}

// AsOfNote says which as-of day a page or command used and why, in the
// words shown to users: the data's last day when the default fell on it,
// today's date when today came first, or the day the user chose.
func AsOfNote(day time.Time, chosen bool, last time.Time, lastOK bool) string {
	d := day.Format("2006-01-02")
	switch {
	case chosen:
		return "按所选日期 " + d + " 计算"
	case lastOK && day.Equal(last):
		return "数据截至 " + d + ",按此日期计算"
	}
	return "按今天 " + d + " 计算"
}

// ErrBadAsOf: an as-of value that is not a date YYYY-MM-DD.
var ErrBadAsOf = errors.New("as-of date is not YYYY-MM-DD")

// AsOf is the as-of day a page or command uses.
type AsOf struct {
	Day    time.Time // a whole day in UTC
	Chosen bool      // the user gave the day
	Note   string    // AsOfNote's words
}

// ResolveAsOf reads a user's as-of value: empty means DefaultAsOf(now); a
// value must be a date YYYY-MM-DD from 1900 on (ErrBadAsOf otherwise). The
// note says which day was used.
func (s *Store) ResolveAsOf(ctx context.Context, now time.Time, value string) (AsOf, error) {
	last, ok, err := s.DataLastDay(ctx)
	if err != nil {
		return AsOf{}, err
	}
	value = strings.TrimSpace(value)
	if value != "" {
		d, err := time.Parse("2006-01-02", value)
		if err != nil || d.Year() < 1900 {
			return AsOf{}, fmt.Errorf("%w: %q", ErrBadAsOf, value)
		}
		return AsOf{Day: d, Chosen: true, Note: AsOfNote(d, true, last, ok)}, nil
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	d := EarlierAsOf(today, last, ok)
	return AsOf{Day: d, Note: AsOfNote(d, false, last, ok)}, nil
}
