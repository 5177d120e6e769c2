package scoring

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// PartDeductions is the name of the deductions line of a result's parts.
const PartDeductions = "deductions"

// ErrUnknownUnit is returned (wrapped) by Explain for a unit not in the round.
var ErrUnknownUnit = errors.New("unit not in the round")

// ExplainUnit is one unit's stored round result, the input of Explain.
type ExplainUnit struct {
	UnitID, Name, Category string
	Score                  *float64 // nil when unranked
	Rank                   *int     // nil when unranked
	// Parts are points after redistribution (nil: no data); "deductions" is
	// positive, the points taken off.
	Parts      map[string]*float64
	Indicators map[string]Indicator
	// Nominal is each part's points in the scheme (NominalPoints); nil leaves
	// Max and Lost empty.
	Nominal map[string]float64
}

// UnitRef names a unit of the explanation.
type UnitRef struct {
	UnitID string   `json:"unit_id"`
	Name   string   `json:"name"`
	Rank   *int     `json:"rank"`
	Score  *float64 `json:"score"`
}

// PartExplanation is what one part gave and cost. Points is the signed
// contribution to the score (negative for deductions); every difference is
// "unit minus other", so a positive difference is in the unit's favour.
type PartExplanation struct {
	Name          string   `json:"name"`
	Label         string   `json:"label"`
	Points        *float64 `json:"points"`   // nil: no data
	Max           *float64 `json:"max"`      // nominal points after redistribution
	Lost          *float64 `json:"lost"`     // Max − Points; the deductions for "deductions"
	Mean          *float64 `json:"mean"`     // category mean over ranked units with data, 2 decimals
	VsMean        *float64 `json:"vs_mean"`  // Points − Mean
	VsAbove       *float64 `json:"vs_above"` // Points − the unit above's points
	Redistributed bool     `json:"redistributed"`
}

// IndicatorExplanation is one indicator's value and points against the category.
type IndicatorExplanation struct {
	Name      string   `json:"name"`
	Label     string   `json:"label"`
	Value     *float64 `json:"value"`
	Points    float64  `json:"points"`
	MeanValue *float64 `json:"mean_value"` // category mean over ranked units with a value
	// N, Credible and Phrase are set when the value was credibility-weighted:
	// the cases (answers) behind it, the value scored, and IndicatorPhrase.
	N        int      `json:"n,omitempty"`
	Credible *float64 `json:"credible,omitempty"`
	Phrase   string   `json:"phrase,omitempty"`
}

// Explanation tells for one unit which parts and indicators gave and cost how
// many points, against the category mean and the unit ranked just above.
type Explanation struct {
	UnitRef
	Category     string                 `json:"category"`
	RankedInCat  int                    `json:"ranked_in_category"`
	Above        *UnitRef               `json:"above"` // nil for rank 1 or an unranked unit
	ScoreMean    *float64               `json:"score_mean"`
	ScoreVsMean  *float64               `json:"score_vs_mean"`
	ScoreVsAbove *float64               `json:"score_vs_above"`
	Parts        []PartExplanation      `json:"parts"`
	Indicators   []IndicatorExplanation `json:"indicators"`
	Sentences    []string               `json:"sentences"`
}

// PartOrder is the report order of parts; PartLabels and IndicatorLabels are
// their Chinese names.
var (
	PartOrder  = []string{PartPeer, PartService, PartComplaints, PartSatisfaction, PartTasks, PartDeductions}
	PartLabels = map[string]string{PartPeer: "效能评议", PartService: "政务服务", PartComplaints: "诉求办理",
		PartSatisfaction: "满意度测评", PartTasks: "督办落实", PartDeductions: "扣分"}
	IndicatorLabels = map[string]string{IndPeerMean: "评议加权均分", IndOnTime: "办结及时率", IndOnline: "网上办理率",
		IndOneVisit: "最多跑一次率", IndInstant: "即办件率", IndComplaintOnTime: "诉求按时办结率",
		IndResolution: "诉求解决率", IndFavourable: "诉求好评率", IndSurveyMean: "满意度加权均分",
		IndTaskLead: "牵头督办按期办结率", IndTaskCoop: "配合督办按期办结率"}
	partIndicators = map[string][]string{PartPeer: {IndPeerMean}, PartService: {IndOnTime, IndOnline, IndOneVisit, IndInstant},
		PartComplaints: {IndComplaintOnTime, IndResolution, IndFavourable}, PartSatisfaction: {IndSurveyMean},
		PartTasks: TaskIndicators}
)

