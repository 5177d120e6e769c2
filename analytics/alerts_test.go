package analytics

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// alertCases: as of Thu 2019-06-13 (Dragon Boat Festival Fri 06-07 is off, so
// it lies before every deadline below). Days left = working days after the
// as-of day up to and including the due date (the as-of day does not count).
//
//	A  D01 recv Wed 06-12 +2 → Thu 13 (1), Fri 14 (2): due 06-14, 1 left → 临期 1
//	B  D01 recv Tue 06-11 +5 → 12, 13, 14, Mon 17, Tue 18: due 06-18; left Fri 14, Mon 17, Tue 18 = 3 → none
//	C  D02 recv Tue 06-11 +4 → due Mon 06-17; left Fri 14, Mon 17 = 2 (across the weekend) → 临期 2
//	D  D02 recv Mon 06-10 +2 → Tue 11, Wed 12: due 06-12; as-of is 1 working day after → 超期 1
//	E  D03 recv Wed 06-12 +1 → due Thu 06-13 = the as-of day → 临期 0
//	F  D01 completed 06-12 on time → none; G completed 06-10 late, before the as-of date → none
//	H  D03 like D but completed 06-20, after the as-of date → still open → 超期 1
//	I  D01 returned → none
//
// Spring Festival 2019 (02-04…02-10 off, make-up Sat 02-02 and Sun 02-03), as of Sun 02-03:
//
//	S1 D01 recv Fri 02-01 +3 → Sat 02 (1), Sun 03 (2), Mon 02-11 (3): due 02-11, 1 left → 临期 1
//	S2 D02 recv Fri 02-01 +4 → due Tue 02-12, 2 left → 临期 2
//	S3 D03 recv Fri 02-01 +5 → due Wed 02-13, 3 left → none
//
// All three are completed on their due dates, so they never alert as of June.
const alertCases = "case_id,unit_id,item_code,channel,received_at,completed_at,promised_days,visits,status\n" +
	"A,D01,I,window,2019-06-12 09:00,,2,1,pending\n" +
	"B,D01,I,window,2019-06-11 09:00,,5,1,pending\n" +
	"C,D02,I,window,2019-06-11 09:00,,4,1,pending\n" +
	"D,D02,I,window,2019-06-10 09:00,,2,1,pending\n" +
	"E,D03,I,window,2019-06-12 09:00,,1,1,pending\n" +
	"F,D01,I,window,2019-06-10 09:00,2019-06-12 10:00,2,1,completed\n" +
	"G,D01,I,window,2019-06-03 09:00,2019-06-10 10:00,1,1,completed\n" +
	"H,D03,I,window,2019-06-10 09:00,2019-06-20 10:00,2,1,completed\n" +
	"I,D01,I,window,2019-06-10 09:00,,2,1,returned\n" +
	"S1,D01,I,window,2019-02-01 09:00,2019-02-11 10:00,3,1,completed\n" +
	"S2,D02,I,window,2019-02-01 09:00,2019-02-12 10:00,4,1,completed\n" +
	"S3,D03,I,window,2019-02-01 09:00,2019-02-13 10:00,5,1,completed\n"

// alertComplaints:
//
//	Q1 D01 1 working day from Wed 06-12 → due Thu 06-13; as of 06-13 → 临期 0
//	Q2 D02 due Tue 06-11, closed late on 06-12, before the as-of date → none
//	P1 C01 petition, 7 calendar days from Tue 09-24 → Tue 10-01 (National Day) → next working
//	   day Tue 10-08. As of Mon 09-30: only 10-08 lies between (10-01…10-07 off) → 临期 1;
//	   as of Wed 10-09 → 超期 1.
const alertComplaints = "complaint_id,unit_id,source,received_at,closed_at,due_days,due_unit\n" +
	"Q1,D01,hotline,2019-06-12 09:00,,1,working\n" +
	"Q2,D02,hotline,2019-06-10 09:00,2019-06-12 09:00,1,working\n" +
	"P1,C01,petition,2019-09-24 09:00,,7,calendar\n"

