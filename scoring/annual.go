package scoring

import "sort"

// AnnualInput is what one unit brings to the year composite (年度综合评议):
// its scores in the year's rounds in which it was ranked, and its mean
// 效能问政 survey score of the year (nil without answers).
type AnnualInput struct {
	UnitID, Category string
	RoundScores      map[string]float64
	SurveyMean       *float64
}

// AnnualWeights weigh the mean of the round scores and the survey mean.
type AnnualWeights struct {
	Rounds, Survey float64
	// WenzhengSurvey names the survey whose answers make the year's survey
	// mean and never count in a round's satisfaction part; empty means
	// DefaultWenzhengSurvey (and keeps the canonical form unchanged).
	WenzhengSurvey string `json:",omitempty"`
}

// DefaultWenzhengSurvey is the default name of the year's 效能问政 survey.
const DefaultWenzhengSurvey = "效能问政"

// SurveyName returns the name of the year's survey (DefaultWenzhengSurvey when unset).
func (w AnnualWeights) SurveyName() string {
	if w.WenzhengSurvey == "" {
		return DefaultWenzhengSurvey
	}
	return w.WenzhengSurvey
}

// DefaultAnnualWeights are CONTRACT §3's: rounds 80 %, 效能问政 20 %.
func DefaultAnnualWeights() AnnualWeights { return AnnualWeights{Rounds: 0.8, Survey: 0.2} }

// Flags of the year composite.
const (
	FlagNoSurvey = "no_survey" // no 效能问政 answers: the rounds carry the whole weight
	FlagNoRounds = "no_rounds" // ranked in no round: the survey carries the whole weight
)

// AnnualResult is a unit's year composite. Score is 0 and Ranked false for a
// unit with neither round scores nor survey answers (flag no_data).
type AnnualResult struct {
	UnitID, Category string
	Rounds           int // rounds with a score
	RoundsMean       *float64
	SurveyMean       *float64
	Score            float64 // rounded to 2 decimals
	Ranked           bool
	Rank             int
	Tier             string
	Flags            []string
}

// Annual computes, ranks and tiers the year composite: the mean of the
// rounds with data weighted w.Rounds plus the survey mean weighted w.Survey,
// the weights renormalised over what the unit has.
func Annual(units []AnnualInput, w AnnualWeights, tiers TierRule, dense bool) []AnnualResult {
	out := make([]AnnualResult, 0, len(units))
	var items []Ranked
	for _, u := range units {
		r := annualUnit(u, w)
		if r.Ranked {
			items = append(items, Ranked{UnitID: r.UnitID, Category: r.Category, Score: r.Score})
		}
		out = append(out, r)
	}
	ranks := rankAndTier(items, dense, tiers)
	for i := range out {
		if rk, ok := ranks[out[i].UnitID]; ok {
			out[i].Rank, out[i].Tier = rk.Rank, rk.Tier
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return listedBefore(a.Category, a.UnitID, a.Ranked, a.Rank, b.Category, b.UnitID, b.Ranked, b.Rank)
	})
	return out
}

// annualUnit computes one unit's composite, renormalising the weights over
// the components it has.
func annualUnit(u AnnualInput, w AnnualWeights) AnnualResult {
	r := AnnualResult{UnitID: u.UnitID, Category: u.Category, SurveyMean: u.SurveyMean, Rounds: len(u.RoundScores)}
	var sum, weight float64
	if len(u.RoundScores) > 0 {
		scores := make([]float64, 0, len(u.RoundScores))
		for _, s := range u.RoundScores {
			scores = append(scores, s)
		}
		m := sortedSum(scores) / float64(len(scores))
		r.RoundsMean = &m
		sum, weight = sum+w.Rounds*m, weight+w.Rounds
	} else {
		r.Flags = append(r.Flags, FlagNoRounds)
	}
	if u.SurveyMean != nil {
		sum, weight = sum+w.Survey**u.SurveyMean, weight+w.Survey
	} else {
		r.Flags = append(r.Flags, FlagNoSurvey)
	}
	if weight > 0 {
		r.Score, r.Ranked = Round2(sum/weight), true
	} else {
		r.Flags = []string{FlagNoData}
	}
	sort.Strings(r.Flags)
	return r
}
