package scoring

import (
	"math"
	"testing"
	"time"
)

// fakeDays is the 2019 calendar around the Spring Festival and National Day
// (State Council notice): Feb 4–10 and Oct 1–7 off, Sat Feb 2, Sun Feb 3,
// Sun Sep 29 and Sat Oct 12 worked. Written out here so that the rules are
// tested without the calendar package.
type fakeDays struct{}

var fakeOff = map[string]bool{"2019-02-04": true, "2019-02-05": true, "2019-02-06": true, "2019-02-07": true,
	"2019-02-08": true, "2019-02-09": true, "2019-02-10": true, "2019-10-01": true, "2019-10-02": true,
	"2019-10-03": true, "2019-10-04": true, "2019-10-05": true, "2019-10-06": true, "2019-10-07": true}
var fakeOn = map[string]bool{"2019-02-02": true, "2019-02-03": true, "2019-09-29": true, "2019-10-12": true}

func fakeWorking(d time.Time) bool {
	k := d.Format("2006-01-02")
	if fakeOn[k] {
		return true
	}
	return !fakeOff[k] && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

func (fakeDays) WorkingDaysBetween(a, b time.Time) (int, error) {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if fakeWorking(d) {
			n++
		}
	}
	return sign * n, nil
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ext(req, due string, approved bool) TaskExtension {
	return TaskExtension{RequestedOn: day(req), NewDue: day(due), Approved: approved}
}

func TestTaskExtensions(t *testing.T) {
	cases := []struct {
		name    string
		due     string
		done    string
		asOf    string
		exts    []TaskExtension
		wantDue string
		want    []string // per listed request: "" counted, else the reason
	}{
		{"approved, before the due date", "2019-03-15", "", "2019-12-31",
			[]TaskExtension{ext("2019-03-10", "2019-03-31", true)}, "2019-03-31", []string{""}},
		{"approved, on the due date (too late)", "2019-03-15", "", "2019-12-31",
			[]TaskExtension{ext("2019-03-15", "2019-03-31", true)}, "2019-03-15", []string{ExtTooLate}},
		{"approved, after the due date", "2019-03-15", "", "2019-12-31",
			[]TaskExtension{ext("2019-03-20", "2019-04-30", true)}, "2019-03-15", []string{ExtTooLate}},
		{"in time, not approved", "2019-03-15", "", "2019-12-31",
			[]TaskExtension{ext("2019-03-10", "2019-03-31", false)}, "2019-03-15", []string{ExtNotApproved}},
		{"new date not later", "2019-03-15", "", "2019-12-31",
			[]TaskExtension{ext("2019-03-10", "2019-03-12", true)}, "2019-03-15", []string{ExtNotLater}},
		{"requested after the task was done", "2019-03-15", "2019-03-08", "2019-12-31",
			[]TaskExtension{ext("2019-03-10", "2019-03-31", true)}, "2019-03-15", []string{ExtAfterDone}},
		// Chained in requested order whatever the input order: the second
		// request is after the original date but before the extended one.
		{"chained", "2019-03-15", "", "2019-12-31",
			[]TaskExtension{ext("2019-03-25", "2019-04-15", true), ext("2019-03-10", "2019-03-31", true)},
			"2019-04-15", []string{"", ""}},
		// A refused first request does not extend, so the second is late.
		{"chain broken by a refusal", "2019-03-15", "", "2019-12-31",
			[]TaskExtension{ext("2019-03-10", "2019-03-31", false), ext("2019-03-25", "2019-04-15", true)},
			"2019-03-15", []string{ExtNotApproved, ExtTooLate}},
		{"requested after the as-of date: not listed", "2019-03-15", "", "2019-03-09",
			[]TaskExtension{ext("2019-03-10", "2019-03-31", true)}, "2019-03-15", nil},
	}
	for _, c := range cases {
		var done time.Time
		if c.done != "" {
			done = day(c.done)
		}
		due, out := ApplyExtensions(day(c.due), done, day(c.asOf), c.exts)
		if !due.Equal(day(c.wantDue)) {
			t.Errorf("%s: due %s, want %s", c.name, due.Format("2006-01-02"), c.wantDue)
		}
		if len(out) != len(c.want) {
			t.Fatalf("%s: %d outcomes, want %d", c.name, len(out), len(c.want))
		}
		for i, o := range out {
			if o.Why != c.want[i] || o.Counted != (c.want[i] == "") {
				t.Errorf("%s: request %d: counted %v why %q, want %q", c.name, i, o.Counted, o.Why, c.want[i])
			}
		}
	}
}

func TestTaskStatus(t *testing.T) {
	cases := []struct {
		name     string
		due      string
		done     string
		exts     []TaskExtension
		asOf     string
		status   string
		wantDue  string
		wantDays int
	}{
		{"done on the due date", "2019-03-15", "2019-03-15", nil, "2019-12-31", TaskOnTime, "2019-03-15", 0},
		{"done the next working day", "2019-03-15", "2019-03-18", nil, "2019-12-31", TaskLate, "2019-03-15", 1},
		{"done late within an extension", "2019-03-15", "2019-03-25", []TaskExtension{ext("2019-03-10", "2019-03-31", true)}, "2019-12-31", TaskOnTime, "2019-03-31", 0},
		{"done late, extension refused", "2019-03-15", "2019-03-25", []TaskExtension{ext("2019-03-10", "2019-03-31", false)}, "2019-12-31", TaskLate, "2019-03-15", 6},
		{"done late, extension asked too late", "2019-03-15", "2019-03-25", []TaskExtension{ext("2019-03-18", "2019-03-31", true)}, "2019-12-31", TaskLate, "2019-03-15", 6},
		{"open past due", "2019-03-15", "", nil, "2019-03-20", TaskOverdue, "2019-03-15", 3},
		{"done after the as-of date is open then", "2019-03-15", "2019-03-25", nil, "2019-03-20", TaskOverdue, "2019-03-15", 3},
		{"open, due on the as-of date", "2019-03-15", "", nil, "2019-03-15", TaskDueSoon, "2019-03-15", 0},
		// Spring Festival: from Thu Jan 31 the working days to Mon Feb 11 are
		// Fri Feb 1, Sat Feb 2, Sun Feb 3 (make-up days) and Feb 11: 4 → open;
		// from Fri Feb 1 they are 3 → 临期, though Feb 11 is 10 days away.
		{"Spring Festival, 4 working days", "2019-02-11", "", nil, "2019-01-31", TaskOpen, "2019-02-11", 4},
		{"Spring Festival, 3 working days", "2019-02-11", "", nil, "2019-02-01", TaskDueSoon, "2019-02-11", 3},
		{"Spring Festival, during the holiday", "2019-02-11", "", nil, "2019-02-06", TaskDueSoon, "2019-02-11", 1},
		{"Spring Festival, overdue the day after", "2019-02-11", "", nil, "2019-02-12", TaskOverdue, "2019-02-11", 1},
		// National Day: Sun Sep 29 is worked, Oct 1–7 off: from Fri Sep 27 to
		// Tue Oct 8 the working days are Sep 29, Sep 30, Oct 8: 3 → 临期.
		{"National Day", "2019-10-08", "", nil, "2019-09-27", TaskDueSoon, "2019-10-08", 3},
		{"National Day, a week before", "2019-10-08", "", nil, "2019-09-26", TaskOpen, "2019-10-08", 4},
		// Mar 21–22, 25–29, Apr 1–5, 8–12, 15–19, 22–26, 29–30: 29 working days.
		{"open, extended in time, not yet due", "2019-03-15", "", []TaskExtension{ext("2019-03-10", "2019-04-30", true)}, "2019-03-20", TaskOpen, "2019-04-30", 29},
	}
	for _, c := range cases {
		f := TaskFacts{Assigned: day("2019-01-02"), Due: day(c.due), Extensions: c.exts}
		if c.done != "" {
			f.DoneOn = day(c.done)
		}
		st, err := TaskStatus(f, day(c.asOf), fakeDays{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != c.status || !st.Due.Equal(day(c.wantDue)) || st.Days != c.wantDays {
			t.Errorf("%s: %s due %s days %d, want %s due %s days %d", c.name, st.Status, st.Due.Format("2006-01-02"), st.Days, c.status, c.wantDue, c.wantDays)
		}
	}
}

func TestTaskCounts(t *testing.T) {
	asOf := day("2019-06-30")
	var c TaskCounts
	for _, st := range []TaskState{
		{Status: TaskOnTime, Due: day("2019-03-15")},
		{Status: TaskOnTime, Due: day("2019-08-15")}, // done early, not yet due: not in the rate
		{Status: TaskLate, Due: day("2019-04-15")},
		{Status: TaskOverdue, Due: day("2019-05-15")},
		{Status: TaskDueSoon, Due: day("2019-07-02")},
		{Status: TaskOpen, Due: day("2019-09-30")},
	} {
		c.Add(st, asOf)
	}
	// Due by June 30: the first, the late and the overdue task; on time: 1 → 1/3.
	if c.Total != 6 || c.OnTime != 2 || c.Late != 1 || c.Overdue != 1 || c.DueSoon != 1 || c.Open != 1 || c.Due != 3 || c.DueOnTime != 1 {
		t.Errorf("counts %+v", c)
	}
	if math.Abs(c.Rate-1.0/3) > 1e-12 {
		t.Errorf("rate %v, want 1/3", c.Rate)
	}
	var empty TaskCounts
	empty.Add(TaskState{Status: TaskOpen, Due: day("2019-09-30")}, asOf)
	if !math.IsNaN(empty.Rate) {
		t.Errorf("rate with nothing due = %v, want NaN", empty.Rate)
	}
}

func TestTargetTrendLine(t *testing.T) {
	// x̄ = 1.5, ȳ = 0.57; Sxy = 1.5·0.07 + 0.5·0.01 + 0.5·0.01 + 1.5·0.07 = 0.22,
	// Sxx = 5 → slope 0.044, intercept 0.57 − 0.066 = 0.504. The line reaches
	// 0.70 at x = 0.196/0.044 = 4.45 → month 5.
	tr, ok := FitTrend([]float64{0, 1, 2, 3}, []float64{0.50, 0.56, 0.58, 0.64})
	if !ok || math.Abs(tr.Slope-0.044) > 1e-12 || math.Abs(tr.Intercept-0.504) > 1e-12 {
		t.Fatalf("trend %+v ok %v, want slope 0.044 intercept 0.504", tr, ok)
	}
	if m, ok := tr.ReachMonth(0.70, false, 0); !ok || m != 5 {
		t.Errorf("reach month %d %v, want 5", m, ok)
	}
	if _, ok := FitTrend([]float64{2}, []float64{0.5}); ok {
		t.Error("a line through one point")
	}
	// A falling line never reaches a higher value; an exact crossing is reached.
	if _, ok := (Trend{Slope: -0.01, Intercept: 0.6}).ReachMonth(0.7, false, 0); ok {
		t.Error("a falling line reaches a higher value")
	}
	if m, ok := (Trend{Slope: 0.05, Intercept: 0.5}).ReachMonth(0.7, false, 0); !ok || m != 4 {
		t.Errorf("exact crossing: month %d %v, want 4", m, ok)
	}
	// Lower is better: 0.30 − 0.02x reaches 0.20 at x = 5.
	if m, ok := (Trend{Slope: -0.02, Intercept: 0.30}).ReachMonth(0.20, true, 0); !ok || m != 5 {
		t.Errorf("lower: month %d %v, want 5", m, ok)
	}
}

func TestTargetAtRisk(t *testing.T) {
	xs, ys := []float64{0, 1, 2, 3}, []float64{0.50, 0.56, 0.58, 0.64}
	// Due in month 4 (May for a January start): the line gives 0.504 + 0.176
	// = 0.680 < 0.70 → at risk. Due in month 5: 0.724 → not at risk.
	a := AssessTarget(xs, ys, 0.57, true, 0.70, false, 4, 0.5, false)
	if !a.AtRisk || math.Abs(a.AtDue-0.68) > 1e-12 || a.ReachMonth != 5 || a.Met {
		t.Errorf("due month 4: %+v, want at risk, at due 0.68, reach month 5", a)
	}
	if math.Abs(a.Progress-0.57/0.70) > 1e-12 || a.TimeProgress != 0.5 {
		t.Errorf("progress %v time %v, want 0.8143 and 0.5", a.Progress, a.TimeProgress)
	}
	if a := AssessTarget(xs, ys, 0.57, true, 0.70, false, 5, 0.5, false); a.AtRisk {
		t.Errorf("due month 5: at risk, the line gives %v", a.AtDue)
	}
	// Above the value now but falling: 0.80 − 0.02x gives 0.58 in month 11,
	// yet a value already met is 已达标, not at risk. The line leaves the
	// value, so it has no reach month.
	if a := AssessTarget([]float64{0, 1, 2}, []float64{0.80, 0.78, 0.76}, 0.78, true, 0.70, false, 11, 0.25, false); a.AtRisk || !a.Met || a.Reaches || a.Status != TargetMet {
		t.Errorf("falling line: %+v, want met (已达标), not at risk, no reach month", a)
	}
	// Above the value and rising: reached from month 0.
	if m, ok := (Trend{Slope: 0.01, Intercept: 0.75}).ReachMonth(0.70, false, 0); !ok || m != 0 {
		t.Errorf("rising above: month %d %v, want 0", m, ok)
	}
	// Flat: reached from month 0 when at the value, never when short of it.
	if m, ok := (Trend{Intercept: 0.70}).ReachMonth(0.70, false, 0); !ok || m != 0 {
		t.Errorf("flat at the value: month %d %v, want 0", m, ok)
	}
	if _, ok := (Trend{Intercept: 0.69}).ReachMonth(0.70, false, 0); ok {
		t.Error("flat short of the value reaches it")
	}
	// Lower is better: 0.30, 0.28, 0.26 → 0.30 − 0.02x, 0.20 at month 5; due
	// month 6 gives 0.18 ≤ 0.20 → not at risk; due month 4 gives 0.22 → at risk.
	lx, ly := []float64{0, 1, 2}, []float64{0.30, 0.28, 0.26}
	if a := AssessTarget(lx, ly, 0.28, true, 0.20, true, 6, 0.3, false); a.AtRisk || a.ReachMonth != 5 || math.Abs(a.Progress-0.20/0.28) > 1e-12 {
		t.Errorf("lower, due month 6: %+v", a)
	}
	if a := AssessTarget(lx, ly, 0.28, true, 0.20, true, 4, 0.3, false); !a.AtRisk {
		t.Errorf("lower, due month 4: not at risk, line at due %v", a.AtDue)
	}
	// One month: judged on the current value; no data: at risk.
	if a := AssessTarget([]float64{0}, []float64{0.75}, 0.75, true, 0.70, false, 11, 0.1, false); a.AtRisk || a.HasTrend {
		t.Errorf("one month above the value: %+v", a)
	}
	if a := AssessTarget([]float64{0}, []float64{0.65}, 0.65, true, 0.70, false, 11, 0.1, false); !a.AtRisk {
		t.Errorf("one month below the value: %+v", a)
	}
	if a := AssessTarget(nil, nil, math.NaN(), false, 0.70, false, 11, 0, false); !a.AtRisk {
		t.Errorf("no data: %+v", a)
	}
}

// TestTargetStatus: one verdict before, at and after the due date. The
// series 0.50, 0.56, 0.58, 0.64 at months 0–3 fits 0.504 + 0.044x
// (x̄ 1.5, ȳ 0.57, Sxy 0.22, Sxx 5): 0.680 at month 4, 0.724 at month 5.
func TestTargetStatus(t *testing.T) {
	xs, ys := []float64{0, 1, 2, 3}, []float64{0.50, 0.56, 0.58, 0.64}
	fall, fallY := []float64{0, 1, 2}, []float64{0.80, 0.78, 0.76} // 0.80 − 0.02x
	for _, c := range []struct {
		name     string
		xs, ys   []float64
		current  float64
		has      bool
		value    float64
		lower    bool
		dueMonth int
		due      bool
		want     TargetStatus
	}{
		// before the due date
		{"before, short, line 0.680 < 0.70 at the due month", xs, ys, 0.57, true, 0.70, false, 4, false, TargetAtRisk},
		{"before, short, line 0.724 ≥ 0.70 at the due month", xs, ys, 0.57, true, 0.70, false, 5, false, TargetOnTrack},
		{"before, 90.3% ≥ 90% already: met, never at risk", fall, []float64{0.92, 0.91, 0.90}, 0.903, true, 0.90, false, 11, false, TargetMet},
		{"before, met now, line falls to 0.58 by month 11", fall, fallY, 0.78, true, 0.70, false, 11, false, TargetMet},
		{"before, no data", nil, nil, math.NaN(), false, 0.70, false, 11, false, TargetAtRisk},
		// on or after the due date: by the value only
		{"due, 0.71 ≥ 0.70 though the line gives 0.680", xs, ys, 0.71, true, 0.70, false, 4, true, TargetDueMet},
		{"due, 0.69 < 0.70 though the line gives 0.724", xs, ys, 0.69, true, 0.70, false, 5, true, TargetDueMissed},
		{"due, exactly 0.70", xs, ys, 0.70, true, 0.70, false, 4, true, TargetDueMet},
		{"due, no data", nil, nil, math.NaN(), false, 0.70, false, 4, true, TargetDueMissed},
		{"due, lower is better, 0.19 ≤ 0.20", fall, fallY, 0.19, true, 0.20, true, 4, true, TargetDueMet},
		{"due, lower is better, 0.21 > 0.20", fall, fallY, 0.21, true, 0.20, true, 4, true, TargetDueMissed},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := AssessTarget(c.xs, c.ys, c.current, c.has, c.value, c.lower, c.dueMonth, 0.5, c.due)
			if a.Status != c.want || a.AtRisk != (c.want == TargetAtRisk) {
				t.Errorf("status %s (at risk %v), want %s", a.Status, a.AtRisk, c.want)
			}
		})
	}
	for s, want := range map[TargetStatus]string{TargetDueMet: "已到期·达标", TargetDueMissed: "已到期·未达标", TargetMet: "已达标",
		TargetAtRisk: "预计无法按期达成", TargetOnTrack: "预计可按期达成"} {
		if s.Label() != want {
			t.Errorf("%s: label %s, want %s", s, s.Label(), want)
		}
	}
}
