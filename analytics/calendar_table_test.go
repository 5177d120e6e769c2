package analytics

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/calendar"
)

// dueBoth returns the due date from the calendar table and from the Go
// calendar, as "YYYY-MM-DD" or "none" when the calendar does not reach it.
func dueBoth(t *testing.T, s *Store, cal *calendar.Calendar, received time.Time, n int) (table, gocal string) {
	t.Helper()
	due, ok, err := s.DueWorking(context.Background(), received, n)
	if err != nil {
		t.Fatalf("DueWorking(%s, %d): %v", received.Format(time.DateOnly), n, err)
	}
	table = "none"
	if ok {
		table = due.Format(time.DateOnly)
	}
	gd, err := cal.AddWorkingDays(received, n)
	var unknown *calendar.UnknownYearError
	switch {
	case errors.As(err, &unknown):
		gocal = "none"
	case err != nil:
		t.Fatalf("AddWorkingDays(%s, %d): %v", received.Format(time.DateOnly), n, err)
	default:
		gocal = gd.Format(time.DateOnly)
	}
	return table, gocal
}

func TestCalendarTableWorkedExamples(t *testing.T) {
	s := openTest(t)
	tests := []struct {
		name     string
		received time.Time
		n        int
		want     string
	}{
		{"2026_feb_13_plus_5_skips_spring_festival", calendar.Day(2026, 2, 13), 5, "2026-02-27"},
		{"2026_sep_30_plus_3_lands_on_makeup_saturday", calendar.Day(2026, 9, 30), 3, "2026-10-10"},
		{"2019_feb_1_plus_1_is_makeup_saturday", calendar.Day(2019, 2, 1), 1, "2019-02-02"},
		{"2019_feb_3_plus_1_skips_spring_festival", calendar.Day(2019, 2, 3), 1, "2019-02-11"},
		{"2019_holiday_plus_0_is_same_day", calendar.Day(2019, 2, 5), 0, "2019-02-05"},
		{"2019_holiday_plus_2", calendar.Day(2019, 2, 5), 2, "2019-02-12"},
		{"2019_sep_30_plus_1_skips_national_day", calendar.Day(2019, 9, 30), 1, "2019-10-08"},
		{"2026_dec_30_plus_5_reaches_uncovered_2027", calendar.Day(2026, 12, 30), 5, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, gocal := dueBoth(t, s, calendar.Default(), tt.received, tt.n)
			if table != tt.want || gocal != tt.want {
				t.Errorf("due: got table %s, Go calendar %s, want %s", table, gocal, tt.want)
			}
		})
	}
}

func TestCalendarTableAgreesWithGoCalendar(t *testing.T) {
	s := openTest(t)
	for _, year := range []int{2019, 2026} {
		for d := calendar.Day(year, 1, 1); d.Year() == year; d = d.AddDate(0, 0, 5) {
			for _, n := range []int{0, 1, 2, 5, 20} {
				if table, gocal := dueBoth(t, s, calendar.Default(), d, n); table != gocal {
					t.Errorf("%s + %d working days: got table %s, want Go calendar %s", d.Format(time.DateOnly), n, table, gocal)
				}
			}
		}
	}
}

// A local 2027 calendar for the test (not the official one, which is not out yet).
const holidays2027 = `date,kind,name
2027-01-01,holiday,元旦
2027-02-06,workday,春节调休
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-12,休,春节
`

func TestHolidaysImportExtendsCalendar(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	received := calendar.Day(2026, 12, 30)
	if table, _ := dueBoth(t, s, calendar.Default(), received, 5); table != "none" {
		t.Fatalf("before the import: got due %s, want none (2027 not covered)", table)
	}
	res, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "holidays-2027.csv", holidays2027), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.New, int64(7); got != want {
		t.Errorf("new holiday rows: got %d, want %d", got, want)
	}
	var last string
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT strftime(max(day), '%Y-%m-%d'), count(*) FILTER (WHERE year(day) = 2027) FROM calendar").Scan(&last, &n); err != nil {
		t.Fatal(err)
	}
	if got, want := last+" "+strconv.Itoa(n), "2027-12-31 365"; got != want {
		t.Errorf("calendar table last day and 2027 days: got %s, want %s", got, want)
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		received time.Time
		n        int
		want     string
	}{
		{"deadline_across_new_year_skips_jan_1", received, 5, "2027-01-07"},
		{"makeup_saturday_counts", calendar.Day(2027, 2, 5), 1, "2027-02-06"},
		{"spring_festival_skipped", calendar.Day(2027, 2, 6), 1, "2027-02-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, gocal := dueBoth(t, s, cal, tt.received, tt.n)
			if table != tt.want || gocal != tt.want {
				t.Errorf("due: got table %s, Store.Calendar %s, want %s", table, gocal, tt.want)
			}
		})
	}
	for d := calendar.Day(2027, 1, 1); d.Year() == 2027; d = d.AddDate(0, 0, 5) {
		if table, gocal := dueBoth(t, s, cal, d, 3); table != gocal {
			t.Errorf("%s + 3: got table %s, want Store.Calendar %s", d.Format(time.DateOnly), table, gocal)
		}
	}
}
