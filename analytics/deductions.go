package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// DeductionItem is one deduction (扣分事项) as imported: the bulletin lists
// each with its date, points and reason under its unit.
type DeductionItem struct {
	ID, UnitID string
	Date       time.Time // a whole day, UTC
	Points     float64   // before any cap
	Reason     string
}

// DeductionItems lists the deduction items dated in a round, ordered by
// unit_id, date and id. A round without deductions gives an empty list.
func (s *Store) DeductionItems(ctx context.Context, round string) ([]DeductionItem, error) {
	p, err := ParseRound(round)
	if err != nil {
		return nil, err
	}
	var out []DeductionItem
	err = s.eachRow(ctx, queries.SQL("deductions_round"), []any{p.Start, p.End}, func(r *sql.Rows) error {
		var d DeductionItem
		if err := r.Scan(&d.ID, &d.UnitID, &d.Date, &d.Points, &d.Reason); err != nil {
			return err
		}
		d.Date = time.Date(d.Date.Year(), d.Date.Month(), d.Date.Day(), 0, 0, 0, 0, time.UTC)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: deductions_round for %s: %w", round, err)
	}
	return out, nil
}
