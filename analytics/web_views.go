package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The web dashboard's views that the other commands do not need: the
// default periods of its pages, taken from the data rather than the clock
// (a city imports last month's data; "today" would show nothing), and the
// year composite over the rankings leaders may see.

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

// AnnualOf computes the year composite like Annual, but from the round
// rankings given (the published versions, for leaders) instead of each
// round's newest computation; rankings of other years are ignored. With no
// ranking of the year it returns ErrNotScored.
func (s *Store) AnnualOf(ctx context.Context, year int, sc scoring.Scheme, rankings []Ranking) (AnnualRanking, error) {
	out := AnnualRanking{Year: year, AsOf: fmt.Sprintf("%d-12-31", year)}
	units, err := s.Units(ctx)
	if err != nil {
		return out, err
	}
	inputs := map[string]*scoring.AnnualInput{}
	for _, u := range units {
		if u.Kind == "department" {
			inputs[u.ID] = &scoring.AnnualInput{UnitID: u.ID, Category: u.Category, RoundScores: map[string]float64{}}
		}
	}
	used := 0
	for _, rk := range rankings {
		p, err := ParseRound(rk.Round)
		if err != nil || p.Start.Year() != year {
			continue
		}
		used++
		for _, u := range rk.Units {
			if in := inputs[u.UnitID]; in != nil && u.Score != nil {
				in.RoundScores[rk.Round] = *u.Score
			}
		}
	}
	if used == 0 {
		return out, fmt.Errorf("%w: no round of %d", ErrNotScored, year)
	}
	start, end := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	err = s.eachRow(ctx, queries.SQL("surveys_year_mean"), []any{start, end, AnnualSurvey}, func(r *sql.Rows) error {
		var id string
		var n int64
		var sum float64
		if err := r.Scan(&id, &n, &sum); err != nil {
			return err
		}
		if in := inputs[id]; in != nil && n > 0 {
			m := sum / float64(n)
			in.SurveyMean = &m
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("analytics: annual survey: %w", err)
	}
	list := make([]scoring.AnnualInput, 0, len(inputs))
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
		if in := inputs[u.ID]; in != nil {
			list = append(list, *in)
		}
	}
	for _, r := range scoring.Annual(list, sc.Year, sc.Tiers, sc.DenseRank) {
		out.Units = append(out.Units, annualUnit(r, names[r.UnitID], inputs[r.UnitID].RoundScores))
	}
	return out, nil
}
