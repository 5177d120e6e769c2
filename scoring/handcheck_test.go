package scoring

import (
	"math"
	"reflect"
	"testing"
)

// peerRow is one row of a handcheck peer_scores.csv.
type peerRow struct {
	E, U string
	S    float64
}

// peerTrimUnits encodes fixtures/handcheck/peer_trim (round 2019-B1).
func peerTrimUnits() []UnitInput {
	rows := []peerRow{
		{"P1", "H01", 90}, {"P1", "H11", 90}, {"P1", "H12", 84}, {"P1", "H13", 88}, {"P1", "H14", 78}, {"P1", "H15", 91}, {"P1", "H16", 85},
		{"P2", "H01", 92}, {"P2", "H11", 86}, {"P2", "H12", 80}, {"P2", "H13", 88}, {"P2", "H14", 82}, {"P2", "H15", 93},
		{"E01", "H11", 84}, {"E01", "H12", 83}, {"E01", "H13", 90}, {"E01", "H14", 75}, {"E01", "H15", 95},
		{"E11", "H01", 95}, {"E11", "H12", 90}, {"E11", "H13", 88}, {"E11", "H14", 85}, {"E11", "H15", 96}, {"E11", "H16", 80},
		{"E12", "H01", 90}, {"E12", "H11", 95}, {"E12", "H13", 88}, {"E12", "H14", 60}, {"E12", "H15", 94},
		{"E13", "H01", 89}, {"E13", "H11", 95}, {"E13", "H12", 84}, {"E13", "H14", 78}, {"E13", "H15", 93},
		{"E14", "H01", 88}, {"E14", "H11", 86}, {"E14", "H12", 82}, {"E14", "H13", 88}, {"E14", "H15", 92},
		{"E15", "H01", 87}, {"E15", "H11", 80}, {"E15", "H12", 80}, {"E15", "H13", 88}, {"E15", "H14", 77},
		{"E16", "H01", 70}, {"E16", "H11", 80}, {"E16", "H12", 70}, {"E16", "H13", 88}, {"E16", "H14", 76}, {"E16", "H15", 88},
	}
	class := func(ev string) string {
		switch {
		case ev[0] == 'P':
			return ClassLeader
		case ev == "E01":
			return ClassLeadHead
		}
		return ClassMemberHead
	}
	units := []UnitInput{{UnitID: "H01", Category: "牵头部门"}}
	for _, id := range []string{"H11", "H12", "H13", "H14", "H15", "H16"} {
		units = append(units, UnitInput{UnitID: id, Category: "综合管理类"})
	}
	for _, r := range rows {
		for i := range units {
			if units[i].UnitID == r.U {
				units[i].Peer = append(units[i].Peer, PeerScore{EvaluatorID: r.E, Class: class(r.E), Score: r.S})
			}
		}
	}
	return units
}

// fullRoundUnits encodes fixtures/handcheck/full_round, already filtered to
// round 2019-B1 (rates counted as the README's tables).
func fullRoundUnits() []UnitInput {
	peer := func(l, h float64, m ...float64) []PeerScore {
		return join(ps(ClassLeader, l), ps(ClassLeadHead, h), ps(ClassMemberHead, m...))
	}
	sv := func(ent, cit, dep []float64) []SurveyResponse {
		var out []SurveyResponse
		for typ, v := range map[string][]float64{"enterprise": ent, "citizen": cit, "deputy": dep} {
			for _, s := range v {
				out = append(out, SurveyResponse{RespondentType: typ, Score: s})
			}
		}
		return out
	}
	return []UnitInput{
		{UnitID: "F00", Category: "综合管理类"},
		{UnitID: "F01", Category: "综合管理类", Peer: peer(90, 90, 90, 88, 92),
			OnTime: Ratio{10, 10}, Online: Ratio{7, 10}, OneVisit: Ratio{9, 10}, Instant: Ratio{5, 10},
			ComplaintOnTime: Ratio{5, 5}, Resolution: Ratio{5, 5}, Favourable: Ratio{5, 5},
			Surveys: sv([]float64{88, 92}, []float64{90}, []float64{85, 95})},
		{UnitID: "F02", Category: "综合管理类", Peer: peer(86, 86, 84, 86, 88),
			OnTime: Ratio{9, 10}, Online: Ratio{5, 10}, OneVisit: Ratio{7, 10}, Instant: Ratio{3, 10},
			ComplaintOnTime: Ratio{5, 5}, Resolution: Ratio{5, 5}, Favourable: Ratio{1, 3},
			Surveys: sv([]float64{80, 84}, []float64{70, 82}, []float64{81})},
		{UnitID: "F03", Category: "综合管理类", Peer: peer(83, 76, 79, 80, 81),
			OnTime: Ratio{9, 9}, Online: Ratio{7, 10}, OneVisit: Ratio{9, 10}, Instant: Ratio{5, 10},
			ComplaintOnTime: Ratio{5, 5}, Resolution: Ratio{5, 5}, Favourable: Ratio{3, 5},
			Surveys: sv([]float64{50, 70}, []float64{55, 65}, []float64{60}), Deductions: []float64{1.5, 2.5}},
		{UnitID: "F04", Category: "综合管理类", Peer: peer(87, 80, 84, 84, 84),
			ComplaintOnTime: Ratio{5, 5}, Resolution: Ratio{3, 5}, Favourable: Ratio{4, 4},
			Surveys: sv([]float64{80}, []float64{70}, []float64{75}), Deductions: []float64{5, 4, 3}},
	}
}

