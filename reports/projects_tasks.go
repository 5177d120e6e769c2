package reports

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The monthly bulletin's 督办落实情况 and 目标任务进展 sections (README
// "Tasks and targets"): the month of the 督办 ledger (Store.TaskMonth) and
// every reform target as of the month's end (Store.Targets under the
// builder's scheme). Each section is there only when the city has tasks or
// targets; the quarterly bulletin has neither (the month's bulletin goes
// out with it, see All).

// projTaskListMax is how many overdue tasks the section lists; the rest are
// counted in the line after the table.
const projTaskListMax = 20

// projTargetsInput is what the targets section needs: the targets as of
// AsOf (the month's last day), and the names of the units a target may be
// scoped to.
type projTargetsInput struct {
	AsOf  time.Time
	List  []analytics.Target
	Names map[string]string
}

// projTasks is the 督办落实情况 section.
type projTasks struct {
	Heading string
	Intro   []string
	Units   []projTaskUnitRow
	Overdue []projTaskOverdueRow
	// More is the line after a cut overdue list ("等 N 项…"), empty when
	// every overdue task is listed.
	More string
}

type projTaskUnitRow struct {
	Name                                         string
	New, DoneOnTime, DoneLate, Overdue, Extended int
}

type projTaskOverdueRow struct {
	ID, Title, Unit, Due      string
	WorkingDays, CalendarDays int
}

// projExtReasons names why an extension request did not count, in the
// order the section lists them.
var projExtReasons = []struct{ why, label string }{
	{scoring.ExtTooLate, "逾期申请"},
	{scoring.ExtNotApproved, "未经批准"},
	{scoring.ExtNotLater, "延期日期未晚于原时限"},
	{scoring.ExtAfterDone, "办结后申请"},
}

// projTasksOf builds the section from the month's ledger; nil when the
// city had no task by the month's end.
func projTasksOf(heading string, r *analytics.TaskMonthReport) *projTasks {
	if r == nil || r.Tasks == 0 {
		return nil
	}
	s := &projTasks{Heading: heading}
	m := int(r.Start.Month())
	done := fmt.Sprintf("办结 %d 项（按时办结 %d 项，逾期办结 %d 项）", r.DoneOnTime+r.DoneLate, r.DoneOnTime, r.DoneLate)
	if r.DoneOnTime+r.DoneLate == 0 {
		done = "无办结事项"
	}
	s.Intro = append(s.Intro, fmt.Sprintf("%d月新交办督办事项 %d 项，%s。截至%s，督办台账共 %d 项，在办 %d 项，超期未办结 %d 项。",
		m, r.New, done, ChineseDate(r.End), r.Tasks, r.Open, r.Overdue))
	requests := r.Extended + r.NotCounted
	if requests == 0 {
		s.Intro = append(s.Intro, "本月无延期申请。")
	} else {
		ext := fmt.Sprintf("本月提出延期申请 %d 项，其中经批准且在办理时限前提出、予以延期 %d 项", requests, r.Extended)
		if r.NotCounted > 0 {
			var why []string
			for _, w := range projExtReasons {
				if n := r.NotCountedWhy[w.why]; n > 0 {
					why = append(why, fmt.Sprintf("%s %d 项", w.label, n))
				}
			}
			ext += fmt.Sprintf("，不予认定 %d 项（%s）", r.NotCounted, strings.Join(why, "，"))
		}
		s.Intro = append(s.Intro, ext+"。")
	}
	for _, u := range r.Units {
		s.Units = append(s.Units, projTaskUnitRow{Name: projUnitName(u.Name, u.UnitID), New: u.New,
			DoneOnTime: u.DoneOnTime, DoneLate: u.DoneLate, Overdue: u.Overdue, Extended: u.Extended})
	}
	for i, o := range r.OverdueTasks {
		if i == projTaskListMax {
			s.More = fmt.Sprintf("等 %d 项（仅列出超期时间最长的 %d 项）。", len(r.OverdueTasks), projTaskListMax)
			break
		}
		s.Overdue = append(s.Overdue, projTaskOverdueRow{ID: o.ID, Title: o.Title, Unit: projUnitName(o.LeadUnit, o.LeadUnitID),
			Due: ChineseDate(o.Due), WorkingDays: o.WorkingDays, CalendarDays: o.CalendarDays})
	}
	return s
}

