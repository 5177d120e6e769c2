package scoring

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// Part names, in report order.
const (
	PartPeer         = "peer"
	PartService      = "service"
	PartComplaints   = "complaints"
	PartSatisfaction = "satisfaction"
	// PartTasks is the optional 督办落实 part (README "Tasks and targets"):
	// present only when the scheme gives its indicators points.
	PartTasks = "tasks"
)

// Unit flags.
const (
	FlagNoData                 = "no_data"
	FlagInsufficientPeerScores = "insufficient_peer_scores"
	FlagDeductionsCapped       = "deductions_capped"
	// FlagRedistributedPrefix + part name marks a part without data whose
	// points went to the unit's other parts.
	FlagRedistributedPrefix = "redistributed:"
)

// Ratio is a rate given as counts; Den == 0 means no data.
type Ratio struct{ Num, Den int }

// SurveyResponse is one satisfaction answer (0–100) by a respondent type,
// or, with Answers > 1, the mean Score of that many answers.
type SurveyResponse struct {
	RespondentType string
	Score          float64
	Answers        int
}

// UnitInput is everything one unit brings to a round, already filtered to the round.
type UnitInput struct {
	UnitID, Category string
	Peer             []PeerScore
	// Service efficiency rates.
	OnTime, Online, OneVisit, Instant Ratio
	// Complaint handling rates.
	ComplaintOnTime, Resolution, Favourable Ratio
	Surveys                                 []SurveyResponse
	Deductions                              []float64
	// TaskLead and TaskCoop are the unit's 督办 tasks due in the round that
	// were done by their due date, as lead and as cooperating unit (used
	// only when the scheme has the 督办落实 part).
	TaskLead, TaskCoop Ratio
}

// RateRule is a rate indicator worth Points and how it is normalised:
// Method (MethodTarget when empty) with Target and Floor, or Best and Worst
// for MethodFrontier; Direction DirectionLower when lower values are better.
// The optional fields are left out of the canonical form when unset, so a
// default rule hashes as it always has.
type RateRule struct {
	Points, Target, Floor float64
	Method                string  `json:",omitempty"`
	Direction             string  `json:",omitempty"`
	Best                  float64 `json:",omitempty"`
	Worst                 float64 `json:",omitempty"`
}

// Scheme is the round scheme as a plain struct (CONTRACT §3 defaults from DefaultScheme).
type Scheme struct {
	PeerPoints                              float64
	Peer                                    PeerOptions
	OnTime, Online, OneVisit, Instant       RateRule
	ComplaintOnTime, Resolution, Favourable RateRule
	SatisfactionPoints                      float64
	RespondentWeights                       map[string]float64
	DeductionCap                            float64
	DenseRank                               bool
	Tiers                                   TierRule
	// Year weighs the year composite; Interviews is the 约谈 rule. They do
	// not change a round's scores but belong to the scheme and its hash.
	Year       AnnualWeights
	Interviews InterviewRule
	// AHP records the pairwise comparisons that derived the points, when
	// the scheme used them (the points above are the derived ones).
	AHP []AHPResult `json:",omitempty"`
	// TaskLead and TaskCoop are the optional 督办落实 part's indicators;
	// zero (the default) leaves the part out, and out of the canonical form.
	TaskLead RateRule `json:",omitzero"`
	TaskCoop RateRule `json:",omitzero"`
	// Publish is the publish gate (PublishRule); the default is left out
	// of the canonical form.
	Publish PublishRule `json:",omitzero"`
	// Credibility is m of the credibility-weighted rates (CONTRACT §7):
	// every rate of the service and complaint parts is scored on
	// (x + m·p̄) ÷ (n + m), p̄ the pooled rate of the unit's category, and
	// each respondent type's survey mean likewise toward the category's
	// pooled mean of that type. Zero scores the raw rates and means, and
	// is left out of the canonical form.
	Credibility float64 `json:",omitzero"`
}

// HasTasksPart reports whether the scheme scores the 督办落实 part.
func (s Scheme) HasTasksPart() bool { return s.partPoints(TaskIndicators) > 0 }