// want is the expected outcome of one unit.
type want struct {
	id     string
	score  float64
	ranked bool
	rank   int
	tier   string
	flags  []string
}

func checkResults(t *testing.T, got []UnitResult, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d results, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		t.Run(w.id, func(t *testing.T) {
			if g.UnitID != w.id || g.Ranked != w.ranked || g.Rank != w.rank || g.Tier != w.tier ||
				Cents(g.Score) != Cents(w.score) || !reflect.DeepEqual(g.Flags, w.flags) {
				t.Errorf("got %s %.2f ranked=%v rank %d %q %v, want %s %.2f ranked=%v rank %d %q %v",
					g.UnitID, g.Score, g.Ranked, g.Rank, g.Tier, g.Flags, w.id, w.score, w.ranked, w.rank, w.tier, w.flags)
			}
		})
	}
}

func TestHandcheckPeerTrim(t *testing.T) {
	noOther := []string{"redistributed:complaints", "redistributed:satisfaction", "redistributed:service"}
	checkResults(t, ComputeRound(peerTrimUnits(), DefaultScheme()), []want{
		// (0.4×91 + 0.3×88.5)/0.7 = 89.928… ; ranked alone
		{"H01", 89.93, true, 1, TierGood, noOther},
		{"H15", 93.20, true, 1, TierGood, noOther},     // 36.8 + 28.5 + 27.9
		{"H13", 88.60, true, 2, TierFairGood, noOther}, // 35.2 + 27.0 + 26.4; n=5: top 1, next 1
		{"H11", 86.50, true, 3, TierAverage, noOther},  // 35.2 + 25.2 + 26.1
		{"H12", 82.30, true, 4, TierAverage, noOther},  // 32.8 + 24.9 + 24.6
		{"H14", 77.60, true, 5, TierAverage, noOther},  // 32.0 + 22.5 + 23.1
		{"H16", 0, false, 0, "", []string{FlagInsufficientPeerScores, FlagNoData}},
	})
}

// rawScheme is the default scheme with credibility off: rates and survey
// means scored raw, as they were before credibility weighting existed.
func rawScheme() Scheme {
	s := DefaultScheme()
	s.Credibility = 0
	return s
}

// TestHandcheckFullRound pins the full round with credibility off (m = 0):
// the raw formulas of CONTRACT §3, unchanged by the credibility setting.
func TestHandcheckFullRound(t *testing.T) {
	got := ComputeRound(fullRoundUnits(), rawScheme())
	checkResults(t, got, []want{
		{"F01", 93.50, true, 1, TierGood, nil},     // 45 + 20 + 15 + 13.5; n=4: top 1
		{"F02", 75.00, true, 2, TierFairGood, nil}, // 43 + 10 + 10 + 12; next floor(1.2)=1
		{"F03", 75.00, true, 2, TierFairGood, nil}, // 40 + 20 + 10 + 9 − 4; tied with F02 → same tier
		// (42 + 10 + 11.4) × 100/80 − 10 = 79.25 − 10
		{"F04", 69.25, true, 4, TierAverage, []string{FlagDeductionsCapped, "redistributed:service"}},
		{"F00", 0, false, 0, "", []string{FlagNoData}},
	})
	t.Run("F04 parts are redistributed", func(t *testing.T) {
		f04 := got[3]
		// peer 42×1.25, service none, complaints 10×1.25, satisfaction 11.4×1.25
		wantScaled := []float64{52.5, 0, 12.5, 14.25}
		for i, p := range f04.Parts {
			if math.Abs(p.Scaled-wantScaled[i]) > 1e-9 {
				t.Errorf("%s: got %v, want %v", p.Name, p.Scaled, wantScaled[i])
			}
		}
		if f04.Deductions != 10 {
			t.Errorf("got deductions %v, want 10 (12 capped)", f04.Deductions)
		}
	})
	t.Run("dense ranking gives 1 2 2 3", func(t *testing.T) {
		s := rawScheme()
		s.DenseRank = true
		var ranks []int
		for _, r := range ComputeRound(fullRoundUnits(), s) {
			ranks = append(ranks, r.Rank)
		}
		if want := []int{1, 2, 2, 3, 0}; !reflect.DeepEqual(ranks, want) {
			t.Errorf("got %v, want %v", ranks, want)
		}
	})
}

