package analytics

import (
	"context"
	"errors"
	"fmt"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// ErrSchemeMismatch is returned (wrapped) when a round was scored under a
// scheme other than the one given to ExplainScheme.
var ErrSchemeMismatch = errors.New("round was scored under another scheme")

// Explain explains a unit's result in the newest stored version of a round
// that was scored under the default scheme (scoring.DefaultScheme).
func (s *Store) Explain(ctx context.Context, round, unitID string) (scoring.Explanation, error) {
	return s.ExplainScheme(ctx, round, unitID, scoring.DefaultScheme())
}

// ExplainScheme explains a unit's result in the newest stored version of a
// round, taking the parts' nominal points from scheme, which must be the
// scheme the round was scored under (same hash).
func (s *Store) ExplainScheme(ctx context.Context, round, unitID string, scheme scoring.Scheme) (scoring.Explanation, error) {
	rk, err := s.Ranking(ctx, round)
	if err != nil {
		return scoring.Explanation{}, err
	}
	if h := scoring.SchemeHash(scheme); h != rk.SchemeHash {
		return scoring.Explanation{}, fmt.Errorf("%w: %s version %d has scheme %.12s, not %.12s (pass the scheme file it was scored with)",
			ErrSchemeMismatch, round, rk.Version, rk.SchemeHash, h)
	}
	e, err := scoring.Explain(ExplainUnits(rk, scheme), unitID)
	if err != nil {
		return e, fmt.Errorf("analytics: explain %s in %s: %w", unitID, round, err)
	}
	return e, nil
}

// ExplainUnits turns a stored ranking into the input of scoring.Explain.
func ExplainUnits(rk Ranking, scheme scoring.Scheme) []scoring.ExplainUnit {
	nom := scoring.NominalPoints(scheme)
	out := make([]scoring.ExplainUnit, 0, len(rk.Units))
	for _, u := range rk.Units {
		out = append(out, scoring.ExplainUnit{UnitID: u.UnitID, Name: u.Name, Category: u.Category,
			Score: u.Score, Rank: u.Rank, Parts: u.Parts, Indicators: u.Indicators, Nominal: nom})
	}
	return out
}