// DefaultScheme returns the CONTRACT §3 default scheme.
func DefaultScheme() Scheme {
	return Scheme{
		PeerPoints:         50,
		Peer:               DefaultPeerOptions(),
		OnTime:             RateRule{Points: 8, Target: 1.00, Floor: 0.80},
		Online:             RateRule{Points: 4, Target: 0.70, Floor: 0.30},
		OneVisit:           RateRule{Points: 4, Target: 0.90, Floor: 0.50},
		Instant:            RateRule{Points: 4, Target: 0.50, Floor: 0.10},
		ComplaintOnTime:    RateRule{Points: 5, Target: 0.95, Floor: 0.60},
		Resolution:         RateRule{Points: 5, Target: 0.95, Floor: 0.60},
		Favourable:         RateRule{Points: 5, Target: 0.95, Floor: 0.60},
		SatisfactionPoints: 15,
		RespondentWeights:  map[string]float64{"enterprise": 0.5, "citizen": 0.3, "deputy": 0.2},
		DeductionCap:       10,
		Tiers:              DefaultTierRule(),
		Year:               DefaultAnnualWeights(),
		Interviews:         DefaultInterviewRule(),
		Credibility:        DefaultCredibility,
	}
}

// DefaultCredibility is the default m of the credibility-weighted rates: a
// unit's rate counts as if it had m more cases at its category's pooled rate.
const DefaultCredibility = 10

// PartResult is one part of a unit's score.
type PartResult struct {
	Name    string
	Points  float64 // nominal points of the part in the scheme
	HasData bool
	Raw     float64 // points earned before redistribution
	Scaled  float64 // points after redistribution of missing parts
}

// Indicator is one indicator's raw value (nil when it has no data) and the
// points it earned under its own rule, before any redistribution. When the
// scheme's credibility is on, a rate of the service and complaint parts and
// the survey mean also record the counts and the credibility-weighted value
// the points were computed from; results scored without credibility (and
// results stored before these fields existed) leave them out.
type Indicator struct {
	Value *float64 `json:"value"`
	// Count and N are the rate's numerator and denominator (Value = Count ÷
	// N); for the survey mean N is the number of answers.
	Count int `json:"count,omitempty"`
	N     int `json:"n,omitempty"`
	// Credible is the value scored: (Count + m·Pooled) ÷ (N + m) for a rate,
	// the weighted mean of the types' credibility-weighted means for the
	// survey; Pooled is the category's pooled rate (rates only).
	Credible *float64 `json:"credible,omitempty"`
	Pooled   *float64 `json:"pooled,omitempty"`
	// Types are the survey mean per respondent type (survey mean only).
	Types  map[string]SurveyTypeMean `json:"types,omitempty"`
	Points float64                   `json:"points"`
}

// SurveyTypeMean is one respondent type's survey mean: Mean the raw mean of
// its N answers, Pooled the category's pooled mean of the type, Credible
// the credibility-weighted mean (Mean·N + m·Pooled) ÷ (N + m).
type SurveyTypeMean struct {
	Mean     float64 `json:"mean"`
	N        int     `json:"n"`
	Pooled   float64 `json:"pooled"`
	Credible float64 `json:"credible"`
}

// Shrunk reports whether the value scored differs from the raw value: the
// indicator was credibility-weighted.
func (i Indicator) Shrunk() bool { return i.Credible != nil && i.Value != nil }

// Indicator names, as they appear in results and in the JSON output.
const (
	IndOnTime          = "on_time_rate"
	IndOnline          = "online_rate"
	IndOneVisit        = "one_visit_rate"
	IndInstant         = "instant_rate"
	IndComplaintOnTime = "complaint_on_time_rate"
	IndResolution      = "resolution_rate"
	IndFavourable      = "satisfaction_rate"
	IndPeerMean        = "peer_mean"
	IndSurveyMean      = "survey_mean"
	IndTaskLead        = "task_lead_rate"
	IndTaskCoop        = "task_coop_rate"
)

// UnitResult is a unit's round result. Unranked units have Ranked false,
// Rank 0 and no tier.
type UnitResult struct {
	UnitID, Category string
	Parts            []PartResult
	Peer             PeerDetail
	Deductions       float64 // capped
	Score            float64 // rounded to 2 decimals
	Ranked           bool
	Rank             int
	Tier             string
	Flags            []string // sorted
	Indicators       map[string]Indicator
}

