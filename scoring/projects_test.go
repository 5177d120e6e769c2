package scoring

import (
	"fmt"
	"math"
	"reflect"
	"testing"
)

// fourCounties: hand-computed rates as of the end of June (time progress 0.5).
//
//	      供地率        投资完成率     开工率      落地率
//	A   30/60 = 0.50   50/100 = 0.50  3/4 = 0.75  1/2 = 0.5
//	B   45/50 = 0.90   30/100 = 0.30  4/4 = 1.00  2/2 = 1.0
//	C   0/0   = nil    60/100 = 0.60  3/4 = 0.75  0/0 = nil
//	D   10/40 = 0.25   0/0    = nil   0/0 = nil   0/4 = 0.0
var fourCounties = []CountySums{
	{UnitID: "A", Name: "甲县", LandSupplied: 30, LandNeed: 60, InvestmentYTD: 50, AnnualPlan: 100, Started: 3, Planned: 4, Signed: 2, Landed: 1},
	{UnitID: "B", Name: "乙县", LandSupplied: 45, LandNeed: 50, InvestmentYTD: 30, AnnualPlan: 100, Started: 4, Planned: 4, Signed: 2, Landed: 2},
	{UnitID: "C", Name: "丙县", InvestmentYTD: 60, AnnualPlan: 100, Started: 3, Planned: 4},
	{UnitID: "D", Name: "丁县", LandSupplied: 10, LandNeed: 40, Signed: 4},
}

// cell renders a rate as "value#rank" ("-" for nil) for compact comparison.
func cell(r RateRank) string {
	v, rk := "-", "-"
	if r.Value != nil {
		v = fmt.Sprintf("%.2f", *r.Value)
	}
	if r.Rank != nil {
		rk = fmt.Sprint(*r.Rank)
	}
	return v + "#" + rk
}

func TestComputeCountyRates(t *testing.T) {
	q := ComputeCountyRates("2019-Q2", "2019-06-30", 6, fourCounties, 0)
	want := map[string][4]string{ // 供地率, 投资完成率, 开工率, 落地率
		"A": {"0.50#2", "0.50#2", "0.75#2", "0.50#2"},
		"B": {"0.90#1", "0.30#3", "1.00#1", "1.00#1"},
		"C": {"-#-", "0.60#1", "0.75#2", "-#-"},
		"D": {"0.25#3", "-#-", "-#-", "0.00#3"},
	}
	t.Run("time progress is months elapsed over 12", func(t *testing.T) {
		if q.TimeProgress != 0.5 {
			t.Errorf("got %v, want 0.5", q.TimeProgress)
		}
	})
	t.Run("rates and shared ranks, no denominator unranked", func(t *testing.T) {
		for _, c := range q.Counties {
			var got [4]string
			for i, k := range ProjectRates {
				got[i] = cell(c.Rates[k])
			}
			if got != want[c.UnitID] {
				t.Errorf("%s: got %v, want %v", c.UnitID, got, want[c.UnitID])
			}
		}
	})
	t.Run("investment rate against time progress in points", func(t *testing.T) {
		wantGap := map[string]*float64{"A": ptr(0), "B": ptr(-20), "C": ptr(10), "D": nil}
		for _, c := range q.Counties {
			w := wantGap[c.UnitID]
			if (w == nil) != (c.InvestmentVsTime == nil) || (w != nil && math.Abs(*w-*c.InvestmentVsTime) > 1e-9) {
				t.Errorf("%s: got %v, want %v", c.UnitID, c.InvestmentVsTime, w)
			}
		}
	})
	t.Run("counties tied last are both bottom, unranked is not", func(t *testing.T) {
		cases := []struct {
			key  string
			want map[string]bool
		}{
			{RateStart, map[string]bool{"A": true, "C": true}},
			{RateLand, map[string]bool{"D": true}},
			{RateInvestment, map[string]bool{"B": true}},
		}
		for _, c := range cases {
			if got := Bottom(q, c.key, 1); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.key, got, c.want)
			}
		}
	})
}

