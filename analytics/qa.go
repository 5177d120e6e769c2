package analytics

import (
	"context"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// PeerQA are a round's peer-evaluation diagnostics. They inform the office
// and never change a score.
type PeerQA struct {
	Round string `json:"round"`
	// KendallW is the evaluators' agreement on the order of the units (0–1,
	// Kendall's W for an incomplete design); nil when it cannot be computed.
	KendallW   *float64            `json:"kendall_w"`
	Evaluators []EvaluatorLeniency `json:"evaluators"`
	// SameScore lists evaluators who gave every unit they scored the same score.
	SameScore []string `json:"same_score_evaluators"`
	// IndicatorWeights compares the scheme's weights with entropy weights
	// (filled by the caller from EntropyDiagnostic; nil when not computed).
	IndicatorWeights []IndicatorWeight `json:"indicator_weights,omitempty"`
}

// EvaluatorLeniency is one evaluator's offset from an additive model of the
// scores (positive: more lenient than the others) and its robust z.
type EvaluatorLeniency struct {
	EvaluatorID string  `json:"evaluator_id"`
	Scores      int     `json:"scores"`
	Offset      float64 `json:"offset"`
	Z           float64 `json:"z"`
	Flagged     bool    `json:"flagged"`
}

// PeerQA computes the diagnostics of a round from its stored peer scores. An
// evaluator who scored a unit in two groups counts with the mean of the two.
func (s *Store) PeerQA(ctx context.Context, round string) (PeerQA, error) {
	peer, err := s.PeerRows(ctx, round)
	if err != nil {
		return PeerQA{}, err
	}
	type key struct{ ev, unit string }
	sum, n := map[key]float64{}, map[key]int{}
	var order []key
	for _, p := range peer {
		k := key{p.EvaluatorID, p.UnitID}
		if n[k] == 0 {
			order = append(order, k)
		}
		sum[k] += p.Score
		n[k]++
	}
	ratings := map[string]map[string]float64{}
	rows := make([]scoring.PeerScoreRow, 0, len(order))
	for _, k := range order {
		v := sum[k] / float64(n[k])
		if ratings[k.ev] == nil {
			ratings[k.ev] = map[string]float64{}
		}
		ratings[k.ev][k.unit] = v
		rows = append(rows, scoring.PeerScoreRow{EvaluatorID: k.ev, UnitID: k.unit, Score: v})
	}
	qa := PeerQA{Round: round, SameScore: scoring.SameScoreEvaluators(rows)}
	if w, ok := scoring.KendallW(ratings); ok {
		qa.KendallW = &w
	}
	for _, o := range scoring.Leniency(rows) {
		qa.Evaluators = append(qa.Evaluators, EvaluatorLeniency{EvaluatorID: o.EvaluatorID, Scores: o.N, Offset: o.Offset, Z: o.Z, Flagged: o.Flagged})
	}
	if qa.SameScore == nil {
		qa.SameScore = []string{}
	}
	return qa, nil
}