// ComputeRound scores, ranks and tiers units under scheme s. Results are
// ordered by category, then ranked units by rank and unit_id, then unranked
// units by unit_id. Unit IDs are assumed unique.
func ComputeRound(units []UnitInput, s Scheme) []UnitResult {
	out := make([]UnitResult, 0, len(units))
	var items []Ranked
	stats := categoryStatsOf(units, s)
	for _, u := range units {
		r := scoreUnit(u, s, stats[u.Category])
		if r.Ranked {
			items = append(items, Ranked{UnitID: r.UnitID, Category: r.Category, Score: r.Score})
		}
		out = append(out, r)
	}
	ranks := rankAndTier(items, s.DenseRank, s.Tiers)
	for i := range out {
		if rk, ok := ranks[out[i].UnitID]; ok && out[i].Ranked {
			out[i].Rank, out[i].Tier = rk.Rank, rk.Tier
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return resultLess(out[i], out[j]) })
	return out
}

// resultLess orders results by category, ranked first by rank, then unit_id.
func resultLess(a, b UnitResult) bool {
	return listedBefore(a.Category, a.UnitID, a.Ranked, a.Rank, b.Category, b.UnitID, b.Ranked, b.Rank)
}

// listedBefore is the output order of results: by category, ranked units
// first by rank, then by unit_id.
func listedBefore(catA, idA string, rankedA bool, rankA int, catB, idB string, rankedB bool, rankB int) bool {
	if catA != catB {
		return catA < catB
	}
	if rankedA != rankedB {
		return rankedA
	}
	if rankA != rankB {
		return rankA < rankB
	}
	return idA < idB
}

// scoreUnit computes one unit's parts, redistribution, deductions and score;
// cat holds its category's pooled rates and populations.
func scoreUnit(u UnitInput, s Scheme, cat *categoryStats) UnitResult {
	r := UnitResult{UnitID: u.UnitID, Category: u.Category, Indicators: map[string]Indicator{}}
	sat := surveyMean(u.Surveys, s.RespondentWeights, s.Credibility, cat.survey)
	parts, n, detail := unitParts(&u, u.Peer, s, cat, sat, r.Indicators)
	r.Peer = detail
	if !parts[0].HasData && detail.Valid > 0 {
		r.Flags = append(r.Flags, FlagInsufficientPeerScores)
	}
	r.Parts = parts[:n:n]
	sum, ok := combineParts(r.Parts)
	if !ok {
		r.Flags = append(r.Flags, FlagNoData)
		sort.Strings(r.Flags)
		return r
	}
	for _, p := range r.Parts {
		if !p.HasData {
			r.Flags = append(r.Flags, FlagRedistributedPrefix+p.Name)
		}
	}
	r.Deductions = capDeductions(u.Deductions, s.DeductionCap, &r.Flags)
	r.Score = Round2(sum - r.Deductions)
	r.Ranked = true
	sort.Strings(r.Flags)
	return r
}

// unitParts computes the parts of a unit from its peer scores (given
// separately so that robustness runs can resample them), its rates and its
// survey mean, recording every indicator in ind: the four parts, and the
// 督办落实 part fifth when the scheme has it (n is 4 or 5). The rates of the
// service and complaint parts are credibility-weighted with the scheme's m;
// the 督办落实 rates are scored raw.
func unitParts(u *UnitInput, peer []PeerScore, s Scheme, cat *categoryStats,
	sat surveyResult, ind map[string]Indicator) (parts [5]PartResult, n int, detail PeerDetail) {
	peerMean, peerOK, detail := AggregatePeer(peer, s.Peer)
	svc, svcOK := rateGroup(u, &s, ServiceIndicators, s.Credibility, cat, ind)
	cmp, cmpOK := rateGroup(u, &s, ComplaintIndicators, s.Credibility, cat, ind)
	satMean, satOK := sat.credible, sat.ok
	ind[IndPeerMean] = meanIndicator(peerMean, peerOK, s.PeerPoints)
	ind[IndSurveyMean] = sat.indicator(s.SatisfactionPoints, s.Credibility)
	parts = [5]PartResult{
		{Name: PartPeer, Points: s.PeerPoints, HasData: peerOK, Raw: peerMean * s.PeerPoints / 100},
		{Name: PartService, Points: s.partPoints(ServiceIndicators), HasData: svcOK, Raw: svc},
		{Name: PartComplaints, Points: s.partPoints(ComplaintIndicators), HasData: cmpOK, Raw: cmp},
		{Name: PartSatisfaction, Points: s.SatisfactionPoints, HasData: satOK, Raw: satMean * s.SatisfactionPoints / 100},
	}
	if !s.HasTasksPart() {
		return parts, 4, detail
	}
	tsk, tskOK := rateGroup(u, &s, TaskIndicators, 0, cat, ind)
	parts[4] = PartResult{Name: PartTasks, Points: s.partPoints(TaskIndicators), HasData: tskOK, Raw: tsk}
	return parts, 5, detail
}

