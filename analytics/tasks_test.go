package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The ledger of the tests, with Chinese headers and spellings:
// T01 done on its due date; T02 done late but within an extension asked in
// time and approved; T03 done late, its extension asked after the due date;
// T04 open past due, its extension refused; T05 due 15 working days after
// Mon 2019-01-21, across the Spring Festival: Thu 2019-02-14; T06 due 7
// calendar days after 2019-09-25 = Wed Oct 2, a holiday, moved to Tue Oct 8.
const taskFile = `事项编号,事项名称,来源,牵头单位,配合单位,交办日期,办结时限,办理时限,时限单位,状态,办结日期,办结材料
T01,优化营商环境,领导批示,D01,D02；D03,2019-01-02,2019-03-15,,,办结,2019-03-15,报告
T02,清理证明事项,重点工作,D01,,2019-01-02,2019-03-15,,,已办结,2019-03-25,
T03,一网通办,会议议定,D02,D01,2019-01-02,2019-03-15,,,办结,2019-03-25,
T04,政务大厅延时服务,重点工作,D02,,2019-01-02,2019-03-15,,,在办,,
T05,春节期间值守,领导批示,D03,D01,2019-01-21,,15,工作日,办结,2019-02-13,
T06,国庆期间值守,领导批示,D03,,2019-09-25,,7,自然日,在办,,
`

const extensionFile = `事项编号,申请日期,延期至,延期理由,是否批准
T02,2019-03-10,2019-03-31,需省级部门配合,是
T03,2019-03-18,2019-04-30,材料不全,是
T04,2019-03-10,2019-04-30,人员不足,否
`

