package scoring

import "sort"

// Key projects and counties (重点项目, CONTRACT §4): the four county rates,
// their rankings and the 约谈 (interview) list.

// Keys of the four county rates, in display order.
const (
	RateLand       = "land_supply_rate" // 供地率
	RateInvestment = "investment_rate"  // 投资完成率
	RateStart      = "start_rate"       // 开工率
	RateLanding    = "landing_rate"     // 签约项目落地率
)

// ProjectRates lists the rate keys in display order.
var ProjectRates = []string{RateLand, RateInvestment, RateStart, RateLanding}

// RateLabel returns the Chinese name of a rate key (the key itself when unknown).
func RateLabel(key string) string {
	switch key {
	case RateLand:
		return "供地率"
	case RateInvestment:
		return "投资完成率"
	case RateStart:
		return "开工率"
	case RateLanding:
		return "签约项目落地率"
	}
	return key
}

// CountySums are one county's key-project sums as of a date.
type CountySums struct {
	UnitID, Name              string
	LandSupplied, LandNeed    float64 // mu; projects needing no land left out
	LandProjects              int64   // projects whose land need LandNeed sums
	InvestmentYTD, AnnualPlan float64 // 万元
	PlanProjects              int64   // projects whose annual plan AnnualPlan sums
	// Planned counts the projects planned to start by the as-of date and
	// Started those of them started by it; Early counts the projects
	// started by the as-of date whose planned start is still ahead (提前开工).
	Started, Planned, Early int64
	Signed, Landed          int64 // signed projects of the year so far / landed among them
}

// RateRank is one rate of a county: the value (a fraction, nil without a
// denominator), its rank among the counties (nil when unranked), how many
// projects its denominator holds, and SmallSample when there are some but
// fewer than the 约谈 rule's minimum (样本不足: ranked, but out of the 约谈
// rule; a county with none is unranked instead).
type RateRank struct {
	Value       *float64 `json:"value"`
	Rank        *int     `json:"rank"`
	Projects    int64    `json:"projects"`
	SmallSample bool     `json:"small_sample"`
}

// CountyRates are one county's rates in a period.
type CountyRates struct {
	UnitID string              `json:"unit_id"`
	Name   string              `json:"name"`
	Rates  map[string]RateRank `json:"rates"`
	// InvestmentVsTime is the investment rate minus the time progress, in
	// percentage points (negative: behind time); nil without an annual plan.
	InvestmentVsTime *float64 `json:"investment_vs_time"`
	// EarlyStarts counts the projects started by the as-of date whose
	// planned start is still ahead (提前开工); they are outside 开工率.
	EarlyStarts int64 `json:"early_starts"`
	// SignedProjects is the 招商 ranking: projects signed in the year up to
	// the as-of date, every county ranked (more is better; ties share a rank).
	SignedProjects CountRank `json:"signed_projects"`
}

// CountRank is a count (as a number) and its rank among the counties.
type CountRank struct {
	Value *float64 `json:"value"`
	Rank  *int     `json:"rank"`
}

// QuarterRates are the county rates and ranks of one period: a quarter
// (2019-Q2) or a month (2019-06).
type QuarterRates struct {
	Period       string        `json:"period"`
	AsOf         string        `json:"as_of"`
	TimeProgress float64       `json:"time_progress"` // months elapsed ÷ 12
	Counties     []CountyRates `json:"counties"`
}

// ratio returns num ÷ den, or nil when den is 0.
func ratio(num, den float64) *float64 {
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}

// TimeProgress is months elapsed ÷ 12 (June → 0.5).
func TimeProgress(monthsElapsed int) float64 { return float64(monthsElapsed) / 12 }

// ComputeCountyRates turns the sums of one period into rates and ranks each
// rate over the counties (descending, shared ranks 1224, compared in
// hundredths of a percent). A county without a denominator for a rate is
// unranked on it. A rate whose denominator holds some but fewer than
// minProjects projects is marked SmallSample (样本不足); it keeps its rank. Counties
// keep the order of sums.
func ComputeCountyRates(period, asOf string, monthsElapsed int, sums []CountySums, minProjects int) QuarterRates {
	q := QuarterRates{Period: period, AsOf: asOf, TimeProgress: TimeProgress(monthsElapsed)}
	rate := func(num, den float64, n int64) RateRank {
		return RateRank{Value: ratio(num, den), Projects: n, SmallSample: n > 0 && n < int64(minProjects)}
	}
	for _, s := range sums {
		c := CountyRates{UnitID: s.UnitID, Name: s.Name, EarlyStarts: s.Early, Rates: map[string]RateRank{
			RateLand:       rate(s.LandSupplied, s.LandNeed, s.LandProjects),
			RateInvestment: rate(s.InvestmentYTD, s.AnnualPlan, s.PlanProjects),
			RateStart:      rate(float64(s.Started), float64(s.Planned), s.Planned),
			RateLanding:    rate(float64(s.Landed), float64(s.Signed), s.Signed),
		}}
		if v := c.Rates[RateInvestment].Value; v != nil {
			d := (*v - q.TimeProgress) * 100
			c.InvestmentVsTime = &d
		}
		q.Counties = append(q.Counties, c)
	}
	for _, key := range ProjectRates {
		rankRate(q.Counties, key)
	}
	rankSigned(q.Counties, sums)
	return q
}