// alertDocuments, as of 2019-06-13 (the as-of instant is 06-14 00:00):
//
//	W1 register 06-10 09:00 → 06-11 10:00 = 25 h → 报警; W1 send exactly 24 h → none
//	W2 receive from 06-12 23:00, unfinished: 25 h by 06-14 00:00 → 报警
//	W3 feedback from 06-13 08:00, unfinished: 16 h → none
//	W4 register in May, 30 h: finished before the as-of month → none
//	W5, W6: D02 has 2 unresolved evaluations in June → 报警 "2019-06"
//	W7, W8: D03 has 1 in May and 1 in June → none
const alertDocuments = "doc_id,unit_id,step,started_at,finished_at,evaluation\n" +
	"W1,D01,register,2019-06-10 09:00,2019-06-11 10:00,\n" +
	"W1,D01,send,2019-06-11 10:00,2019-06-12 10:00,\n" +
	"W2,D02,receive,2019-06-12 23:00,,\n" +
	"W3,D03,feedback,2019-06-13 08:00,,\n" +
	"W4,D01,register,2019-05-06 09:00,2019-05-07 15:00,\n" +
	"W5,D02,evaluate,2019-06-03 09:00,2019-06-03 10:00,unresolved\n" +
	"W6,D02,evaluate,2019-06-10 09:00,2019-06-10 10:00,未解决\n" +
	"W7,D03,evaluate,2019-05-20 09:00,2019-05-20 10:00,unresolved\n" +
	"W8,D03,evaluate,2019-06-05 09:00,2019-06-05 10:00,unresolved\n"

// alertRow is the comparable part of an Alert.
type alertRow struct {
	Kind, ID, UnitID, Level, Due string
	Days                         int
}

func alertRows(as []Alert, keep func(Alert) bool) []alertRow {
	var out []alertRow
	for _, a := range as {
		if keep != nil && !keep(a) {
			continue
		}
		due := ""
		if !a.Due.IsZero() {
			due = a.Due.Format("2006-01-02")
		}
		out = append(out, alertRow{a.Kind, a.ID, a.UnitID, a.Level, due, a.Days})
	}
	return out
}

