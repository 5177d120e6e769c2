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
	InvestmentYTD, AnnualPlan float64 // 万元
	Started, Planned          int64   // projects started / planned to start by the as-of date
	Signed, Landed            int64   // signed projects of the year so far / landed among them
}

// RateRank is one rate of a county: the value (a fraction, nil without a
// denominator) and its rank among the counties (nil when unranked).
type RateRank struct {
	Value *float64 `json:"value"`
	Rank  *int     `json:"rank"`
}

// CountyRates are one county's rates in a period.
type CountyRates struct {
	UnitID string              `json:"unit_id"`
	Name   string              `json:"name"`
	Rates  map[string]RateRank `json:"rates"`
	// InvestmentVsTime is the investment rate minus the time progress, in
	// percentage points (negative: behind time); nil without an annual plan.
	InvestmentVsTime *float64 `json:"investment_vs_time"`
	// SignedProjects is the 招商 ranking: projects signed in the year up to
	// the as-of date, every county ranked (more is better; ties share a rank).
	SignedProjects RateRank `json:"signed_projects"`
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
// unranked on it. Counties keep the order of sums.
func ComputeCountyRates(period, asOf string, monthsElapsed int, sums []CountySums) QuarterRates {
	q := QuarterRates{Period: period, AsOf: asOf, TimeProgress: TimeProgress(monthsElapsed)}
	for _, s := range sums {
		c := CountyRates{UnitID: s.UnitID, Name: s.Name, Rates: map[string]RateRank{
			RateLand:       {Value: ratio(s.LandSupplied, s.LandNeed)},
			RateInvestment: {Value: ratio(s.InvestmentYTD, s.AnnualPlan)},
			RateStart:      {Value: ratio(float64(s.Started), float64(s.Planned))},
			RateLanding:    {Value: ratio(float64(s.Landed), float64(s.Signed))},
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
		cs[i].SignedProjects = RateRank{Value: &n, Rank: &r}
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
// period: ranked, with at least one county ranked above them and fewer than
// bottom ranked counties below them. When every ranked county shares one
// rank, no county is in the bottom.
func Bottom(q QuarterRates, key string, bottom int) map[string]bool {
	out := map[string]bool{}
	for _, c := range q.Counties {
		r := c.Rates[key].Rank
		if r == nil || *r == 1 {
			continue
		}
		below := 0
		for _, o := range q.Counties {
			if or := o.Rates[key].Rank; or != nil && *or > *r {
				below++
			}
		}
		if below < bottom {
			out[c.UnitID] = true
		}
	}
	return out
}

// InterviewRule is the scheme's 约谈 rule: Consecutive periods in a row in
// the Bottom places of a rate, periods being quarters or months (Period).
type InterviewRule struct {
	Period      string // PeriodQuarter or PeriodMonth
	Consecutive int
	Bottom      int
}

// Interview periods.
const (
	PeriodQuarter = "quarter"
	PeriodMonth   = "month"
)

// DefaultInterviewRule is CONTRACT §4's: last (1 place) in 2 consecutive quarters.
func DefaultInterviewRule() InterviewRule {
	return InterviewRule{Period: PeriodQuarter, Consecutive: 2, Bottom: 1}
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
