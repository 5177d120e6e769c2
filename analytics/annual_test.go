package analytics

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

func TestAnnualCompositeFromStoredRounds(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	importFolder(t, s, "../fixtures/handcheck/full_round")
	if _, err := s.Annual(ctx, 2019, scoring.DefaultScheme()); !errors.Is(err, ErrNotScored) {
		t.Fatalf("no round scored: got %v, want ErrNotScored", err)
	}
	// WJX3 is a 效能问政 answer inside round 2019-B1: it counts in the year
	// composite only, never in the round's satisfaction part.
	extra := "response_id,unit_id,survey,respondent_type,score,answered_at\nWJX1,F01,效能问政,citizen,80,2019-05-01\n" +
		"WJX2,F01,监测点企业测评,enterprise,10,2019-05-01\nWJX3,F04,效能问政,citizen,10,2019-02-01\n"
	if _, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "surveys-extra.csv", extra), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	raw := scoring.DefaultScheme()
	raw.Credibility = 0 // the raw formulas of the handcheck README
	at := time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC)
	if _, err := s.ScoreRound(ctx, "2019-B1", raw, "test", at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Annual(ctx, 2019, raw); !errors.Is(err, ErrNotScored) {
		t.Fatalf("scored but not published: got %v, want ErrNotScored", err)
	}
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: "测试:小样本轮次"}, "test", at); err != nil {
		t.Fatal(err)
	}
	// a newer, unpublished version (no deduction cap: F04 loses 12, not 10) is ignored
	nocap := raw
	nocap.DeductionCap = 0
	if _, err := s.ScoreRound(ctx, "2019-B1", nocap, "test", at); err != nil {
		t.Fatal(err)
	}
	got, err := s.Annual(ctx, 2019, raw)
	if err != nil {
		t.Fatal(err)
	}
	// F01: 0.8 × 93.50 (its one scored round) + 0.2 × 80 (效能问政 only; the 监测点 answer is not
	// part of it) = 74.80 + 16 = 90.80. F04: the round without WJX3 (citizen 70, as in the
	// handcheck README) gives 69.25 (version 1; version 2 would give 67.25), then
	// 0.8 × 69.25 + 0.2 × 10 = 55.40 + 2 = 57.40. F02 and F03 have no 效能问政 answer.
	want := []string{"F01 90.80/1 []", "F02 75.00/2 [no_survey]", "F03 75.00/2 [no_survey]", "F04 57.40/4 []", "F00 null [no_data]"}
	if lines := annualLines(got); fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", lines, want)
	}
	if fmt.Sprint(got.Rounds) != "[{2019-B1 1 100}]" {
		t.Errorf("rounds used %v, want 2019-B1 version 1 of 100 points", got.Rounds)
	}
	rk, err := s.RankingVersion(ctx, "2019-B1", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range rk.Units {
		if u.UnitID == "F04" && (u.Score == nil || *u.Score != 69.25) {
			t.Errorf("F04 in 2019-B1: %v, want 69.25 (the 效能问政 answer left out)", u.Score)
		}
	}
}

func annualLines(got AnnualRanking) []string {
	var lines []string
	for _, u := range got.Units {
		score := "null"
		if u.Score != nil {
			score = fmt.Sprintf("%.2f/%d", *u.Score, *u.Rank)
		}
		lines = append(lines, fmt.Sprintf("%s %s %v", u.UnitID, score, u.Flags))
	}
	return lines
}

// TestAnnualScalesA105PointRound: a round scored with the 督办落实 part (4 + 1
// points) totals 105 and is put on a 100-point scale in the year composite.
func TestAnnualScalesA105PointRound(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	importFolder(t, s, "../fixtures/handcheck/full_round")
	extra := "response_id,unit_id,survey,respondent_type,score,answered_at\nWJX1,F01,效能问政,citizen,80,2019-05-01\n"
	if _, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "surveys-extra.csv", extra), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sc := scoring.DefaultScheme()
	sc.Credibility = 0
	sc.TaskLead = scoring.RateRule{Points: 4, Target: 1, Floor: 0.6}
	sc.TaskCoop = scoring.RateRule{Points: 1, Target: 1, Floor: 0.6}
	at := time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC)
	rk, err := s.ScoreRound(ctx, "2019-B1", sc, "test", at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(ctx, "2019-B1", PublishOptions{Reason: "测试:小样本轮次"}, "test", at); err != nil {
		t.Fatal(err)
	}
	// No 督办 task is due: the part's 5 points are redistributed, so F01's
	// 93.50 of 100 becomes 93.50 × 105/100 = 98.175 → 98.18 of 105.
	for _, u := range rk.Units {
		if u.UnitID == "F01" && (u.Score == nil || *u.Score != 98.18) {
			t.Fatalf("F01 in the 105-point round: %v, want 98.18", u.Score)
		}
	}
	got, err := s.Annual(ctx, 2019, sc)
	if err != nil {
		t.Fatal(err)
	}
	// F01: 98.18 × 100/105 = 93.5048 → 93.50; 0.8 × 93.50 + 0.2 × 80 = 90.80
	// (unscaled it would be 0.8 × 98.18 + 16 = 94.54).
	// F04: (42 + 10 + 11.4) × 105/80 − 10 = 73.2125 → 73.21; × 100/105 = 69.72.
	// F02: (43 + 10 + 10 + 12) × 105/100 = 78.75 → × 100/105 = 75.00.
	// F03: (40 + 20 + 10 + 9) × 1.05 − 4 = 78.95 → 75.19.
	want := []string{"F01 90.80/1 []", "F03 75.19/2 [no_survey]", "F02 75.00/3 [no_survey]", "F04 69.72/4 [no_survey]", "F00 null [no_data]"}
	if lines := annualLines(got); fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", lines, want)
	}
	if fmt.Sprint(got.Rounds) != "[{2019-B1 1 105}]" {
		t.Errorf("rounds used %v, want 2019-B1 version 1 of 105 points", got.Rounds)
	}
	// the web computes it from the published rankings it holds: the same numbers
	pub, err := s.PublishedRanking(ctx, "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	web, err := s.AnnualOf(ctx, 2019, sc, []Ranking{pub})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(annualLines(web), web.Rounds) != fmt.Sprint(annualLines(got), got.Rounds) {
		t.Errorf("web %v %v, CLI %v %v", annualLines(web), web.Rounds, annualLines(got), got.Rounds)
	}
}
