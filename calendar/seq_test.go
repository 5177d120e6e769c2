package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/calendar"
)

// TestSeqProperty checks, for every day of 2018–2026, that the due date of n
// working days is the first working day whose Seq is Seq(received)+n, which
// is how SQL joins the Days table.
func TestSeqProperty(t *testing.T) {
	cal := calendar.Default()
	days, err := cal.Days(d(2018, 1, 1), d(2026, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	if days[0].Seq != 0 || days[1].Seq != 1 || !days[1].Working {
		t.Fatalf("got Seq %d, %d for 2018-01-01/02, want 0, 1", days[0].Seq, days[1].Seq)
	}
	firstWithSeq := map[int]time.Time{}
	for i, di := range days {
		if i > 0 && di.Seq != days[i-1].Seq+btoi(di.Working) {
			t.Fatalf("%v: Seq %d does not follow %d", di.Date, di.Seq, days[i-1].Seq)
		}
		if _, ok := firstWithSeq[di.Seq]; di.Working && !ok {
			firstWithSeq[di.Seq] = di.Date
		}
	}
	for _, n := range []int{1, 2, 3, 5, 10, 15, 20, 30, 60} {
		for _, di := range days {
			got, err := cal.AddWorkingDays(di.Date, n)
			want, ok := firstWithSeq[di.Seq+n]
			if !ok {
				var uy *calendar.UnknownYearError
				if !errors.As(err, &uy) || uy.Year != 2027 {
					t.Fatalf("%v + %d: got %v, %v, want UnknownYearError 2027", di.Date, n, got, err)
				}
				continue
			}
			if err != nil || !got.Equal(want) {
				t.Fatalf("%v + %d: got %v, %v, want %v", di.Date, n, got, err, want)
			}
			if between, err := cal.WorkingDaysBetween(di.Date, got); err != nil || between != n {
				t.Fatalf("WorkingDaysBetween(%v, %v): got %d, %v, want %d", di.Date, got, between, err, n)
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestDays(t *testing.T) {
	cal := calendar.Default()
	t.Run("names holidays and make-up days", func(t *testing.T) {
		days, err := cal.Days(d(2026, 2, 14), d(2026, 2, 16))
		if err != nil {
			t.Fatal(err)
		}
		got := []string{days[0].Name, days[1].Name, days[2].Name}
		if len(days) != 3 || got[0] != "春节调休上班" || got[2] != "春节" || !days[0].Working || days[2].Working {
			t.Errorf("got %+v", days)
		}
	})
	t.Run("reversed range is an error", func(t *testing.T) {
		if _, err := cal.Days(d(2026, 2, 16), d(2026, 2, 14)); err == nil {
			t.Error("got nil, want an error")
		}
	})
	t.Run("range into 2027 names 2027", func(t *testing.T) {
		_, err := cal.Days(d(2026, 12, 1), d(2027, 1, 31))
		var uy *calendar.UnknownYearError
		if !errors.As(err, &uy) || uy.Year != 2027 {
			t.Errorf("got %v, want UnknownYearError 2027", err)
		}
	})
}

func TestWith(t *testing.T) {
	base := calendar.Default()
	y2027 := []calendar.Entry{{Date: d(2027, 1, 1), Kind: calendar.Holiday, Name: "元旦"}}
	tests := []struct {
		name     string
		cal      *calendar.Calendar
		received time.Time
		n        int
		unit     calendar.Unit
		want     time.Time
		wantYear int // non-zero: want UnknownYearError for that year
	}{
		{"default still refuses 2027", base, d(2026, 12, 30), 5, calendar.Working, time.Time{}, 2027},
		{"2027 overlay makes the deadline work", base.With(y2027), d(2026, 12, 30), 5, calendar.Working, d(2027, 1, 7), 0},
		{"local holiday replaces an official working day", base.With([]calendar.Entry{{Date: d(2026, 10, 9), Kind: calendar.Holiday, Name: "本地"}}), d(2026, 9, 30), 3, calendar.Working, d(2026, 10, 12), 0},
		{"local working day replaces an official holiday", base.With([]calendar.Entry{{Date: d(2026, 10, 7), Kind: calendar.Workday}}), d(2026, 9, 30), 1, calendar.Working, d(2026, 10, 7), 0},
		{"a gap year before an overlaid year is still refused", base.With([]calendar.Entry{{Date: d(2029, 1, 1), Kind: calendar.Holiday}}), d(2026, 12, 30), 5, calendar.Working, time.Time{}, 2027},
		{"received in the gap year names that year", base.With([]calendar.Entry{{Date: d(2029, 1, 1), Kind: calendar.Holiday}}), d(2028, 12, 31), 1, calendar.Working, time.Time{}, 2028},
		{"an overlaid year after a gap counts", base.With([]calendar.Entry{{Date: d(2029, 1, 1), Kind: calendar.Holiday}}), d(2029, 1, 1), 1, calendar.Working, d(2029, 1, 2), 0},
		{"calendar days moved past the last covered year are refused", calendar.New([]calendar.Entry{{Date: d(2026, 12, 31), Kind: calendar.Holiday}}, nil), d(2026, 12, 30), 1, calendar.CalendarDays, time.Time{}, 2027},
		{"an empty calendar refuses everything", calendar.New(nil, nil), d(2026, 1, 5), 0, calendar.Working, time.Time{}, 2026},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cal.Due(tt.received, tt.n, tt.unit)
			var uy *calendar.UnknownYearError
			switch {
			case tt.wantYear != 0:
				if !errors.As(err, &uy) || uy.Year != tt.wantYear {
					t.Errorf("got %v, %v, want UnknownYearError %d", got, err, tt.wantYear)
				}
			case err != nil || !got.Equal(tt.want):
				t.Errorf("got %v, %v, want %v", got, err, tt.want)
			}
		})
	}
	t.Run("overlay adds the year and leaves the base unchanged", func(t *testing.T) {
		got := base.With(y2027).Years()
		if len(got) != 10 || got[9] != 2027 || len(base.Years()) != 9 {
			t.Errorf("got %v and base %v", got, base.Years())
		}
	})
}

func BenchmarkAddWorkingDays(b *testing.B) {
	cal := calendar.Default()
	received := make([]time.Time, 3000)
	for i := range received {
		received[i] = d(2018, 1, 1+i)
	}
	i := 0
	for b.Loop() {
		if _, err := cal.AddWorkingDays(received[i%len(received)], 15); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkAddWorkingDaysFixed(b *testing.B) {
	cal := calendar.Default()
	received := d(2024, 9, 30)
	for b.Loop() {
		if _, err := cal.AddWorkingDays(received, 15); err != nil {
			b.Fatal(err)
		}
	}
}