// combineParts redistributes the points of parts without data over the
// parts with data (setting Scaled, and Raw to 0 where there is no data) and
// returns their sum; ok is false when no part has data.
func combineParts(parts []PartResult) (sum float64, ok bool) {
	var total, present float64
	for _, p := range parts {
		total += p.Points
		if p.HasData {
			present += p.Points
		}
	}
	if present <= 0 {
		return 0, false
	}
	for i, p := range parts {
		if !p.HasData {
			parts[i].Raw = 0
			continue
		}
		parts[i].Scaled = p.Raw * total / present
		sum += parts[i].Scaled
	}
	return sum, true
}

// ServiceIndicators, ComplaintIndicators and TaskIndicators are the rate
// indicators of the service, complaint and 督办落实 parts, in report order.
var (
	ServiceIndicators   = []string{IndOnTime, IndOnline, IndOneVisit, IndInstant}
	ComplaintIndicators = []string{IndComplaintOnTime, IndResolution, IndFavourable}
	TaskIndicators      = []string{IndTaskLead, IndTaskCoop}
)

// ratio is the unit's counts for a rate indicator.
func (u *UnitInput) ratio(name string) Ratio {
	switch name {
	case IndOnTime:
		return u.OnTime
	case IndOnline:
		return u.Online
	case IndOneVisit:
		return u.OneVisit
	case IndInstant:
		return u.Instant
	case IndComplaintOnTime:
		return u.ComplaintOnTime
	case IndResolution:
		return u.Resolution
	case IndFavourable:
		return u.Favourable
	case IndTaskLead:
		return u.TaskLead
	case IndTaskCoop:
		return u.TaskCoop
	}
	panic("scoring: not a rate indicator: " + name)
}

// Rule returns the scheme's rule for a rate indicator (nil for other names).
func (s *Scheme) Rule(name string) *RateRule {
	switch name {
	case IndOnTime:
		return &s.OnTime
	case IndOnline:
		return &s.Online
	case IndOneVisit:
		return &s.OneVisit
	case IndInstant:
		return &s.Instant
	case IndComplaintOnTime:
		return &s.ComplaintOnTime
	case IndResolution:
		return &s.Resolution
	case IndFavourable:
		return &s.Favourable
	case IndTaskLead:
		return &s.TaskLead
	case IndTaskCoop:
		return &s.TaskCoop
	}
	return nil
}

// partPoints sums the points of the named rate rules.
func (s *Scheme) partPoints(names []string) float64 {
	var p float64
	for _, n := range names {
		p += s.Rule(n).Points
	}
	return p
}

// categoryStats is what a unit's category brings to its scoring: the
// pooled rate of each rate indicator (Σx ÷ Σn over the category's units),
// the pooled survey mean of each respondent type (Σscores ÷ Σanswers), and
// the populations of the rates as scored (credibility-weighted for the
// service and complaint parts), which the relative normalisations use.
type categoryStats struct {
	pooled map[string]float64
	survey map[string]float64
	pop    map[string]Population
}

// poolOf is the category's pooled rate of a rate indicator (0 without statistics).
func (c *categoryStats) poolOf(name string) float64 {
	if c == nil {
		return 0
	}
	return c.pooled[name]
}

