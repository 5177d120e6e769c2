package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// resolveAsOf reads a date-dependent command's as-of flag: empty means the
// earlier of today and the last day of imported data
// (analytics.ResolveAsOf). A defaulted day is written, with why, to the
// error stream (JSON and CSV output stay clean); a given day is the user's.
func (a *app) resolveAsOf(ctx context.Context, st *analytics.Store, flag, value string) (time.Time, error) {
	as, err := st.ResolveAsOf(ctx, time.Now(), value)
	if errors.Is(err, analytics.ErrBadAsOf) {
		return time.Time{}, fmt.Errorf("--%s %q is not a date (YYYY-MM-DD)", flag, value)
	}
	if err != nil {
		return time.Time{}, err
	}
	if !as.Chosen {
		fmt.Fprintln(a.errOut, as.Note)
	}
	return as.Day, nil
}

// checkAsOfFlag refuses a malformed as-of flag before the database is opened.
func checkAsOfFlag(flag, value string) error {
	if value == "" {
		return nil
	}
	_, err := parseDateFlag(flag, value)
	return err
}
