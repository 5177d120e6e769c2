package scoring

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// randRatio returns a ratio with a denominator of 0 (no data) about a fifth of the time.
func randRatio(r *rand.Rand) Ratio {
	if r.IntN(5) == 0 {
		return Ratio{}
	}
	d := 1 + r.IntN(20)
	return Ratio{Num: r.IntN(d + 1), Den: d}
}

// randUnit builds a unit with random data; some parts may be empty.
func randUnit(r *rand.Rand, i int) UnitInput {
	u := UnitInput{UnitID: fmt.Sprintf("U%03d", i), Category: fmt.Sprintf("C%d", r.IntN(3))}
	classes := []string{ClassLeader, ClassLeadHead, ClassMemberHead}
	for n := r.IntN(10); n > 0; n-- {
		// whole and half points make ties likely
		u.Peer = append(u.Peer, PeerScore{Class: classes[r.IntN(3)], Score: float64(60+r.IntN(81)) / 2})
	}
	u.OnTime, u.Online, u.OneVisit, u.Instant = randRatio(r), randRatio(r), randRatio(r), randRatio(r)
	u.ComplaintOnTime, u.Resolution, u.Favourable = randRatio(r), randRatio(r), randRatio(r)
	types := []string{"enterprise", "citizen", "deputy"}
	for n := r.IntN(6); n > 0; n-- {
		u.Surveys = append(u.Surveys, SurveyResponse{RespondentType: types[r.IntN(3)], Score: float64(40 + r.IntN(61))})
	}
	for n := r.IntN(4); n > 0; n-- {
		u.Deductions = append(u.Deductions, float64(r.IntN(9))/2)
	}
	return u
}

func randUnits(r *rand.Rand) []UnitInput {
	units := make([]UnitInput, 5+r.IntN(25))
	for i := range units {
		units[i] = randUnit(r, i)
	}
	return units
}

// improve changes one indicator of u for the better, keeping which parts have data.
func improve(r *rand.Rand, u UnitInput) UnitInput {
	better := func(q *Ratio) {
		if q.Num < q.Den {
			q.Num++
		}
	}
	u.Peer = append([]PeerScore(nil), u.Peer...)
	u.Surveys = append([]SurveyResponse(nil), u.Surveys...)
	u.Deductions = append([]float64(nil), u.Deductions...)
	switch k := r.IntN(10); {
	case k < 7:
		ratios := []*Ratio{&u.OnTime, &u.Online, &u.OneVisit, &u.Instant, &u.ComplaintOnTime, &u.Resolution, &u.Favourable}
		better(ratios[k])
	case k == 7 && len(u.Peer) > 0:
		i := r.IntN(len(u.Peer))
		u.Peer[i].Score = min(100, u.Peer[i].Score+float64(1+r.IntN(20)))
	case k == 8 && len(u.Surveys) > 0:
		i := r.IntN(len(u.Surveys))
		u.Surveys[i].Score = min(100, u.Surveys[i].Score+float64(1+r.IntN(20)))
	case k == 9 && len(u.Deductions) > 0:
		u.Deductions[r.IntN(len(u.Deductions))] = 0
	}
	return u
}

func byID(res []UnitResult) map[string]UnitResult {
	m := map[string]UnitResult{}
	for _, x := range res {
		m[x.UnitID] = x
	}
	return m
}

func TestPropertyImprovingNeverLowersScore(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 2000; trial++ {
		u := randUnit(r, 0)
		v := improve(r, u)
		got, base := ComputeRound([]UnitInput{v}, DefaultScheme())[0], ComputeRound([]UnitInput{u}, DefaultScheme())[0]
		if got.Ranked != base.Ranked || Cents(got.Score) < Cents(base.Score) {
			t.Fatalf("trial %d: got %.2f (ranked %v), want ≥ %.2f (ranked %v)\nbefore %+v\nafter  %+v",
				trial, got.Score, got.Ranked, base.Score, base.Ranked, u, v)
		}
	}
}

func TestPropertyRanksConsistentWithScores(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		res := ComputeRound(randUnits(r), DefaultScheme())
		for _, a := range res {
			if !a.Ranked {
				if a.Rank != 0 || a.Tier != "" {
					t.Fatalf("trial %d: unranked %s got rank %d tier %q, want 0 and none", trial, a.UnitID, a.Rank, a.Tier)
				}
				continue
			}
		}
		checkRanksConsistent(t, trial, res)
	}
}

func TestPropertyOrderAndRerunChangeNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 300; trial++ {
		units := randUnits(r)
		want := ComputeRound(units, DefaultScheme())
		if again := ComputeRound(units, DefaultScheme()); !reflect.DeepEqual(again, want) {
			t.Fatalf("trial %d: re-run differs", trial)
		}
		shuffled := make([]UnitInput, len(units))
		for i, u := range units {
			u.Peer = append([]PeerScore(nil), u.Peer...)
			u.Surveys = append([]SurveyResponse(nil), u.Surveys...)
			u.Deductions = append([]float64(nil), u.Deductions...)
			r.Shuffle(len(u.Peer), func(i, j int) { u.Peer[i], u.Peer[j] = u.Peer[j], u.Peer[i] })
			r.Shuffle(len(u.Surveys), func(i, j int) { u.Surveys[i], u.Surveys[j] = u.Surveys[j], u.Surveys[i] })
			r.Shuffle(len(u.Deductions), func(i, j int) { u.Deductions[i], u.Deductions[j] = u.Deductions[j], u.Deductions[i] })
			shuffled[i] = u
		}
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := ComputeRound(shuffled, DefaultScheme()); !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: shuffled input gives a different result", trial)
		}
	}
}

func TestPropertyTierSharesWithoutTies(t *testing.T) {
	// distinct scores: tier counts are exactly the floors of the shares
	for n := 1; n <= 40; n++ {
		items := make([]Ranked, n)
		for i := range items {
			items[i] = Ranked{UnitID: fmt.Sprintf("U%02d", i), Category: "c", Score: float64(100 - i)}
		}
		count := map[string]int{}
		for _, x := range AssignTiers(items, DefaultTierRule()) {
			count[x.Tier]++
		}
		bottom := 0
		if n >= 10 {
			bottom = n / 10
		}
		want := map[string]int{TierGood: max(1, n/5), TierFairGood: n * 3 / 10, TierPoor: bottom}
		want[TierAverage] = n - want[TierGood] - want[TierFairGood] - bottom
		for k, w := range want {
			if count[k] != w {
				t.Errorf("n=%d %s: got %d, want %d", n, k, count[k], w)
			}
		}
	}
}
