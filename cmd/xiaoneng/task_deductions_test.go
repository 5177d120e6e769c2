package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// runRoot runs the whole command tree (so the registration under `tasks`
// is what is tested) on db.
func runRoot(t *testing.T, db string, args ...string) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	root := newRoot(&buf, &buf)
	root.SetArgs(append([]string{"--db", db}, args...))
	err := root.ExecuteContext(context.Background())
	return buf.String(), err
}

// With tasksDB as of 2019-06-30 the one overdue task is T2 (lead D02
// 市教育局, due 2019-03-15, its extension asked too late): 72 working days
// past due (see TestTaskCommand). As of 2019-07-05 T3 (D01, due Jul 2) is
// overdue too.
func TestTaskDeductionCommand(t *testing.T) {
	db := tasksDB(t)
	out, err := runRoot(t, db, "tasks", "deductions", "--as-of", "2019-06-30")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || lines[0] != "督办扣分建议 (截至 2019-06-30, 每项 1 分, 计入 2019-B3): 1 项, 未经确认不扣分" ||
		strings.Join(strings.Fields(lines[2]), " ") != "T2 D02 市教育局 2019-03-15 72 1 DB-T2-20190315 =教育督导" {
		t.Fatalf("suggestions:\n%s", out)
	}

	// Refusals write nothing: an id that is no suggestion spoils the whole list.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--confirm", "T2,T9"}, "T9"},
		{[]string{"--confirm", "T1"}, "T1"},
		{[]string{"--dismiss", "T2"}, "--reason"},
		{[]string{"--dismiss", "T2", "--reason", "  "}, "--reason"},
		{[]string{"--reason", "x"}, "--dismiss"},
		{[]string{"--confirm", "T2", "--dismiss", "T2", "--reason", "x"}, "both"},
		{[]string{"--confirm", "T2", "--points", "11"}, "--points"},
		{[]string{"--confirm", "T2", "--points", "0"}, "--points"},
		{[]string{"--as-of", "2019/06/30"}, "--as-of"},
	} {
		args := append([]string{"tasks", "deductions", "--as-of", "2019-06-30"}, c.args...)
		if _, err := runRoot(t, db, args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error naming %s", c.args, err, c.want)
		}
	}
	if out, _ := runRoot(t, db, "tasks", "deductions", "--decisions"); !strings.HasPrefix(out, "督办扣分决定: 0 项") {
		t.Fatalf("refusals wrote decisions:\n%s", out)
	}

	out, err = runRoot(t, db, "tasks", "deductions", "--as-of", "2019-06-30", "--confirm", "T2", "--points", "2", "--user", "张三")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "已确认扣分 T2: D02 市教育局 扣 2 分 (DB-T2-20190315, 计入 2019-B3)\n督办扣分建议 (截至 2019-06-30, 每项 2 分): 0 项") {
		t.Errorf("confirm output:\n%s", out)
	}
	if _, err := runRoot(t, db, "tasks", "deductions", "--as-of", "2019-06-30", "--confirm", "T2"); err == nil || !strings.Contains(err.Error(), "T2") {
		t.Errorf("confirming twice: %v", err)
	}

	out, err = runRoot(t, db, "tasks", "deductions", "--as-of", "2019-07-05", "--dismiss", "T3", "--reason", "会议改期")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "不予扣分 T3: D01 市财政局 (会议改期)\n") {
		t.Errorf("dismiss output:\n%s", out)
	}

	out, err = runRoot(t, db, "tasks", "deductions", "--decisions", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Decisions []taskDecisionJSON `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	byID := map[string]taskDecisionJSON{}
	for _, d := range got.Decisions {
		byID[d.TaskID] = d
	}
	if d := byID["T2"]; len(got.Decisions) != 2 || d.Decision != "confirmed" || d.Points == nil || *d.Points != 2 || d.DeductionID == nil ||
		*d.DeductionID != "DB-T2-20190315" || d.AsOf != "2019-06-30" || d.Round != "2019-B3" || d.DecidedBy != "张三" {
		t.Errorf("decisions %s", out)
	}
	if d := byID["T3"]; d.Decision != "dismissed" || d.Points != nil || d.Note != "会议改期" || d.DueOn != "2019-07-02" || d.DecidedBy != defaultActor() {
		t.Errorf("T3 decision %+v (default user %s)", d, defaultActor())
	}

	// The deduction is an ordinary row of the round containing the as-of day.
	st, err := analytics.Open(context.Background(), analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	items, err := st.DeductionItems(context.Background(), "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].ID != "DB-T2-20190315" || items[0].UnitID != "D02" || items[0].Points != 2 ||
		items[0].Date.Format("2006-01-02") != "2019-06-30" || items[0].Reason != "督办事项超期：=教育督导（T2，应于2019-03-15办结）" {
		t.Errorf("deductions of 2019-B3: %+v", items)
	}
	log, err := st.AuditLog(context.Background(), analytics.AuditFilter{ActionPrefix: "task.deduction"})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[1].Actor != "张三" || log[1].Action != "task.deduction.confirm" || log[0].Action != "task.deduction.dismiss" {
		t.Errorf("audit %+v", log)
	}
}

// Without --as-of the suggestions are as of the earlier of today and
// tasksDB's last day of data, Mon 2019-06-03 (T3 assigned; the cases end in
// March): T2 is overdue, T3 (due 07-02) is not, and a confirmation counts in
// the round of 2019-06-03, 2019-B3 (May–June), not in today's round.
func TestTaskDeductionCommandDefaultsToTheDataLastDay(t *testing.T) {
	db := tasksDB(t)
	out, err := runRoot(t, db, "tasks", "deductions", "--confirm", "T2")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"数据截至 2019-06-03,按此日期计算", "已确认扣分 T2: D02 市教育局 扣 1 分 (DB-T2-20190315, 计入 2019-B3)",
		"督办扣分建议 (截至 2019-06-03"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := runRoot(t, db, "tasks", "deductions", "--as-of", "2019-6-3"); err == nil || !strings.Contains(err.Error(), `--as-of "2019-6-3" is not a date`) {
		t.Errorf("bad --as-of: %v", err)
	}
	out, err = runRoot(t, db, "tasks", "--format", "json")
	if err != nil || !strings.Contains(out, `"as_of": "2019-06-03"`) {
		t.Errorf("tasks without --date: %v\n%s", err, out)
	}
}
