package analytics

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The task-deduction tests use the ledger of tasks_test.go. As of Fri
// 2019-12-20: T04 (lead D02, due 2019-03-15, extension refused) and T06
// (lead D03, due Tue 2019-10-08) are open past due; T01, T02, T03, T05 are
// done; T07 (added here, due 2020-01-31) is open but not yet due.
//
// Working days past due, counted after the due date through the as-of day
// on the 2019 official calendar:
// T06: Oct 9–11 (3) + Sat Oct 12, a make-up working day (1) + Oct 14–31
// (14) = 18; November 21; Dec 2–20 15 → 54.
// T04: Mar 16–Jun 30 72 (as the CLI test of the ledger checks); July 23,
// August 22, September 21 (Mid-Autumn Fri 13 off, Sun 29 worked), Oct 8–31
// 19, November 21, December 15 → 193.
const taskDeductionExtraTasks = `事项编号,事项名称,来源,牵头单位,配合单位,交办日期,办结时限,办理时限,时限单位,状态,办结日期
T07,年度考核准备,重点工作,D01,,2019-12-02,2020-01-31,,,在办,
`

// Cases in December 2019 for D01 and D02 (both 经济发展类), so the round
// 2019-B6 has data to score them by.
const taskDeductionCases = `case_id,unit_id,item_code,channel,received_at,completed_at,promised_days,visits,status
K1,D01,I,online,2019-12-02 09:00,2019-12-02 10:00,1,1,completed
K2,D01,I,window,2019-12-02 09:00,2019-12-02 10:00,1,1,completed
K3,D02,I,online,2019-12-03 09:00,2019-12-03 10:00,1,1,completed
K4,D02,I,online,2019-12-03 09:00,2019-12-05 10:00,1,2,completed
`

const taskDeductionFile = `deduction_id,unit_id,date,points,reason
KF1,D02,2019-12-05,0.5,公文办理超时
`

