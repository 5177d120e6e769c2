package analytics

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestRoundInputsMatchTheHandCheckedRound compares every count with the
// hand-computed tables of fixtures/handcheck/full_round/README.md.
func TestRoundInputsMatchTheHandCheckedRound(t *testing.T) {
	s := openTest(t)
	importFolder(t, s, "../fixtures/handcheck/full_round")
	in, err := s.RoundInputs(context.Background(), "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("period is January and February", func(t *testing.T) {
		if got, want := in.Period.End, time.Date(2019, 2, 28, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("as-of %v, want %v", got, want)
		}
	})
	t.Run("cases: volume by receipt, timeliness by outcome, returned in volume only", func(t *testing.T) {
		want := map[string]CaseCounts{
			"F01": {Received: 10, Online: 7, OneVisit: 9, Instant: 5, OnTime: 10},
			"F02": {Received: 10, Online: 5, OneVisit: 7, Instant: 3, OnTime: 9, Overdue: 1},
			"F03": {Received: 10, Online: 7, OneVisit: 9, Instant: 5, OnTime: 9},
		}
		if !reflect.DeepEqual(in.Cases, want) {
			t.Errorf("got %+v\nwant %+v", in.Cases, want)
		}
	})
	t.Run("complaints: closed in the round, due date inclusive, open one not counted", func(t *testing.T) {
		want := map[string]ComplaintCounts{
			"F01": {OnTime: 5, Closed: 5, Resolved: 5, Rated: 5, Favourable: 5},
			"F02": {OnTime: 5, Closed: 5, Resolved: 5, Rated: 3, Favourable: 1},
			"F03": {OnTime: 5, Closed: 5, Resolved: 5, Rated: 5, Favourable: 3},
			"F04": {OnTime: 5, Closed: 5, Resolved: 3, Rated: 4, Favourable: 4},
		}
		if !reflect.DeepEqual(in.Complaints, want) {
			t.Errorf("got %+v\nwant %+v", in.Complaints, want)
		}
	})
	t.Run("surveys by answered_at, March answer left out", func(t *testing.T) {
		want := map[string]map[string]SurveyCounts{
			"F01": {"enterprise": {2, 180}, "citizen": {1, 90}, "deputy": {2, 180}},
			"F02": {"enterprise": {2, 164}, "citizen": {2, 152}, "deputy": {1, 81}},
			"F03": {"enterprise": {2, 120}, "citizen": {2, 120}, "deputy": {1, 60}},
			"F04": {"enterprise": {1, 80}, "citizen": {1, 70}, "deputy": {1, 75}},
		}
		if !reflect.DeepEqual(in.Surveys, want) {
			t.Errorf("got %+v\nwant %+v", in.Surveys, want)
		}
	})
	t.Run("deductions dated in the round, before the cap", func(t *testing.T) {
		want := map[string]Deduction{"F03": {2, 4.0}, "F04": {3, 12.0}}
		if !reflect.DeepEqual(in.Deductions, want) {
			t.Errorf("got %+v, want %+v", in.Deductions, want)
		}
	})
	t.Run("five peer scores per member unit", func(t *testing.T) {
		per := map[string]int{}
		for _, p := range in.Peer {
			per[p.UnitID]++
		}
		if want := map[string]int{"F01": 5, "F02": 5, "F03": 5, "F04": 5}; !reflect.DeepEqual(per, want) {
			t.Errorf("got %v, want %v", per, want)
		}
	})
}

// TestOverdueCountsInThePeriodAfterTheDueDate checks the round-boundary rule:
// a case due on the last day of B1 and never completed is overdue in B2.
func TestOverdueCountsInThePeriodAfterTheDueDate(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	const head = "case_id,unit_id,item_code,channel,received_at,completed_at,promised_days,visits,status\n"
	// Received Fri 2019-02-22; 3 working days → due Thu 2019-02-27.
	// A: completed on the due date → on time in B1. B: completed 03-01 → overdue in B1 (day after due = 02-28).
	// Received Wed 2019-02-27 + 1 working day → due Thu 02-28; C never completed → overdue in B2 (day after = 03-01).
	// Received Fri 2019-02-01 + 5 working days over the Spring Festival: make-up Sat 02-02 (1) and
	// Sun 02-03 (2), 02-04…02-10 off, then 02-11 (3), 02-12 (4), 02-13 (5) → due Wed 02-13.
	// D completed 02-13 → on time; E completed 02-14 → overdue in B1 (the day after the due date).
	body := head +
		"A,D01,I,window,2019-02-22 09:00,2019-02-27 17:00,3,1,completed\n" +
		"B,D01,I,window,2019-02-22 09:00,2019-03-01 09:00,3,1,completed\n" +
		"C,D01,I,window,2019-02-27 09:00,,1,1,pending\n" +
		"D,D02,I,window,2019-02-01 09:00,2019-02-13 16:00,5,1,completed\n" +
		"E,D02,I,window,2019-02-01 09:00,2019-02-14 09:00,5,1,completed\n"
	if _, err := s.ImportFile(context.Background(), writeFile(t, t.TempDir(), "cases.csv", body), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	b1, err := s.RoundInputs(context.Background(), "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	b2, err := s.RoundInputs(context.Background(), "2019-B2")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want CaseCounts
	}{
		{"B1 D01: A on time, B overdue", b1.Cases["D01"], CaseCounts{Received: 3, OneVisit: 3, OnTime: 1, Overdue: 1}},
		{"B2 D01: C overdue the day after its due date", b2.Cases["D01"], CaseCounts{Overdue: 1}},
		{"B1 D02: due 02-13 across the Spring Festival", b1.Cases["D02"], CaseCounts{Received: 2, OneVisit: 2, OnTime: 1, Overdue: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
}

func TestDeadlineBeyondTheCalendarIsRefused(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	body := "case_id,unit_id,item_code,channel,received_at,completed_at,promised_days,visits,status\n" +
		"A,D01,I,window,2026-12-28 09:00,,10,1,pending\n"
	if _, err := s.ImportFile(context.Background(), writeFile(t, t.TempDir(), "cases.csv", body), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := s.RoundInputs(context.Background(), "2026-B6")
	if err == nil || !strings.Contains(err.Error(), "outside the working-day calendar") {
		t.Errorf("got %v, want a refusal naming the calendar gap", err)
	}
}