func ptr(v float64) *float64 { return &v }

// landQuarter builds a period where only 供地率 has denominators:
// land[id] = {supplied, need}.
func landQuarter(period string, land map[string][2]float64) QuarterRates {
	var sums []CountySums
	for _, id := range []string{"A", "B", "C"} {
		l := land[id]
		sums = append(sums, CountySums{UnitID: id, Name: id + "县", LandSupplied: l[0], LandNeed: l[1]})
	}
	return ComputeCountyRates(period, "", 3, sums, 0)
}

func TestInterviews(t *testing.T) {
	aLast := map[string][2]float64{"A": {10, 100}, "B": {50, 100}, "C": {80, 100}}
	bLast := map[string][2]float64{"A": {60, 100}, "B": {20, 100}, "C": {80, 100}}
	tiedLast := map[string][2]float64{"A": {20, 100}, "B": {20, 100}, "C": {80, 100}}
	allEqual := map[string][2]float64{"A": {100, 100}, "B": {50, 50}, "C": {1, 1}}
	cNoLand := map[string][2]float64{"A": {60, 100}, "B": {70, 100}}
	cases := []struct {
		name        string
		quarters    []map[string][2]float64
		consecutive int
		want        []Interview
	}{
		{"last in two consecutive quarters is listed", []map[string][2]float64{aLast, aLast}, 0,
			[]Interview{{UnitID: "A", Name: "A县", Rate: RateLand, Label: "供地率", Periods: []string{"Q1", "Q2"}, Values: []float64{0.1, 0.1}}}},
		{"last in Q1 and Q3 with a gap is not listed", []map[string][2]float64{aLast, bLast, aLast}, 0, nil},
		{"tied last in two quarters lists both", []map[string][2]float64{tiedLast, tiedLast}, 2,
			[]Interview{
				{UnitID: "A", Name: "A县", Rate: RateLand, Label: "供地率", Periods: []string{"Q1", "Q2"}, Values: []float64{0.2, 0.2}},
				{UnitID: "B", Name: "B县", Rate: RateLand, Label: "供地率", Periods: []string{"Q1", "Q2"}, Values: []float64{0.2, 0.2}},
			}},
		{"a run of three quarters is one entry", []map[string][2]float64{bLast, tiedLast, bLast}, 2,
			[]Interview{{UnitID: "B", Name: "B县", Rate: RateLand, Label: "供地率", Periods: []string{"Q1", "Q2", "Q3"}, Values: []float64{0.2, 0.2, 0.2}}}},
		{"two quarters are not enough when three are required", []map[string][2]float64{aLast, aLast, bLast}, 3, nil},
		{"all counties equal lists nobody", []map[string][2]float64{allEqual, allEqual}, 2, nil},
		{"a county with no denominator is never last", []map[string][2]float64{cNoLand, cNoLand}, 2,
			[]Interview{{UnitID: "A", Name: "A县", Rate: RateLand, Label: "供地率", Periods: []string{"Q1", "Q2"}, Values: []float64{0.6, 0.6}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var qs []QuarterRates
			for i, l := range c.quarters {
				qs = append(qs, landQuarter("Q"+string(rune('1'+i)), l))
			}
			if got := Interviews(qs, c.consecutive, 1); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestSignedProjectsRankingEveryCountyTiesShared(t *testing.T) {
	sums := []CountySums{
		{UnitID: "A", Signed: 3, Landed: 1},
		{UnitID: "B", Signed: 5, Landed: 5},
		{UnitID: "C", Signed: 3},
		{UnitID: "D"}, // nothing signed: ranked last with 0, not left out
	}
	q := ComputeCountyRates("2019-06", "2019-06-30", 6, sums, 0)
	got := map[string]string{}
	for _, c := range q.Counties {
		got[c.UnitID] = fmt.Sprintf("%v/%d", *c.SignedProjects.Value, *c.SignedProjects.Rank)
	}
	want := map[string]string{"A": "3/2", "B": "5/1", "C": "3/2", "D": "0/4"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