// NominalPoints returns each part's points in scheme s.
func NominalPoints(s Scheme) map[string]float64 {
	m := map[string]float64{
		PartPeer:         s.PeerPoints,
		PartService:      s.partPoints(ServiceIndicators),
		PartComplaints:   s.partPoints(ComplaintIndicators),
		PartSatisfaction: s.SatisfactionPoints,
	}
	if s.HasTasksPart() {
		m[PartTasks] = s.partPoints(TaskIndicators)
	}
	return m
}

// Explain explains unitID's result among units (a round's results). Means are
// over the ranked units of the unit's category; the unit above is the nearest
// unit with a strictly better rank (the first by unit_id among ties).
func Explain(units []ExplainUnit, unitID string) (Explanation, error) {
	var me *ExplainUnit
	var peers []ExplainUnit
	for i := range units {
		if units[i].UnitID == unitID {
			me = &units[i]
		}
	}
	if me == nil {
		return Explanation{}, fmt.Errorf("%w: %s", ErrUnknownUnit, unitID)
	}
	for _, u := range units {
		if u.Category == me.Category && u.Rank != nil && u.Score != nil {
			peers = append(peers, u)
		}
	}
	sort.Slice(peers, func(i, j int) bool {
		if *peers[i].Rank != *peers[j].Rank {
			return *peers[i].Rank < *peers[j].Rank
		}
		return peers[i].UnitID < peers[j].UnitID
	})
	e := Explanation{UnitRef: xRef(*me), Category: me.Category, RankedInCat: len(peers)}
	above := unitAbove(peers, me.Rank)
	if above != nil {
		r := xRef(*above)
		e.Above = &r
	}
	e.ScoreMean = xRound(xMean(peers, func(u ExplainUnit) *float64 { return u.Score }))
	if me.Score != nil {
		e.ScoreVsMean = xDiff(me.Score, e.ScoreMean)
		if above != nil {
			e.ScoreVsAbove = xDiff(me.Score, above.Score)
		}
	}
	for _, name := range xKeys(me.Parts, PartOrder) {
		e.Parts = append(e.Parts, explainPart(name, *me, peers, above))
	}
	for _, name := range xKeys(me.Indicators, indicatorOrder()) {
		ind := me.Indicators[name]
		x := IndicatorExplanation{Name: name, Label: xLabel(IndicatorLabels, name),
			Value: ind.Value, Points: Round2(ind.Points),
			MeanValue: xMean(peers, func(u ExplainUnit) *float64 { return u.Indicators[name].Value })}
		if ind.Shrunk() && ind.N > 0 {
			x.N, x.Credible, x.Phrase = ind.N, ind.Credible, IndicatorPhrase(name, x.Label, ind)
		}
		e.Indicators = append(e.Indicators, x)
	}
	e.Sentences = explainSentences(e)
	return e, nil
}

// unitAbove is the nearest ranked unit with a strictly better rank than rank.
func unitAbove(sorted []ExplainUnit, rank *int) *ExplainUnit {
	if rank == nil {
		return nil
	}
	var best *ExplainUnit
	for i := range sorted {
		r := *sorted[i].Rank
		if r < *rank && (best == nil || r > *best.Rank) {
			best = &sorted[i]
		}
	}
	return best
}

