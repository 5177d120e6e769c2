package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// Facts about one unit that the unit page shows beside its score, never in
// it: survey results per dimension, and how fast complaints were first
// responded to and how many efficiency complaints were substantiated.

// SurveyDimension is one dimension's answers of a unit in a round and in
// the round's year; a mean is 0 when its n is 0.
type SurveyDimension struct {
	Dimension           string
	RoundN, YearN       int
	RoundMean, YearMean float64
}

// ComplaintFacts are a unit's complaints received in a period.
type ComplaintFacts struct {
	Received, Responded, Responded1WD  int // first responded within 1 working day of receipt
	Efficiency, Checked, Substantiated int // efficiency complaints; with 是否查实 given; found substantiated
}

// UnitSurveyDimensions lists a unit's survey answers per dimension in the
// period p and in p's calendar year, by dimension name.
func (s *Store) UnitSurveyDimensions(ctx context.Context, unitID string, p Period) ([]SurveyDimension, error) {
	ys := time.Date(p.Start.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	ye := time.Date(p.Start.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	var out []SurveyDimension
	err := s.eachRow(ctx, queries.SQL("unit_survey_dimensions"), []any{unitID, p.Start, p.End, ys, ye}, func(r *sql.Rows) error {
		var d SurveyDimension
		var rs, ysum float64
		if err := r.Scan(&d.Dimension, &d.RoundN, &rs, &d.YearN, &ysum); err != nil {
			return err
		}
		if d.RoundN > 0 {
			d.RoundMean = rs / float64(d.RoundN)
		}
		if d.YearN > 0 {
			d.YearMean = ysum / float64(d.YearN)
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: survey dimensions of %s: %w", unitID, err)
	}
	return out, nil
}

// UnitComplaintFacts counts a unit's complaints received in the period p.
func (s *Store) UnitComplaintFacts(ctx context.Context, unitID string, p Period) (ComplaintFacts, error) {
	var f ComplaintFacts
	err := s.db.QueryRowContext(ctx, queries.SQL("unit_complaint_facts"), unitID, p.Start, p.End).
		Scan(&f.Received, &f.Responded, &f.Responded1WD, &f.Efficiency, &f.Checked, &f.Substantiated)
	if err != nil {
		return f, fmt.Errorf("analytics: complaint facts of %s: %w", unitID, err)
	}
	return f, nil
}