func importAlertFixtures(t *testing.T, s *Store) {
	t.Helper()
	importBase(t, s)
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{{"cases.csv", alertCases}, {"complaints.csv", alertComplaints}, {"documents.csv", alertDocuments}} {
		if _, err := s.ImportFile(context.Background(), writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
}

func TestAlertsMatchTheHandComputedDeadlines(t *testing.T) {
	s := openTest(t)
	importAlertFixtures(t, s)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	only := func(id string) func(Alert) bool { return func(a Alert) bool { return a.ID == id } }
	tests := []struct {
		name string
		asOf time.Time
		keep func(Alert) bool
		want []alertRow
	}{
		{"as of 2019-06-13: 超期 (most days first), 报警, then 临期 (fewest days left first), ties by unit and id", day(2019, 6, 13), nil, []alertRow{
			{"case", "D", "D02", "超期", "2019-06-12", 1},
			{"case", "H", "D03", "超期", "2019-06-12", 1},
			{"document_step", "W1", "D01", "报警", "", 0},
			{"document_unresolved", "2019-06", "D02", "报警", "", 0},
			{"document_step", "W2", "D02", "报警", "", 0},
			{"complaint", "Q1", "D01", "临期", "2019-06-13", 0},
			{"case", "E", "D03", "临期", "2019-06-13", 0},
			{"case", "A", "D01", "临期", "2019-06-14", 1},
			{"case", "C", "D02", "临期", "2019-06-17", 2},
		}},
		{"as of Sat 2019-06-15: due Friday is overdue by 0 working days", day(2019, 6, 15),
			only("A"), []alertRow{{"case", "A", "D01", "超期", "2019-06-14", 0}}},
		{"as of make-up Sun 2019-02-03: the Spring Festival week does not count", day(2019, 2, 3), nil, []alertRow{
			{"case", "S1", "D01", "临期", "2019-02-11", 1},
			{"case", "S2", "D02", "临期", "2019-02-12", 2},
		}},
		{"as of 2019-09-30: petition landing on National Day is due 10-08, 1 working day left", day(2019, 9, 30),
			only("P1"), []alertRow{{"complaint", "P1", "C01", "临期", "2019-10-08", 1}}},
		{"as of 2019-10-09: the petition is overdue", day(2019, 10, 9),
			only("P1"), []alertRow{{"complaint", "P1", "C01", "超期", "2019-10-08", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as, err := s.Alerts(context.Background(), tt.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if got := alertRows(as, tt.keep); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestAlertDetailsNameTheStepAndTheHours(t *testing.T) {
	s := openTest(t)
	importAlertFixtures(t, s)
	as, err := s.Alerts(context.Background(), time.Date(2019, 6, 13, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"W1":      "登记环节用时 25.0 小时(超过 24 小时)",
		"W2":      "签收环节已用 25.0 小时未完成(超过 24 小时)",
		"2019-06": "2019-06 未解决评价 2 件",
		// D due Wed 06-12, as of Thu 06-13: 1 working day, 1 calendar day.
		"D": "期限 2019-06-12, 超期 1 个工作日(1 个自然日)",
	}
	for _, a := range as {
		if w, ok := want[a.ID]; ok && !strings.Contains(a.Detail, w) {
			t.Errorf("%s %s detail %q lacks %q", a.Kind, a.ID, a.Detail, w)
		}
	}
}

func TestAlertsBeyondTheCalendarAreRefused(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	body := "case_id,unit_id,item_code,channel,received_at,completed_at,promised_days,visits,status\n" +
		"A,D01,I,window,2026-12-28 09:00,,10,1,pending\n"
	if _, err := s.ImportFile(context.Background(), writeFile(t, t.TempDir(), "cases.csv", body), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		asOf time.Time
		want string
	}{
		{"due date in 2027 names the year", time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC), "import holidays.csv for 2027"},
		{"as-of date outside the calendar names the year", time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC), "import holidays.csv for 2030"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Alerts(context.Background(), tt.asOf)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestAlertWordsAreChinese: a hand-built receive step of 70.7 hours
// (2019-06-10 09:00 → 06-13 07:42 = 72 h − 1.3 h) reads 签收环节用时 70.7 小时,
// with its hours in Hours; case A, due Fri 2019-06-14, read on Sun 06-16 is
// 超期 0 个工作日(2 个自然日) (Sat and Sun are not working days).
func TestAlertWordsAreChinese(t *testing.T) {
	s := openTest(t)
	importAlertFixtures(t, s)
	doc := "doc_id,unit_id,step,started_at,finished_at,evaluation\nW9,D03,receive,2019-06-10 09:00,2019-06-13 07:42,\n"
	if _, err := s.ImportFile(context.Background(), writeFile(t, t.TempDir(), "documents.csv", doc), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	as, err := s.Alerts(context.Background(), time.Date(2019, 6, 16, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, a := range as {
		switch a.ID {
		case "W9":
			seen++
			if !strings.Contains(a.Detail, "签收环节用时 70.7 小时") || a.Hours < 70.69 || a.Hours > 70.71 || a.Days != 0 {
				t.Errorf("W9: %+v", a)
			}
		case "A":
			seen++
			if a.Level != LevelOverdue || a.Days != 0 || a.CalendarDays != 2 || !strings.HasSuffix(a.Detail, "超期 0 个工作日(2 个自然日)") {
				t.Errorf("A as of Sunday: %+v", a)
			}
		}
	}
	if seen != 2 {
		t.Errorf("saw %d of W9 and A", seen)
	}
	for code, name := range AlertKindName {
		if name == "" || strings.ContainsAny(name, "abcdefghijklmnopqrstuvwxyz_") {
			t.Errorf("kind %s is named %q", code, name)
		}
	}
}

func TestCalendarDaysPast(t *testing.T) {
	d := func(m time.Month, day, h int) time.Time { return time.Date(2019, m, day, h, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		due, asOf time.Time
		want      int
	}{
		{d(6, 14, 0), d(6, 16, 0), 2},  // Fri → Sun
		{d(6, 14, 0), d(6, 14, 23), 0}, // the due day itself
		{d(5, 31, 0), d(6, 1, 0), 1},   // across a month
		{d(12, 31, 0), time.Date(2020, 1, 10, 0, 0, 0, 0, time.UTC), 10},
	} {
		if got := CalendarDaysPast(tt.due, tt.asOf); got != tt.want {
			t.Errorf("CalendarDaysPast(%v, %v) = %d, want %d", tt.due, tt.asOf, got, tt.want)
		}
	}
}
