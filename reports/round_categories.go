package reports

import (
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundCat is one category of a ranking: ranked units by rank then unit_id,
// then the unranked by unit_id.
type roundCat = catGroup[analytics.UnitRanking]

// roundCategory is one category's ranking table, notes and charts in round.html.
type roundCategory struct {
	Index    string // Chinese ordinal: 一, 二, …
	Name     string
	Ranked   int
	Rows     []roundRow
	Unranked []roundUnranked
	Notes    []string
	Bar      Chart // ranking coloured by tier
	Parts    Chart // stacked parts
	Trend    Chart // category max, mean and min over the year's rounds
}

// roundRow is one ranked unit's row, every figure already formatted.
type roundRow struct {
	Rank, Name, Score                                  string
	Peer, Service, Complaints, Satisfaction, Deduction string
	Tier, Change, ChangeClass                          string
	Tasks                                              *string // the 督办落实 part, nil when the round has none
}

// roundUnranked is a unit shown below the ranked ones with the reason it has no rank.
type roundUnranked struct{ Name, Reason string }

// roundGroup splits units into categories in the order they first appear.
func roundGroup(units []analytics.UnitRanking) []roundCat {
	return groupByCategory(units, func(u analytics.UnitRanking) (string, string, *int) {
		if u.Score == nil {
			return u.Category, u.UnitID, nil
		}
		return u.Category, u.UnitID, u.Rank
	})
}

// roundCategoryOf is the i-th category's table, notes and charts.
func roundCategoryOf(i int, c roundCat, history []analytics.Ranking) roundCategory {
	out := roundCategory{Index: chineseOrdinal(i + 1), Name: c.Name, Ranked: len(c.Ranked)}
	for _, u := range c.Ranked {
		ch := change(u.Rank, u.PreviousRank)
		out.Rows = append(out.Rows, roundRow{Rank: OptInt(u.Rank), Name: u.Name, Score: OptF2(u.Score),
			Peer: OptF2(u.Parts[scoring.PartPeer]), Service: OptF2(u.Parts[scoring.PartService]),
			Complaints: OptF2(u.Parts[scoring.PartComplaints]), Satisfaction: OptF2(u.Parts[scoring.PartSatisfaction]),
			Deduction: OptF2(u.Parts[scoring.PartDeductions]), Tier: OptStr(u.Tier), Change: ch, ChangeClass: changeClass(ch)})
		if p, ok := u.Parts[scoring.PartTasks]; ok {
			v := OptF2(p)
			out.Rows[len(out.Rows)-1].Tasks = &v
		}
		if notes := roundUnitNotes(u.Flags); len(notes) > 0 {
			out.Notes = append(out.Notes, u.Name+strings.Join(notes, "，"))
		}
	}
	for _, u := range c.Unranked {
		out.Unranked = append(out.Unranked, roundUnranked{Name: u.Name, Reason: unrankedReason(u.Flags)})
	}
	out.Bar = tierBarChart(fmt.Sprintf("round-rank-%d", i+1), c.Name+"得分排名", c.Ranked)
	out.Parts = partsChart(fmt.Sprintf("round-parts-%d", i+1), c.Name+"得分构成", c.Ranked)
	out.Trend = categoryTrendChart(fmt.Sprintf("round-trend-%d", i+1), c.Name+"本年度各次评议得分", c.Name, history)
	return out
}

// changeClass is the CSS class of a rank change: up, down or none.
func changeClass(ch string) string {
	switch {
	case strings.HasPrefix(ch, "↑"):
		return "up"
	case strings.HasPrefix(ch, "↓"):
		return "down"
	}
	return ""
}

// roundUnitNotes are the notes a ranked unit's flags need beside the table
// (robustness and the deduction cap have their own sections).
func roundUnitNotes(flags []string) []string {
	var out []string
	for _, f := range flags {
		switch {
		case f == scoring.FlagInsufficientPeerScores:
			out = append(out, "有效评议票不足 3 张，效能评议部分不计")
		case strings.HasPrefix(f, scoring.FlagRedistributedPrefix):
			part := strings.TrimPrefix(f, scoring.FlagRedistributedPrefix)
			if part == scoring.PartPeer && containsString(flags, scoring.FlagInsufficientPeerScores) {
				out = append(out, "效能评议分值按比例分配到其他部分")
				continue
			}
			out = append(out, partLabel(part)+"无数据，分值按比例分配到其他部分")
		}
	}
	return out
}

// unrankedReason says in Chinese why a unit is not ranked.
func unrankedReason(flags []string) string {
	var out []string
	for _, f := range flags {
		switch f {
		case scoring.FlagNoData:
			out = append(out, "本轮无任何考评数据")
		case scoring.FlagInsufficientPeerScores:
			out = append(out, "有效评议票不足 3 张")
		}
	}
	if len(out) == 0 {
		return "无得分"
	}
	return strings.Join(out, "，")
}

// partLabel is a part's Chinese name, or its code when it has none.
func partLabel(name string) string {
	if l, ok := scoring.PartLabels[name]; ok {
		return l
	}
	return name
}

// containsString reports whether list holds s.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// chineseOrdinal writes 1…99 in Chinese numerals.
func chineseOrdinal(n int) string {
	digits := []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n%10]
	case n%10 == 0:
		return digits[n/10] + "十"
	}
	return digits[n/10] + "十" + digits[n%10]
}
