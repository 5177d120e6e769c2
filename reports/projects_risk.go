package reports

import (
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// 约谈 in the key-project bulletins: the risk section of the monthly
// bulletin (counties in the bottom places that are or may soon be listed)
// and the 约谈 list of the quarterly bulletin.

// projRisk is the 约谈 risk section.
type projRisk struct {
	Heading    string
	Intro      string
	PrevLabel  string // e.g. 一季度末
	NowLabel   string // e.g. 6月末
	Rows       []projRiskRow
	None       string
	Conclusion string
}

// projRiskRow is one county and rate at risk of 约谈 (or already listed).
type projRiskRow struct {
	Name, Rate, Before, Now, Status string
}

// projInterviews is the 约谈 list section.
type projInterviews struct {
	Heading string
	Intro   string
	Rows    []projInterviewRow
	None    string
}

// projInterviewRow is one entry of the 约谈 list.
type projInterviewRow struct {
	Name, Rate, Periods, Values, Status string
}

// projRiskOf lists the counties at risk of 约谈 for each rate: those in
// the bottom places now that were also there at the end of the previous
// period of the rule, and — when now ends a period and the year goes on —
// those whom one more period in the bottom places would list. Rows already
// meeting the rule come first.
func projRiskOf(heading string, now scoring.QuarterRates, in projRiskInput) *projRisk {
	r := &projRisk{Heading: heading, NowLabel: projPeriodEnd(now.Period)}
	var prev *scoring.QuarterRates
	if len(in.Prior) > 0 {
		prev = &in.Prior[len(in.Prior)-1]
		r.PrevLabel = projPeriodEnd(prev.Period)
	}
	r.Intro = projRiskIntro(now, in, prev)
	listed, atRisk := projRiskRows(now, in, prev)
	r.Rows = append(listed, atRisk...)
	if len(r.Rows) == 0 {
		if prev == nil && !(in.PeriodEnd && in.NextEnd != "") {
			r.None = fmt.Sprintf("%s处于本年度第一个考核期内，尚无上一考核期排名，暂无约谈风险。", projPeriodLabel(now.Period))
		} else {
			r.None = fmt.Sprintf("截至%s，暂无存在约谈风险的县区。", projAsOfText(now))
		}
		return r
	}
	var parts []string
	if len(listed) > 0 {
		parts = append(parts, fmt.Sprintf("%d项已达到约谈条件", len(listed)))
	}
	if len(atRisk) > 0 {
		parts = append(parts, fmt.Sprintf("%d项存在约谈风险", len(atRisk)))
	}
	r.Conclusion = "以上" + strings.Join(parts, "，") + "，请相关县区对照问题、加快推进。"
	return r
}

// projRiskIntro states the rule and what the risk table lists; prev is the
// last of the rule's periods before now (nil when none).
func projRiskIntro(now scoring.QuarterRates, in projRiskInput, prev *scoring.QuarterRates) string {
	rule := in.Rule
	unit, low := projUnit(rule), projBottomText(rule)
	s := fmt.Sprintf("按规定，县区同一指标连续%d%s排名%s（并列亦计；所有县区并列时不计）的，列入约谈名单。",
		rule.Consecutive, unit, low)
	if prev != nil {
		s += fmt.Sprintf("下表列出截至%s处于%s、且%s亦处于%s的县区", projAsOfText(now), low, projPeriodEnd(prev.Period), low)
		if in.PeriodEnd && in.NextEnd != "" {
			s += fmt.Sprintf("，以及再有1%s处于%s即列入约谈名单的县区", unit, low)
		}
		s += "。"
	} else if in.PeriodEnd && in.NextEnd != "" {
		s += fmt.Sprintf("下表列出截至%s处于%s、再有1%s处于%s即列入约谈名单的县区。", projAsOfText(now), low, unit, low)
	}
	return s
}

// projRiskRows finds, rate by rate, the counties in the bottom places now
// that are listed already and those at risk of being listed.
func projRiskRows(now scoring.QuarterRates, in projRiskInput, prev *scoring.QuarterRates) (listed, atRisk []projRiskRow) {
	rule := in.Rule
	lows := make([]map[string]bool, len(in.Prior))
	for _, key := range scoring.ProjectRates {
		nowLow := scoring.Bottom(now, key, rule.Bottom)
		for i, p := range in.Prior {
			lows[i] = scoring.Bottom(p, key, rule.Bottom)
		}
		for _, c := range now.Counties {
			if !nowLow[c.UnitID] {
				continue
			}
			n := 1 // now, then the prior periods in a row
			for i := len(lows) - 1; i >= 0 && lows[i][c.UnitID]; i-- {
				n++
			}
			if n < 2 && !(in.PeriodEnd && in.NextEnd != "" && n+1 >= rule.Consecutive) {
				continue
			}
			row := projRiskRow{Name: c.Name, Rate: scoring.RateLabel(key), Now: OptPct(c.Rates[key].Value), Before: "—"}
			if prev != nil {
				row.Before = OptPct(projCountyRate(*prev, c.UnitID, key))
			}
			var isListed bool
			row.Status, isListed = projRiskStatus(in, n)
			if isListed {
				listed = append(listed, row)
			} else {
				atRisk = append(atRisk, row)
			}
		}
	}
	return listed, atRisk
}

// projRiskStatus words the standing of a county that has been in the
// bottom places n periods in a row counting now, and reports whether it is
// on the 约谈 list already.
func projRiskStatus(in projRiskInput, n int) (string, bool) {
	rule := in.Rule
	unit, low := projUnit(rule), projBottomText(rule)
	// k: the run at the next decisive period end if the standing holds.
	k := n
	if in.PeriodEnd {
		k = n + 1
	}
	switch {
	case in.PeriodEnd && n >= rule.Consecutive:
		return fmt.Sprintf("已连续%d%s处于%s，列入约谈名单", n, unit, low), true
	case !in.PeriodEnd && n-1 >= rule.Consecutive:
		return fmt.Sprintf("已连续%d%s处于%s、列入约谈名单，本月仍处于%s", n-1, unit, low, low), true
	case in.NextEnd == "":
		return fmt.Sprintf("已连续%d%s处于%s", n, unit, low), false
	case k >= rule.Consecutive:
		return fmt.Sprintf("若至%s仍处于%s，将列入约谈名单", in.NextEnd, low), false
	}
	return fmt.Sprintf("若至%s仍处于%s，将连续%d%s处于%s，再有%d%s将被约谈",
		in.NextEnd, low, k, unit, low, rule.Consecutive-k, unit), false
}

// projCountyRate is a county's value of a rate in a period (nil when absent).
func projCountyRate(q scoring.QuarterRates, id, key string) *float64 {
	for _, c := range q.Counties {
		if c.UnitID == id {
			return c.Rates[key].Value
		}
	}
	return nil
}

// projInterviewsOf writes the 约谈 list as it stands at the end of now.
func projInterviewsOf(heading string, now scoring.QuarterRates, in projInterviewInput) *projInterviews {
	rule := in.Rule
	unit := projUnit(rule)
	out := &projInterviews{Heading: heading,
		Intro: fmt.Sprintf("按规定，县区同一指标连续%d%s排名%s（并列亦计；所有县区并列时不计）的，列入约谈名单。截至%s，本年度列入约谈名单共%d项（同一县区同一指标连续多期处于末位的合为一项）。",
			rule.Consecutive, unit, projBottomText(rule), projAsOfText(now), len(in.List))}
	for _, iv := range in.List {
		var periods, values []string
		for i, p := range iv.Periods {
			periods = append(periods, projPeriodLabel(p))
			values = append(values, projPct(iv.Values[i]))
		}
		row := projInterviewRow{Name: iv.Name, Rate: iv.Label, Periods: strings.Join(periods, "、"), Values: strings.Join(values, "、")}
		if last := iv.Periods[len(iv.Periods)-1]; last == now.Period || projPeriodEndsWith(last, now) {
			row.Status = "截至" + projPeriodEnd(now.Period) + "仍处于" + projBottomText(rule)
		} else {
			row.Status = projPeriodEnd(last) + "后已退出" + projBottomText(rule)
		}
		out.Rows = append(out.Rows, row)
	}
	if len(out.Rows) == 0 {
		out.None = fmt.Sprintf("截至%s，本年度没有连续%d%s处于%s的县区。", projAsOfText(now), rule.Consecutive, unit, projBottomText(rule))
	}
	return out
}

// projPeriodEndsWith reports whether a period of the rule ends on the same
// day as now (a monthly rule's June in the second-quarter bulletin).
func projPeriodEndsWith(period string, now scoring.QuarterRates) bool {
	p, _, err := analytics.ProjectPeriod(period)
	return err == nil && p.End.Format("2006-01-02") == now.AsOf
}
