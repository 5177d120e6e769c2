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
	extra := "response_id,unit_id,survey,respondent_type,score,answered_at\nWJX1,F01,效能问政,citizen,80,2019-05-01\nWJX2,F01,监测点企业测评,enterprise,10,2019-05-01\n"
	if _, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "surveys-extra.csv", extra), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ScoreRound(ctx, "2019-B1", scoring.DefaultScheme(), "test", time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Annual(ctx, 2019, scoring.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, u := range got.Units {
		score := "null"
		if u.Score != nil {
			score = fmt.Sprintf("%.2f/%d", *u.Score, *u.Rank)
		}
		lines = append(lines, fmt.Sprintf("%s %s %v", u.UnitID, score, u.Flags))
	}
	// F01: 0.8 × 93.50 (its one scored round) + 0.2 × 80 (效能问政 only; the 监测点 answer is not
	// part of it) = 74.80 + 16 = 90.80. The others have no 效能问政 answer: their round score.
	want := []string{"F01 90.80/1 []", "F02 75.00/2 [no_survey]", "F03 75.00/2 [no_survey]", "F04 69.25/4 [no_survey]", "F00 null [no_data]"}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", lines, want)
	}
}
