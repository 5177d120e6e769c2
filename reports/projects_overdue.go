package reports

import (
	"fmt"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// projOverdue is the 逾期未开工项目 section: key projects whose planned
// start has passed without a start by the as-of date.
type projOverdue struct {
	Heading string
	Intro   string
	Rows    []projOverdueRow
	ByCount []string // per county, most first: "临江县 3 个"
}

type projOverdueRow struct {
	County, Project, Level, Planned string
	Days                            int
	Plan, Done                      string
}

var projectLevels = map[string]string{"province": "省级", "city": "市级", "county": "县级"}

// projOverdueOf builds the section from the store's list (longest overdue first).
func projOverdueOf(heading, asOf string, list []analytics.OverdueProject) *projOverdue {
	o := &projOverdue{Heading: heading}
	if len(list) == 0 {
		o.Intro = fmt.Sprintf("截至%s，计划开工日期已过的重点项目均已开工。", asOf)
		return o
	}
	count := map[string]int{}
	var order []string
	for _, p := range list {
		if count[p.County] == 0 {
			order = append(order, p.County)
		}
		count[p.County]++
		level := projectLevels[p.Level]
		if level == "" {
			level = p.Level
		}
		o.Rows = append(o.Rows, projOverdueRow{County: p.County, Project: p.Name, Level: level,
			Planned: ChineseDate(p.PlannedStart), Days: p.DaysOverdue,
			Plan: fmt.Sprintf("%.2f", p.AnnualPlan/10000), Done: fmt.Sprintf("%.2f", p.InvestmentYTD/10000)})
	}
	// counties with the most overdue projects first, ties in order of first appearance
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && count[order[j]] > count[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for _, c := range order {
		o.ByCount = append(o.ByCount, fmt.Sprintf("%s %d 个", c, count[c]))
	}
	o.Intro = fmt.Sprintf("截至%s，%d 个重点项目计划开工日期已过但尚未开工（按逾期天数排列），涉及 %d 个县区。", asOf, len(list), len(order))
	return o
}
