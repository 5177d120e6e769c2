package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// ErrRunInputsGone is returned (wrapped) when the inputs of a stored
// computation are neither stored with it nor still the current ones.
var ErrRunInputsGone = errors.New("the inputs of this computation are no longer available")

// RunInputs are the scoring inputs of one stored computation of a round,
// with the departments as that computation ranked them (id and category).
type RunInputs struct {
	Inputs RoundInputs
	Units  []Unit
}

// UnitInputs turns the stored inputs into scoring inputs of the run's
// departments.
func (r RunInputs) UnitInputs() []scoring.UnitInput {
	return r.Inputs.UnitInputs(r.Units, "department")
}

// RunInputs reads the inputs a stored computation of a round read under
// sch (its scheme). They are stored with the run; a run stored before that
// uses the current inputs only while their fingerprint still matches the
// run's, and otherwise fails with ErrRunInputsGone.
func (s *Store) RunInputs(ctx context.Context, round string, version int, sch scoring.Scheme) (RunInputs, error) {
	run, err := s.scoreRun(ctx, round, version)
	if err != nil {
		return RunInputs{}, err
	}
	rk, err := s.rankingOfRun(ctx, round, run)
	if err != nil {
		return RunInputs{}, err
	}
	out := RunInputs{}
	for _, u := range rk.Units {
		out.Units = append(out.Units, Unit{ID: u.UnitID, Name: u.Name, Kind: "department", Category: u.Category})
	}
	sort.Slice(out.Units, func(i, j int) bool { return out.Units[i].ID < out.Units[j].ID })
	var js string
	err = s.db.QueryRowContext(ctx, queries.SQL("score_run_inputs_get"), run.RunID).Scan(&js)
	switch {
	case err == nil:
		if err := json.Unmarshal([]byte(js), &out.Inputs); err != nil {
			return RunInputs{}, fmt.Errorf("analytics: inputs of %s version %d: %w", round, version, err)
		}
		return out, nil
	case !errors.Is(err, sql.ErrNoRows):
		return RunInputs{}, fmt.Errorf("analytics: inputs of %s version %d: %w", round, version, err)
	}
	in, err := s.ScoringInputs(ctx, round, sch)
	if err != nil {
		return RunInputs{}, err
	}
	b, err := json.Marshal(in)
	if err != nil {
		return RunInputs{}, err
	}
	if sha(b) != run.InputsFingerprint {
		return RunInputs{}, fmt.Errorf("%w: %s version %d", ErrRunInputsGone, round, version)
	}
	out.Inputs = in
	return out, nil
}
