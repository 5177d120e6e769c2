package calendar_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/calendar"
)

// d is a short civil-date constructor.
func d(y int, m time.Month, day int) time.Time { return calendar.Day(y, m, day) }

func TestDue(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name     string
		received time.Time
		n        int
		unit     calendar.Unit
		want     time.Time
	}{
		{"2026 Spring Festival is skipped and make-up Sat 02-14 counts", d(2026, 2, 13), 5, calendar.Working, d(2026, 2, 27)},
		{"2026 National Day ends on make-up Sat 10-10", d(2026, 9, 30), 3, calendar.Working, d(2026, 10, 10)},
		{"2019 make-up Sat 02-02 is the next working day", d(2019, 2, 1), 1, calendar.Working, d(2019, 2, 2)},
		{"2019 make-up Sun 02-03 is the second working day", d(2019, 2, 1), 2, calendar.Working, d(2019, 2, 3)},
		{"2019 received on make-up Sun 02-03 skips Spring Festival", d(2019, 2, 3), 1, calendar.Working, d(2019, 2, 11)},
		{"received on a holiday counts from the next working day", d(2019, 10, 1), 1, calendar.Working, d(2019, 10, 8)},
		{"year end crosses 元旦 and counts 2018-12-29", d(2018, 12, 28), 2, calendar.Working, d(2019, 1, 2)},
		{"2020 extension 01-31..02-02 is off and 02-01 is no make-up day", d(2020, 1, 23), 1, calendar.Working, d(2020, 2, 3)},
		{"即办件 n=0 on a holiday is the same day", d(2019, 10, 1), 0, calendar.Working, d(2019, 10, 1)},
		{"即办件 n=0 on a weekend is the same day", d(2026, 3, 7), 0, calendar.Working, d(2026, 3, 7)},
		{"calendar days landing on a working day stay", d(2019, 9, 7), 60, calendar.CalendarDays, d(2019, 11, 6)},
		{"calendar days landing on a weekend move to Monday", d(2019, 9, 7), 63, calendar.CalendarDays, d(2019, 11, 11)},
		{"calendar days landing inside 2019 国庆 move to 10-08", d(2019, 8, 2), 60, calendar.CalendarDays, d(2019, 10, 8)},
		{"calendar days landing inside 2026 国庆 move to 10-08", d(2026, 8, 2), 60, calendar.CalendarDays, d(2026, 10, 8)},
		{"calendar days landing on make-up Sat 2019-10-12 stay", d(2019, 8, 13), 60, calendar.CalendarDays, d(2019, 10, 12)},
		{"calendar days ending on 2026-12-31 need no 2027 data", d(2026, 12, 30), 1, calendar.CalendarDays, d(2026, 12, 31)},
		{"working days ending on 2026-12-31 need no 2027 data", d(2026, 12, 30), 1, calendar.Working, d(2026, 12, 31)},
		{"calendar days n=0 is the same day", d(2019, 10, 1), 0, calendar.CalendarDays, d(2019, 10, 1)},
		{"Shanghai timestamp counts on its Shanghai date", time.Date(2026, 2, 14, 1, 0, 0, 0, time.FixedZone("CST", 8*3600)), 1, calendar.Working, d(2026, 2, 24)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.Due(tt.received, tt.n, tt.unit)
			if err != nil {
				t.Fatalf("Due: %v", err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDueErrors(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name     string
		received time.Time
		n        int
		unit     calendar.Unit
		wantYear int // 0: not an UnknownYearError
	}{
		{"working deadline reaching 2027 names 2027", d(2026, 12, 30), 5, calendar.Working, 2027},
		{"calendar deadline reaching 2027 names 2027", d(2026, 12, 1), 60, calendar.CalendarDays, 2027},
		{"received in 2017 names 2017", d(2017, 12, 29), 1, calendar.Working, 2017},
		{"received in 2030 names 2030 even for n=0", d(2030, 1, 2), 0, calendar.Working, 2030},
		{"negative n is refused", d(2026, 1, 5), -1, calendar.Working, 0},
		{"unknown unit is refused", d(2026, 1, 5), 1, calendar.Unit(9), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.Due(tt.received, tt.n, tt.unit)
			if err == nil {
				t.Fatalf("got %v, want an error", got)
			}
			var uy *calendar.UnknownYearError
			gotYear := 0
			if errors.As(err, &uy) {
				gotYear = uy.Year
			}
			if gotYear != tt.wantYear {
				t.Fatalf("got error %v, want year %d", err, tt.wantYear)
			}
			if tt.wantYear == 2027 {
				want := "calendar: no official holiday calendar for 2027 (import holidays.csv for that year)"
				if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "2027 年") {
					t.Errorf("got %q, want it to contain %q and Chinese text", err, want)
				}
			}
		})
	}
}

// naiveWorkingDays counts working days of year y by a plain day loop over the
// raw holidays.csv, independent of the package.
func naiveWorkingDays(t *testing.T, y int) (working, off int) {
	t.Helper()
	raw, err := os.ReadFile("holidays.csv")
	if err != nil {
		t.Fatal(err)
	}
	kind := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n")[1:] {
		f := strings.Split(line, ",")
		kind[f[0]] = f[1]
	}
	for day := time.Date(y, 1, 1, 12, 0, 0, 0, time.UTC); day.Year() == y; day = day.AddDate(0, 0, 1) {
		k, ok := kind[day.Format("2006-01-02")]
		w := day.Weekday() != time.Saturday && day.Weekday() != time.Sunday
		if ok {
			w = k == "workday"
		}
		if w {
			working++
		}
		if k == "holiday" {
			off++
		}
	}
	return working, off
}