// TestHandcheckFullRoundCredibility pins the full round under the default
// scheme (m = 10). Pooled rates of 综合管理类 (F00 has no data, F04 no cases):
//
//	on-time (10+9+9)/(10+10+9) = 28/29   online (7+5+7)/30 = 19/30
//	one-visit (9+7+9)/30 = 25/30          instant (5+3+5)/30 = 13/30
//	complaint on-time 20/20 = 1           resolution (5+5+5+3)/20 = 18/20
//	好评率 (5+1+3+4)/(5+3+5+4) = 13/17
//
// pooled survey means per type: enterprise 544/7 = 77.714, citizen 432/6 = 72,
// deputy 396/5 = 79.2. A rate's r̂ = (x + 10·p̄)/(n + 10), then the target rule.
func TestHandcheckFullRoundCredibility(t *testing.T) {
	got := ComputeRound(fullRoundUnits(), DefaultScheme())
	checkResults(t, got, []want{
		// F01 peer 45
		// service: on-time (10 + 10·28/29)/20 = 0.98276 → 0.91379×8 = 7.3103;
		//   online (7 + 6.3333)/20 = 0.66667 → 0.91667×4 = 3.6667; one-visit
		//   (9 + 8.3333)/20 = 0.86667 → 3.6667; instant (5 + 4.3333)/20 = 0.46667
		//   → 3.6667; sum 18.3103
		// complaints: on-time (5+10)/15 = 1 → 5; resolution (5+9)/15 = 0.93333
		//   → 0.95238×5 = 4.7619; 好评率 (5 + 10·13/17)/15 = 0.84314 → 3.4734;
		//   sum 13.2353
		// survey: enterprise (180 + 777.14)/12 = 79.762, citizen (90+720)/11 =
		//   73.636, deputy (180+792)/12 = 81; 0.5·79.762 + 0.3·73.636 + 0.2·81
		//   = 78.172 → ×0.15 = 11.7258
		// 45 + 18.3103 + 13.2353 + 11.7258 = 88.2714
		{"F01", 88.27, true, 1, TierGood, nil},
		// F02 peer 43
		// service: on-time (9 + 9.6552)/20 = 0.93276 → 5.3103; online
		//   (5 + 6.3333)/20 = 0.56667 → 2.6667; one-visit (7 + 8.3333)/20 =
		//   0.76667 → 2.6667; instant (3 + 4.3333)/20 = 0.36667 → 2.6667; 13.3103
		// complaints: 5 + 4.7619 + 好评率 (1 + 7.6471)/13 = 0.66516 → 0.9308;
		//   10.6927
		// survey: enterprise (164 + 777.14)/12 = 78.429, citizen (152 + 720)/12
		//   = 72.667, deputy (81 + 792)/11 = 79.364 → 76.887 × 0.15 = 11.5331
		// 43 + 13.3103 + 10.6927 + 11.5331 = 78.5361
		{"F02", 78.54, true, 2, TierFairGood, nil},
		// F03 peer 40, deductions 4
		// service: on-time (9 + 9.6552)/19 = 0.98185 → 7.2740; online, one-visit,
		//   instant as F01: 11; 18.2740
		// complaints: 5 + 4.7619 + 好评率 (3 + 7.6471)/15 = 0.70980 → 1.5686;
		//   11.3305
		// survey: enterprise (120 + 777.14)/12 = 74.762, citizen (120 + 720)/12
		//   = 70, deputy (60 + 792)/11 = 77.455 → 73.872 × 0.15 = 11.0808
		// 40 + 18.2740 + 11.3305 + 11.0808 − 4 = 76.6854 (no longer tied with F02)
		{"F03", 76.69, true, 3, TierAverage, nil},
		// F04 peer 42, no service, deductions 12 capped at 10
		// complaints: 5 + resolution (3 + 9)/15 = 0.8 → 2.8571 + 好评率
		//   (4 + 7.6471)/14 = 0.83193 → 3.3133; 11.1705
		// survey: enterprise (80 + 777.14)/11 = 77.922, citizen (70 + 720)/11 =
		//   71.818, deputy (75 + 792)/11 = 78.818 → 76.270 × 0.15 = 11.4405
		// (42 + 11.1705 + 11.4405) × 100/80 − 10 = 80.7637 − 10 = 70.7637
		{"F04", 70.76, true, 4, TierAverage, []string{FlagDeductionsCapped, "redistributed:service"}},
		{"F00", 0, false, 0, "", []string{FlagNoData}},
	})
	// the report shows the raw 好评率 1/3 of F02 beside its r̂ 0.66516
	fav := got[1].Indicators[IndFavourable]
	if fav.Value == nil || math.Abs(*fav.Value-1.0/3) > 1e-12 || fav.N != 3 || fav.Count != 1 ||
		fav.Credible == nil || math.Abs(*fav.Credible-(1+130.0/17)/13) > 1e-12 {
		t.Errorf("F02 好评率 %+v, want value 1/3, 1 of 3, credible (1 + 130/17)/13", fav)
	}
}
