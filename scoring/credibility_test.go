package scoring

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestCredible(t *testing.T) {
	cases := []struct {
		name       string
		x, n       int
		pooled, m  float64
		want       float64
		wantFormat string
	}{
		// (1 + 10×0.5) ÷ (1 + 10) = 6/11
		{"n=1, one hit", 1, 1, 0.5, 10, 6.0 / 11, "0.5455"},
		// (0 + 10×0.9) ÷ 11 = 9/11: one miss costs little
		{"n=1, one miss", 0, 1, 0.9, 10, 9.0 / 11, "0.8182"},
		// (1 + 10×0.9) ÷ (2 + 10) = 10/12
		{"n=2", 1, 2, 0.9, 10, 10.0 / 12, "0.8333"},
		// (900 + 10×0.5) ÷ (1000 + 10) = 905/1010 = 0.89604, raw 0.9: within half a point
		{"large n", 900, 1000, 0.5, 10, 905.0 / 1010, "0.8960"},
		// m = 0: the raw rate 1/3
		{"off", 1, 3, 0.9, 0, 1.0 / 3, "0.3333"},
		// at the pooled rate nothing moves: (4 + 10×0.8) ÷ 15 = 12/15 = 0.8
		{"at pooled", 4, 5, 0.8, 10, 0.8, "0.8000"},
	}
	for _, c := range cases {
		if got := Credible(c.x, c.n, c.pooled, c.m); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: Credible(%d, %d, %v, %v) = %v, want %v (%s)", c.name, c.x, c.n, c.pooled, c.m, got, c.want, c.wantFormat)
		}
	}
	if got := Credible(900, 1000, 0.5, 10); math.Abs(got-0.9) > 0.005 {
		t.Errorf("large n: %v is not close to the raw 0.9", got)
	}
}

// TestCredibilityInARound: two units whose only data is the on-time rate
// (target 100 %, floor 80 %, all 100 points redistributed onto it).
func TestCredibilityInARound(t *testing.T) {
	units := []UnitInput{onlyOnTime("A", "c", 2, 3), onlyOnTime("B", "c", 29, 30), onlyOnTime("Z", "c", 0, 0)}
	// pooled p̄ = (2 + 29) ÷ (3 + 30) = 31/33 (Z has no data and is left out)
	// A: r̂ = (2 + 10×31/33) ÷ 13 = 376/429 = 0.87646 → (0.87646 − 0.8)/0.2 × 100 = 38.23
	//    (raw 2/3 is under the floor: 0)
	// B: r̂ = (29 + 10×31/33) ÷ 40 = 1267/1320 = 0.95985 → 79.92 (raw 29/30 → 83.33)
	cases := []struct {
		name string
		m    float64
		want map[string]float64
	}{
		{"default m=10", 10, map[string]float64{"A": 38.23, "B": 79.92}},
		{"off", 0, map[string]float64{"A": 0, "B": 83.33}},
	}
	for _, c := range cases {
		s := DefaultScheme()
		s.Credibility = c.m
		res := byID(ComputeRound(units, s))
		for id, w := range c.want {
			if r := res[id]; !r.Ranked || Cents(r.Score) != Cents(w) {
				t.Errorf("%s: %s scored %.2f (ranked %v), want %.2f", c.name, id, r.Score, r.Ranked, w)
			}
		}
		if z := res["Z"]; z.Ranked || !reflect.DeepEqual(z.Flags, []string{FlagNoData}) {
			t.Errorf("%s: Z (n = 0) got ranked %v flags %v, want no_data", c.name, z.Ranked, z.Flags)
		}
		a := res["A"].Indicators[IndOnTime]
		if a.Value == nil || math.Abs(*a.Value-2.0/3) > 1e-12 {
			t.Errorf("%s: A's value %v, want the raw 2/3", c.name, a.Value)
		}
		if c.m == 0 {
			if a.Credible != nil || a.Pooled != nil || a.N != 0 || a.Count != 0 {
				t.Errorf("off: A's indicator %+v records credibility fields", a)
			}
			continue
		}
		if a.Count != 2 || a.N != 3 || a.Credible == nil || math.Abs(*a.Credible-376.0/429) > 1e-12 ||
			a.Pooled == nil || math.Abs(*a.Pooled-31.0/33) > 1e-12 {
			t.Errorf("%s: A's indicator %+v, want count 2, n 3, credible 376/429, pooled 31/33", c.name, a)
		}
	}
}

