package scoring

import (
	"reflect"
	"testing"
)

// landingQuarter builds a period where only 签约项目落地率 has
// denominators: signed[id] = {signed, landed}.
func landingQuarter(period string, signed map[string][2]int64, minProjects int) QuarterRates {
	var sums []CountySums
	for _, id := range []string{"A", "B", "C", "D", "E"} {
		s := signed[id]
		sums = append(sums, CountySums{UnitID: id, Name: id + "县", Signed: s[0], Landed: s[1]})
	}
	return ComputeCountyRates(period, "", 3, sums, minProjects)
}

// TestInterviewsMinProjects: the landing rate of five counties, the same in
// two quarters, with interviews.min_projects = 3:
//
//	A  4/5 = 80.00%  rank 1
//	E  2/3 = 66.67%  rank 2
//	B  1/4 = 25.00%  rank 3   last among A, E, B → listed
//	C  0/2 =  0.00%  rank 4   2 signed < 3: 样本不足, not listed
//	D  0/0 = none    unranked (signed nothing), not listed
//
// With min_projects = 0 every ranked county takes part and C (0%) is last.
func TestInterviewsMinProjects(t *testing.T) {
	signed := map[string][2]int64{"A": {5, 4}, "B": {4, 1}, "C": {2, 0}, "D": {0, 0}, "E": {3, 2}}
	t.Run("a county under the minimum is flagged and out of the rule", func(t *testing.T) {
		q1, q2 := landingQuarter("2019-Q1", signed, 3), landingQuarter("2019-Q2", signed, 3)
		got := map[string]string{}
		for _, c := range q1.Counties {
			r := c.Rates[RateLanding]
			got[c.UnitID] = cell(r)
			if r.SmallSample != (c.UnitID == "C") { // D has no denominator: unranked, not 样本不足
				t.Errorf("%s: small_sample %v with %d signed projects", c.UnitID, r.SmallSample, r.Projects)
			}
		}
		want := map[string]string{"A": "0.80#1", "E": "0.67#2", "B": "0.25#3", "C": "0.00#4", "D": "-#-"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ranks %v, want %v", got, want)
		}
		if b := Bottom(q1, RateLanding, 1); !reflect.DeepEqual(b, map[string]bool{"B": true}) {
			t.Errorf("bottom %v, want B only", b)
		}
		ivs := Interviews([]QuarterRates{q1, q2}, 2, 1)
		wantIv := []Interview{{UnitID: "B", Name: "B县", Rate: RateLanding, Label: "签约项目落地率",
			Periods: []string{"2019-Q1", "2019-Q2"}, Values: []float64{0.25, 0.25}}}
		if !reflect.DeepEqual(ivs, wantIv) {
			t.Errorf("interviews %+v, want %+v", ivs, wantIv)
		}
	})
	t.Run("min_projects 0: every ranked county takes part", func(t *testing.T) {
		q1, q2 := landingQuarter("2019-Q1", signed, 0), landingQuarter("2019-Q2", signed, 0)
		ivs := Interviews([]QuarterRates{q1, q2}, 2, 1)
		if len(ivs) != 1 || ivs[0].UnitID != "C" || !reflect.DeepEqual(ivs[0].Values, []float64{0, 0}) {
			t.Errorf("interviews %+v, want C at 0%% in both quarters", ivs)
		}
	})
	t.Run("only one county takes part: nobody is last", func(t *testing.T) {
		// min 5: only A (5 signed) takes part; alone, it has nobody above it.
		q1, q2 := landingQuarter("2019-Q1", signed, 5), landingQuarter("2019-Q2", signed, 5)
		if ivs := Interviews([]QuarterRates{q1, q2}, 2, 1); len(ivs) != 0 {
			t.Errorf("interviews %+v, want none", ivs)
		}
	})
}

// TestStartRateEarlyStarts: the start rate is Started ÷ Planned, where
// Started counts only projects whose planned start has come; early starts
// are carried beside it. 甲: 2 of 3 planned started, 1 early → 66.67%;
// 乙: 1 of 1, 1 early → 100% (counted in, it would be 2/1 = 200%).
func TestStartRateEarlyStarts(t *testing.T) {
	q := ComputeCountyRates("2019-04", "2019-04-30", 4, []CountySums{
		{UnitID: "A", Name: "甲县", Started: 2, Planned: 3, Early: 1},
		{UnitID: "B", Name: "乙县", Started: 1, Planned: 1, Early: 1},
	}, 3)
	a, b := q.Counties[0], q.Counties[1]
	if cell(a.Rates[RateStart]) != "0.67#2" || cell(b.Rates[RateStart]) != "1.00#1" {
		t.Errorf("start rates %s %s, want 0.67#2 1.00#1", cell(a.Rates[RateStart]), cell(b.Rates[RateStart]))
	}
	if a.EarlyStarts != 1 || b.EarlyStarts != 1 {
		t.Errorf("early starts %d %d, want 1 1", a.EarlyStarts, b.EarlyStarts)
	}
	if a.Rates[RateStart].SmallSample || !b.Rates[RateStart].SmallSample || b.Rates[RateStart].Projects != 1 {
		t.Errorf("small sample 甲 %+v 乙 %+v, want 乙 only (1 planned < 3)", a.Rates[RateStart], b.Rates[RateStart])
	}
}
