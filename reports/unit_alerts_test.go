package reports

import (
	"bytes"
	"context"
	"testing"
)

// TestUnitProfileAloneEqualsTheRoundSet checks that a profile rendered on
// its own, which reads only its unit's alerts, is byte for byte the profile
// of the same unit rendered with the whole round's set, which reads the
// whole city's alerts once, for every unit of two rounds of the sample city.
func TestUnitProfileAloneEqualsTheRoundSet(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	for _, round := range []string{"2019-B3", "2019-B6"} {
		set, _, err := b.UnitSet(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		if len(set) < 10 {
			t.Fatalf("%s: only %d profiles", round, len(set))
		}
		withAlerts := 0
		for _, want := range set {
			unitID := want.Name[len("unit-") : len(want.Name)-len("-"+round)]
			got, err := b.Unit(ctx, round, unitID)
			if err != nil {
				t.Fatalf("%s %s: %v", round, unitID, err)
			}
			if got.Name != want.Name || !bytes.Equal(got.HTML, want.HTML) {
				t.Errorf("%s %s: the profile alone differs from the one of the round's set", round, unitID)
			}
			if !bytes.Contains(got.HTML, []byte("预警（截至本轮末）：超期 0 件，报警 0 件，临期 0 件")) {
				withAlerts++
			}
		}
		if withAlerts == 0 {
			t.Errorf("%s: no profile counts any alert; the comparison would prove little", round)
		}
	}
}
