package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// dtAnnualScore is the score shown in a unit's row of the year composite.
func dtAnnualScore(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<a href="/units/` + id + `">[^<]*</a></td><td class="num">([^<]*)</td>`).FindStringSubmatch(dtSquash(body))
	if m == nil {
		t.Fatalf("no row for %s", id)
	}
	return m[1]
}

func TestAnnualPageFromThePublishedRounds(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	c := ts.login(t, leaderUser)
	status, body := c.getBody("/annual")
	if status != http.StatusOK {
		t.Fatalf("status %d: %.300s", status, body)
	}
	for _, want := range []string{"2019 年度综合评议", "2019-B1、2019-B2、2019-B3、2019-B4、2019-B5、2019-B6", "80.00%", "20.00%",
		`href="/export/annual?format=csv&amp;year=2019"`, `data-chart="annual-chart-1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("annual page lacks %s", want)
		}
	}
	dtInert(t, body, true)
	// Every round published is its newest version, so the composite equals
	// the store's (newest versions) one.
	ar, err := ts.store.Annual(ctx, 2019, scoring.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ar.Units {
		if u.Score != nil && dtAnnualScore(t, body, u.UnitID) != fmt.Sprintf("%.2f", *u.Score) {
			t.Errorf("%s: page %s, store %.2f", u.UnitID, dtAnnualScore(t, body, u.UnitID), *u.Score)
		}
	}
	// By hand for D44: 0.8 × the mean of its six published scores + 0.2 ×
	// its 效能问政 mean.
	var sum float64
	for b := 1; b <= 6; b++ {
		sum += *dtPublished(t, ts, fmt.Sprintf("2019-B%d", b), "D44").Score
	}
	var survey float64
	for _, u := range ar.Units {
		if u.UnitID == "D44" {
			survey = *u.SurveyMean
		}
	}
	want := fmt.Sprintf("%.2f", scoring.Round2(0.8*sum/6+0.2*survey))
	if got := dtAnnualScore(t, body, "D44"); got != want {
		t.Errorf("D44: %s, want %s", got, want)
	}

	// A newer, unpublished version of B6 (peer part worth 70: D44's B6 score
	// changes) changes neither what leaders see nor the CLI's composite.
	sc := scoring.DefaultScheme()
	sc.PeerPoints = 70
	newer, err := ts.store.ScoreRound(ctx, "2019-B6", sc, "test", testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range newer.Units {
		if u.UnitID == "D44" && *u.Score == *dtPublished(t, ts, "2019-B6", "D44").Score {
			t.Fatalf("the unpublished version does not change D44's B6 score: the test checks nothing")
		}
	}
	ts.invalidate()
	cli, err := ts.store.Annual(ctx, 2019, scoring.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	_, body = c.getBody("/annual?year=2019")
	for _, u := range cli.Units {
		if u.UnitID == "D44" && fmt.Sprintf("%.2f", *u.Score) != want {
			t.Errorf("the CLI's composite of D44 is %.2f, want the published %s", *u.Score, want)
		}
	}
	if got := dtAnnualScore(t, body, "D44"); got != want {
		t.Errorf("after an unpublished version D44 shows %s, want the published %s", got, want)
	}
}

func TestAnnualPageLeavesOutUnpublishedRounds(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	// AnnualOf counts only the rankings it is given (the published ones).
	pub, err := ts.publishedRounds(ctx)
	if err != nil || len(pub) != 6 {
		t.Fatalf("%d published rounds, %v", len(pub), err)
	}
	ar, err := ts.store.AnnualOf(ctx, 2019, scoring.DefaultScheme(), dtRankings(t, ts, "2019-B1", "2019-B2"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ar.Units[0].Rounds; len(got) > 2 {
		t.Errorf("AnnualOf used %d rounds, want at most 2", len(got))
	}
	c := ts.login(t, leaderUser)
	if status, body := c.getBody("/annual?year=2018"); status != http.StatusOK || !strings.Contains(body, "2018 年尚无已发布的轮次") {
		t.Errorf("2018: status %d", status)
	}
	if status, _ := c.getBody("/annual?year=19"); status != http.StatusBadRequest {
		t.Errorf("year=19: status %d, want 400", status)
	}
	if status, _ := c.getBody("/export/annual?year=2018&format=csv"); status != http.StatusNotFound {
		t.Errorf("export of an empty year: status %d, want 404", status)
	}
}

func dtRankings(t *testing.T, ts *testServer, rounds ...string) []analytics.Ranking {
	t.Helper()
	var out []analytics.Ranking
	for _, r := range rounds {
		rk, err := ts.store.PublishedRanking(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rk)
	}
	return out
}
