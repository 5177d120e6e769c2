package analytics_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
)

// TestUnitAlertsEqualTheFilteredCityAlerts checks that one unit's alerts,
// read with the unit filter of the alert statements, are exactly the whole
// city's alerts of that unit, in the same order, for every unit of the sample
// city at the end of three rounds of 2019.
func TestUnitAlertsEqualTheFilteredCityAlerts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	city := filepath.Join(dir, "city")
	if _, err := fixtures.Generate(fixtures.Options{Scale: fixtures.Small, Out: city}); err != nil {
		t.Fatal(err)
	}
	s, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(dir, "t.duckdb"), MemoryLimit: "1GB", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files, _, err := analytics.ExpandPaths([]string{city}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := s.ImportFile(ctx, f, analytics.ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
	}
	units, err := s.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, end := range []string{"2019-04-30", "2019-06-30", "2019-12-31"} {
		asOf, _ := time.Parse(time.DateOnly, end)
		all, err := s.Alerts(ctx, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 {
			t.Fatalf("%s: the sample city has no alerts; the comparison would prove nothing", end)
		}
		counted, withAlerts := 0, 0
		for _, u := range units {
			want := slices.DeleteFunc(slices.Clone(all), func(a analytics.Alert) bool { return a.UnitID != u.ID })
			got, err := s.UnitAlerts(ctx, asOf, u.ID)
			if err != nil {
				t.Fatalf("%s %s: %v", end, u.ID, err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: UnitAlerts gives %d alerts, the city's filtered to the unit %d\n got %v\nwant %v", end, u.ID, len(got), len(want), got, want)
			}
			counted += len(got)
			if len(got) > 0 {
				withAlerts++
			}
		}
		if counted != len(all) {
			t.Errorf("%s: the units' alerts add up to %d, the city has %d", end, counted, len(all))
		}
		if withAlerts < 2 {
			t.Errorf("%s: only %d unit(s) with alerts; want several for a meaningful comparison", end, withAlerts)
		}
	}
	if got, err := s.UnitAlerts(ctx, time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC), ""); err != nil || got != nil {
		t.Errorf("UnitAlerts with no unit = %v, %v; want nothing", got, err)
	}
}
