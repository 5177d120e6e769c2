package scoring

// The Chinese sentences of an explanation, generated from its numbers.

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// explainSentences writes the explanation in Chinese: the score first, then the
// parts with data by the size of their gap to the mean (then to the unit
// above, then report order), then the parts that were redistributed.
func explainSentences(e Explanation) []string {
	if e.Rank == nil || e.Score == nil {
		return []string{fmt.Sprintf("%s（%s）本轮无任何数据，未排名", e.Name, e.UnitID)}
	}
	aboveWho := ""
	if e.Above != nil {
		aboveWho = "上一名（" + e.Above.Name + "）"
	}
	head := fmt.Sprintf("%s（%s）得 %.2f 分，在%s %d 个排名单位中列第 %d 名", e.Name, e.UnitID, *e.Score, e.Category, e.RankedInCat, *e.Rank)
	out := []string{xJoin([]string{head, xGap("类别平均", e.ScoreVsMean, false), xGap(aboveWho, e.ScoreVsAbove, false)})}
	var with, without []PartExplanation
	for _, p := range e.Parts {
		if p.Points != nil {
			with = append(with, p)
		} else if p.Redistributed {
			without = append(without, p)
		}
	}
	sort.SliceStable(with, func(i, j int) bool {
		if a, b := xAbs(with[i].VsMean), xAbs(with[j].VsMean); a != b {
			return a > b
		}
		return xAbs(with[i].VsAbove) > xAbs(with[j].VsAbove)
	})
	inds := map[string]IndicatorExplanation{}
	for _, ind := range e.Indicators {
		inds[ind.Name] = ind
	}
	for _, p := range with {
		out = append(out, partSentence(p, aboveWho, inds))
	}
	for _, p := range without {
		out = append(out, p.Label+"无数据，其分值按比例分配到其他部分")
	}
	return out
}

// partSentence is one part's sentence with its indicators.
func partSentence(p PartExplanation, aboveWho string, inds map[string]IndicatorExplanation) string {
	ded := p.Name == PartDeductions
	var head string
	switch {
	case ded:
		head = fmt.Sprintf("扣分 %.2f 分", -*p.Points)
	case p.Max != nil:
		head = fmt.Sprintf("%s得 %.2f 分（满分 %.2f，失 %.2f 分）", p.Label, *p.Points, *p.Max, *p.Lost)
	default:
		head = fmt.Sprintf("%s得 %.2f 分", p.Label, *p.Points)
	}
	s := xJoin([]string{head, xGap("类别平均", p.VsMean, ded), xGap(aboveWho, p.VsAbove, ded)})
	var parts []string
	for _, name := range partIndicators[p.Name] {
		ind, ok := inds[name]
		if !ok {
			continue
		}
		if ind.Value == nil {
			parts = append(parts, ind.Label+"无数据")
			continue
		}
		// the plain-words account where credibility moved the value; the
		// counts of the others are in the indicator tables
		if strings.Contains(ind.Phrase, "折算") {
			parts = append(parts, fmt.Sprintf("%s（得 %.2f 分，类别平均 %s）", ind.Phrase, ind.Points, xIndValue(name, ind.MeanValue)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s（得 %.2f 分，类别平均 %s）", ind.Label,
			xIndValue(name, ind.Value), ind.Points, xIndValue(name, ind.MeanValue)))
	}
	if len(parts) > 0 {
		s += "；" + strings.Join(parts, "，")
	}
	return s
}

// xGap phrases a difference d (unit minus who); empty when who or d is missing.
func xGap(who string, d *float64, ded bool) string {
	switch {
	case who == "" || d == nil:
		return ""
	case math.Abs(*d) < 0.005:
		return "与" + who + "持平"
	case ded && *d < 0:
		return fmt.Sprintf("比%s多扣 %.2f 分", who, -*d)
	case ded:
		return fmt.Sprintf("比%s少扣 %.2f 分", who, *d)
	case *d < 0:
		return fmt.Sprintf("比%s低 %.2f 分", who, -*d)
	}
	return fmt.Sprintf("比%s高 %.2f 分", who, *d)
}

// xIndValue formats a rate as a percentage and a 0–100 mean as a number.
func xIndValue(name string, v *float64) string {
	if v == nil {
		return "无数据"
	}
	if name == IndPeerMean || name == IndSurveyMean {
		return fmt.Sprintf("%.2f", *v)
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

// FewCases is the number of cases (or answers) below which a
// credibility-weighted value is called 件数较少 (答卷较少).
const FewCases = 30

// IndicatorPhrase describes a credibility-weighted indicator for a
// department head: the raw value with its count, and, when the weighting
// moved it noticeably (by at least half a percentage point, or half a point
// for the survey mean), the value it was scored on, e.g.
// 「办结及时率 1/3 = 33.3%，件数较少，按同类平均水平折算为 78.6%」 (n is the
// denominator of x/n).
// An indicator without the counts (scored raw) is just its label and value.
func IndicatorPhrase(name, label string, ind Indicator) string {
	if ind.Value == nil {
		return label + "无数据"
	}
	survey := name == IndSurveyMean
	var s string
	switch {
	case survey && ind.N > 0:
		s = fmt.Sprintf("%s %.2f（%d 份答卷）", label, *ind.Value, ind.N)
	case ind.N > 0:
		s = fmt.Sprintf("%s %d/%d = %.1f%%", label, ind.Count, ind.N, *ind.Value*100)
	default:
		return label + " " + xIndValue(name, ind.Value)
	}
	if ind.Credible == nil {
		return s
	}
	threshold, unit := 0.005, "件数"
	if survey {
		threshold, unit = 0.5, "答卷"
	}
	if math.Abs(*ind.Credible-*ind.Value) < threshold {
		return s
	}
	if ind.N < FewCases {
		s += "，" + unit + "较少"
	}
	return s + "，按同类平均水平折算为 " + xIndValue(name, ind.Credible)
}

// CompactSentences are the explanation's sentences without the plain-words
// accounts of credibility-weighted values, for documents whose indicator
// table shows them.
func CompactSentences(e Explanation) []string {
	c := e
	c.Indicators = append([]IndicatorExplanation(nil), e.Indicators...)
	for i := range c.Indicators {
		c.Indicators[i].Phrase = ""
	}
	return explainSentences(c)
}
