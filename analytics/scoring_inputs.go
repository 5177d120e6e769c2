package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Unit is one row of the units table.
type Unit struct{ ID, Name, Kind, Category string }

// Units lists every unit by unit_id.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	var out []Unit
	err := s.eachRow(ctx, queries.SQL("units_list"), nil, func(r *sql.Rows) error {
		var u Unit
		if err := r.Scan(&u.ID, &u.Name, &u.Kind, &u.Category); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: units: %w", err)
	}
	return out, nil
}

// UnitInputs turns a round's stored counts into scoring inputs for the units
// of the given kind (CONTRACT §3: a round scores the departments). Rates are
// passed as numerator and denominator, so a zero denominator is "no data";
// a respondent type's answers are passed as their mean, which is all the
// satisfaction part uses.
func (in RoundInputs) UnitInputs(units []Unit, kind string) []scoring.UnitInput {
	peer := map[string][]scoring.PeerScore{}
	for _, p := range in.Peer {
		peer[p.UnitID] = append(peer[p.UnitID], scoring.PeerScore{EvaluatorID: p.EvaluatorID, Class: p.Class, Score: p.Score})
	}
	var out []scoring.UnitInput
	for _, u := range units {
		if u.Kind != kind {
			continue
		}
		c, k := in.Cases[u.ID], in.Complaints[u.ID]
		ui := scoring.UnitInput{
			UnitID: u.ID, Category: u.Category, Peer: peer[u.ID],
			OnTime:          scoring.Ratio{Num: int(c.OnTime), Den: int(c.OnTime + c.Overdue)},
			Online:          scoring.Ratio{Num: int(c.Online), Den: int(c.Received)},
			OneVisit:        scoring.Ratio{Num: int(c.OneVisit), Den: int(c.Received)},
			Instant:         scoring.Ratio{Num: int(c.Instant), Den: int(c.Received)},
			ComplaintOnTime: scoring.Ratio{Num: int(k.OnTime), Den: int(k.OnTime + k.Overdue)},
			Resolution:      scoring.Ratio{Num: int(k.Resolved), Den: int(k.Closed)},
			Favourable:      scoring.Ratio{Num: int(k.Favourable), Den: int(k.Rated)},
		}
		types := make([]string, 0, len(in.Surveys[u.ID]))
		for t := range in.Surveys[u.ID] {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			sc := in.Surveys[u.ID][t]
			ui.Surveys = append(ui.Surveys, scoring.SurveyResponse{RespondentType: t, Score: sc.ScoreSum / float64(sc.Answers), Answers: int(sc.Answers)})
		}
		if d, ok := in.Deductions[u.ID]; ok {
			ui.Deductions = []float64{d.Points}
		}
		if t, ok := in.Tasks[u.ID]; ok {
			ui.TaskLead, ui.TaskCoop = t.Lead, t.Coop
		}
		out = append(out, ui)
	}
	return out
}
