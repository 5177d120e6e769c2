package reports

import (
	"fmt"
	"strings"
)

// roundMover is a ranked unit with a previous rank and how many places it rose (negative: fell).
type roundMover struct {
	name, cat      string
	previous, rank int
	d              int
}

// roundMovers names the units that moved most up and down against the
// previous round, across categories.
func roundMovers(cats []roundCat) string {
	var all []roundMover
	for _, c := range cats {
		for _, u := range c.Ranked {
			if u.PreviousRank != nil {
				all = append(all, roundMover{u.Name, c.Name, *u.PreviousRank, *u.Rank, *u.PreviousRank - *u.Rank})
			}
		}
	}
	if len(all) == 0 {
		return "本次评议无上次评议名次可供比较。"
	}
	best, worst := 0, 0
	for _, m := range all {
		best, worst = max(best, m.d), min(worst, m.d)
	}
	var s []string
	if best > 0 {
		s = append(s, fmt.Sprintf("名次上升最多的是%s，上升 %d 位", describeMovers(all, best, "升"), best))
	} else {
		s = append(s, "没有单位名次上升")
	}
	if worst < 0 {
		s = append(s, fmt.Sprintf("名次下降最多的是%s，下降 %d 位", describeMovers(all, worst, "降"), -worst))
	} else {
		s = append(s, "没有单位名次下降")
	}
	return "与上次评议相比，" + strings.Join(s, "；") + "。"
}

// describeMovers lists the movers that moved by d: 甲局（综合类，由第 3 名升至第 1 名）.
func describeMovers(all []roundMover, d int, verb string) string {
	var list []string
	for _, m := range all {
		if m.d == d {
			list = append(list, fmt.Sprintf("%s（%s，由第 %d 名%s至第 %d 名）", m.name, m.cat, m.previous, verb, m.rank))
		}
	}
	return strings.Join(list, "、")
}