// categoryStatsOf gathers, per category, the pooled rates and survey means
// and each rate indicator's scored values over the units with data for it.
func categoryStatsOf(units []UnitInput, s Scheme) map[string]*categoryStats {
	type sums struct{ x, n float64 }
	rates := map[string]map[string]*sums{}
	surveys := map[string]map[string]typeAnswers{}
	for i := range units {
		u := &units[i]
		if rates[u.Category] == nil {
			rates[u.Category], surveys[u.Category] = map[string]*sums{}, map[string]typeAnswers{}
		}
		for _, names := range [][]string{ServiceIndicators, ComplaintIndicators, TaskIndicators} {
			for _, n := range names {
				if q := u.ratio(n); q.Den > 0 {
					if rates[u.Category][n] == nil {
						rates[u.Category][n] = &sums{}
					}
					rates[u.Category][n].x += float64(q.Num)
					rates[u.Category][n].n += float64(q.Den)
				}
			}
		}
		for t, v := range validSurveys(u.Surveys, s.RespondentWeights) {
			a := surveys[u.Category][t]
			a.terms, a.n = append(a.terms, v.terms...), a.n+v.n
			surveys[u.Category][t] = a
		}
	}
	out := make(map[string]*categoryStats, len(rates))
	for c := range rates {
		cs := &categoryStats{pooled: map[string]float64{}, survey: map[string]float64{}, pop: map[string]Population{}}
		for n, x := range rates[c] {
			cs.pooled[n] = x.x / x.n
		}
		for t, v := range surveys[c] {
			// all answers summed in sorted order: independent of the units' order
			cs.survey[t] = v.sum() / float64(v.n)
		}
		out[c] = cs
	}
	vals := map[string]map[string][]float64{}
	for i := range units {
		u := &units[i]
		if vals[u.Category] == nil {
			vals[u.Category] = map[string][]float64{}
		}
		for _, g := range []struct {
			names []string
			m     float64
		}{{ServiceIndicators, s.Credibility}, {ComplaintIndicators, s.Credibility}, {TaskIndicators, 0}} {
			for _, n := range g.names {
				if q := u.ratio(n); q.Den > 0 {
					vals[u.Category][n] = append(vals[u.Category][n], Credible(q.Num, q.Den, out[u.Category].pooled[n], g.m))
				}
			}
		}
	}
	for c, m := range vals {
		for n, v := range m {
			out[c].pop[n] = NewPopulation(v)
		}
	}
	return out
}

// Credible is the credibility-weighted rate (x + m·p̄) ÷ (n + m) of x out of
// n toward the pooled rate p̄; with m = 0 it is the raw rate x ÷ n. n must
// be positive.
func Credible(x, n int, pooled, m float64) float64 {
	if m <= 0 {
		return float64(x) / float64(n)
	}
	return (float64(x) + m*pooled) / (float64(n) + m)
}

// credibleMean is the credibility-weighted mean (Σscores + m·p̄) ÷ (n + m)
// of n answers summing to sum; with m = 0 it is the raw mean.
func credibleMean(sum float64, n int, pooled, m float64) float64 {
	if m <= 0 {
		return sum / float64(n)
	}
	return (sum + m*pooled) / (float64(n) + m)
}

// meanIndicator records a 0–100 mean worth points (value nil without data).
func meanIndicator(mean float64, ok bool, points float64) Indicator {
	if !ok {
		return Indicator{}
	}
	v := mean
	return Indicator{Value: &v, Points: mean * points / 100}
}

// rateGroup normalises the named rates of one part, recording each in ind;
// with m > 0 each rate is scored on its credibility-weighted value toward
// the category's pooled rate, and the counts are recorded with it.
// Indicators without data (zero denominator) have their points redistributed
// proportionally over the part's indicators with data; ok is false when no
// indicator has data.
func rateGroup(u *UnitInput, s *Scheme, names []string, m float64, cat *categoryStats, ind map[string]Indicator) (points float64, ok bool) {
	var all, present float64
	for _, n := range names {
		rule := s.Rule(n)
		q := u.ratio(n)
		all += rule.Points
		ind[n] = Indicator{}
		if q.Den > 0 {
			present += rule.Points
			rate := float64(q.Num) / float64(q.Den)
			pooled := cat.poolOf(n)
			scored := Credible(q.Num, q.Den, pooled, m)
			var pop Population
			if cat != nil {
				pop = cat.pop[n]
			}
			p := Normalise(scored, *rule, pop)
			in := Indicator{Value: &rate, Points: p}
			if m > 0 {
				in.Count, in.N, in.Credible, in.Pooled = q.Num, q.Den, &scored, &pooled
			}
			ind[n] = in
			points += p
		}
	}
	if present <= 0 {
		return 0, false
	}
	return points * all / present, true
}

