package analytics

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDefaultAsOfIsTheEarlierOfTodayAndTheDataLastDay(t *testing.T) {
	ctx := context.Background()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

	empty := openTest(t)
	importBase(t, empty)
	if _, ok, err := empty.DataLastDay(ctx); err != nil || ok {
		t.Fatalf("no dated rows: ok = %v, err = %v; want no last day", ok, err)
	}
	if got, err := empty.DefaultAsOf(ctx, time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)); err != nil || !got.Equal(day(2026, 12, 4)) {
		t.Errorf("no data: DefaultAsOf = %v, %v; want today 2026-12-04", got, err)
	}

	// The alert fixtures' latest dates: cases H completed 2019-06-20, complaints
	// P1 received 2019-09-24, documents W3 started 2019-06-13 → 2019-09-24.
	// A survey answered 2019-12-31 moves it to 2019-12-31.
	s := openTest(t)
	importAlertFixtures(t, s)
	if got, ok, err := s.DataLastDay(ctx); err != nil || !ok || !got.Equal(day(2019, 9, 24)) {
		t.Fatalf("DataLastDay = %v, %v, %v; want 2019-09-24", got, ok, err)
	}
	surveys := "response_id,unit_id,survey,respondent_type,score,answered_at\nR1,D01,监测点企业测评,enterprise,90,2019-12-31\n"
	if _, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "surveys.csv", surveys), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"today long after the data: the data's last day", time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC), day(2019, 12, 31)},
		{"today before the data's end: today", time.Date(2019, 11, 5, 23, 59, 0, 0, time.UTC), day(2019, 11, 5)},
		{"today is the data's last day", time.Date(2019, 12, 31, 8, 0, 0, 0, time.UTC), day(2019, 12, 31)},
		{"today's date in its own zone (Beijing 01-01 00:30 is UTC 12-31)", time.Date(2020, 1, 1, 0, 30, 0, 0, time.FixedZone("CST", 8*3600)), day(2019, 12, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.DefaultAsOf(ctx, tt.now)
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("DefaultAsOf(%v) = %v, %v; want %v", tt.now, got, err, tt.want)
			}
		})
	}

	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	resolve := []struct {
		name, value, note string
		want              time.Time
		chosen            bool
	}{
		{"default", "", "数据截至 2019-12-31,按此日期计算", day(2019, 12, 31), false},
		{"chosen", " 2019-06-30 ", "按所选日期 2019-06-30 计算", day(2019, 6, 30), true},
	}
	for _, tt := range resolve {
		a, err := s.ResolveAsOf(ctx, now, tt.value)
		if err != nil || !a.Day.Equal(tt.want) || a.Chosen != tt.chosen || a.Note != tt.note {
			t.Errorf("%s: ResolveAsOf(%q) = %+v, %v; want %v chosen=%v %q", tt.name, tt.value, a, err, tt.want, tt.chosen, tt.note)
		}
	}
	if a, err := s.ResolveAsOf(ctx, time.Date(2019, 11, 5, 9, 0, 0, 0, time.UTC), ""); err != nil || a.Note != "按今天 2019-11-05 计算" {
		t.Errorf("today first: %+v, %v; want the note 按今天 2019-11-05 计算", a, err)
	}
	for _, bad := range []string{"2019-13-01", "2019/06/30", "0019-06-30", "yesterday"} {
		if _, err := s.ResolveAsOf(ctx, now, bad); !errors.Is(err, ErrBadAsOf) {
			t.Errorf("ResolveAsOf(%q) = %v; want ErrBadAsOf", bad, err)
		}
	}
}