// rankSigned ranks every county by its number of signed projects (招商).
func rankSigned(cs []CountyRates, sums []CountySums) {
	items := make([]Ranked, len(sums))
	for i, s := range sums {
		items[i] = Ranked{UnitID: s.UnitID, Score: float64(s.Signed)}
	}
	ranks := map[string]int{}
	for _, r := range Rank(items, false) {
		ranks[r.UnitID] = r.Rank
	}
	for i, s := range sums {
		n, r := float64(s.Signed), ranks[s.UnitID]
		cs[i].SignedProjects = CountRank{Value: &n, Rank: &r}
	}
}

// rankRate fills the rank of one rate for every county that has a value.
func rankRate(cs []CountyRates, key string) {
	var items []Ranked
	for _, c := range cs {
		if v := c.Rates[key].Value; v != nil {
			items = append(items, Ranked{UnitID: c.UnitID, Score: *v * 100})
		}
	}
	ranks := map[string]int{}
	for _, r := range Rank(items, false) {
		ranks[r.UnitID] = r.Rank
	}
	for i := range cs {
		if r, ok := ranks[cs[i].UnitID]; ok {
			rr := cs[i].Rates[key]
			rr.Rank = &r
			cs[i].Rates[key] = rr
		}
	}
}

// Bottom reports which counties are in the bottom places of a rate in one
// period among the counties that take part in the 约谈 rule (ranked and not
// SmallSample): with at least one of them ranked above and fewer than
// bottom of them ranked below. When every taking part shares one rank, no
// county is in the bottom.
func Bottom(q QuarterRates, key string, bottom int) map[string]bool {
	out := map[string]bool{}
	part := func(c CountyRates) *int {
		if rr := c.Rates[key]; rr.Rank != nil && !rr.SmallSample {
			return rr.Rank
		}
		return nil
	}
	for _, c := range q.Counties {
		r := part(c)
		if r == nil {
			continue
		}
		above, below := 0, 0
		for _, o := range q.Counties {
			if or := part(o); or != nil && *or > *r {
				below++
			} else if or != nil && *or < *r {
				above++
			}
		}
		if above > 0 && below < bottom {
			out[c.UnitID] = true
		}
	}
	return out
}

// InterviewRule is the scheme's 约谈 rule: Consecutive periods in a row in
// the Bottom places of a rate, periods being quarters or months (Period),
// among the counties whose denominator for the rate holds at least
// MinProjects projects (signed projects for the landing rate).
type InterviewRule struct {
	Period      string // PeriodQuarter or PeriodMonth
	Consecutive int
	Bottom      int
	MinProjects int
}

// Interview periods.
const (
	PeriodQuarter = "quarter"
	PeriodMonth   = "month"
)

// DefaultInterviewRule is CONTRACT §4's: last (1 place) in 2 consecutive
// quarters, among counties with at least 3 projects in the rate's denominator.
func DefaultInterviewRule() InterviewRule {
	return InterviewRule{Period: PeriodQuarter, Consecutive: 2, Bottom: 1, MinProjects: 3}
}

// Interview is one entry of the 约谈 list: a county in the bottom places of
// a rate in consecutive periods, with the rate's value in each.
type Interview struct {
	UnitID  string    `json:"unit_id"`
	Name    string    `json:"name"`
	Rate    string    `json:"rate"`
	Label   string    `json:"label"`
	Periods []string  `json:"periods"`
	Values  []float64 `json:"values"`
}

// Interviews returns the 约谈 list of consecutive periods given in order
// (Q1, Q2, …): a county is listed when it is in the bottom places (see
// Bottom) of the same rate in at least consecutive periods in a row. A run
// longer than consecutive is one entry naming every period of the run.
// consecutive ≤ 0 means 2 and bottom ≤ 0 means 1. Entries are ordered by
// rate (display order), unit_id, then first period.
func Interviews(quarters []QuarterRates, consecutive int, bottom int) []Interview {
	if consecutive <= 0 {
		consecutive = 2
	}
	if bottom <= 0 {
		bottom = 1
	}
	var out []Interview
	for _, key := range ProjectRates {
		lows := make([]map[string]bool, len(quarters))
		for i, q := range quarters {
			lows[i] = Bottom(q, key, bottom)
		}
		for _, id := range countyIDs(quarters) {
			out = append(out, runs(quarters, lows, key, id, consecutive)...)
		}
	}
	return out
}

// runs finds one county's runs of bottom places of at least n periods.
func runs(quarters []QuarterRates, lows []map[string]bool, key, id string, n int) []Interview {
	var out []Interview
	for i := 0; i < len(quarters); {
		j := i
		for j < len(quarters) && lows[j][id] {
			j++
		}
		if j-i >= n {
			iv := Interview{UnitID: id, Rate: key, Label: RateLabel(key)}
			for k := i; k < j; k++ {
				c := countyIn(quarters[k], id)
				iv.Name = c.Name
				iv.Periods = append(iv.Periods, quarters[k].Period)
				iv.Values = append(iv.Values, *c.Rates[key].Value)
			}
			out = append(out, iv)
		}
		i = max(j, i+1)
	}
	return out
}

// countyIDs lists the counties of all periods, sorted, without repeats.
func countyIDs(quarters []QuarterRates) []string {
	seen := map[string]bool{}
	var ids []string
	for _, q := range quarters {
		for _, c := range q.Counties {
			if !seen[c.UnitID] {
				seen[c.UnitID] = true
				ids = append(ids, c.UnitID)
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// countyIn returns a county's rates in a period (zero value when absent).
func countyIn(q QuarterRates, id string) CountyRates {
	for _, c := range q.Counties {
		if c.UnitID == id {
			return c
		}
	}
	return CountyRates{}
}
