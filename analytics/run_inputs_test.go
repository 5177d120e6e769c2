package analytics

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

func TestRunInputs(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	importFolder(t, s, "../fixtures/handcheck/full_round")
	at := time.Date(2019, 3, 5, 9, 0, 0, 0, time.UTC)
	sch := scoring.DefaultScheme()
	v1, err := s.ScoreRound(ctx, "2019-B1", sch, "test", at)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the stored inputs reproduce the run", func(t *testing.T) {
		in, err := s.RunInputs(ctx, "2019-B1", v1.Version, sch)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(in.Inputs)
		if sha(b) != v1.InputsFingerprint {
			t.Errorf("stored inputs do not match the run's fingerprint")
		}
		res := scoring.ComputeRound(in.UnitInputs(), sch)
		if len(res) != len(v1.Units) {
			t.Fatalf("%d results, %d in the run", len(res), len(v1.Units))
		}
		for i, r := range res {
			u := v1.Units[i]
			if r.UnitID != u.UnitID || r.Ranked != (u.Score != nil) || (r.Ranked && r.Score != *u.Score) {
				t.Errorf("#%d: %s %v, run %s %v", i, r.UnitID, r.Score, u.UnitID, u.Score)
			}
		}
	})
	t.Run("a run without stored inputs uses unchanged current inputs", func(t *testing.T) {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM score_run_inputs`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RunInputs(ctx, "2019-B1", v1.Version, sch); err != nil {
			t.Errorf("unchanged inputs: %v", err)
		}
	})
	t.Run("a run without stored inputs fails once the inputs changed", func(t *testing.T) {
		dir := t.TempDir()
		p := writeFile(t, dir, "deductions-extra.csv", "deduction_id,unit_id,date,points,reason\nKFTEST-1,F01,2019-02-10,3,测试\n")
		if _, err := s.ImportFile(ctx, p, ImportOptions{Kind: "deductions"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RunInputs(ctx, "2019-B1", v1.Version, sch); !errors.Is(err, ErrRunInputsGone) {
			t.Errorf("changed inputs: %v, want ErrRunInputsGone", err)
		}
	})
}
