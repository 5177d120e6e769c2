package reports

import (
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundRobust is the robustness section of round.html.
type roundRobust struct {
	Intro string
	Rows  []roundRobustRow
	None  string
}

// roundRobustRow is a last place or 较差 tier that is not robust.
type roundRobustRow struct {
	Category, Name, Rank, Tier, Median, Range, LastShare, PoorShare, Conclusion string
}

// roundRobustOf lists the ranked units whose last place or 较差 tier does not
// hold in enough of the simulated rounds.
func roundRobustOf(cats []roundCat, runs int) roundRobust {
	out := roundRobust{Intro: fmt.Sprintf("为检验末位和“较差”等次是否过于依赖权重设置和个别评议人，"+
		"对本轮结果进行了 %d 次模拟：各评议人类别权重和各部分分值上下浮动 25%%，去掉最高最低分与否随机切换，"+
		"评议人随机重抽，达标率指标的计分方法随机切换。某一单位的末位或“较差”等次在不足 %.0f%% 的模拟情形中成立的，"+
		"视为结论不稳健。稳健性分析仅供参考，不改变本轮得分和名次。", runs, scoring.RobustShare*100)}
	for _, c := range cats {
		for _, u := range c.Ranked {
			last := containsString(u.Flags, scoring.FlagNotRobustLast)
			poor := containsString(u.Flags, scoring.FlagNotRobustPoor)
			if last || poor {
				out.Rows = append(out.Rows, roundRobustRowOf(c.Name, u, last, poor))
			}
		}
	}
	if len(out.Rows) == 0 {
		out.None = fmt.Sprintf("本轮各类别的末位和“较差”等次均在 %.0f%% 以上的模拟情形中成立，结论稳健。", scoring.RobustShare*100)
	}
	return out
}

// roundRobustRowOf formats one unit's simulated ranks and the conclusion on
// its last place (last) and 较差 tier (poor).
func roundRobustRowOf(category string, u analytics.UnitRanking, last, poor bool) roundRobustRow {
	row := roundRobustRow{Category: category, Name: u.Name, Rank: OptInt(u.Rank), Tier: OptStr(u.Tier),
		Median: "—", Range: "—", LastShare: "—", PoorShare: "—"}
	var concl []string
	if r := u.Robustness; r != nil {
		row.Median = fmt.Sprint(r.MedianRank)
		row.Range = fmt.Sprintf("第 %d—%d 名", r.P05, r.P95)
		row.LastShare = fmt.Sprintf("%.2f%%", r.LastShare*100)
		row.PoorShare = fmt.Sprintf("%.2f%%", r.PoorShare*100)
		if last {
			concl = append(concl, fmt.Sprintf("末位仅在 %.2f%% 的模拟情形中成立（不足 %.0f%%），约谈前宜复核", r.LastShare*100, scoring.RobustShare*100))
		}
		if poor {
			concl = append(concl, fmt.Sprintf("“较差”等次仅在 %.2f%% 的模拟情形中成立（不足 %.0f%%），通报前宜复核", r.PoorShare*100, scoring.RobustShare*100))
		}
	} else {
		if last {
			concl = append(concl, "末位结论不稳健，约谈前宜复核")
		}
		if poor {
			concl = append(concl, "“较差”等次不稳健，通报前宜复核")
		}
	}
	row.Conclusion = strings.Join(concl, "；")
	return row
}
