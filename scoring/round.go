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

// SurveyResponse is one satisfaction answer (0–100) by a respondent type.
type SurveyResponse struct {
	RespondentType string
	Score          float64
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
}

// RateRule is a target/floor normalised rate indicator worth Points.
type RateRule struct{ Points, Target, Floor float64 }

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
}

// DefaultScheme returns the CONTRACT §3 default scheme.
func DefaultScheme() Scheme {
	return Scheme{
		PeerPoints:         50,
		Peer:               DefaultPeerOptions(),
		OnTime:             RateRule{8, 1.00, 0.80},
		Online:             RateRule{4, 0.70, 0.30},
		OneVisit:           RateRule{4, 0.90, 0.50},
		Instant:            RateRule{4, 0.50, 0.10},
		ComplaintOnTime:    RateRule{5, 0.95, 0.60},
		Resolution:         RateRule{5, 0.95, 0.60},
		Favourable:         RateRule{5, 0.95, 0.60},
		SatisfactionPoints: 15,
		RespondentWeights:  map[string]float64{"enterprise": 0.5, "citizen": 0.3, "deputy": 0.2},
		DeductionCap:       10,
		Tiers:              DefaultTierRule(),
	}
}

// PartResult is one part of a unit's score.
type PartResult struct {
	Name    string
	Points  float64 // nominal points of the part in the scheme
	HasData bool
	Raw     float64 // points earned before redistribution
	Scaled  float64 // points after redistribution of missing parts
}

// Indicator is one indicator's raw value (nil when it has no data) and the
// points it earned under its own rule, before any redistribution.
type Indicator struct {
	Value  *float64 `json:"value"`
	Points float64  `json:"points"`
}

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
	for _, u := range units {
		r := scoreUnit(u, s)
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

// scoreUnit computes one unit's parts, redistribution, deductions and score.
func scoreUnit(u UnitInput, s Scheme) UnitResult {
	r := UnitResult{UnitID: u.UnitID, Category: u.Category, Indicators: map[string]Indicator{}}
	peerMean, peerOK, detail := AggregatePeer(u.Peer, s.Peer)
	r.Peer = detail
	if !peerOK && detail.Valid > 0 {
		r.Flags = append(r.Flags, FlagInsufficientPeerScores)
	}
	svc, svcOK := rateGroup([]Ratio{u.OnTime, u.Online, u.OneVisit, u.Instant},
		[]RateRule{s.OnTime, s.Online, s.OneVisit, s.Instant},
		[]string{IndOnTime, IndOnline, IndOneVisit, IndInstant}, r.Indicators)
	cmp, cmpOK := rateGroup([]Ratio{u.ComplaintOnTime, u.Resolution, u.Favourable},
		[]RateRule{s.ComplaintOnTime, s.Resolution, s.Favourable},
		[]string{IndComplaintOnTime, IndResolution, IndFavourable}, r.Indicators)
	satMean, satOK := surveyMean(u.Surveys, s.RespondentWeights)
	r.Indicators[IndPeerMean] = meanIndicator(peerMean, peerOK, s.PeerPoints)
	r.Indicators[IndSurveyMean] = meanIndicator(satMean, satOK, s.SatisfactionPoints)
	r.Parts = []PartResult{
		{Name: PartPeer, Points: s.PeerPoints, HasData: peerOK, Raw: peerMean * s.PeerPoints / 100},
		{Name: PartService, Points: rulePoints(s.OnTime, s.Online, s.OneVisit, s.Instant), HasData: svcOK, Raw: svc},
		{Name: PartComplaints, Points: rulePoints(s.ComplaintOnTime, s.Resolution, s.Favourable), HasData: cmpOK, Raw: cmp},
		{Name: PartSatisfaction, Points: s.SatisfactionPoints, HasData: satOK, Raw: satMean * s.SatisfactionPoints / 100},
	}
	var total, present float64
	for _, p := range r.Parts {
		total += p.Points
		if p.HasData {
			present += p.Points
		}
	}
	if present <= 0 {
		r.Flags = append(r.Flags, FlagNoData)
		sort.Strings(r.Flags)
		return r
	}
	var sum float64
	for i, p := range r.Parts {
		if !p.HasData {
			r.Parts[i].Raw = 0
			r.Flags = append(r.Flags, FlagRedistributedPrefix+p.Name)
			continue
		}
		r.Parts[i].Scaled = p.Raw * total / present
		sum += r.Parts[i].Scaled
	}
	r.Deductions = capDeductions(u.Deductions, s.DeductionCap, &r.Flags)
	r.Score = Round2(sum - r.Deductions)
	r.Ranked = true
	sort.Strings(r.Flags)
	return r
}

// rulePoints sums the points of rate rules.
func rulePoints(rules ...RateRule) float64 {
	var p float64
	for _, r := range rules {
		p += r.Points
	}
	return p
}

// meanIndicator records a 0–100 mean worth points (value nil without data).
func meanIndicator(mean float64, ok bool, points float64) Indicator {
	if !ok {
		return Indicator{}
	}
	v := mean
	return Indicator{Value: &v, Points: mean * points / 100}
}

// rateGroup normalises the rates of one part, recording each in ind under
// its name. Indicators without data (zero denominator) have their points
// redistributed proportionally over the part's indicators with data; ok is
// false when no indicator has data.
func rateGroup(rates []Ratio, rules []RateRule, names []string, ind map[string]Indicator) (points float64, ok bool) {
	var all, present float64
	for i, q := range rates {
		all += rules[i].Points
		ind[names[i]] = Indicator{}
		if q.Den > 0 {
			present += rules[i].Points
			rate := float64(q.Num) / float64(q.Den)
			p := TargetFloor(rate, rules[i].Target, rules[i].Floor, rules[i].Points)
			ind[names[i]] = Indicator{Value: &rate, Points: p}
			points += p
		}
	}
	if present <= 0 {
		return 0, false
	}
	return points * all / present, true
}

// surveyMean is the mean score per respondent type, weighted by type with the
// weights renormalised over the types present. Unweighted types and scores
// outside 0–100 are ignored.
func surveyMean(resp []SurveyResponse, weights map[string]float64) (mean float64, ok bool) {
	byType := map[string][]float64{}
	for _, x := range resp {
		if weights[x.RespondentType] > 0 && x.Score >= 0 && x.Score <= 100 {
			byType[x.RespondentType] = append(byType[x.RespondentType], x.Score)
		}
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	var wsum float64
	for _, t := range types {
		wsum += weights[t]
		mean += weights[t] * sortedSum(byType[t]) / float64(len(byType[t]))
	}
	if wsum <= 0 {
		return 0, false
	}
	return mean / wsum, true
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
