package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// A round published under a scheme with the 督办落实 part: the what-if keeps
// the part's points (the total is the scheme's 105, with no "not out of 100"
// message) and reproduces the published ranking; setting both task points to
// 0 simulates the round without the part, which is the default scheme, so it
// gives the scores of the round's first (default-scheme) version.
func TestWhatIfTasksPart(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	const round = "2019-B6"
	first, err := ts.store.PublishedRanking(ctx, round)
	if err != nil {
		t.Fatal(err)
	}
	sch := scoring.DefaultScheme()
	sch.TaskLead = scoring.RateRule{Points: 4, Target: 1, Floor: 0.6}
	sch.TaskCoop = scoring.RateRule{Points: 1, Target: 1, Floor: 0.6}
	if _, err := ts.store.ReopenRound(ctx, round, "督办落实纳入评分", testNow.Add(24*time.Hour), "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.CloseRound(ctx, round, "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ScoreRound(ctx, round, sch, "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.Publish(ctx, round, analytics.PublishOptions{Reason: "样本数据"}, "test", testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	pub, err := ts.store.PublishedRanking(ctx, round)
	if err != nil {
		t.Fatal(err)
	}
	c := ts.login(t, leaderUser)
	status, res, body := dtWhatIf(t, c, "round="+round)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	if res.PublishedVersion != 2 || res.TotalPoints != 105 || len(res.Messages) != 0 ||
		res.Weights.Points[scoring.IndTaskLead] != 4 || res.Weights.Points[scoring.IndTaskCoop] != 1 {
		t.Fatalf("version %d, total %v, messages %v, points %v", res.PublishedVersion, res.TotalPoints, res.Messages, res.Weights.Points)
	}
	withPart := 0
	for i, p := range pub.Units {
		u := res.Units[i]
		if fmt.Sprint(u.UnitID, dtPtr(u.Score), dtPtr(u.Rank)) != fmt.Sprint(p.UnitID, dtPtr(p.Score), dtPtr(p.Rank)) {
			t.Errorf("#%d: simulated %s %v/%v, published %s %v/%v", i, u.UnitID, dtPtr(u.Score), dtPtr(u.Rank), p.UnitID, dtPtr(p.Score), dtPtr(p.Rank))
		}
		if v := p.Parts[scoring.PartTasks]; v != nil {
			withPart++
		}
	}
	if withPart == 0 {
		t.Fatal("no unit has a task due in the round: the test proves nothing")
	}
	status, res, body = dtWhatIf(t, c, "round="+round+"&task_lead_rate=0&task_coop_rate=0")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	if res.TotalPoints != 100 || len(res.Messages) != 1 {
		t.Errorf("without the part: total %v, messages %v", res.TotalPoints, res.Messages)
	}
	byID := map[string]*float64{}
	for _, u := range first.Units {
		byID[u.UnitID] = u.Score
	}
	for _, u := range res.Units {
		if fmt.Sprint(dtPtr(u.Score)) != fmt.Sprint(dtPtr(byID[u.UnitID])) {
			t.Errorf("%s without the part: %v, the default-scheme version %v", u.UnitID, dtPtr(u.Score), dtPtr(byID[u.UnitID]))
		}
	}
	// The page offers the two knobs.
	st, page := c.getBody("/whatif?round=" + round)
	if st != http.StatusOK {
		t.Fatalf("what-if page: %d", st)
	}
	for _, want := range []string{`name="task_lead_rate"`, `name="task_coop_rate"`, "牵头督办按期办结率"} {
		if !strings.Contains(page, want) {
			t.Errorf("the what-if page lacks %s", want)
		}
	}
}
