package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
)

// tasksDB imports two units, three tasks, two extension requests, three
// months of cases and a target. As of 2019-06-30: T1 done on its due date
// (on time); T2 due Mar 15, extension asked Mar 18 (too late), open →
// overdue; T3 due Jul 2 → 临期 (Jul 1, Jul 2: 2 working days left).
// Cases at D01: online Jan 1/2, Feb 1/2, Mar 2/2 → 0.5, 0.5, 1.0.
func tasksDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	cases := "case_id,unit_id,item_code,channel,received_at,completed_at,promised_days,visits,status\n" +
		"K1,D01,I,online,2019-01-10 09:00,2019-01-10 10:00,1,1,completed\nK2,D01,I,window,2019-01-10 09:00,2019-01-10 10:00,1,1,completed\n" +
		"K3,D01,I,online,2019-02-20 09:00,2019-02-20 10:00,1,1,completed\nK4,D01,I,window,2019-02-20 09:00,2019-02-20 10:00,1,1,completed\n" +
		"K5,D01,I,online,2019-03-20 09:00,2019-03-20 10:00,1,1,completed\nK6,D01,I,mobile,2019-03-20 09:00,2019-03-20 10:00,1,1,completed\n"
	files := []struct{ name, body string }{
		{"units.csv", "unit_id,name,kind,category\nD01,市财政局,department,经济发展类\nD02,市教育局,department,社会事业类\n"},
		{"督办事项.csv", "事项编号,事项名称,来源,牵头单位,配合单位,交办日期,办结时限,办理时限,时限单位,状态,办结日期\n" +
			"T1,预算公开,领导批示,D01,D02,2019-01-02,2019-03-15,,,办结,2019-03-15\n" +
			"T2,=教育督导,重点工作,D02,,2019-01-02,2019-03-15,,,在办,\n" +
			"T3,年中总结,会议议定,D01,,2019-06-03,2019-07-02,,,在办,\n"},
		{"延期申请.csv", "事项编号,申请日期,延期至,延期理由,是否批准\nT2,2019-03-18,2019-04-30,人员不足,是\n"},
		{"cases.csv", cases},
		{"目标任务.csv", "目标编号,目标名称,指标,范围,目标值,完成时限\nG1,网上办理率,网上办理率,city,0.9,2019-06-30\n"},
	}
	st, err := analytics.Open(context.Background(), analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte(f.body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportFile(context.Background(), p, analytics.ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	return db
}

func runTaskCmd(t *testing.T, db string, mk func(a *app) *cobra.Command, args ...string) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	a := &app{db: db, out: &buf, errOut: &buf}
	c := mk(a)
	c.SetArgs(args)
	c.SetOut(&buf)
	c.SetErr(&buf)
	c.SilenceUsage, c.SilenceErrors = true, true
	err := c.ExecuteContext(context.Background())
	return buf.String(), err
}

func TestTaskCommand(t *testing.T) {
	db := tasksDB(t)
	tasks := func(a *app) *cobra.Command { return a.tasksCmd() }
	out, err := runTaskCmd(t, db, tasks, "--date", "2019-06-30", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	want := "task_id,status,lead_unit_id,cooperating_unit_ids,source,assigned_on,original_due_on,due_on,working_days,done_on,extensions,title\n" +
		"T2,overdue,D02,,key_work,2019-01-02,2019-03-15,2019-03-15,72,,03-18→04-30 逾期申请,'=教育督导\n" +
		"T3,due_soon,D01,,meeting_decision,2019-06-03,2019-07-02,2019-07-02,2,,,年中总结\n" +
		"T1,on_time,D01,D02,leader_instruction,2019-01-02,2019-03-15,2019-03-15,0,2019-03-15,,预算公开\n"
	if out != want {
		t.Errorf("csv:\n%s\nwant:\n%s", out, want)
	}
	out, err = runTaskCmd(t, db, tasks, "--date", "2019-06-30", "--unit", "D02", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var js struct {
		AsOf  string     `json:"as_of"`
		Tasks []taskJSON `json:"tasks"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatal(err)
	}
	// D02 leads T2 and cooperates on T1.
	if len(js.Tasks) != 2 || js.Tasks[0].TaskID != "T2" || len(js.Tasks[0].Extensions) != 1 || js.Tasks[0].Extensions[0].Counted ||
		js.Tasks[0].Extensions[0].Why != "requested_late" || js.Tasks[1].DoneOn == nil || *js.Tasks[1].DoneOn != "2019-03-15" {
		t.Errorf("json for D02: %s", out)
	}
	out, err = runTaskCmd(t, db, tasks, "--date", "2019-06-30", "--status", "overdue")
	if err != nil || !strings.Contains(out, "督办台账 (截至 2019-06-30): 1 项") || !strings.Contains(out, "超期") {
		t.Errorf("table: %v\n%s", err, out)
	}
	if _, err := runTaskCmd(t, db, tasks, "--date", "2019-06-30", "--status", "late!"); err == nil || !strings.Contains(err.Error(), "unknown --status") {
		t.Errorf("bad status: %v", err)
	}
	// The task alerts are in xiaoneng alerts.
	out, err = runAlerts(t, db, "--date", "2019-06-30", "--format", "csv")
	if err != nil || !strings.Contains(out, "超期,督办,D02,T2,2019-03-15,72,超期 72 个工作日(107 个自然日),") || !strings.Contains(out, "临期,督办,D01,T3,2019-07-02,2,剩余 2 个工作日,") {
		t.Errorf("alerts: %v\n%s", err, out)
	}
}

func TestTargetCommand(t *testing.T) {
	db := tasksDB(t)
	targets := func(a *app) *cobra.Command { return a.targetsCmd() }
	out, err := runTaskCmd(t, db, targets, "--date", "2019-03-31", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	// Months 0.5, 0.5, 1.0: x̄ = 1, ȳ = 2/3, Sxy = (−1)(−1/6) + 0 + (1)(1/3) = 0.5,
	// Sxx = 2 → slope 0.25, intercept 5/12. At the due month 5: 5/12 + 1.25 =
	// 1.6667 ≥ 0.9 → not at risk; reaches 0.9 at x = (0.9 − 5/12)/0.25 = 1.93 →
	// month 2 (2019-03). Pooled 4/6; progress 0.6667/0.9; time 90/181.
	want := "target_id,indicator,scope,value,due_on,current,progress,time_progress,trend_at_due,trend_reaches,at_risk,status,name\n" +
		"G1,online_rate,city,0.9,2019-06-30,0.6667,0.7407,0.4972,1.6667,2019-03,false,on_track,网上办理率\n"
	if out != want {
		t.Errorf("csv:\n%s\nwant:\n%s", out, want)
	}
	out, err = runTaskCmd(t, db, targets, "--date", "2019-03-31", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var js struct {
		Targets []targetJSON `json:"targets"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Targets) != 1 || len(js.Targets[0].Months) != 3 || *js.Targets[0].Slope != 0.25 || js.Targets[0].Direction != "higher" {
		t.Errorf("json: %s", out)
	}
	out, err = runTaskCmd(t, db, targets, "--date", "2019-03-31")
	if err != nil || !strings.Contains(out, "目标任务 (截至 2019-03-31): 1 项") || !strings.Contains(out, "≥90.0%") || !strings.Contains(out, "预计可按期达成") {
		t.Errorf("table: %v\n%s", err, out)
	}
	// Without --date: the last day of data (task T3 assigned on 2019-06-03,
	// after the last case of 2019-03-20), earlier than today.
	out, err = runTaskCmd(t, db, targets)
	if err != nil || !strings.Contains(out, "目标任务 (截至 2019-06-03): 1 项") {
		t.Errorf("default date: %v\n%s", err, out)
	}
	// On and after the due date (2019-06-30) the pooled 4/6 = 66.7% < 90%
	// is 已到期·未达标, not at risk.
	out, err = runTaskCmd(t, db, targets, "--date", "2019-06-30", "--format", "csv")
	if err != nil || !strings.Contains(out, ",false,due_missed,") {
		t.Errorf("due: %v\n%s", err, out)
	}
}