func openTasks(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{{"督办事项.csv", taskFile}, {"延期申请.csv", extensionFile}} {
		if _, err := s.ImportFile(context.Background(), writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	return s
}

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTaskImportIdempotent(t *testing.T) {
	s := openTasks(t)
	ctx := context.Background()
	dir := t.TempDir()
	r, err := s.ImportFile(ctx, writeFile(t, dir, "tasks-2019.csv", taskFile), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != "tasks" || r.Rows != 6 || r.Unchanged != 6 || r.New != 0 {
		t.Errorf("re-import: %+v, want 6 unchanged tasks", r)
	}
	ts, err := s.Tasks(ctx, d("2019-12-31"), TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Task{}
	for _, x := range ts {
		byID[x.ID] = x
	}
	if x := byID["T01"]; x.Source != "leader_instruction" || strings.Join(x.Cooperating, ",") != "D02,D03" || x.Evidence != "报告" {
		t.Errorf("T01 stored as %+v", x)
	}
	if x := byID["T05"]; !x.Due.Equal(d("2019-02-14")) || x.DueDays != 15 || x.DueUnit != "working" {
		t.Errorf("T05 due %s (%d %s), want 2019-02-14 from 15 working days", x.Due.Format("2006-01-02"), x.DueDays, x.DueUnit)
	}
	if x := byID["T06"]; !x.Due.Equal(d("2019-10-08")) || x.DueUnit != "calendar" {
		t.Errorf("T06 due %s, want 2019-10-08 (Oct 2 + the National Day holiday)", x.Due.Format("2006-01-02"))
	}
}

func TestTaskImportRefused(t *testing.T) {
	s := openTasks(t)
	ctx := context.Background()
	const th = "task_id,title,source,lead_unit_id,cooperating_unit_ids,assigned_on,due_on,due_days,due_unit,status,done_on,evidence\n"
	tests := []struct{ name, file, body, want string }{
		{"both due ways", "tasks.csv", th + "X1,标题,key_work,D01,,2019-01-02,2019-03-01,10,working,open,,\n",
			"tasks.csv:2: due_on: give due_on or due_days, not both"},
		{"no due", "tasks.csv", th + "X1,标题,key_work,D01,,2019-01-02,,,,open,,\n",
			"tasks.csv:2: due_on: missing value (give due_on or due_days)"},
		{"due_days without unit", "tasks.csv", th + "X1,标题,key_work,D01,,2019-01-02,,10,,open,,\n",
			"tasks.csv:2: due_unit: missing value (due_days is given: working or calendar)"},
		{"done without date", "tasks.csv", th + "X1,标题,key_work,D01,,2019-01-02,2019-03-01,,,done,,\n",
			"tasks.csv:2: done_on: missing value (status is done)"},
		{"open with a done date", "tasks.csv", th + "X1,标题,key_work,D01,,2019-01-02,2019-03-01,,,open,2019-02-01,\n",
			"tasks.csv:2: done_on: must be empty while status is open"},
		{"unknown source", "tasks.csv", th + "X1,标题,批办,D01,,2019-01-02,2019-03-01,,,open,,\n",
			"tasks.csv:2: source: 批办 is not one of leader_instruction, key_work, meeting_decision"},
		{"unknown cooperating unit", "tasks.csv", th + "X1,标题,key_work,D01,D02;D99,2019-01-02,2019-03-01,,,open,,\n",
			"tasks.csv:2: cooperating_unit_ids: unknown unit D99"},
		{"lead among cooperating", "tasks.csv", th + "X1,标题,key_work,D01,D01,2019-01-02,2019-03-01,,,open,,\n",
			"tasks.csv:2: cooperating_unit_ids: D01 is the lead unit"},
		{"due before assigned", "tasks.csv", th + "X1,标题,key_work,D01,,2019-03-02,2019-03-01,,,open,,\n",
			"tasks.csv:2: due_on: 2019-03-01 is before assigned_on"},
		{"extension of an unknown task", "task_extensions.csv", "task_id,requested_on,new_due_on,reason,approved\nT99,2019-03-01,2019-04-01,理由,yes\n",
			"task_extensions.csv:2: task_id: unknown task T99"},
		{"extension to an earlier date", "task_extensions.csv", "task_id,requested_on,new_due_on,reason,approved\nT01,2019-03-01,2019-02-01,理由,yes\n",
			"task_extensions.csv:2: new_due_on: 2019-02-01 is not after requested_on"},
		{"target of an unknown unit", "目标任务.csv", "目标编号,目标名称,指标,范围,目标值,完成时限\nG1,网上办理率,网上办理率,D99,0.7,2019-12-31\n",
			"目标任务.csv:2: scope: unknown unit D99 (city for the whole city)"},
		{"target as a percentage", "targets.csv", "target_id,name,indicator,scope,value,due_on\nG1,网上办理率,online_rate,city,70,2019-12-31\n",
			"targets.csv:2: value: 70 is outside 0–1"},
		{"target of a non-rate indicator", "targets.csv", "target_id,name,indicator,scope,value,due_on\nG1,评议,peer_mean,city,0.9,2019-12-31\n",
			"targets.csv:2: indicator: peer_mean is not one of on_time_rate, online_rate, one_visit_rate, instant_rate, complaint_on_time_rate, resolution_rate, satisfaction_rate, first_contact_rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), tt.file, tt.body), ImportOptions{})
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an ImportError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

func ids(ts []Task) string {
	var out []string
	for _, x := range ts {
		out = append(out, x.ID+":"+x.State.Status)
	}
	return strings.Join(out, " ")
}

func TestTaskLedger(t *testing.T) {
	s := openTasks(t)
	ctx := context.Background()
	all, err := s.Tasks(ctx, d("2019-06-30"), TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Overdue first, then late, then on time by due date; T06 is not assigned yet.
	if got, want := ids(all), "T04:overdue T03:late T05:on_time T01:on_time T02:on_time"; got != want {
		t.Errorf("ledger as of 2019-06-30:\ngot  %s\nwant %s", got, want)
	}
	// T04: due Mar 15, overdue on Jun 30 by Mar 18–29 (10) + April (22 − Apr 5
	// + Sun Apr 28 = 22) + May (23 − May 1–3 + Sun May 5 = 21) + June (20 − Jun 7 = 19) = 72.
	if all[0].State.Days != 72 {
		t.Errorf("T04 overdue by %d working days, want 72", all[0].State.Days)
	}
	// T03: due Mar 15, done Mar 25: Mar 18–22 and 25 = 6 working days late.
	if all[1].State.Days != 6 {
		t.Errorf("T03 late by %d working days, want 6", all[1].State.Days)
	}
	cases := []struct {
		f    TaskFilter
		want string
	}{
		{TaskFilter{UnitID: "D01"}, "T03:late T05:on_time T01:on_time T02:on_time"},
		{TaskFilter{Status: scoring.TaskOverdue}, "T04:overdue"},
		{TaskFilter{Source: "key_work"}, "T04:overdue T02:on_time"},
		{TaskFilter{UnitID: "D03", Source: "leader_instruction"}, "T05:on_time T01:on_time"},
	}
	for _, c := range cases {
		got, err := s.Tasks(ctx, d("2019-06-30"), c.f)
		if err != nil {
			t.Fatal(err)
		}
		if ids(got) != c.want {
			t.Errorf("%+v: got %s, want %s", c.f, ids(got), c.want)
		}
	}
	// T05 across the Spring Festival: from Mon Feb 11 the working days to
	// Thu Feb 14 are 3 → 临期; it was done on Feb 13, after that date.
	feb, err := s.Tasks(ctx, d("2019-02-11"), TaskFilter{UnitID: "D03"})
	if err != nil {
		t.Fatal(err)
	}
	if ids(feb) != "T05:due_soon T01:open" || feb[0].State.Days != 3 {
		t.Errorf("as of 2019-02-11: %s (T05 days %d), want T05:due_soon (3) T01:open", ids(feb), feb[0].State.Days)
	}
	// From Fri Feb 1: Sat Feb 2, Sun Feb 3 (make-up days), Feb 11–14: 6 → open.
	if feb, _ := s.Tasks(ctx, d("2019-02-01"), TaskFilter{Status: scoring.TaskOpen, UnitID: "D03"}); ids(feb) != "T05:open T01:open" {
		t.Errorf("as of 2019-02-01: %s", ids(feb))
	}
	oct, err := s.Tasks(ctx, d("2019-09-27"), TaskFilter{Status: scoring.TaskDueSoon})
	if err != nil {
		t.Fatal(err)
	}
	if ids(oct) != "T06:due_soon" || oct[0].State.Days != 3 {
		t.Errorf("as of 2019-09-27: %s, want T06 due soon with Sep 29, Sep 30, Oct 8 left", ids(oct))
	}
}

func TestTaskHistory(t *testing.T) {
	s := openTasks(t)
	ctx := context.Background()
	x, ok, err := s.Task(ctx, d("2019-12-31"), "T03")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	var got []string
	for _, e := range x.History {
		got = append(got, fmt.Sprintf("%s %s due %s counted=%v %s %s", e.Date.Format("01-02"), e.Kind, e.Due.Format("01-02"), e.Counted, e.Why, e.Status))
	}
	want := []string{
		"01-02 assigned due 03-15 counted=false  ",
		"03-18 extension due 04-30 counted=false requested_late ",
		"03-25 done due 03-15 counted=false  late",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("T03 history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	x, _, _ = s.Task(ctx, d("2019-12-31"), "T02")
	if len(x.History) != 3 || !x.History[1].Counted || !x.State.Due.Equal(d("2019-03-31")) {
		t.Errorf("T02: %+v", x.History)
	}
	if _, ok, _ := s.Task(ctx, d("2019-06-30"), "T06"); ok {
		t.Error("T06 listed before it was assigned")
	}
}

func TestTaskSummary(t *testing.T) {
	s := openTasks(t)
	sum, err := s.TaskSummary(context.Background(), d("2019-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	// D01 leads T01, T02 (both on time) and cooperates on T03 (late), T05 (on time);
	// D02 leads T03 (late), T04 (overdue), cooperates on T01; D03 leads T05, cooperates on T01.
	want := map[string][4]int{"D01": {2, 2, 2, 1}, "D02": {2, 0, 1, 1}, "D03": {1, 1, 1, 1}}
	if len(sum) != 3 {
		t.Fatalf("%d units, want 3: %+v", len(sum), sum)
	}
	for _, u := range sum {
		w := want[u.UnitID]
		if u.Lead.Due != w[0] || u.Lead.DueOnTime != w[1] || u.Cooperating.Due != w[2] || u.Cooperating.DueOnTime != w[3] {
			t.Errorf("%s: lead %+v cooperating %+v, want %v", u.UnitID, u.Lead, u.Cooperating, w)
		}
	}
	if sum[1].Lead.Rate != 0 || sum[1].Lead.Overdue != 1 || sum[1].Name != "市财政局" {
		t.Errorf("D02: %+v", sum[1])
	}
}

func TestTaskAlerts(t *testing.T) {
	s := openTasks(t)
	ctx := context.Background()
	as, err := s.Alerts(ctx, d("2019-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	var tasks []Alert
	for _, a := range as {
		if a.Kind == AlertTask {
			tasks = append(tasks, a)
		}
	}
	if len(tasks) != 1 || tasks[0].ID != "T04" || tasks[0].Level != LevelOverdue || tasks[0].UnitID != "D02" || tasks[0].Days != 72 ||
		// 03-15 → 06-30: 16 + 30 + 31 + 30 = 107 calendar days.
		tasks[0].CalendarDays != 107 || tasks[0].Detail != "督办: 政务大厅延时服务, 交办 2019-01-02, 期限 2019-03-15, 超期 72 个工作日(107 个自然日)" {
		t.Errorf("task alerts as of 2019-06-30: %+v", tasks)
	}
	soon, err := s.UnitAlerts(ctx, d("2019-02-11"), "D03")
	if err != nil {
		t.Fatal(err)
	}
	if len(soon) != 1 || soon[0].ID != "T05" || soon[0].Level != LevelDueSoon || soon[0].Days != 3 {
		t.Errorf("D03 alerts as of 2019-02-11: %+v", soon)
	}
	// D01 cooperates on T05 but alerts go to the lead unit.
	if other, _ := s.UnitAlerts(ctx, d("2019-02-11"), "D01"); len(other) != 0 {
		t.Errorf("D01 alerts as of 2019-02-11: %+v", other)
	}
}

// targetCases writes cases whose online share is Jan 1/2, Feb 3/5, Mar 7/10
// (all at D01; D02 has none).
func targetCases() string {
	var b strings.Builder
	b.WriteString(casesHeader)
	n := 0
	for _, m := range []struct {
		month         string
		online, total int
	}{{"01", 1, 2}, {"02", 3, 5}, {"03", 7, 10}} {
		for i := 0; i < m.total; i++ {
			n++
			ch := "window"
			if i < m.online {
				ch = "online"
			}
			fmt.Fprintf(&b, "K%02d,D01,I01,,%s,2019-%s-20 09:00,2019-%s-20 10:00,1,1,completed\n", n, ch, m.month, m.month)
		}
	}
	return b.String()
}

func TestTargetProgress(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	ctx := context.Background()
	dir := t.TempDir()
	targets := "目标编号,目标名称,指标,范围,目标值,完成时限\n" +
		"G1,网上办理率达到80%,网上办理率,city,0.80,2019-06-30\n" +
		"G2,市财政局最多跑一次,最多跑一次,D02,0.9,2019-12-31\n"
	for _, f := range []struct{ name, body string }{{"cases.csv", targetCases()}, {"目标任务.csv", targets}} {
		if _, err := s.ImportFile(ctx, writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	ts, err := s.Targets(ctx, d("2019-03-31"), scoring.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 {
		t.Fatalf("%d targets, want 2", len(ts))
	}
	g := ts[0]
	// Months 0, 1, 2 at 0.5, 0.6, 0.7: slope 0.1, intercept 0.5; 0.80 at month 3
	// (April); due month 5 (June) gives 1.0 → not at risk. Pooled 11/17.
	// Time: Jan 1 – Mar 31 is 90 of the 181 days to Jun 30.
	if g.ID != "G1" || g.Indicator != "online_rate" || len(g.Months) != 3 || g.Months[1].Num != 3 || g.Months[1].Den != 5 {
		t.Fatalf("G1: %+v", g)
	}
	if !g.HasTrend || math.Abs(g.Trend.Slope-0.1) > 1e-9 || math.Abs(g.Trend.Intercept-0.5) > 1e-9 || g.ReachOn != "2019-04" || g.AtRisk || g.DueIndex != 5 {
		t.Errorf("G1 trend %+v reach %s at risk %v", g.Trend, g.ReachOn, g.AtRisk)
	}
	if math.Abs(g.Current-11.0/17) > 1e-12 || math.Abs(g.Progress-11.0/17/0.8) > 1e-12 || math.Abs(g.TimeProgress-90.0/181) > 1e-12 {
		t.Errorf("G1 current %v progress %v time %v", g.Current, g.Progress, g.TimeProgress)
	}
	// D02 has no cases: no data, at risk.
	if h := ts[1]; h.HasCurrent || h.HasTrend || !h.AtRisk || h.Indicator != "one_visit_rate" {
		t.Errorf("G2: %+v", h)
	}
	// The scheme's direction is honoured: with online lower-is-better, 11/17
	// meets ≤ 0.80 now, so it is 已达标 and not at risk, although the rising
	// line gives 1.0 > 0.80 in June.
	sch := scoring.DefaultScheme()
	sch.Online.Direction = scoring.DirectionLower
	ts, err = s.Targets(ctx, d("2019-03-31"), sch)
	if err != nil {
		t.Fatal(err)
	}
	if g := ts[0]; !g.Lower || g.AtRisk || !g.Met || g.Status != scoring.TargetMet {
		t.Errorf("G1 lower is better: lower %v at risk %v met %v status %s, want met, not at risk", g.Lower, g.AtRisk, g.Met, g.Status)
	}
	// Before, on and after the due date (2019-06-30) of G1 (≥ 0.80): the data
	// end in March, so the value stays 11/17 = 64.7%. On 06-29 the line
	// (1.0 in June) reaches 0.80: on track; from 06-30 on it is judged by
	// 64.7% < 80%: 已到期·未达标, never at risk. G2 (due 12-31, no data) is
	// at risk throughout.
	for _, c := range []struct {
		day    string
		g1, g2 scoring.TargetStatus
	}{
		{"2019-06-29", scoring.TargetOnTrack, scoring.TargetAtRisk},
		{"2019-06-30", scoring.TargetDueMissed, scoring.TargetAtRisk},
		{"2019-07-31", scoring.TargetDueMissed, scoring.TargetAtRisk},
		{"2020-01-15", scoring.TargetDueMissed, scoring.TargetDueMissed},
	} {
		ts, err := s.Targets(ctx, d(c.day), scoring.DefaultScheme())
		if err != nil {
			t.Fatal(err)
		}
		if ts[0].Status != c.g1 || ts[1].Status != c.g2 || ts[0].AtRisk != (c.g1 == scoring.TargetAtRisk) {
			t.Errorf("%s: G1 %s (at risk %v), G2 %s; want %s, %s", c.day, ts[0].Status, ts[0].AtRisk, ts[1].Status, c.g1, c.g2)
		}
	}
}

// TestFirstContactRate: 一次性办结率 by hand. Complaints closed in January:
// D01 C1 yes, C2 no, C3 empty (closed, not at first contact); D02 C4 yes.
// C5 (D01) is closed in February, C6 (D01) not closed. City, January:
// 2 yes of 4 closed = 50%; D01 alone: 1 of 3 = 33.3%. February: C5 yes,
// 1 of 1; the city's pooled value through February: 3 of 5 = 60%.
func TestFirstContactRate(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	ctx := context.Background()
	dir := t.TempDir()
	complaints := "complaint_id,unit_id,source,received_at,closed_at,first_contact\n" +
		"C1,D01,hotline,2019-01-07 09:00,2019-01-08 10:00,yes\n" +
		"C2,D01,hotline,2019-01-07 09:00,2019-01-10 10:00,no\n" +
		"C3,D01,petition,2019-01-07 09:00,2019-01-20 10:00,\n" +
		"C4,D02,hotline,2019-01-09 09:00,2019-01-31 16:00,是\n" +
		"C5,D01,hotline,2019-01-28 09:00,2019-02-01 10:00,yes\n" +
		"C6,D01,hotline,2019-02-11 09:00,,\n"
	targets := "目标编号,目标名称,指标,范围,目标值,完成时限\n" +
		"F1,群众初信初访一次性办结率达到90%以上,一次性办结率,city,0.90,2019-12-31\n" +
		"F2,市发改委一次性办结率,first_contact_rate,D01,0.30,2019-01-31\n"
	for _, f := range []struct{ name, body string }{{"complaints.csv", complaints}, {"目标任务.csv", targets}} {
		if _, err := s.ImportFile(ctx, writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	ts, err := s.Targets(ctx, d("2019-02-28"), scoring.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].ID != "F2" || ts[1].ID != "F1" {
		t.Fatalf("targets %+v", ts)
	}
	f2, f1 := ts[0], ts[1]
	if f1.Indicator != FirstContactRate || len(f1.Months) != 2 || f1.Months[0].Num != 2 || f1.Months[0].Den != 4 ||
		f1.Months[1].Num != 1 || f1.Months[1].Den != 1 || math.Abs(f1.Current-0.6) > 1e-12 {
		t.Errorf("F1 (city): %+v", f1)
	}
	// F2 is due on 2019-01-31: D01's January, 1 of 3 ≥ 30% → 已到期·达标.
	if len(f2.Months) != 1 || f2.Months[0].Num != 1 || f2.Months[0].Den != 3 || f2.Status != scoring.TargetDueMet {
		t.Errorf("F2 (D01): %+v", f2)
	}
	if TargetIndicatorLabel(FirstContactRate) != "一次性办结率" || TargetIndicatorLabel("online_rate") != "网上办理率" {
		t.Error("indicator labels")
	}
}

// TestTargetRefusesOnlineAvailability: 网上可办率 is not 网上办理率; a target
// naming it is refused with a Chinese reason.
func TestTargetRefusesOnlineAvailability(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	_, err := s.ImportFile(context.Background(), writeFile(t, dir, "targets.csv",
		"target_id,name,indicator,scope,value,due_on\nG1,网上可办率达到70%,网上可办率,city,0.70,2019-12-31\n"), ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "targets.csv:2: indicator:") || !strings.Contains(err.Error(), "网上可办率") ||
		!strings.Contains(err.Error(), "无法由办件数据计算") || !strings.Contains(err.Error(), "网上办理率") {
		t.Errorf("got %v", err)
	}
}

func TestTaskKindDetection(t *testing.T) {
	for name, want := range map[string]string{
		"督办事项-2019.xlsx": "tasks", "tasks.csv": "tasks", "2019年督办台账.xlsx": "tasks",
		"延期申请.csv": "task_extensions", "督办延期.csv": "task_extensions", "task_extensions-2019.csv": "task_extensions",
		"目标任务.xlsx": "targets", "targets.csv": "targets", "重点项目督办.csv": "projects",
	} {
		if got := kindName(KindForFile(name)); got != want {
			t.Errorf("%s: kind %s, want %s", name, got, want)
		}
	}
}
