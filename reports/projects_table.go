package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The county table (各县区指标) of a key-project bulletin: the four rates
// of every county with their ranks and rank changes, and the investment
// rate against the time progress.

// projTable is the county table.
type projTable struct {
	Heading  string
	Note     string
	Labels   []string // the four rates, display order
	VsAt     int      // index of the investment rate, followed by the time progress column
	Rows     []projRow
	Unranked []string // notes on counties without a denominator
}

// projRow is one county of the table.
type projRow struct {
	Name   string
	Cells  []projCell // the four rates, display order
	VsTime string     // investment rate minus time progress, points with sign
	Behind bool       // investment below the time progress
}

// projCell is one rate of a county: its value, rank and rank change.
type projCell struct {
	Value       string
	Rank        string
	Change      string
	ChangeClass string
	Unranked    bool
	Small       bool // 样本不足: ranked, out of the 约谈 rule
}

// projTableOf builds the county table, counties in the order given, with
// rank changes against prev (nil: every ranked county is 新).
func projTableOf(heading string, q scoring.QuarterRates, prev *scoring.QuarterRates) projTable {
	t := projTable{Heading: heading, Note: projTableNote(q, prev)}
	for i, key := range scoring.ProjectRates {
		t.Labels = append(t.Labels, scoring.RateLabel(key))
		if key == scoring.RateInvestment {
			t.VsAt = i
		}
	}
	before := map[string]scoring.CountyRates{}
	if prev != nil {
		for _, c := range prev.Counties {
			before[c.UnitID] = c
		}
	}
	for _, c := range q.Counties {
		was, ok := before[c.UnitID]
		row, notes := projRowOf(c, was, ok)
		t.Rows = append(t.Rows, row)
		t.Unranked = append(t.Unranked, notes...)
	}
	return t
}

// projTableNote explains the ranks, the rank changes against prev and the
// column against the time progress.
func projTableNote(q scoring.QuarterRates, prev *scoring.QuarterRates) string {
	var note string
	if prev != nil {
		note = fmt.Sprintf("名次按各指标由高到低排列，数值相同的名次并列。名次变化与%s相比，“↑”为名次上升，“↓”为名次下降，“—”为名次不变，“新”为%s未参与排名。",
			projPeriodEnd(prev.Period), projPeriodEnd(prev.Period))
	} else {
		note = fmt.Sprintf("名次按各指标由高到低排列，数值相同的名次并列。%s为本年度首期，无上期名次可比，名次变化均记为“新”。", projPeriodLabel(q.Period))
	}
	return note + fmt.Sprintf("与时间进度差为投资完成率减去时间进度（%s），单位为百分点。", projPct(q.TimeProgress))
}

// projRowOf builds a county's row, with rank changes against was (the
// county in the previous period, when had), and the notes on the rates the
// county is not ranked on.
func projRowOf(c, was scoring.CountyRates, had bool) (projRow, []string) {
	row := projRow{Name: c.Name, VsTime: "—", Behind: projBehind(c.InvestmentVsTime)}
	if c.InvestmentVsTime != nil {
		row.VsTime = projPoints(*c.InvestmentVsTime)
	}
	var notes []string
	for _, key := range scoring.ProjectRates {
		rr := c.Rates[key]
		if rr.Rank == nil {
			row.Cells = append(row.Cells, projCell{Value: OptPct(rr.Value), Unranked: true})
			notes = append(notes, fmt.Sprintf("%s%s，%s不参与排名", c.Name, projUnrankedReason(key), scoring.RateLabel(key)))
			continue
		}
		var before *int
		if had {
			before = was.Rates[key].Rank
		}
		cell := projRankedCell(rr, before)
		cell.Small = rr.SmallSample
		row.Cells = append(row.Cells, cell)
		if rr.SmallSample {
			notes = append(notes, fmt.Sprintf("%s%s分母仅%d个项目，样本不足，不参加约谈排位", c.Name, scoring.RateLabel(key), rr.Projects))
		}
	}
	if c.EarlyStarts > 0 {
		notes = append(notes, fmt.Sprintf("%s另有%d个项目提前开工（计划开工日期未到，不计入开工率）", c.Name, c.EarlyStarts))
	}
	return row, notes
}

// projRankedCell is the cell of a ranked rate, with the change against
// the rank before (nil: 新).
func projRankedCell(rr scoring.RateRank, before *int) projCell {
	cell := projCell{Value: OptPct(rr.Value), Rank: strconv.Itoa(*rr.Rank), Change: change(rr.Rank, before)}
	switch {
	case strings.HasPrefix(cell.Change, "↑"):
		cell.ChangeClass = "up"
	case strings.HasPrefix(cell.Change, "↓"):
		cell.ChangeClass = "down"
	}
	return cell
}
