package analytics

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

func TestScoreRoundStoresVersionsAndReadsBack(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	importFolder(t, s, "../fixtures/handcheck/full_round")
	if _, err := s.Ranking(ctx, "2019-B1"); !errors.Is(err, ErrNotScored) {
		t.Fatalf("before scoring: got %v, want ErrNotScored", err)
	}
	at := time.Date(2019, 3, 5, 9, 0, 0, 0, time.UTC)
	first, err := s.ScoreRound(ctx, "2019-B1", rawScheme(), "test", at)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.ScoreRound(ctx, "2019-B1", rawScheme(), "test", at)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a re-computation is a new version, never an overwrite", func(t *testing.T) {
		if first.Version != 1 || second.Version != 2 {
			t.Errorf("versions %d, %d; want 1, 2", first.Version, second.Version)
		}
	})
	t.Run("same inputs and scheme give byte-identical results", func(t *testing.T) {
		a, _ := json.Marshal(first.Units)
		b, _ := json.Marshal(second.Units)
		if string(a) != string(b) || first.SchemeHash != second.SchemeHash || first.InputsFingerprint != second.InputsFingerprint {
			t.Errorf("results differ between identical runs")
		}
	})
	stored, err := s.Ranking(ctx, "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the stored ranking reads back as computed", func(t *testing.T) {
		a, _ := json.Marshal(second)
		b, _ := json.Marshal(stored)
		if string(a) != string(b) {
			t.Errorf("stored\n%s\ncomputed\n%s", b, a)
		}
	})
	t.Run("contract fields for a ranked and an unranked unit", func(t *testing.T) {
		if stored.AsOf != "2019-02-28" || len(stored.Units) != 5 {
			t.Fatalf("as_of %s, %d units", stored.AsOf, len(stored.Units))
		}
		f04, f00 := stored.Units[3], stored.Units[4]
		if f04.UnitID != "F04" || *f04.Score != 69.25 || *f04.Rank != 4 || *f04.Parts["peer"] != 52.5 || f04.Parts["service"] != nil || *f04.Parts["deductions"] != 10 {
			t.Errorf("F04: %+v", f04)
		}
		if v := f04.Indicators[scoring.IndResolution]; v.Value == nil || *v.Value != 0.6 || v.Points != 0 {
			t.Errorf("F04 resolution indicator: %+v", v)
		}
		if f00.UnitID != "F00" || f00.Score != nil || f00.Rank != nil || f00.Tier != nil || len(f00.Flags) != 1 || f00.Flags[0] != "no_data" {
			t.Errorf("F00 must be unranked with no_data and no zero: %+v", f00)
		}
	})
	t.Run("previous rank comes from the round before", func(t *testing.T) {
		b2, err := s.ScoreRound(ctx, "2019-B2", rawScheme(), "test", at)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range b2.Units {
			if u.UnitID == "F01" && (u.PreviousRank == nil || *u.PreviousRank != 1) {
				t.Errorf("F01 previous rank %v, want 1", u.PreviousRank)
			}
		}
	})
}