// projUnitName is a unit's name, its id when the name is unknown.
func projUnitName(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// projTargets is the 目标任务进展 section.
type projTargets struct {
	Heading string
	Intro   string
	Rows    []projTargetRow
	Note    string
	Chart   Chart
}

type projTargetRow struct {
	Name, Indicator, Scope, Value, Due     string
	Current, Progress, TimeProgress, Reach string
	Status                                 string
	Down                                   bool // at risk or missed: shown in red
}

// projTargetsOf builds the section from the targets as of the month's end;
// nil when there are none in force (a target whose start month is after
// the month is left out). A target past its due date is judged by its
// value at the due date, one still running by its trend.
func projTargetsOf(heading string, in *projTargetsInput) *projTargets {
	if in == nil || len(in.List) == 0 {
		return nil
	}
	s := &projTargets{Heading: heading,
		Note: "当前值为起始月份至本月末（已到期的至完成时限）的累计值；完成进度为当前值 ÷ 目标值（越低越好的指标为目标值 ÷ 当前值）；" +
			"时间进度为起始月份1日至本月末的天数占至完成时限天数的比例；趋势为各月数值的最小二乘直线，" +
			"未到期且当前值已达到目标值的列为已达标；未达到的，到期月份的趋势值达不到目标值的列为预计无法按期达成，否则为预计可按期达成；" +
			"已到期的只按当前值列为已到期·达标或已到期·未达标；趋势达标月份为趋势值达到目标值的月份。"}
	var risk, missed []string
	var shown []analytics.Target
	var down []bool
	met := 0
	month := in.AsOf.Format("2006-01")
	for _, t := range in.List {
		if t.StartMonth > month {
			continue // not in force yet: nothing to report on
		}
		row := projTargetRow{Name: t.Name, Indicator: projIndicatorLabel(t.Indicator), Due: ChineseDate(t.Due),
			Value: "≥" + projPct(t.Value), Current: "—", Progress: "—", TimeProgress: projPct(t.TimeProgress)}
		if t.Lower {
			row.Value = "≤" + projPct(t.Value)
		}
		row.Scope = "全市"
		if t.Scope != "city" {
			row.Scope = projUnitName(in.Names[t.Scope], t.Scope)
		}
		if t.HasCurrent {
			row.Current, row.Progress = projPct(t.Current), projPct(t.Progress)
		}
		switch {
		case !t.HasTrend:
			row.Reach = "数据不足"
		case t.Reaches:
			row.Reach = projMonthLabel(t.ReachOn)
		default:
			row.Reach = "趋势达不到"
		}
		row.Status, row.Down = t.Status.Label(), t.Status.Bad()
		switch t.Status {
		case scoring.TargetDueMet:
			met++
		case scoring.TargetDueMissed:
			missed = append(missed, t.Name)
		case scoring.TargetAtRisk:
			risk = append(risk, t.Name)
		}
		s.Rows = append(s.Rows, row)
		shown, down = append(shown, t), append(down, row.Down)
	}
	if len(shown) == 0 {
		return nil
	}
	running := len(shown) - met - len(missed)
	intro := fmt.Sprintf("截至%s，目标任务共 %d 项。", ChineseDate(in.AsOf), len(shown))
	if met+len(missed) > 0 {
		intro += fmt.Sprintf("已到期 %d 项，达标 %d 项", met+len(missed), met)
		if len(missed) > 0 {
			intro += fmt.Sprintf("，未达标 %d 项：%s", len(missed), strings.Join(missed, "，"))
		}
		intro += "。"
	}
	if running > 0 {
		intro += fmt.Sprintf("推进中 %d 项，", running)
		if len(risk) == 0 {
			intro += "按当前趋势均可按期完成。"
		} else {
			intro += fmt.Sprintf("按当前趋势到期有完不成风险的 %d 项：%s。", len(risk), strings.Join(risk, "，"))
		}
	}
	s.Intro = intro
	s.Chart = projTargetChart("projects-targets", shown, down)
	return s
}

// projIndicatorLabel is an indicator's Chinese name, its key when unknown.
func projIndicatorLabel(key string) string { return analytics.TargetIndicatorLabel(key) }

// projMonthLabel writes YYYY-MM as 2019年10月.
func projMonthLabel(month string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return fmt.Sprintf("%d年%d月", m.Year(), int(m.Month()))
}

// Colours of the targets chart: completion progress (red when the target is
// at risk or missed) beside the time progress in grey.
const projTimeColor = "#9aa5b1"

// projTargetChart draws each target's completion progress beside its time
// progress (both in %, the progress capped at 150 % so one target far over
// its value does not flatten the others), in the table's order; down marks
// the targets at risk or missed, drawn red.
func projTargetChart(id string, ts []analytics.Target, down []bool) Chart {
	names := make([]string, 0, len(ts))
	progress := make([]any, 0, len(ts))
	timeBars := make([]any, 0, len(ts))
	for i, t := range ts {
		names = append(names, t.Name)
		tp := scoring.Round2(t.TimeProgress * 100)
		timeBars = append(timeBars, map[string]any{"value": tp, "label": map[string]any{"formatter": projPct(t.TimeProgress)}})
		if !t.HasCurrent {
			progress = append(progress, nil)
			continue
		}
		color := projBarColor
		if down[i] {
			color = projBehindColor
		}
		progress = append(progress, map[string]any{"value": scoring.Round2(math.Min(t.Progress, 1.5) * 100),
			"itemStyle": map[string]any{"color": color}, "label": map[string]any{"formatter": projPct(t.Progress)}})
	}
	label := map[string]any{"show": true, "position": "right", "fontSize": 10}
	return Chart{ID: id, Height: 44*len(ts) + 120, Option: map[string]any{
		"title": map[string]any{"text": "目标任务完成进度与时间进度", "left": "center", "textStyle": map[string]any{"fontSize": 14},
			"subtext": "红色为有风险或到期未达标的目标任务"},
		"legend": map[string]any{"top": 46, "data": []string{"完成进度", "时间进度"}},
		"grid":   map[string]any{"left": 10, "right": 60, "top": 76, "bottom": 24, "containLabel": true},
		"xAxis": map[string]any{"type": "value", "min": 0, "max": math.Max(100, math.Ceil(projMax(progress)/10)*10),
			"axisLabel": map[string]any{"formatter": "{value}%"}},
		"yAxis": map[string]any{"type": "category", "inverse": true, "data": names,
			"axisLabel": map[string]any{"interval": 0, "width": 210, "overflow": "break", "fontSize": 11}},
		"series": []any{
			map[string]any{"name": "完成进度", "type": "bar", "barMaxWidth": 14, "data": progress, "label": label,
				"itemStyle": map[string]any{"color": projBarColor}},
			map[string]any{"name": "时间进度", "type": "bar", "barMaxWidth": 14, "data": timeBars, "label": label,
				"itemStyle": map[string]any{"color": projTimeColor}},
		},
	}}
}

// projTaskInputs reads the month's ledger and the targets as of the month's
// last day for the monthly bulletin.
func (b *Builder) projTaskInputs(ctx context.Context, month string, end time.Time) (*analytics.TaskMonthReport, *projTargetsInput, error) {
	r, err := b.store.TaskMonth(ctx, month)
	if err != nil {
		return nil, nil, err
	}
	ts, err := b.store.Targets(ctx, end, b.scheme)
	if err != nil {
		return nil, nil, err
	}
	if len(ts) == 0 {
		return &r, nil, nil
	}
	units, err := b.store.Units(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return &r, &projTargetsInput{AsOf: end, List: ts, Names: names}, nil
}
