package analytics

import (
	"context"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// IndicatorWeight compares, for one indicator of a round, the share of the
// points the scheme gives it with its entropy weight: how much the
// indicator actually separated the units. A diagnostic only.
type IndicatorWeight struct {
	Indicator string  `json:"indicator"`
	Label     string  `json:"label"`
	Scheme    float64 `json:"scheme_weight"`
	Entropy   float64 `json:"entropy_weight"`
}

// EntropyDiagnostic computes the entropy weights of the nine indicators of
// a round over the ranked units of the newest stored result that have a value
// for every indicator (lower-is-better rates turned round), beside each
// indicator's share of the scheme's nominal points. It returns nil when
// fewer than 2 units qualify or no indicator varies.
func (s *Store) EntropyDiagnostic(ctx context.Context, round string, sc scoring.Scheme) ([]IndicatorWeight, error) {
	rk, err := s.Ranking(ctx, round)
	if err != nil {
		return nil, err
	}
	names := append(append(append([]string{scoring.IndPeerMean}, scoring.ServiceIndicators...), scoring.ComplaintIndicators...), scoring.IndSurveyMean)
	points := map[string]float64{scoring.IndPeerMean: sc.PeerPoints, scoring.IndSurveyMean: sc.SatisfactionPoints}
	var total float64
	for _, n := range names {
		if r := sc.Rule(n); r != nil {
			points[n] = r.Points
		}
		total += points[n]
	}
	cols := make([][]float64, len(names))
	for _, u := range rk.Units {
		if u.Rank == nil {
			continue
		}
		row := make([]float64, len(names))
		complete := true
		for j, n := range names {
			ind, ok := u.Indicators[n]
			if !ok || ind.Value == nil {
				complete = false
				break
			}
			row[j] = *ind.Value
			if r := sc.Rule(n); r != nil && r.Direction == scoring.DirectionLower {
				row[j] = -row[j]
			}
		}
		if complete {
			for j := range names {
				cols[j] = append(cols[j], row[j])
			}
		}
	}
	w, ok := scoring.EntropyWeights(cols)
	if !ok {
		return nil, nil
	}
	out := make([]IndicatorWeight, len(names))
	for j, n := range names {
		out[j] = IndicatorWeight{Indicator: n, Label: scoring.IndicatorLabels[n], Entropy: w[j]}
		if total > 0 {
			out[j].Scheme = points[n] / total
		}
	}
	return out, nil
}
