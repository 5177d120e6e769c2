package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundDeductions is the deductions section of round.html.
type roundDeductions struct {
	Summary string
	Rows    []roundDeductionRow
	Note    string
}

// roundDeductionRow is one unit's deductions: its items, points before the
// cap, points counted and the cap note, with each item listed below it.
type roundDeductionRow struct {
	Category, Name, Items, Raw, Counted, Note string
	Details                                   []roundDeductionItem
}

// roundDeductionItem is one deduction item as listed under its unit.
type roundDeductionItem struct{ Date, Points, Reason string }

// unitDeductions are one unit's deduction items of a round, in the order
// analytics gives them (date, then id), and their points before the cap.
type unitDeductions struct {
	items  []analytics.DeductionItem
	points float64
}

// deductionsByUnit groups a round's items by unit. Points are summed in
// units of 0.0001, as the indicator query sums DECIMAL(18,4), so that the
// total shown equals the one scored whatever the order of the items.
func deductionsByUnit(items []analytics.DeductionItem) map[string]unitDeductions {
	sums := map[string]int64{}
	out := map[string]unitDeductions{}
	for _, it := range items {
		d := out[it.UnitID]
		d.items = append(d.items, it)
		sums[it.UnitID] += int64(math.Round(it.Points * 1e4))
		d.points = float64(sums[it.UnitID]) / 1e4
		out[it.UnitID] = d
	}
	return out
}

// deductionEntry is a unit's row with the keys it is sorted by.
type deductionEntry struct {
	row          roundDeductionRow
	counted, raw float64
	id           string
}

// roundDeductionsOf lists the units with deductions, most points counted
// first, each with its items; the counted points are the ranking's.
func roundDeductionsOf(cats []roundCat, items []analytics.DeductionItem, limit float64) roundDeductions {
	byUnit := deductionsByUnit(items)
	var entries []deductionEntry
	totalItems, totalRaw, totalCounted := 0, 0.0, 0.0
	for _, c := range cats {
		for _, u := range append(append([]analytics.UnitRanking{}, c.Ranked...), c.Unranked...) {
			d := byUnit[u.UnitID]
			e, ok := deductionEntryOf(c.Name, u, d, limit)
			if !ok {
				continue
			}
			entries = append(entries, e)
			totalItems += len(d.items)
			totalRaw += d.points
			if u.Rank != nil {
				totalCounted += e.counted
			}
		}
	}
	sort.SliceStable(entries, func(a, b int) bool {
		if entries[a].counted != entries[b].counted {
			return entries[a].counted > entries[b].counted
		}
		if entries[a].raw != entries[b].raw {
			return entries[a].raw > entries[b].raw
		}
		return entries[a].id < entries[b].id
	})
	var out roundDeductions
	for _, e := range entries {
		out.Rows = append(out.Rows, e.row)
	}
	if len(entries) == 0 {
		out.Summary = "本轮评议期内被考评单位无扣分。"
		return out
	}
	out.Summary = fmt.Sprintf("本轮评议期内共有 %d 个单位被扣分，涉及扣分事项 %d 项，扣分合计 %.2f 分，计入得分 %.2f 分（每轮扣分上限 %.2f 分）。",
		len(entries), totalItems, scoring.Round2(totalRaw), scoring.Round2(totalCounted), limit)
	out.Note = "扣分按扣分事项的日期计入所在轮次，各单位下逐项列出扣分日期、分值和事由；“扣分合计”为上限前的分值，“计入得分”为从总分中扣除的分值。"
	return out
}

// deductionEntryOf is a unit's row, or false when it has neither items nor
// points counted.
func deductionEntryOf(category string, u analytics.UnitRanking, d unitDeductions, limit float64) (deductionEntry, bool) {
	counted := 0.0
	if v := u.Parts[scoring.PartDeductions]; v != nil {
		counted = *v
	}
	if counted <= 0 && d.points <= 0 {
		return deductionEntry{}, false
	}
	row := roundDeductionRow{Category: category, Name: u.Name, Items: "—", Raw: "—", Counted: fmt.Sprintf("%.2f", counted)}
	if len(d.items) > 0 {
		row.Items, row.Raw = fmt.Sprint(len(d.items)), fmt.Sprintf("%.2f", d.points)
	}
	for _, it := range d.items {
		row.Details = append(row.Details, roundDeductionItem{Date: ChineseDate(it.Date),
			Points: fmt.Sprintf("%.2f", it.Points), Reason: it.Reason})
	}
	if u.Rank == nil {
		row.Counted, row.Note = "—", "不参与排名"
	}
	if containsString(u.Flags, scoring.FlagDeductionsCapped) {
		row.Note = fmt.Sprintf("超过每轮 %.2f 分上限，按上限计", limit)
	}
	return deductionEntry{row: row, counted: counted, raw: d.points, id: u.UnitID}, true
}