func TestCredibilityOneUnitHasAllTheCases(t *testing.T) {
	// B has no cases: p̄ = 4/5 is A's own rate, so r̂ = (4 + 10×0.8) ÷ 15 = 0.8,
	// A's raw rate, and A scores (0.8 − 0.8)/0.2 = 0 under the target rule.
	units := []UnitInput{onlyOnTime("A", "c", 4, 5), {UnitID: "B", Category: "c", Peer: ps(ClassLeader, 90, 90, 90)}}
	res := byID(ComputeRound(units, DefaultScheme()))
	a := res["A"].Indicators[IndOnTime]
	if a.Credible == nil || math.Abs(*a.Credible-0.8) > 1e-12 || res["A"].Score != 0 {
		t.Errorf("A: credible %v score %v, want 0.8 and 0", a.Credible, res["A"].Score)
	}
	// B: peer 90 is its only part → 90 (no rates, nothing shrunk)
	if b := res["B"]; b.Score != 90 || b.Indicators[IndOnTime].Value != nil {
		t.Errorf("B: score %v, on-time %+v; want 90 and no data", b.Score, b.Indicators[IndOnTime])
	}
}

func TestCredibilityCategoriesPoolSeparately(t *testing.T) {
	// A alone in "c" is its own pool: r̂ = raw 0.9 → (0.9 − 0.8)/0.2 = 50.
	// In "d", pooled (10 + 0)/(10 + 1) = 10/11; D 0/1: r̂ = (0 + 100/11)/11 = 100/121
	// = 0.82645 → (0.82645 − 0.8)/0.2 × 100 = 13.22.
	units := []UnitInput{onlyOnTime("A", "c", 9, 10), onlyOnTime("C", "d", 10, 10), onlyOnTime("D", "d", 0, 1)}
	res := byID(ComputeRound(units, DefaultScheme()))
	for id, w := range map[string]float64{"A": 50, "D": 13.22} {
		if Cents(res[id].Score) != Cents(w) {
			t.Errorf("%s: %.2f, want %.2f", id, res[id].Score, w)
		}
	}
}

func TestCredibilitySurveyPerType(t *testing.T) {
	sv := func(typ string, v ...float64) []SurveyResponse {
		var out []SurveyResponse
		for _, x := range v {
			out = append(out, SurveyResponse{RespondentType: typ, Score: x})
		}
		return out
	}
	units := []UnitInput{
		{UnitID: "A", Category: "c", Surveys: append(sv("enterprise", 100), sv("citizen", 60, 80)...)},
		{UnitID: "B", Category: "c", Surveys: append(sv("enterprise", 80, 90, 70), sv("other", 10)...)},
	}
	// pooled enterprise (100 + 80 + 90 + 70)/4 = 85, citizen (60 + 80)/2 = 70;
	// "other" has no weight and counts nowhere.
	// A: enterprise (100 + 10×85)/11 = 86.3636, citizen (140 + 10×70)/12 = 70;
	//    weighted (0.5×86.3636 + 0.3×70)/0.8 = 80.2273 → the only part: 80.23
	//    (raw: (0.5×100 + 0.3×70)/0.8 = 88.75)
	// B: enterprise (240 + 850)/13 = 83.8462 → 83.85 (raw 80)
	res := byID(ComputeRound(units, DefaultScheme()))
	if got := res["A"].Score; Cents(got) != Cents(80.23) {
		t.Errorf("A scored %.2f, want 80.23", got)
	}
	if got := res["B"].Score; Cents(got) != Cents(83.85) {
		t.Errorf("B scored %.2f, want 83.85", got)
	}
	in := res["A"].Indicators[IndSurveyMean]
	wantTypes := map[string]SurveyTypeMean{
		"enterprise": {Mean: 100, N: 1, Pooled: 85, Credible: 950.0 / 11},
		"citizen":    {Mean: 70, N: 2, Pooled: 70, Credible: 70},
	}
	if in.N != 3 || in.Value == nil || math.Abs(*in.Value-88.75) > 1e-9 || in.Credible == nil ||
		math.Abs(*in.Credible-80.22727272727273) > 1e-9 || len(in.Types) != 2 {
		t.Fatalf("A's survey indicator %+v, want n 3, value 88.75, credible 80.2273, two types", in)
	}
	for typ, w := range wantTypes {
		g := in.Types[typ]
		if g.N != w.N || math.Abs(g.Mean-w.Mean) > 1e-9 || math.Abs(g.Pooled-w.Pooled) > 1e-9 || math.Abs(g.Credible-w.Credible) > 1e-9 {
			t.Errorf("A %s: %+v, want %+v", typ, g, w)
		}
	}
	// m = 0: A is back at its raw 88.75 and B at 80
	s := DefaultScheme()
	s.Credibility = 0
	res = byID(ComputeRound(units, s))
	if res["A"].Score != 88.75 || res["B"].Score != 80 {
		t.Errorf("off: A %.2f B %.2f, want 88.75 and 80", res["A"].Score, res["B"].Score)
	}
}

