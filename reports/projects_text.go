package reports

import (
	"fmt"
	"math"
	"strconv"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The wording shared by the key-project bulletins: numerals, percentages,
// points against the time progress, and the names of periods and rules.

var projNumerals = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// projNumeral writes 1…10 in Chinese (section numbers, quarters).
func projNumeral(n int) string {
	if n >= 0 && n < len(projNumerals) {
		return projNumerals[n]
	}
	return strconv.Itoa(n)
}

// projPct writes a fraction as a percentage with 2 decimals: 12.34%.
func projPct(v float64) string { return fmt.Sprintf("%.2f%%", v*100) }

// projPoints writes a difference in percentage points with its sign:
// +3.21 个百分点, −3.21 个百分点 (a true minus sign), 0.00 个百分点.
func projPoints(d float64) string {
	s := fmt.Sprintf("%.2f", math.Abs(d))
	switch {
	case s == "0.00":
	case d < 0:
		s = "−" + s
	default:
		s = "+" + s
	}
	return s + " 个百分点"
}

// projGap says in words how far a rate is from the time progress:
// 慢于时间进度3.21个百分点, 快于…, 与时间进度持平.
func projGap(d float64) string {
	s := fmt.Sprintf("%.2f", math.Abs(d))
	switch {
	case s == "0.00":
		return "与时间进度持平"
	case d < 0:
		return "慢于时间进度" + s + "个百分点"
	}
	return "快于时间进度" + s + "个百分点"
}

// projBehind reports whether a difference in points shows as below zero.
func projBehind(d *float64) bool {
	return d != nil && *d < 0 && fmt.Sprintf("%.2f", -*d) != "0.00"
}

// projUnrankedReason says why a county has no value for a rate.
func projUnrankedReason(key string) string {
	switch key {
	case scoring.RateLand:
		return "无用地需求"
	case scoring.RateInvestment:
		return "无年度计划投资"
	case scoring.RateStart:
		return "尚无计划开工项目"
	case scoring.RateLanding:
		return "本年度尚无签约项目"
	}
	return "无数据"
}

// projPeriodLabel names a period in text: 6月, 第二季度.
func projPeriodLabel(period string) string {
	if m := projQuarterRE.FindStringSubmatch(period); m != nil {
		q, _ := strconv.Atoi(m[2])
		return "第" + projNumeral(q) + "季度"
	}
	if len(period) == 7 && projMonthRE.MatchString(period) {
		mo, _ := strconv.Atoi(period[5:])
		return fmt.Sprintf("%d月", mo)
	}
	return period
}

// projPeriodEnd names the end of a period: 6月末, 一季度末.
func projPeriodEnd(period string) string {
	if m := projQuarterRE.FindStringSubmatch(period); m != nil {
		q, _ := strconv.Atoi(m[2])
		return projNumeral(q) + "季度末"
	}
	return projPeriodLabel(period) + "末"
}

// projUnit is how periods of a rule are counted in text.
func projUnit(rule scoring.InterviewRule) string {
	if rule.Period == scoring.PeriodMonth {
		return "个月"
	}
	return "个季度"
}

// projBottomText describes the bottom places of a rule: 末位, 后2位.
func projBottomText(rule scoring.InterviewRule) string {
	if rule.Bottom <= 1 {
		return "末位"
	}
	return fmt.Sprintf("后%d位", rule.Bottom)
}

// projAsOfText writes a period's as-of date as 2019年6月底.
func projAsOfText(q scoring.QuarterRates) string {
	if len(q.AsOf) >= 7 {
		y, _ := strconv.Atoi(q.AsOf[:4])
		m, _ := strconv.Atoi(q.AsOf[5:7])
		return fmt.Sprintf("%d年%d月底", y, m)
	}
	return q.AsOf
}

// projYear is the year of a period.
func projYear(q scoring.QuarterRates) int {
	y, _ := strconv.Atoi(q.Period[:min(4, len(q.Period))])
	return y
}
