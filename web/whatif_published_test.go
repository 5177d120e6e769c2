package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scheme"
)

// TestWhatIfUsesThePublishedVersionsInputs changes 2019-B6's inputs after
// version 1 was published (a new deduction of 10 points for D44) and
// computes version 2 from them: the leader's what-if at the published
// weights still reproduces version 1, never the unpublished data.
func TestWhatIfUsesThePublishedVersionsInputs(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	const round = "2019-B6"
	p := filepath.Join(t.TempDir(), "deductions-extra.csv")
	csv := "deduction_id,unit_id,date,points,reason\nKFTEST-001,D44,2019-12-16,10,未按期整改\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ImportFile(ctx, p, analytics.ImportOptions{Actor: "test", Kind: "deductions"}); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	v2, err := ts.store.ScoreRound(ctx, round, scheme.Default(), "test", testNow)
	if err != nil || v2.Version != 2 {
		t.Fatalf("version 2: %d, %v", v2.Version, err)
	}
	pub := dtPublished(t, ts, round, "D44")
	for _, u := range v2.Units {
		if u.UnitID == "D44" && fmt.Sprint(dtPtr(u.Score)) == fmt.Sprint(dtPtr(pub.Score)) {
			t.Fatalf("the new deduction does not change D44 (%v): the test checks nothing", dtPtr(u.Score))
		}
	}
	c := ts.login(t, leaderUser)
	status, res, body := dtWhatIf(t, c, "round="+round)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	rk, err := ts.store.PublishedRanking(ctx, round)
	if err != nil || rk.Version != 1 || res.PublishedVersion != 1 {
		t.Fatalf("published v%d (what-if says v%d): %v", rk.Version, res.PublishedVersion, err)
	}
	if len(res.Units) != len(rk.Units) {
		t.Fatalf("%d units simulated, %d published", len(res.Units), len(rk.Units))
	}
	for i, want := range rk.Units {
		got := res.Units[i]
		g := fmt.Sprint(got.UnitID, dtPtr(got.Score), dtPtr(got.Rank), dtPtr(got.Tier))
		w := fmt.Sprint(want.UnitID, dtPtr(want.Score), dtPtr(want.Rank), dtPtr(want.Tier))
		if g != w {
			t.Errorf("#%d: simulated %s, published version 1 %s", i, g, w)
		}
	}
}
