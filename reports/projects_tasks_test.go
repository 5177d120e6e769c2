package reports

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// tMonthLabel writes 2019-10 as 2019年10月 (the test's own formatting).
func tMonthLabel(m string) string {
	var y, mo int
	fmt.Sscanf(m, "%d-%d", &y, &mo)
	return fmt.Sprintf("%d年%d月", y, mo)
}

func tDate(d time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// The sample city's June bulletin holds both sections, numbered after the
// overdue projects, with the numbers of Store.TaskMonth and Store.Targets.
func TestMonthTasksSampleCityJune(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	d, err := b.Month(ctx, "2019-06")
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.store.TaskMonth(ctx, "2019-06")
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)
	targets, err := b.store.Targets(ctx, end, b.scheme)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture must exercise every part of the section.
	if r.Tasks == 0 || r.New == 0 || r.DoneOnTime == 0 || r.DoneLate == 0 || r.Overdue == 0 || r.Extended == 0 || r.NotCounted == 0 || len(targets) == 0 {
		t.Fatalf("sample city June 2019 lacks a case: %+v, %d targets", r, len(targets))
	}
	charts := checkDocument(t, d, "六、逾期未开工项目", "七、督办落实情况", "八、目标任务进展")
	html := string(d.HTML)

	sec := tBetween(t, html, `<section id="tasks">`, "</section>")
	done := r.DoneOnTime + r.DoneLate
	for _, w := range []string{
		fmt.Sprintf("6月新交办督办事项 %d 项，办结 %d 项（按时办结 %d 项，逾期办结 %d 项）", r.New, done, r.DoneOnTime, r.DoneLate),
		fmt.Sprintf("督办台账共 %d 项，在办 %d 项，超期未办结 %d 项", r.Tasks, r.Open, r.Overdue),
		fmt.Sprintf("本月提出延期申请 %d 项，其中经批准且在办理时限前提出、予以延期 %d 项，不予认定 %d 项", r.Extended+r.NotCounted, r.Extended, r.NotCounted),
	} {
		if !strings.Contains(sec, w) {
			t.Errorf("the 督办 section lacks %q:\n%s", w, sec)
		}
	}
	if n := r.NotCountedWhy[scoring.ExtTooLate]; n > 0 && !strings.Contains(sec, fmt.Sprintf("逾期申请 %d 项", n)) {
		t.Errorf("the section does not count the %d requests made too late", n)
	}
	units := tRows(tBetween(t, sec, `id="task-units"`, "</table>"))
	if len(units) != len(r.Units) {
		t.Fatalf("%d unit rows, want %d", len(units), len(r.Units))
	}
	for i, u := range r.Units {
		want := []string{u.Name, fmt.Sprint(u.New), fmt.Sprint(u.DoneOnTime), fmt.Sprint(u.DoneLate), fmt.Sprint(u.Overdue), fmt.Sprint(u.Extended)}
		if strings.Join(units[i], "|") != strings.Join(want, "|") {
			t.Errorf("unit row %d: got %q, want %q", i, units[i], want)
		}
		if i > 0 && r.Units[i-1].Overdue < u.Overdue {
			t.Errorf("unit rows not by overdue desc at %s", u.UnitID)
		}
	}
	over := tRows(tBetween(t, sec, `id="task-overdue"`, "</table>"))
	if want := min(len(r.OverdueTasks), 20); len(over) != want {
		t.Fatalf("%d overdue rows, want %d", len(over), want)
	}
	for i, row := range over {
		o := r.OverdueTasks[i]
		want := []string{o.ID, o.Title, o.LeadUnit, tDate(o.Due), fmt.Sprint(o.WorkingDays), fmt.Sprint(o.CalendarDays)}
		if strings.Join(row, "|") != strings.Join(want, "|") {
			t.Errorf("overdue row %d: got %q, want %q", i, row, want)
		}
		if o.CalendarDays != int(end.Sub(o.Due).Hours()/24) {
			t.Errorf("%s: %d calendar days overdue", o.ID, o.CalendarDays)
		}
	}
	if (len(r.OverdueTasks) > 20) != strings.Contains(sec, "等 ") {
		t.Errorf("%d overdue tasks; the 等 N 项 line is wrong", len(r.OverdueTasks))
	}

	tsec := tBetween(t, html, `<section id="targets">`, "</section>")
	rows := tRows(tBetween(t, tsec, `id="targets-table"`, "</table>"))
	if len(rows) != len(targets) {
		t.Fatalf("%d target rows, want %d", len(rows), len(targets))
	}
	unitNames := map[string]string{}
	us, err := b.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		unitNames[u.ID] = u.Name
	}
	risky := 0
	for i, g := range targets {
		row := rows[i]
		cur, prog := "—", "—"
		if g.HasCurrent {
			cur, prog = tPct(g.Current), tPct(g.Progress)
		}
		reach := "趋势达不到"
		switch {
		case !g.HasTrend:
			reach = "数据不足"
		case g.Reaches:
			reach = tMonthLabel(g.ReachOn)
		}
		status := g.Status.Label()
		if g.AtRisk {
			risky++
		}
		scope := "全市"
		if g.Scope != "city" {
			scope = unitNames[g.Scope]
		}
		want := []string{g.Name, analytics.TargetIndicatorLabel(g.Indicator), scope, "≥" + tPct(g.Value), tDate(g.Due), cur, prog, tPct(g.TimeProgress), reach, status}
		if strings.Join(row, "|") != strings.Join(want, "|") {
			t.Errorf("target row %s:\n got %q\nwant %q", g.ID, row, want)
		}
	}
	if !strings.Contains(tsec, fmt.Sprintf("目标任务共 %d 项。推进中 %d 项，按当前趋势到期有完不成风险的 %d 项", len(targets), len(targets), risky)) {
		t.Errorf("the targets intro does not count %d at risk:\n%s", risky, tsec)
	}
	opt, ok := charts["projects-targets"]
	if !ok {
		t.Fatal("no targets chart")
	}
	names := opt["yAxis"].(map[string]any)["data"].([]any)
	series := opt["series"].([]any)
	if len(names) != len(targets) || len(series) != 2 {
		t.Fatalf("targets chart: %d names, %d series", len(names), len(series))
	}
	for i, g := range targets {
		bar := series[0].(map[string]any)["data"].([]any)[i].(map[string]any)
		if names[i] != g.Name || math.Abs(bar["value"].(float64)-math.Min(g.Progress, 1.5)*100) > 0.005 {
			t.Errorf("chart bar %d: %v %v, want %s %.2f", i, names[i], bar["value"], g.Name, g.Progress*100)
		}
		if red := bar["itemStyle"].(map[string]any)["color"] == projBehindColor; red != g.AtRisk {
			t.Errorf("chart bar of %s red=%v, at risk %v", g.ID, red, g.AtRisk)
		}
	}

	// The quarterly bulletin keeps to the key projects.
	q, err := b.Quarter(ctx, "2019-Q2")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(q.HTML); strings.Contains(s, `<section id="tasks">`) || strings.Contains(s, `<section id="targets">`) || strings.Contains(s, "督办落实情况") {
		t.Error("the quarterly bulletin has a 督办 or targets section")
	}
}

