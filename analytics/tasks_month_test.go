package analytics

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The month ledger of the tests, June 2019 (Jun 7 is the Dragon Boat
// holiday; Jun 30 is a Sunday):
// M01 D01 assigned and done on time in June; M02 D02 done late in June;
// M03 D02 assigned in June, open past Jun 21; M04 D03 extended in June
// (asked Jun 12, before its Jun 14 due date, approved); M05 D03 asked on
// Jun 10 after its Jun 5 due date (approved, not counted), overdue;
// M06 D01 assigned in June, its request refused; M07 D01 done in February;
// M08 D02 extended in May; M09 assigned in July; M10 D03 due Jun 25 and
// done on Jul 3, so overdue at the end of June.
const monthTaskFile = `task_id,title,source,lead_unit_id,cooperating_unit_ids,assigned_on,due_on,due_days,due_unit,status,done_on,evidence
M01,优化营商环境,leader_instruction,D01,D02,2019-06-03,2019-06-20,,,done,2019-06-18,
M02,清理证明事项,key_work,D02,,2019-05-06,2019-06-10,,,done,2019-06-14,
M03,一网通办,meeting_decision,D02,D01,2019-06-05,2019-06-21,,,open,,
M04,政务大厅延时服务,key_work,D03,,2019-05-10,2019-06-14,,,open,,
M05,不动产登记提速,leader_instruction,D03,,2019-05-10,2019-06-05,,,open,,
M06,工程审批改革,key_work,D01,,2019-06-03,2019-07-31,,,open,,
M07,春节值守,leader_instruction,D01,,2019-01-02,2019-03-01,,,done,2019-02-20,
M08,企业开办,key_work,D02,,2019-04-01,2019-05-10,,,open,,
M09,国庆值守,leader_instruction,D01,,2019-07-01,2019-07-31,,,open,,
M10,效能督查整改,meeting_decision,D03,,2019-05-20,2019-06-25,,,done,2019-07-03,
`

const monthExtensionFile = `task_id,requested_on,new_due_on,reason,approved
M04,2019-06-12,2019-07-15,需省级部门配合,yes
M05,2019-06-10,2019-07-10,材料不全,yes
M06,2019-06-20,2019-08-31,人员不足,no
M08,2019-05-06,2019-07-31,系统改造,yes
`

func openMonthTasks(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{{"tasks.csv", monthTaskFile}, {"task_extensions.csv", monthExtensionFile}} {
		if _, err := s.ImportFile(context.Background(), writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	return s
}

// monthCounts writes a report's totals in one line for comparison.
func monthCounts(r TaskMonthReport) string {
	return fmt.Sprintf("tasks %d new %d on_time %d late %d open %d overdue %d extended %d not_counted %d (late %d, refused %d)",
		r.Tasks, r.New, r.DoneOnTime, r.DoneLate, r.Open, r.Overdue, r.Extended, r.NotCounted,
		r.NotCountedWhy[scoring.ExtTooLate], r.NotCountedWhy[scoring.ExtNotApproved])
}

func TestTaskMonthJune(t *testing.T) {
	s := openMonthTasks(t)
	r, err := s.TaskMonth(context.Background(), "2019-06")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Start.Equal(d("2019-06-01")) || !r.End.Equal(d("2019-06-30")) {
		t.Errorf("month %s – %s", r.Start, r.End)
	}
	// M09 is not assigned yet: 9 tasks. New: M01, M03, M06. Done: M01 on
	// time, M02 late (M10 is done in July). Open: M04, M06, M08; overdue:
	// M03, M05, M10. Requests in June: M04 counted, M05 too late, M06
	// refused (M08's was in May).
	if got, want := monthCounts(r), "tasks 9 new 3 on_time 1 late 1 open 3 overdue 3 extended 1 not_counted 2 (late 1, refused 1)"; got != want {
		t.Errorf("June:\ngot  %s\nwant %s", got, want)
	}
	// By unit, overdue desc then unit_id: D03 (M05, M10; M04 extended),
	// D02 (M03 new and overdue, M02 late), D01 (M01, M06 new, M01 on time).
	var units []string
	for _, u := range r.Units {
		units = append(units, fmt.Sprintf("%s %s %d/%d/%d/%d/%d", u.UnitID, u.Name, u.New, u.DoneOnTime, u.DoneLate, u.Overdue, u.Extended))
	}
	if got, want := strings.Join(units, "; "), "D03 市教育局 0/0/0/2/1; D02 市财政局 1/0/1/1/0; D01 市发展和改革委员会 2/1/0/0/0"; got != want {
		t.Errorf("units:\ngot  %s\nwant %s", got, want)
	}
	// Longest overdue first. M05 due Jun 5: Jun 6, 10–14, 17–21, 24–28 = 16
	// working days (Jun 7 a holiday), 25 calendar days. M03 due Fri Jun 21:
	// Jun 24–28 = 5, 9 calendar. M10 due Tue Jun 25: Jun 26–28 = 3, 5 calendar.
	var over []string
	for _, o := range r.OverdueTasks {
		over = append(over, fmt.Sprintf("%s %s %s %s %d/%d", o.ID, o.LeadUnit, o.Title, o.Due.Format("01-02"), o.WorkingDays, o.CalendarDays))
	}
	if got, want := strings.Join(over, "; "), "M05 市教育局 不动产登记提速 06-05 16/25; M03 市财政局 一网通办 06-21 5/9; M10 市教育局 效能督查整改 06-25 3/5"; got != want {
		t.Errorf("overdue:\ngot  %s\nwant %s", got, want)
	}
}

func TestTaskMonthOtherMonths(t *testing.T) {
	s := openMonthTasks(t)
	ctx := context.Background()
	cases := []struct{ month, want, units string }{
		// May: M02, M04, M05, M10 assigned (with M07, M08: 6 tasks); M08's
		// request (May 6, before its May 10 due date) counted, so nothing is
		// overdue at May 31; M07 is done, the other five open.
		{"2019-05", "tasks 6 new 4 on_time 0 late 0 open 5 overdue 0 extended 1 not_counted 0 (late 0, refused 0)",
			"D02 1/0/0/0/1; D03 3/0/0/0/0"},
		// January: M07 only, assigned; done in February.
		{"2019-01", "tasks 1 new 1 on_time 0 late 0 open 1 overdue 0 extended 0 not_counted 0 (late 0, refused 0)", "D01 1/0/0/0/0"},
		// July: M09 assigned, M10 done late (Jul 3 after Jun 25: not
		// overdue any more); M03, M05 (its request too late: still due
		// Jun 5) and M04 (extended to Jul 15) overdue; M06, M08 and M09 due
		// on Jul 31 itself: 临期, open.
		{"2019-07", "tasks 10 new 1 on_time 0 late 1 open 3 overdue 3 extended 0 not_counted 0 (late 0, refused 0)",
			"D03 0/0/1/2/0; D02 0/0/0/1/0; D01 1/0/0/0/0"},
		// Before the first task: an empty ledger.
		{"2018-12", "tasks 0 new 0 on_time 0 late 0 open 0 overdue 0 extended 0 not_counted 0 (late 0, refused 0)", ""},
	}
	for _, c := range cases {
		r, err := s.TaskMonth(ctx, c.month)
		if err != nil {
			t.Fatal(err)
		}
		if got := monthCounts(r); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.month, got, c.want)
		}
		var units []string
		for _, u := range r.Units {
			units = append(units, fmt.Sprintf("%s %d/%d/%d/%d/%d", u.UnitID, u.New, u.DoneOnTime, u.DoneLate, u.Overdue, u.Extended))
		}
		if got := strings.Join(units, "; "); got != c.units {
			t.Errorf("%s units:\ngot  %s\nwant %s", c.month, got, c.units)
		}
		if len(r.OverdueTasks) != r.Overdue {
			t.Errorf("%s: %d overdue listed, %d counted", c.month, len(r.OverdueTasks), r.Overdue)
		}
	}
	for _, bad := range []string{"2019-6", "2019-13", "2019-06-30", ""} {
		if _, err := s.TaskMonth(ctx, bad); err == nil {
			t.Errorf("TaskMonth(%q) accepted", bad)
		}
	}
}

// The month's counts agree with the ledger of Store.Tasks as of the
// month's end and with TaskSummary's overdue counts per lead unit.
func TestTaskMonthAgreesWithTheLedger(t *testing.T) {
	s := openMonthTasks(t)
	ctx := context.Background()
	r, err := s.TaskMonth(ctx, "2019-06")
	if err != nil {
		t.Fatal(err)
	}
	over, err := s.Tasks(ctx, d("2019-06-30"), TaskFilter{Status: scoring.TaskOverdue})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.TaskSummary(ctx, d("2019-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(over) != r.Overdue {
		t.Errorf("%d overdue in the ledger, %d in the month", len(over), r.Overdue)
	}
	byUnit := map[string]int{}
	for _, u := range r.Units {
		byUnit[u.UnitID] = u.Overdue
	}
	for _, u := range sum {
		if u.Lead.Overdue != byUnit[u.UnitID] {
			t.Errorf("%s: %d overdue as lead in the summary, %d in the month", u.UnitID, u.Lead.Overdue, byUnit[u.UnitID])
		}
	}
}