// typeAnswers are a unit's answers of one respondent type: their count and
// the terms of their sum (a response standing for several answers brings
// its mean times their number).
type typeAnswers struct {
	terms []float64
	n     int
	first float64 // the first response's score: the mean when it is the only one
}

// sum adds the terms in sorted order, independent of the input order.
func (a typeAnswers) sum() float64 { return sortedSum(a.terms) }

// mean is the answers' mean; a single response is its own mean.
func (a typeAnswers) mean() float64 {
	if len(a.terms) == 1 {
		return a.first
	}
	return a.sum() / float64(a.n)
}

// validSurveys groups the answers that count by respondent type: answers of
// types with a positive weight and scores within 0–100.
func validSurveys(resp []SurveyResponse, weights map[string]float64) map[string]typeAnswers {
	byType := map[string]typeAnswers{}
	for _, x := range resp {
		if weights[x.RespondentType] > 0 && x.Score >= 0 && x.Score <= 100 {
			a := byType[x.RespondentType]
			n := max(x.Answers, 1)
			if len(a.terms) == 0 {
				a.first = x.Score
			}
			a.terms = append(a.terms, x.Score*float64(n))
			a.n += n
			byType[x.RespondentType] = a
		}
	}
	return byType
}

// surveyResult is a unit's survey mean: raw and credibility-weighted, each
// the weighted mean over the types present, with the per-type details.
type surveyResult struct {
	raw, credible float64
	n             int
	ok            bool
	types         map[string]SurveyTypeMean
}

// indicator records the survey mean worth points; the counts and the
// per-type means only when credibility is on.
func (r surveyResult) indicator(points, m float64) Indicator {
	if !r.ok {
		return Indicator{}
	}
	raw, cred := r.raw, r.credible
	in := Indicator{Value: &raw, Points: cred * points / 100}
	if m > 0 {
		in.N, in.Credible, in.Types = r.n, &cred, r.types
	}
	return in
}

// surveyMean is the mean score per respondent type, each credibility-weighted
// with m toward the category's pooled mean of the type (pooled), weighted by
// type with the weights renormalised over the types present. Unweighted
// types and scores outside 0–100 are ignored.
func surveyMean(resp []SurveyResponse, weights map[string]float64, m float64, pooled map[string]float64) surveyResult {
	byType := validSurveys(resp, weights)
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	var wsum float64
	var r surveyResult
	r.types = map[string]SurveyTypeMean{}
	for _, t := range types {
		a := byType[t]
		tm := SurveyTypeMean{Mean: a.mean(), N: a.n, Pooled: pooled[t], Credible: credibleMean(a.sum(), a.n, pooled[t], m)}
		r.types[t] = tm
		r.n += a.n
		wsum += weights[t]
		r.raw += weights[t] * tm.Mean
		if m > 0 {
			r.credible += weights[t] * tm.Credible
		} else {
			r.credible += weights[t] * tm.Mean
		}
	}
	if wsum <= 0 {
		return surveyResult{}
	}
	r.raw, r.credible, r.ok = r.raw/wsum, r.credible/wsum, true
	return r
}

// capDeductions sums positive deductions and caps them, flagging when capped.
func capDeductions(d []float64, limit float64, flags *[]string) float64 {
	pos := make([]float64, 0, len(d))
	for _, x := range d {
		if x > 0 {
			pos = append(pos, x)
		}
	}
	sum := sortedSum(pos)
	if limit > 0 && sum > limit {
		*flags = append(*flags, FlagDeductionsCapped)
		return limit
	}
	return sum
}

// sortedSum adds a sorted copy of v so that the result is independent of input order.
func sortedSum(v []float64) float64 {
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	var sum float64
	for _, x := range c {
		sum += x
	}
	return sum
}

// SchemeHash is the sha256 of the scheme's canonical form (its JSON), the
// hash stored with every result.
func SchemeHash(s Scheme) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a Scheme holds only numbers, strings and maps of them
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