// explainPart compares one part (signed: deductions count negative).
func explainPart(name string, me ExplainUnit, peers []ExplainUnit, above *ExplainUnit) PartExplanation {
	get := func(u ExplainUnit) *float64 { return xSigned(name, u.Parts[name]) }
	p := PartExplanation{Name: name, Label: xLabel(PartLabels, name), Points: get(me), Mean: xRound(xMean(peers, get))}
	if me.Rank == nil {
		return p
	}
	if p.Points == nil {
		p.Redistributed = name != PartDeductions
		return p
	}
	p.VsMean = xDiff(p.Points, p.Mean)
	if above != nil {
		p.VsAbove = xDiff(p.Points, get(*above))
	}
	if name == PartDeductions {
		p.Max, p.Lost = xPtr(0), xPtr(-*p.Points)
	} else if max, ok := scaledMax(me, name); ok {
		p.Max, p.Lost = xPtr(Round2(max)), xPtr(Round2(max-*p.Points))
	}
	return p
}

// scaledMax is a part's nominal points scaled up by the redistribution of
// the unit's parts without data.
func scaledMax(u ExplainUnit, name string) (float64, bool) {
	var total, present float64
	for _, n := range xKeys(u.Nominal, PartOrder) {
		total += u.Nominal[n]
		if u.Parts[n] != nil {
			present += u.Nominal[n]
		}
	}
	nom, ok := u.Nominal[name]
	if !ok || present <= 0 {
		return 0, false
	}
	return nom * total / present, true
}

func xRef(u ExplainUnit) UnitRef {
	return UnitRef{UnitID: u.UnitID, Name: u.Name, Rank: u.Rank, Score: u.Score}
}

// xSigned makes deductions a negative contribution.
func xSigned(name string, v *float64) *float64 {
	if v == nil || name != PartDeductions {
		return v
	}
	return xPtr(-*v)
}

// xMean averages get over units (in their given order) where it is not nil.
func xMean(units []ExplainUnit, get func(ExplainUnit) *float64) *float64 {
	var sum float64
	n := 0
	for _, u := range units {
		if v := get(u); v != nil {
			sum += *v
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return xPtr(sum / float64(n))
}

// xDiff is a − b rounded to 2 decimals, nil when either is missing.
func xDiff(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	return xPtr(Round2(*a - *b))
}

// xRound rounds a mean to 2 decimals, so that differences add up as printed.
func xRound(p *float64) *float64 {
	if p == nil {
		return nil
	}
	return xPtr(Round2(*p))
}

func xPtr(x float64) *float64 {
	if x == 0 {
		x = 0 // no negative zero
	}
	return &x
}

// xKeys lists m's keys: those in order first, then the rest sorted.
func xKeys[V any](m map[string]V, order []string) []string {
	var out, rest []string
	seen := map[string]bool{}
	for _, n := range order {
		if _, ok := m[n]; ok {
			out, seen[n] = append(out, n), true
		}
	}
	for n := range m {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func indicatorOrder() []string {
	var out []string
	for _, p := range PartOrder {
		out = append(out, partIndicators[p]...)
	}
	return out
}

func xLabel(m map[string]string, name string) string {
	if l, ok := m[name]; ok {
		return l
	}
	return name
}

// xAbs is |x| for sorting by the size of a gap.
func xAbs(p *float64) float64 {
	if p == nil {
		return 0
	}
	return math.Abs(*p)
}

// xJoin joins non-empty clauses with the Chinese comma.
func xJoin(c []string) string {
	var out []string
	for _, s := range c {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "，")
}

// PartsShown is PartOrder for a table or chart of results: without the
// 督办落实 part unless withTasks (the round was scored with it), so that a
// round scored without it shows what it always showed.
func PartsShown(withTasks bool) []string {
	if withTasks {
		return PartOrder
	}
	out := make([]string, 0, len(PartOrder)-1)
	for _, p := range PartOrder {
		if p != PartTasks {
			out = append(out, p)
		}
	}
	return out
}