// In December the targets due on Dec 31 are judged by their value.
func TestMonthTasksSampleCityDecember(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	d, err := b.Month(ctx, "2019-12")
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)
	targets, err := b.store.Targets(ctx, end, b.scheme)
	if err != nil {
		t.Fatal(err)
	}
	rows := tRows(tBetween(t, string(d.HTML), `id="targets-table"`, "</table>"))
	if len(rows) != len(targets) {
		t.Fatalf("%d target rows, want %d", len(rows), len(targets))
	}
	met := 0
	for i, g := range targets {
		want := "已到期·未达标"
		if g.HasCurrent && g.Met {
			want, met = "已到期·达标", met+1
		}
		if got := rows[i][9]; got != want {
			t.Errorf("%s (due %s, current %v met %v): %q, want %q", g.ID, g.Due.Format("2006-01-02"), g.Current, g.Met, got, want)
		}
	}
	if !strings.Contains(string(d.HTML), fmt.Sprintf("已到期 %d 项，达标 %d 项", len(targets), met)) {
		t.Errorf("December intro does not count %d met of %d", met, len(targets))
	}
}

// Store-free: the sections are left out without tasks or targets (no gap
// in the numbering), the overdue list stops at 20 with 等 N 项, and names
// from the spreadsheets are escaped.
func TestMonthTasksBodyWithoutStore(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)>`
	sums := []scoring.CountySums{{UnitID: "X1", Name: "甲县", LandSupplied: 1, LandNeed: 2, InvestmentYTD: 1, AnnualPlan: 2, Started: 1, Planned: 1}}
	now := scoring.ComputeCountyRates("2019-06", "2019-06-30", 6, sums, 0)
	start, end := time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)

	// no tasks and no targets: nothing after the overdue projects
	body := buildProjectBody(projInput{Now: now, AsOf: "2019年6月30日",
		Tasks: &analytics.TaskMonthReport{Month: "2019-06", Start: start, End: end}, Targets: &projTargetsInput{AsOf: end}})
	if body.Tasks != nil || body.Targets != nil {
		t.Errorf("empty ledger and no targets: sections %+v %+v", body.Tasks, body.Targets)
	}

	// 25 overdue tasks, one target not started yet, one with a hostile name
	r := &analytics.TaskMonthReport{Month: "2019-06", Start: start, End: end, Tasks: 30, Overdue: 25, Open: 5,
		NotCountedWhy: map[string]int{}, Units: []analytics.TaskMonthUnit{{UnitID: "D01", Name: evil, Overdue: 25}}}
	for i := 0; i < 25; i++ {
		due := end.AddDate(0, 0, -30+i)
		r.OverdueTasks = append(r.OverdueTasks, analytics.TaskMonthOverdue{ID: fmt.Sprintf("T%02d", i), Title: evil, LeadUnitID: "D01",
			LeadUnit: evil, Due: due, WorkingDays: 20 - i/2, CalendarDays: 30 - i})
	}
	tg := &projTargetsInput{AsOf: end, Names: map[string]string{"C01": evil}, List: []analytics.Target{
		{ID: "G1", Name: evil, Indicator: "online_rate", Scope: "C01", Value: 0.7, StartMonth: "2019-01", Due: time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC),
			HasCurrent: true, TargetAssessment: scoring.TargetAssessment{Current: 0.35, Progress: 0.5, TimeProgress: 0.5, AtRisk: true}},
		{ID: "G2", Name: "明年的目标", Indicator: "online_rate", Scope: "city", Value: 0.8, StartMonth: "2020-01", Due: time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)},
	}}
	body = buildProjectBody(projInput{Now: now, Tasks: r, Targets: tg})
	// without AsOf there is no overdue projects section: 督办 is 四
	if body.Tasks == nil || body.Tasks.Heading != "四、督办落实情况" || body.Targets == nil || body.Targets.Heading != "五、目标任务进展" {
		t.Fatalf("headings %+v %+v", body.Tasks, body.Targets)
	}
	if len(body.Tasks.Overdue) != 20 || body.Tasks.More != "等 25 项（仅列出超期时间最长的 20 项）。" {
		t.Errorf("%d rows listed, more %q", len(body.Tasks.Overdue), body.Tasks.More)
	}
	if !strings.Contains(body.Tasks.Intro[0], "无办结事项") || body.Tasks.Intro[1] != "本月无延期申请。" {
		t.Errorf("intro %q", body.Tasks.Intro)
	}
	if len(body.Targets.Rows) != 1 || !strings.Contains(body.Targets.Intro, "目标任务共 1 项") {
		t.Errorf("the target not in force is shown: %+v", body.Targets)
	}
	// the targets only: 目标任务进展 takes the next number
	only := buildProjectBody(projInput{Now: now, Targets: tg})
	if only.Tasks != nil || only.Targets == nil || only.Targets.Heading != "四、目标任务进展" {
		t.Errorf("targets without tasks: %+v", only.Targets)
	}

	rd, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	html, err := rd.render("projects.html", "测试", "", Meta{City: "青川市"}, body)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if strings.Contains(s, evil) {
		t.Error("a name appears unescaped")
	}
	const esc = "&lt;img src=x onerror=alert(1)&gt;"
	for _, w := range []string{`<td class="name">` + esc + `</td>`, `<td class="name wrap">` + esc + `</td>`, `<td>` + esc + `</td>`, "等 25 项"} {
		if !strings.Contains(s, w) {
			t.Errorf("rendered section lacks %q", w)
		}
	}
	charts := checkDocument(t, Document{Name: "evil", HTML: html})
	if names := charts["projects-targets"]["yAxis"].(map[string]any)["data"].([]any); len(names) != 1 || names[0] != evil {
		t.Errorf("chart names %q, want the name back intact", names)
	}
	if n := len(tRows(tBetween(t, s, `id="task-overdue"`, "</table>"))); n != 20 {
		t.Errorf("%d overdue rows rendered", n)
	}
}
