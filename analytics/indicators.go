package analytics

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// CaseCounts are one unit's service-efficiency counts in a period.
type CaseCounts struct{ Received, Online, OneVisit, Instant, OnTime, Overdue int64 }

// ComplaintCounts are one unit's complaint-handling counts in a period.
type ComplaintCounts struct{ OnTime, Overdue, Closed, Resolved, Rated, Favourable int64 }

// SurveyCounts are one unit's answers of one respondent type in a period.
type SurveyCounts struct {
	Answers  int64
	ScoreSum float64
}

// Deduction is one unit's deduction points dated in a period, before the cap.
type Deduction struct {
	Items  int64
	Points float64
}

// PeerRow is one peer score of a round with the evaluator's class.
type PeerRow struct {
	UnitID, EvaluatorID, Class, GroupID string
	Score                               float64
}

// RoundInputs are the stored inputs of one round as plain values, keyed by unit_id.
type RoundInputs struct {
	Period     Period
	Cases      map[string]CaseCounts
	Complaints map[string]ComplaintCounts
	Surveys    map[string]map[string]SurveyCounts // unit → respondent type
	Deductions map[string]Deduction
	Peer       []PeerRow
	// Tasks are the 督办 counts of the round (PeriodTaskRatios), present
	// only when the scheme scores the 督办落实 part (ScoringInputs), so that
	// the inputs and their fingerprint are otherwise what they always were.
	Tasks map[string]TaskRatios `json:",omitempty"`
}

// RoundInputs runs the indicator queries for a round; the answers of the
// default year survey (效能问政) are left out of the survey counts.
func (s *Store) RoundInputs(ctx context.Context, round string) (RoundInputs, error) {
	return s.roundInputs(ctx, round, scoring.DefaultWenzhengSurvey)
}

// roundInputs runs the indicator queries for a round, leaving the answers
// of the survey named wenzheng out of the survey counts: they count only in
// the year composite.
func (s *Store) roundInputs(ctx context.Context, round, wenzheng string) (RoundInputs, error) {
	p, err := ParseRound(round)
	if err != nil {
		return RoundInputs{}, err
	}
	return s.inputs(ctx, p, round, wenzheng)
}

// ScoringInputs are RoundInputs with, when the scheme scores the 督办落实
// part, the round's task counts: what a scoring run of the round under the
// scheme reads. A task due date the calendar cannot resolve fails only a
// scheme with that part.
func (s *Store) ScoringInputs(ctx context.Context, round string, sch scoring.Scheme) (RoundInputs, error) {
	in, err := s.roundInputs(ctx, round, sch.Year.SurveyName())
	if err != nil || !sch.HasTasksPart() {
		return in, err
	}
	if in.Tasks, err = s.PeriodTaskRatios(ctx, in.Period); err != nil {
		return RoundInputs{}, err
	}
	return in, nil
}

// PeriodInputs runs the indicator statements of RoundInputs for any period
// (e.g. one month for a target's trend), without the peer scores.
func (s *Store) PeriodInputs(ctx context.Context, p Period) (RoundInputs, error) {
	return s.inputs(ctx, p, "", scoring.DefaultWenzhengSurvey)
}

// inputs runs the indicator statements for a period, and the peer scores of
// the round when round is not empty; the survey counts leave out the
// answers of the survey named wenzheng.
func (s *Store) inputs(ctx context.Context, p Period, round, wenzheng string) (RoundInputs, error) {
	in := RoundInputs{Period: p, Cases: map[string]CaseCounts{}, Complaints: map[string]ComplaintCounts{},
		Surveys: map[string]map[string]SurveyCounts{}, Deductions: map[string]Deduction{}}
	steps := []struct {
		name, sql string
		args      []any
		scan      func(*sql.Rows) error
	}{
		{"indicators_cases", queries.SQL("indicators_cases"), []any{p.Start, p.End}, func(r *sql.Rows) error {
			var u string
			var c CaseCounts
			var missing, year int64
			if err := r.Scan(&u, &c.Received, &c.Online, &c.OneVisit, &c.Instant, &c.OnTime, &c.Overdue, &missing, &year); err != nil {
				return err
			}
			in.Cases[u] = c
			return calendarGap("cases", missing, year)
		}},
		{"indicators_complaints", queries.SQL("indicators_complaints"), []any{p.Start, p.End}, func(r *sql.Rows) error {
			var u string
			var c ComplaintCounts
			var missing, year int64
			if err := r.Scan(&u, &c.OnTime, &c.Overdue, &c.Closed, &c.Resolved, &c.Rated, &c.Favourable, &missing, &year); err != nil {
				return err
			}
			in.Complaints[u] = c
			return calendarGap("complaints", missing, year)
		}},
		{"indicators_surveys", queries.SQL("indicators_surveys"), []any{p.Start, p.End, wenzheng}, func(r *sql.Rows) error {
			var u, t string
			var c SurveyCounts
			if err := r.Scan(&u, &t, &c.Answers, &c.ScoreSum); err != nil {
				return err
			}
			if in.Surveys[u] == nil {
				in.Surveys[u] = map[string]SurveyCounts{}
			}
			in.Surveys[u][t] = c
			return nil
		}},
		{"indicators_deductions", queries.SQL("indicators_deductions"), []any{p.Start, p.End}, func(r *sql.Rows) error {
			var u string
			var d Deduction
			if err := r.Scan(&u, &d.Items, &d.Points); err != nil {
				return err
			}
			in.Deductions[u] = d
			return nil
		}},
		{"peer_scores_round", queries.SQL("peer_scores_round"), []any{round}, func(r *sql.Rows) error {
			pr, err := scanPeerRow(r)
			in.Peer = append(in.Peer, pr)
			return err
		}},
	}
	if round == "" {
		steps = steps[:len(steps)-1] // no peer scores outside a round
	}
	for _, st := range steps {
		if err := s.eachRow(ctx, st.sql, st.args, st.scan); err != nil {
			return RoundInputs{}, fmt.Errorf("analytics: %s for %s: %w", st.name, p.Name, err)
		}
	}
	return in, nil
}

// calendarGap refuses to score when a deadline lies beyond the known calendar,
// rather than guess Monday–Friday.
func calendarGap(what string, missing, year int64) error {
	if missing == 0 {
		return nil
	}
	return fmt.Errorf("%d %s received from %d on have a receipt or due date outside the working-day calendar; import holidays.csv for the missing year", missing, what, year)
}

// eachRow runs one statement and scans every row of its result.
func (s *Store) eachRow(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanPeerRow reads one row of peer_scores_round.
func scanPeerRow(r *sql.Rows) (PeerRow, error) {
	var pr PeerRow
	err := r.Scan(&pr.UnitID, &pr.EvaluatorID, &pr.Class, &pr.GroupID, &pr.Score)
	return pr, err
}

// PeerRows reads a round's peer scores alone (what the QA diagnostics need),
// without the indicator statements of RoundInputs.
func (s *Store) PeerRows(ctx context.Context, round string) ([]PeerRow, error) {
	if _, err := ParseRound(round); err != nil {
		return nil, err
	}
	var out []PeerRow
	err := s.eachRow(ctx, queries.SQL("peer_scores_round"), []any{round}, func(r *sql.Rows) error {
		pr, err := scanPeerRow(r)
		out = append(out, pr)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: peer_scores_round for %s: %w", round, err)
	}
	return out, nil
}