func TestYearCounts(t *testing.T) {
	cal := calendar.Default()
	want := map[int]int{2018: 250, 2019: 250, 2020: 249, 2021: 250, 2022: 249, 2023: 249, 2024: 251, 2025: 248, 2026: 248}
	if got := cal.Years(); len(got) != 9 || got[0] != 2018 || got[8] != 2026 {
		t.Fatalf("Years: got %v, want 2018..2026", got)
	}
	for y := 2018; y <= 2026; y++ {
		naive, _ := naiveWorkingDays(t, y)
		t.Run(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")+" count matches naive loop", func(t *testing.T) {
			days, err := cal.Days(d(y, 1, 1), d(y, 12, 31))
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, di := range days {
				isW, err := cal.IsWorkingDay(di.Date)
				if err != nil || isW != di.Working {
					t.Fatalf("IsWorkingDay(%v) = %v, %v; Days says %v", di.Date, isW, err, di.Working)
				}
				if di.Working {
					got++
				}
			}
			if got != naive || got != want[y] {
				t.Errorf("got %d, want %d (naive loop %d)", got, want[y], naive)
			}
			t.Logf("%d: %d working days", y, got)
		})
	}
}

func TestYear2019(t *testing.T) {
	cal := calendar.Default()
	if _, off := naiveWorkingDays(t, 2019); off != 28 {
		t.Errorf("naive: got %d days off, want 28", off)
	}
	days, err := cal.Days(d(2019, 1, 1), d(2019, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	off, makeUp := 0, []string{}
	for _, di := range days {
		wd := di.Date.Weekday()
		weekend := wd == time.Saturday || wd == time.Sunday
		switch {
		case !di.Working && di.Name != "":
			off++
		case di.Working && weekend:
			makeUp = append(makeUp, di.Date.Format("01-02"))
		}
	}
	want := "02-02 02-03 04-28 05-05 09-29 10-12"
	if got := strings.Join(makeUp, " "); got != want || off != 28 {
		t.Errorf("got %d days off and make-up %s, want 28 and %s", off, got, want)
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name string
		a, b time.Time
		want int
	}{
		{"same day is zero", d(2026, 2, 13), d(2026, 2, 13), 0},
		{"receipt day excluded and due day included", d(2026, 2, 13), d(2026, 2, 27), 5},
		{"reversed range is negative", d(2026, 2, 27), d(2026, 2, 13), -5},
		{"both 2019 make-up days count", d(2019, 2, 1), d(2019, 2, 11), 3},
		{"holiday block counts nothing", d(2019, 10, 1), d(2019, 10, 7), 0},
		{"across years counts 2018-12-29", d(2018, 12, 28), d(2019, 1, 2), 2},
		{"whole 2026 is 248", d(2025, 12, 31), d(2026, 12, 31), 248},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.WorkingDaysBetween(tt.a, tt.b)
			if err != nil || got != tt.want {
				t.Errorf("got %d, %v, want %d", got, err, tt.want)
			}
		})
	}
	t.Run("range into 2027 names 2027", func(t *testing.T) {
		_, err := cal.WorkingDaysBetween(d(2027, 1, 5), d(2026, 12, 1))
		var uy *calendar.UnknownYearError
		if !errors.As(err, &uy) || uy.Year != 2027 {
			t.Errorf("got %v, want UnknownYearError 2027", err)
		}
	})
}
