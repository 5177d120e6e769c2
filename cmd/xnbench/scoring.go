package main

import (
	"context"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// benchScoring times scoring one round end to end (warm: the second run) and
// DuckDB executing the same indicator statements alone, rows drained.
func benchScoring(ctx context.Context, st *analytics.Store, round string) ([]row, error) {
	var took time.Duration
	for i := 0; i < 2; i++ {
		t := time.Now()
		if _, err := st.ScoreRound(ctx, round, scoring.DefaultScheme(), "bench", time.Now()); err != nil {
			return nil, err
		}
		took = time.Since(t)
	}
	p, err := analytics.ParseRound(round)
	if err != nil {
		return nil, err
	}
	statements := []struct {
		sql  string
		args []any
	}{
		{queries.SQL("indicators_cases"), []any{p.Start, p.End}},
		{queries.SQL("indicators_complaints"), []any{p.Start, p.End}},
		{queries.SQL("indicators_surveys"), []any{p.Start, p.End, scoring.DefaultWenzhengSurvey}},
		{queries.SQL("indicators_deductions"), []any{p.Start, p.End}},
		{queries.SQL("peer_scores_round"), []any{round}},
	}
	var alone time.Duration
	for i := 0; i < 2; i++ {
		t := time.Now()
		for _, s := range statements {
			rows, err := st.DB().QueryContext(ctx, s.sql, s.args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
			}
			rows.Close()
		}
		alone = time.Since(t)
	}
	in, err := st.ScoringInputs(ctx, round, scoring.DefaultScheme())
	if err != nil {
		return nil, err
	}
	units, err := st.Units(ctx)
	if err != nil {
		return nil, err
	}
	inputs := in.UnitInputs(units, "department")
	ro := scoring.DefaultRobustOptions()
	ro.Seed = analytics.RobustSeed
	t := time.Now()
	scoring.Robustness(inputs, scoring.DefaultScheme(), ro)
	robust := time.Since(t)
	return []row{
		{fmt.Sprintf("robustness: %d runs for %d units", ro.Runs, len(inputs)), fmt.Sprintf("%.3f s", robust.Seconds()), "≤ 1 s", "weights ±25%, trimming on/off, evaluator bootstrap; part of every score run"},
		{"score one round end to end (" + round + ", warm)", fmt.Sprintf("%.3f s", took.Seconds()), "≤ 2 s", "indicator SQL, scoring, storing the versioned result"},
		{"the same indicator SQL alone in DuckDB", fmt.Sprintf("%.3f s", alone.Seconds()), "", "the five statements, rows drained"},
		{"scoring ÷ its SQL alone", fmt.Sprintf("%.2f×", took.Seconds()/alone.Seconds()), "≤ 1.5×", ""},
	}, nil
}