func openTaskDeductions(t *testing.T) *Store {
	t.Helper()
	s := openTasks(t)
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{
		{"tasks-extra.csv", taskDeductionExtraTasks}, {"cases.csv", taskDeductionCases}, {"deductions.csv", taskDeductionFile},
	} {
		if _, err := s.ImportFile(context.Background(), writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	return s
}

func suggestedIDs(t *testing.T, s *Store, asOf string) []string {
	t.Helper()
	sg, err := s.SuggestedTaskDeductions(context.Background(), d(asOf), DefaultTaskDeductionPoints)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range sg {
		ids = append(ids, x.TaskID)
	}
	return ids
}

func TestTaskDeductionSuggestions(t *testing.T) {
	s := openTaskDeductions(t)
	ctx := context.Background()
	sg, err := s.SuggestedTaskDeductions(ctx, d("2019-12-20"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(sg) != 2 {
		t.Fatalf("suggestions %+v, want T04 and T06", sg)
	}
	t04, t06 := sg[0], sg[1]
	if t04.TaskID != "T04" || t04.UnitID != "D02" || t04.UnitName != "市财政局" || !t04.Due.Equal(d("2019-03-15")) ||
		t04.DaysOverdue != 193 || t04.Points != 1 || t04.DeductionID != "DB-T04-20190315" || t04.Round != "2019-B6" ||
		t04.Reason != "督办事项超期：政务大厅延时服务（T04，应于2019-03-15办结）" {
		t.Errorf("T04 suggested as %+v", t04)
	}
	if t06.TaskID != "T06" || t06.UnitID != "D03" || !t06.Due.Equal(d("2019-10-08")) || t06.DaysOverdue != 54 || t06.DeductionID != "DB-T06-20191008" {
		t.Errorf("T06 suggested as %+v", t06)
	}
	// Done tasks and T07 (not yet due) are never suggested; T07 is once it is overdue.
	if got := strings.Join(suggestedIDs(t, s, "2020-02-05"), ","); got != "T04,T06,T07" {
		t.Errorf("suggested as of 2020-02-05: %s, want T04,T06,T07", got)
	}
	// Before T06's due date only T04 is overdue.
	if got := strings.Join(suggestedIDs(t, s, "2019-10-08"), ","); got != "T04" {
		t.Errorf("suggested as of 2019-10-08: %s, want T04", got)
	}
	// Listing writes nothing.
	if ds, _ := s.TaskDeductionDecisions(ctx); len(ds) != 0 {
		t.Errorf("decisions after listing: %+v", ds)
	}
	for _, p := range []float64{0, -1, 10.5, 1.234} {
		if _, err := s.SuggestedTaskDeductions(ctx, d("2019-12-20"), p); !errors.Is(err, ErrTaskDeductionPoints) {
			t.Errorf("points %g: %v, want ErrTaskDeductionPoints", p, err)
		}
	}
}

func TestTaskDeductionConfirm(t *testing.T) {
	s := openTaskDeductions(t)
	ctx := context.Background()
	sch := scoring.DefaultScheme()
	units, err := s.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	score := func() (map[string]scoring.UnitResult, RoundInputs) {
		in, err := s.RoundInputs(ctx, "2019-B6")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]scoring.UnitResult{}
		for _, r := range scoring.ComputeRound(in.UnitInputs(units, "department"), sch) {
			out[r.UnitID] = r
		}
		return out, in
	}
	before, in := score()
	if dd := in.Deductions["D02"]; dd.Items != 1 || dd.Points != 0.5 {
		t.Fatalf("D02 deductions before: %+v, want the imported 0.5", dd)
	}
	if !before["D02"].Ranked || before["D02"].Deductions != 0.5 {
		t.Fatalf("D02 before: %+v", before["D02"])
	}

	dec, err := s.ConfirmTaskDeduction(ctx, "admin", d("2019-12-20"), "T04", 2)
	if err != nil {
		t.Fatal(err)
	}
	if dec.Decision != DecisionConfirmed || dec.DeductionID != "DB-T04-20190315" || dec.UnitID != "D02" || dec.Points != 2 || dec.Round != "2019-B6" {
		t.Errorf("decision %+v", dec)
	}
	// Exactly one deductions row, on D02, dated the as-of day.
	items, err := s.DeductionItems(ctx, "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	var mine []DeductionItem
	for _, it := range items {
		if strings.HasPrefix(it.ID, "DB-") {
			mine = append(mine, it)
		}
	}
	want := DeductionItem{ID: "DB-T04-20190315", UnitID: "D02", Date: d("2019-12-20"), Points: 2,
		Reason: "督办事项超期：政务大厅延时服务（T04，应于2019-03-15办结）"}
	if len(mine) != 1 || mine[0] != want || len(items) != 2 {
		t.Errorf("deduction items %+v, want KF1 and %+v", items, want)
	}
	// One decision, one audit entry.
	ds, err := s.TaskDeductionDecisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].TaskID != "T04" || !ds[0].Due.Equal(d("2019-03-15")) || ds[0].Decision != DecisionConfirmed ||
		ds[0].Points != 2 || ds[0].DeductionID != "DB-T04-20190315" || ds[0].DecidedBy != "admin" || !ds[0].AsOf.Equal(d("2019-12-20")) ||
		ds[0].UnitName != "市财政局" {
		t.Errorf("decisions %+v", ds)
	}
	log, err := s.AuditLog(ctx, AuditFilter{ActionPrefix: "task.deduction"})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Action != "task.deduction.confirm" || log[0].Subject != "task:T04" || log[0].Actor != "admin" ||
		!strings.Contains(string(log[0].New), `"deduction_id":"DB-T04-20190315"`) || !strings.Contains(string(log[0].New), `"points":2`) {
		t.Errorf("audit %+v", log)
	}

	// The round's inputs and its scores carry it: D02 0.5 + 2 = 2.5 points
	// under the cap of 10, its score exactly 2 lower; D01 unchanged.
	after, in := score()
	if dd := in.Deductions["D02"]; dd.Items != 2 || dd.Points != 2.5 {
		t.Errorf("D02 deductions after: %+v, want 2 items, 2.5 points", dd)
	}
	for _, u := range in.UnitInputs(units, "department") {
		if u.UnitID == "D02" && (len(u.Deductions) != 1 || u.Deductions[0] != 2.5) {
			t.Errorf("D02 unit input deductions %v, want [2.5]", u.Deductions)
		}
	}
	if a, b := after["D02"], before["D02"]; a.Deductions != 2.5 || scoring.Round2(b.Score-a.Score) != 2 {
		t.Errorf("D02 score %.2f → %.2f, deductions %.2f, want 2 points lower with 2.5 deducted", b.Score, a.Score, a.Deductions)
	}
	if after["D01"].Score != before["D01"].Score {
		t.Errorf("D01 score moved: %.2f → %.2f", before["D01"].Score, after["D01"].Score)
	}

	// No longer suggested; a second confirmation (or a dismissal) fails and writes nothing.
	if got := strings.Join(suggestedIDs(t, s, "2019-12-20"), ","); got != "T06" {
		t.Errorf("suggested after confirming T04: %s, want T06", got)
	}
	if _, err := s.ConfirmTaskDeduction(ctx, "admin", d("2019-12-20"), "T04", 2); !errors.Is(err, ErrTaskDecided) {
		t.Errorf("second confirmation: %v, want ErrTaskDecided", err)
	}
	if _, err := s.ConfirmTaskDeduction(ctx, "admin", d("2019-12-27"), "T04", 1); !errors.Is(err, ErrTaskDecided) {
		t.Errorf("confirmation a week later: %v, want ErrTaskDecided", err)
	}
	if _, err := s.DismissTaskDeduction(ctx, "admin", d("2019-12-20"), "T04", "重复"); !errors.Is(err, ErrTaskDecided) {
		t.Errorf("dismissal after confirmation: %v, want ErrTaskDecided", err)
	}
	if items, _ := s.DeductionItems(ctx, "2019-B6"); len(items) != 2 {
		t.Errorf("deduction items after refusals: %+v", items)
	}
	if log, _ := s.AuditLog(ctx, AuditFilter{ActionPrefix: "task.deduction"}); len(log) != 1 {
		t.Errorf("audit entries after refusals: %d", len(log))
	}
}

func TestTaskDeductionRefusals(t *testing.T) {
	s := openTaskDeductions(t)
	ctx := context.Background()
	asOf := d("2019-12-20")
	cases := []struct {
		name   string
		task   string
		points float64
		want   error
	}{
		{"done on time", "T01", 1, ErrTaskNotSuggested},
		{"done late", "T03", 1, ErrTaskNotSuggested},
		{"not yet due", "T07", 1, ErrTaskNotSuggested},
		{"unknown", "T99", 1, ErrTaskNotSuggested},
		{"zero points", "T04", 0, ErrTaskDeductionPoints},
		{"above the cap", "T04", 10.01, ErrTaskDeductionPoints},
		{"three decimals", "T04", 1.005, ErrTaskDeductionPoints},
	}
	for _, c := range cases {
		if _, err := s.ConfirmTaskDeduction(ctx, "admin", asOf, c.task, c.points); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := s.ConfirmTaskDeduction(ctx, "admin", asOf, "T04", 10); err != nil {
		t.Errorf("the cap itself: %v", err)
	}
	// A dismissal needs a reason; blanks are no reason.
	for _, r := range []string{"", "  \t", strings.Repeat("长", MaxDismissReason+1)} {
		if _, err := s.DismissTaskDeduction(ctx, "admin", asOf, "T06", r); !errors.Is(err, ErrDismissReason) {
			t.Errorf("dismissal with reason %.10q: %v, want ErrDismissReason", r, err)
		}
	}
	if _, err := s.DismissTaskDeduction(ctx, "admin", asOf, "T01", "已办结"); !errors.Is(err, ErrTaskNotSuggested) {
		t.Errorf("dismissing a done task: %v", err)
	}
	ds, _ := s.TaskDeductionDecisions(ctx)
	if len(ds) != 1 || ds[0].TaskID != "T04" {
		t.Errorf("decisions %+v, want only T04's", ds)
	}
}

func TestTaskDeductionDismiss(t *testing.T) {
	s := openTaskDeductions(t)
	ctx := context.Background()
	dec, err := s.DismissTaskDeduction(ctx, "admin2", d("2019-12-20"), "T06", "  国庆假期顺延，已报市领导同意  ")
	if err != nil {
		t.Fatal(err)
	}
	if dec.Decision != DecisionDismissed || dec.Note != "国庆假期顺延，已报市领导同意" || dec.DeductionID != "" || dec.Points != 0 {
		t.Errorf("decision %+v", dec)
	}
	if got := strings.Join(suggestedIDs(t, s, "2019-12-20"), ","); got != "T04" {
		t.Errorf("suggested after dismissing T06: %s, want T04", got)
	}
	// Still dismissed a month later (same effective due date).
	if got := strings.Join(suggestedIDs(t, s, "2020-01-20"), ","); got != "T04" {
		t.Errorf("suggested as of 2020-01-20: %s, want T04", got)
	}
	items, _ := s.DeductionItems(ctx, "2019-B6")
	if len(items) != 1 || items[0].ID != "KF1" {
		t.Errorf("a dismissal wrote a deduction: %+v", items)
	}
	ds, _ := s.TaskDeductionDecisions(ctx)
	if len(ds) != 1 || ds[0].Decision != DecisionDismissed || ds[0].Note != "国庆假期顺延，已报市领导同意" || ds[0].DecidedBy != "admin2" || ds[0].Points != 0 || ds[0].DeductionID != "" {
		t.Errorf("decisions %+v", ds)
	}
	log, _ := s.AuditLog(ctx, AuditFilter{ActionPrefix: "task.deduction"})
	if len(log) != 1 || log[0].Action != "task.deduction.dismiss" || !strings.Contains(string(log[0].New), "国庆假期顺延") {
		t.Errorf("audit %+v", log)
	}
	if _, err := s.ConfirmTaskDeduction(ctx, "admin", d("2019-12-20"), "T06", 1); !errors.Is(err, ErrTaskDecided) {
		t.Errorf("confirming a dismissed task: %v, want ErrTaskDecided", err)
	}
}

// A decision is about the effective due date: an approved extension
// imported later moves T06's due date, and once overdue again it is
// suggested again, with a new deduction id.
func TestTaskDeductionNewDueDate(t *testing.T) {
	s := openTaskDeductions(t)
	ctx := context.Background()
	if _, err := s.ConfirmTaskDeduction(ctx, "admin", d("2019-12-20"), "T06", 1); err != nil {
		t.Fatal(err)
	}
	ext := "事项编号,申请日期,延期至,延期理由,是否批准\nT06,2019-09-30,2019-12-31,需跨部门协调,是\n"
	if _, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "延期申请.csv", ext), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// As of 2019-12-20 T06 is now in time; the confirmed deduction stays.
	if got := strings.Join(suggestedIDs(t, s, "2019-12-20"), ","); got != "T04" {
		t.Errorf("suggested as of 2019-12-20: %s, want T04", got)
	}
	sg, err := s.SuggestedTaskDeductions(ctx, d("2020-01-06"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(sg) != 2 || sg[1].TaskID != "T06" || !sg[1].Due.Equal(d("2019-12-31")) || sg[1].DeductionID != "DB-T06-20191231" || sg[1].Round != "2020-B1" {
		t.Errorf("suggestions as of 2020-01-06: %+v", sg)
	}
	if _, err := s.ConfirmTaskDeduction(ctx, "admin", d("2020-01-06"), "T06", 1); err != nil {
		t.Errorf("confirming the new due date: %v", err)
	}
	if ds, _ := s.TaskDeductionDecisions(ctx); len(ds) != 2 {
		t.Errorf("decisions %+v, want two for T06", ds)
	}
}

// Imports merge deductions by deduction_id: re-importing the city's
// deductions file (as is, or changed) leaves a confirmed row alone, and a
// file may not carry the DB- ids reserved for confirmed rows.
func TestTaskDeductionSurvivesReimport(t *testing.T) {
	s := openTaskDeductions(t)
	ctx := context.Background()
	if _, err := s.ConfirmTaskDeduction(ctx, "admin", d("2019-12-20"), "T04", 3); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	changed := "deduction_id,unit_id,date,points,reason\nKF1,D02,2019-12-05,1.5,公文办理超时\nKF2,D03,2019-12-06,1,信访事项未按期答复\n"
	for _, body := range []string{taskDeductionFile, changed} {
		if _, err := s.ImportFile(ctx, writeFile(t, dir, "deductions.csv", body), ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	items, err := s.DeductionItems(ctx, "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, it := range items {
		got[it.ID] = it.Points
	}
	if len(got) != 3 || got["DB-T04-20190315"] != 3 || got["KF1"] != 1.5 || got["KF2"] != 1 {
		t.Errorf("deductions after re-imports: %v, want DB-T04-20190315 3, KF1 1.5, KF2 1", got)
	}
	forged := "deduction_id,unit_id,date,points,reason\nKF3,D01,2019-12-06,1,迟到\nDB-T04-20190315,D02,2019-12-20,0.1,改小\n"
	_, err = s.ImportFile(ctx, writeFile(t, dir, "deductions.csv", forged), ImportOptions{})
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 3 || ie.Problems[0].Column != "deduction_id" ||
		!strings.Contains(ie.Problems[0].Reason, "DB- prefix") {
		t.Fatalf("import of a DB- id: %v, want a refusal on line 3", err)
	}
	items, _ = s.DeductionItems(ctx, "2019-B6")
	if len(items) != 3 {
		t.Errorf("a refused file wrote: %+v", items)
	}
}
