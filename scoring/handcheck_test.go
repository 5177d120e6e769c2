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

func TestHandcheckFullRound(t *testing.T) {
	got := ComputeRound(fullRoundUnits(), DefaultScheme())
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
		s := DefaultScheme()
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
