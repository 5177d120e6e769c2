package analytics

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/xiaoneng/xiaoneng/queries"
)

// EvaluatorParticipation is one evaluator and the number of peer scores they
// gave in a round (0: did not take part).
type EvaluatorParticipation struct {
	EvaluatorID string `json:"evaluator_id"`
	Name        string `json:"name"`
	Class       string `json:"class"`
	Scores      int    `json:"scores"`
}

// PeerParticipation lists every evaluator with their number of scores in the
// round, by class and evaluator_id.
func (s *Store) PeerParticipation(ctx context.Context, round string) ([]EvaluatorParticipation, error) {
	if _, err := ParseRound(round); err != nil {
		return nil, err
	}
	var out []EvaluatorParticipation
	err := s.eachRow(ctx, queries.SQL("peer_participation"), []any{round}, func(r *sql.Rows) error {
		var e EvaluatorParticipation
		if err := r.Scan(&e.EvaluatorID, &e.Name, &e.Class, &e.Scores); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: participation in %s: %w", round, err)
	}
	return out, nil
}