func TestCredibilityLeavesTaskRatesRaw(t *testing.T) {
	s := DefaultScheme()
	s.TaskLead = RateRule{Points: 4, Target: 1, Floor: 0.6}
	// A's only data is 督办 lead 1/2 (B's 10/10 would pull a shrunk rate up):
	// raw 0.5 is under the floor 0.6, so A scores 0 — a shrunk
	// (1 + 10×11/12)/12 = 0.847 would have earned points.
	units := []UnitInput{
		{UnitID: "A", Category: "c", TaskLead: Ratio{1, 2}},
		{UnitID: "B", Category: "c", TaskLead: Ratio{10, 10}},
	}
	res := byID(ComputeRound(units, s))
	if a := res["A"]; a.Score != 0 || a.Indicators[IndTaskLead].Credible != nil {
		t.Errorf("A: %.2f %+v, want 0 and a raw task rate", a.Score, a.Indicators[IndTaskLead])
	}
}

// improveOnTime adds one case handled on time in every respect: closed on
// time, online, at most one visit, instant.
func improveOnTime(u UnitInput) UnitInput {
	for _, q := range []*Ratio{&u.OnTime, &u.Online, &u.OneVisit, &u.Instant} {
		q.Num++
		q.Den++
	}
	return u
}

func TestPropertyOneMoreGoodCaseNeverLowersScore(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	s := DefaultScheme()
	for trial := 0; trial < 500; trial++ {
		units := randUnits(r)
		k := r.IntN(len(units))
		// the unit has service data already (a first case would add an
		// indicator, changing the redistribution, not just the rates)
		for _, q := range []*Ratio{&units[k].OnTime, &units[k].Online, &units[k].OneVisit, &units[k].Instant} {
			if q.Den == 0 {
				*q = Ratio{Num: r.IntN(3), Den: 2}
			}
		}
		better := append([]UnitInput(nil), units...)
		better[k] = improveOnTime(units[k])
		before, after := ComputeRound(units, s), ComputeRound(better, s)
		b, a := byID(before)[units[k].UnitID], byID(after)[units[k].UnitID]
		if !a.Ranked || !b.Ranked || Cents(a.Score) < Cents(b.Score) {
			t.Fatalf("trial %d: %s scored %.2f → %.2f", trial, units[k].UnitID, b.Score, a.Score)
		}
		checkRanksConsistent(t, trial, after)
		if again := ComputeRound(better, s); !reflect.DeepEqual(again, after) {
			t.Fatalf("trial %d: re-run differs", trial)
		}
	}
}

// checkRanksConsistent checks that each category's ranks are the standard
// competition ranks of its scores (a permutation of the places up to ties).
func checkRanksConsistent(t *testing.T, trial int, res []UnitResult) {
	t.Helper()
	for _, a := range res {
		if !a.Ranked {
			continue
		}
		want := 1
		for _, b := range res {
			if b.Ranked && b.Category == a.Category && Cents(b.Score) > Cents(a.Score) {
				want++
			}
		}
		if a.Rank != want {
			t.Fatalf("trial %d: %s rank %d, want %d", trial, a.UnitID, a.Rank, want)
		}
	}
}

