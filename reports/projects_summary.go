package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The overview (总体情况) of a key-project bulletin, written from the
// numbers: the city-wide sentence, the counties against the time progress,
// and the first and last counties on each rate.

// projSummary writes the overview from the numbers.
func projSummary(in projInput) []string {
	q := in.Now
	first := projCitySentence(q, in.Totals)
	out := []string{first + projInvestmentSentence(q) + "。"}
	var rates []string
	for _, key := range scoring.ProjectRates {
		rates = append(rates, projRateSummary(q, key))
	}
	out = append(out, "分指标看："+strings.Join(rates, "；")+"。")
	return out
}

// projCitySentence opens the overview with the time progress and, when
// the city's totals have an annual plan, the city-wide investment, starts
// and 招商.
func projCitySentence(q scoring.QuarterRates, t *scoring.CountySums) string {
	s := fmt.Sprintf("截至%s，全市%d个县区重点项目建设时间进度为%s。", projAsOfText(q), len(q.Counties), projPct(q.TimeProgress))
	if t == nil || t.AnnualPlan <= 0 {
		return s
	}
	s += fmt.Sprintf("全市重点项目年度计划投资%.2f亿元，累计完成投资%.2f亿元，投资完成率%s，%s",
		t.AnnualPlan/1e4, t.InvestmentYTD/1e4, projPct(t.InvestmentYTD/t.AnnualPlan), projGap((t.InvestmentYTD/t.AnnualPlan-q.TimeProgress)*100))
	if t.Planned > 0 {
		s += fmt.Sprintf("；计划开工项目%d个，已开工%d个", t.Planned, t.Started)
	}
	if t.Early > 0 {
		s += fmt.Sprintf("，另有%d个项目提前开工（计划开工日期未到，不计入开工率）", t.Early)
	}
	return s + fmt.Sprintf("；今年以来签约招商项目%d个，已落地%d个。", t.Signed, t.Landed)
}

// projInvestmentSentence counts the counties ahead of, even with and
// behind the time progress, and those without an annual plan (no final
// full stop).
func projInvestmentSentence(q scoring.QuarterRates) string {
	var ahead, even, behind, noPlan int
	for _, c := range q.Counties {
		switch d := c.InvestmentVsTime; {
		case d == nil:
			noPlan++
		case projBehind(d):
			behind++
		case fmt.Sprintf("%.2f", math.Abs(*d)) == "0.00":
			even++
		default:
			ahead++
		}
	}
	var inv string
	switch {
	case ahead+even == 0 && behind > 0:
		inv = fmt.Sprintf("%d个县区投资完成率均慢于时间进度", behind)
	case behind+even == 0 && ahead > 0:
		inv = fmt.Sprintf("%d个县区投资完成率均快于时间进度", ahead)
	default:
		inv = fmt.Sprintf("投资完成率快于时间进度的县区%d个", ahead)
		if even > 0 {
			inv += fmt.Sprintf("，与时间进度持平的%d个", even)
		}
		inv += fmt.Sprintf("，慢于时间进度的%d个", behind)
	}
	if noPlan > 0 {
		inv += fmt.Sprintf("，%d个县区无年度计划投资", noPlan)
	}
	return inv
}

// projRateSummary names the first and last counties on one rate.
func projRateSummary(q scoring.QuarterRates, key string) string {
	label := scoring.RateLabel(key)
	var ranked []scoring.CountyRates
	var unranked []string
	last := 0
	for _, c := range q.Counties {
		rr := c.Rates[key]
		if rr.Rank == nil || rr.Value == nil {
			unranked = append(unranked, c.Name)
			continue
		}
		ranked = append(ranked, c)
		last = max(last, *rr.Rank)
	}
	var s string
	switch {
	case len(ranked) == 0:
		s = label + "各县区均无数据，不作排名"
	case last == 1 && len(unranked) > 0:
		s = fmt.Sprintf("%s参与排名的%d个县区均为%s", label, len(ranked), projPct(*ranked[0].Rates[key].Value))
	case last == 1:
		s = fmt.Sprintf("%s各县区均为%s", label, projPct(*ranked[0].Rates[key].Value))
	default:
		s = fmt.Sprintf("%s%s最高，%s最低", label, projNamesAt(ranked, key, 1), projNamesAt(ranked, key, last))
	}
	if len(unranked) > 0 {
		s += fmt.Sprintf("，%s%s，不参与排名", strings.Join(unranked, "、"), projUnrankedReason(key))
	}
	return s
}

// projNamesAt lists the counties at one rank of a rate with the value:
// 甲（12.34%）, or 甲、乙（均为100.00%）.
func projNamesAt(cs []scoring.CountyRates, key string, rank int) string {
	var names []string
	var v float64
	for _, c := range cs {
		if rr := c.Rates[key]; rr.Rank != nil && *rr.Rank == rank {
			names = append(names, c.Name)
			v = *rr.Value
		}
	}
	if len(names) == 1 {
		return fmt.Sprintf("%s（%s）", names[0], projPct(v))
	}
	return fmt.Sprintf("%s（均为%s）", strings.Join(names, "、"), projPct(v))
}
