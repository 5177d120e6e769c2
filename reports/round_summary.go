package reports

import (
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundSummary writes the overview paragraphs from the numbers: totals and
// tiers, each category's first and last, the biggest movers, and the units
// not ranked or ranked without peer scores.
func roundSummary(rk analytics.Ranking, cats []roundCat) []string {
	var catLines []string
	for _, c := range cats {
		catLines = append(catLines, roundCategoryLine(c))
	}
	return []string{roundOverview(cats), "分类别看，" + strings.Join(catLines, "；") + "。",
		roundMovers(cats), roundRankingNotes(cats)}
}

// roundOverview counts the units evaluated and ranked and the tiers awarded.
func roundOverview(cats []roundCat) string {
	ranked, unranked := 0, 0
	tiers := map[string]int{}
	for _, c := range cats {
		ranked += len(c.Ranked)
		unranked += len(c.Unranked)
		for _, u := range c.Ranked {
			tiers[OptStr(u.Tier)]++
		}
	}
	s := fmt.Sprintf("本次评议共对 %d 个市直部门进行了考评，其中 %d 个单位参与排名，分 %d 个考评类别。", ranked+unranked, ranked, len(cats))
	var tierParts []string
	for _, t := range tierOrder {
		if tiers[t] > 0 {
			tierParts = append(tierParts, fmt.Sprintf("“%s”等次 %d 个", t, tiers[t]))
		}
	}
	if len(tierParts) > 0 {
		s += "评定" + strings.Join(tierParts, "，") + "。"
	}
	return s
}

// roundCategoryLine names a category's mean, its first and its last
// (sharing the place when tied).
func roundCategoryLine(c roundCat) string {
	if len(c.Ranked) == 0 {
		return fmt.Sprintf("%s无单位参与排名", c.Name)
	}
	s := fmt.Sprintf("%s %d 个单位参与排名，平均 %.2f 分，", c.Name, len(c.Ranked), meanScore(c.Ranked))
	s += firstAndLast(c.Ranked, func(u analytics.UnitRanking) (string, float64, int) { return u.Name, *u.Score, *u.Rank })
	return s
}

// roundRankingNotes says which units are not ranked and why, and which are
// ranked without their peer part.
func roundRankingNotes(cats []roundCat) string {
	var list, insufficient []string
	for _, c := range cats {
		for _, u := range c.Unranked {
			list = append(list, fmt.Sprintf("%s（%s，%s）", u.Name, c.Name, unrankedReason(u.Flags)))
		}
		for _, u := range c.Ranked {
			if containsString(u.Flags, scoring.FlagInsufficientPeerScores) {
				insufficient = append(insufficient, u.Name)
			}
		}
	}
	s := "所有被考评单位均参与排名。"
	if len(list) > 0 {
		s = fmt.Sprintf("有 %d 个单位不参与本次排名：%s。不参与排名的单位不计零分，也不占用名次。", len(list), strings.Join(list, "、"))
	}
	if len(insufficient) > 0 {
		s += fmt.Sprintf("%s本轮有效评议票不足 3 张，效能评议部分不计（不按零分计），其分值按比例分配到其他部分后参与排名。",
			strings.Join(insufficient, "、"))
	}
	return s
}

// meanScore is the ranked units' mean score to 2 decimals.
func meanScore(units []analytics.UnitRanking) float64 {
	if len(units) == 0 {
		return 0
	}
	sum := 0.0
	for _, u := range units {
		sum += *u.Score
	}
	return scoring.Round2(sum / float64(len(units)))
}