func TestCredibilitySurveyResponseForSeveralAnswers(t *testing.T) {
	// P's response is the mean 90 of 4 answers, Q has one answer of 60:
	// pooled (4×90 + 60)/5 = 84; P (360 + 10×84)/14 = 85.714, Q (60 + 840)/11 = 81.818
	units := []UnitInput{
		{UnitID: "P", Category: "c", Surveys: []SurveyResponse{{RespondentType: "enterprise", Score: 90, Answers: 4}}},
		{UnitID: "Q", Category: "c", Surveys: []SurveyResponse{{RespondentType: "enterprise", Score: 60}}},
	}
	res := byID(ComputeRound(units, DefaultScheme()))
	if p, q := res["P"], res["Q"]; Cents(p.Score) != Cents(85.71) || Cents(q.Score) != Cents(81.82) || p.Indicators[IndSurveyMean].N != 4 {
		t.Errorf("P %.2f (n %d), Q %.2f; want 85.71 (n 4) and 81.82", p.Score, p.Indicators[IndSurveyMean].N, q.Score)
	}
}

func TestIndicatorPhrase(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		name string
		ind  Indicator
		want string
	}{
		// 1/3 with p̄ = 0.9: r̂ = (1 + 9)/13 = 0.769 → moved by 43.6 points, 3 < 30 cases
		{IndComplaintOnTime, Indicator{Value: f(1.0 / 3), Count: 1, N: 3, Credible: f(10.0 / 13)},
			"诉求按时办结率 1/3 = 33.3%，件数较少，按同类平均水平折算为 76.9%"},
		// 900/1000 with p̄ = 0.902: r̂ = (900 + 9.02)/1010 = 0.90002, moved by 0.002 points: not mentioned
		{IndOnTime, Indicator{Value: f(0.9), Count: 900, N: 1000, Credible: f(909.02 / 1010)},
			"办结及时率 900/1000 = 90.0%"},
		// 50/100 with p̄ = 0.9: r̂ = (50 + 9)/110 = 0.536, moved by 3.6 points but not few
		{IndOnline, Indicator{Value: f(0.5), Count: 50, N: 100, Credible: f(59.0 / 110)},
			"网上办理率 50/100 = 50.0%，按同类平均水平折算为 53.6%"},
		{IndSurveyMean, Indicator{Value: f(67), N: 2, Credible: f(78.5675)},
			"满意度加权均分 67.00（2 份答卷），答卷较少，按同类平均水平折算为 78.57"},
		// scored raw (credibility off, or a stored result without counts)
		{IndOnTime, Indicator{Value: f(0.5)}, "办结及时率 50.0%"},
		{IndOnTime, Indicator{}, "办结及时率无数据"},
	}
	for _, c := range cases {
		if got := IndicatorPhrase(c.name, IndicatorLabels[c.name], c.ind); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCompactSentencesLeaveOutTheCredibilityAccount(t *testing.T) {
	// F02's 好评率 1 of 3 is scored on (1 + 10×13/17)/13 = 66.5 %
	units := []ExplainUnit{}
	for _, r := range ComputeRound(fullRoundUnits(), DefaultScheme()) {
		if !r.Ranked {
			continue
		}
		score, rank := r.Score, r.Rank
		parts := map[string]*float64{}
		for _, p := range r.Parts {
			v := p.Scaled
			parts[p.Name] = &v
		}
		units = append(units, ExplainUnit{UnitID: r.UnitID, Name: r.UnitID, Category: r.Category, Score: &score, Rank: &rank,
			Parts: parts, Indicators: r.Indicators})
	}
	e, err := Explain(units, "F02")
	if err != nil {
		t.Fatal(err)
	}
	full, compact := strings.Join(e.Sentences, "\n"), strings.Join(CompactSentences(e), "\n")
	if !strings.Contains(full, "诉求好评率 1/3 = 33.3%，件数较少，按同类平均水平折算为 66.5%") {
		t.Errorf("sentences lack the account of 1 of 3:\n%s", full)
	}
	if strings.Contains(compact, "折算") || !strings.Contains(compact, "诉求好评率 33.3%") {
		t.Errorf("compact sentences:\n%s", compact)
	}
}
