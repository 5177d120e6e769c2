package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// dtWhatIf calls the what-if API and decodes its answer.
func dtWhatIf(t *testing.T, c *client, query string) (int, whatIfResponse, string) {
	t.Helper()
	status, body := c.getBody("/api/v1/whatif?" + query)
	var out whatIfResponse
	if status == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	return status, out, body
}

func dtSimUnit(t *testing.T, res whatIfResponse, id string) whatIfUnit {
	t.Helper()
	for _, u := range res.Units {
		if u.UnitID == id {
			return u
		}
	}
	t.Fatalf("%s not simulated", id)
	return whatIfUnit{}
}

func TestWhatIfPublishedWeightsReproduceThePublishedRanking(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	for _, round := range []string{"2019-B1", "2019-B6"} {
		status, res, body := dtWhatIf(t, c, "round="+round)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", round, status, body)
		}
		if strings.Contains(body, hostile) {
			t.Errorf("%s: the JSON holds the raw hostile name", round)
		}
		if !res.Simulation || res.Notice != "模拟结果,不改变已发布的排名" || res.Round != round || res.PublishedVersion != 1 {
			t.Errorf("%s: header %+v", round, res)
		}
		if res.TotalPoints != 100 || len(res.Messages) != 0 || res.Weights.Points["peer"] != 50 || res.Weights.ClassWeights["leader"] != 0.4 {
			t.Errorf("%s: weights %+v, total %v, messages %v", round, res.Weights, res.TotalPoints, res.Messages)
		}
		rk, err := ts.store.PublishedRanking(context.Background(), round)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Units) != len(rk.Units) {
			t.Fatalf("%s: %d units simulated, %d published", round, len(res.Units), len(rk.Units))
		}
		for i, p := range rk.Units {
			u := res.Units[i]
			if u.UnitID != p.UnitID || fmt.Sprint(dtPtr(u.Score), dtPtr(u.Rank), dtPtr(u.Tier)) != fmt.Sprint(dtPtr(p.Score), dtPtr(p.Rank), dtPtr(p.Tier)) {
				t.Errorf("%s #%d: simulated %s %v/%v/%v, published %s %v/%v/%v", round, i, u.UnitID, dtPtr(u.Score), dtPtr(u.Rank), dtPtr(u.Tier),
					p.UnitID, dtPtr(p.Score), dtPtr(p.Rank), dtPtr(p.Tier))
			}
			if u.Rank != nil && (u.RankChange == nil || *u.RankChange != 0 || *u.ScoreChange != 0) {
				t.Errorf("%s: %s changes with the published weights", round, u.UnitID)
			}
		}
	}
}

// dtPtr dereferences a pointer for printing (nil stays nil).
func dtPtr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestWhatIfDoublePeerPointsByHand(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, res, body := dtWhatIf(t, c, "round=2019-B6&peer=100")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	d44 := dtSimUnit(t, res, "D44")
	// D44 has data in every part, so nothing is redistributed: doubling the
	// peer points adds its peer part once more. Published 81.90 with a peer
	// part of 43.65 (both rounded) gives 125.55, 125.54 ± 0.01.
	if d := *d44.Score - 125.54; d > 0.011 || d < -0.011 {
		t.Errorf("D44 with peer 100: %.2f, want 125.54 ± 0.01", *d44.Score)
	}
	// Exactly, from its stored indicators: peer mean × 100/100 + the rate
	// points + survey mean × 15/100 − deductions, rounded to cents.
	u := dtPublished(t, ts, "2019-B6", "D44")
	ind := u.Indicators
	sum := *ind[scoring.IndPeerMean].Value
	var svc, cmp float64
	for _, n := range scoring.ServiceIndicators {
		if ind[n].Value == nil {
			t.Fatalf("D44 lacks %s: pick another unit", n)
		}
		svc += ind[n].Points
	}
	for _, n := range scoring.ComplaintIndicators {
		if ind[n].Value == nil {
			t.Fatalf("D44 lacks %s: pick another unit", n)
		}
		cmp += ind[n].Points
	}
	// the survey mean is scored on its credibility-weighted value
	sum += svc + cmp + *ind[scoring.IndSurveyMean].Credible*15/100
	want := scoring.Round2(sum - *u.Parts["deductions"])
	if *d44.Score != want || want != 125.54 {
		t.Errorf("D44 with peer 100: %.2f, by hand %.2f (want 125.54)", *d44.Score, want)
	}
	if *d44.ScoreChange != scoring.Round2(want-81.90) || res.TotalPoints != 150 || len(res.Messages) != 1 {
		t.Errorf("change %v, total %v, messages %v", *d44.ScoreChange, res.TotalPoints, res.Messages)
	}
	// Ranks are recomputed within the category; the change is published − simulated.
	for _, x := range res.Units {
		if x.Rank != nil && x.PublishedRank != nil && *x.RankChange != *x.PublishedRank-*x.Rank {
			t.Errorf("%s: rank change %d, ranks %d → %d", x.UnitID, *x.RankChange, *x.PublishedRank, *x.Rank)
		}
	}
}

func TestWhatIfClassWeightsAreNormalised(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, res, body := dtWhatIf(t, c, "round=2019-B6&leader=2&lead_head=1&member_head=1")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	cw := res.Weights.ClassWeights
	if cw["leader"] != 0.5 || cw["lead_head"] != 0.25 || cw["member_head"] != 0.25 {
		t.Errorf("class weights %v, want 0.5/0.25/0.25", cw)
	}
	if len(res.Messages) != 1 || !strings.Contains(res.Messages[0], "合计为 4,已按比例换算为合计 1") {
		t.Errorf("messages %v", res.Messages)
	}
	// Same as giving the normalised weights directly.
	_, same, _ := dtWhatIf(t, c, "round=2019-B6&leader=0.5&lead_head=0.25&member_head=0.25")
	for i := range res.Units {
		if fmt.Sprint(dtPtr(res.Units[i].Score)) != fmt.Sprint(dtPtr(same.Units[i].Score)) {
			t.Errorf("%s: %v vs %v", res.Units[i].UnitID, dtPtr(res.Units[i].Score), dtPtr(same.Units[i].Score))
		}
	}
	// The peer mean moves with the weights: some score changes.
	moved := false
	for _, u := range res.Units {
		moved = moved || (u.ScoreChange != nil && *u.ScoreChange != 0)
	}
	if !moved {
		t.Errorf("no score moved with leader weight 0.5")
	}
}

func TestWhatIfRefusesBadValues(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	for q, want := range map[string]int{
		"round=2019-B6&peer=-1":          http.StatusBadRequest,
		"round=2019-B6&peer=abc":         http.StatusBadRequest,
		"round=2019-B6&peer=NaN":         http.StatusBadRequest,
		"round=2019-B6&peer=Inf":         http.StatusBadRequest,
		"round=2019-B6&online_rate=101":  http.StatusBadRequest,
		"round=2019-B6&leader=0":         http.StatusBadRequest,
		"round=2019-B6&member_head=-0.3": http.StatusBadRequest,
		"round=2019-B6&peer=0&on_time_rate=0&online_rate=0&one_visit_rate=0&instant_rate=0&complaint_on_time_rate=0&resolution_rate=0&satisfaction_rate=0&satisfaction=0": http.StatusBadRequest,
		"round=2019-B7":           http.StatusBadRequest,
		"round=2018-B6":           http.StatusNotFound,
		"round=2019-B6&peer=0":    http.StatusOK,
		"round=2019-B6&leader=+1": http.StatusOK,
	} {
		status, body := c.getBody("/api/v1/whatif?" + q)
		if status != want {
			t.Errorf("%s: status %d, want %d: %s", q, status, want, body)
		}
		if status != http.StatusOK {
			var e map[string]string
			if json.Unmarshal([]byte(body), &e) != nil || e["error"] == "" {
				t.Errorf("%s: error body %s", q, body)
			}
		}
	}
}

func TestWhatIfChangesNothingPublished(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	before, _ := ts.store.PublishedRanking(ctx, "2019-B6")
	c := ts.login(t, leaderUser)
	for _, q := range []string{"peer=100", "leader=1&lead_head=0.05&member_head=0.05", "satisfaction=50&on_time_rate=0"} {
		if status, _, body := dtWhatIf(t, c, "round=2019-B6&"+q); status != http.StatusOK {
			t.Fatalf("%s: %d %s", q, status, body)
		}
	}
	after, _ := ts.store.PublishedRanking(ctx, "2019-B6")
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	if string(b1) != string(b2) {
		t.Errorf("the published ranking changed")
	}
	runs, err := ts.store.ScoreRuns(ctx, "2019-B6")
	if err != nil || len(runs) != 1 {
		t.Errorf("%d computations of 2019-B6 after what-if, want 1 (%v)", len(runs), err)
	}
	_, body := c.getBody("/dashboard")
	if !strings.Contains(dtRow(t, body, "D44"), ">81.90<") {
		t.Errorf("the dashboard changed after what-if")
	}
}

func TestWhatIfPage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, body := c.getBody("/whatif")
	if status != http.StatusOK {
		t.Fatalf("status %d: %.300s", status, body)
	}
	for _, want := range []string{"模拟结果,不改变已发布的排名", `class="card sim"`, `<script src="/static/whatif.js" defer></script>`,
		`type="range" id="k-peer" name="peer" min="0" max="100" step="0.5" value="50"`,
		`name="on_time_rate"`, `name="satisfaction_rate"`, `name="satisfaction"`,
		`id="k-leader" name="leader" min="0.05" max="1" step="0.05" value="0.4"`, `name="member_head"`,
		`data-chart="whatif-chart"`, `<option value="2019-B6" selected>`, `id="whatif-rows"`, "与已发布第1版对比"} {
		if !strings.Contains(body, want) {
			t.Errorf("what-if page lacks %s", want)
		}
	}
	// The hostile unit is in the table; in the chart when its category, 综合管理类, is drawn.
	dtInert(t, body, false)
	_, body = c.getBody("/whatif?category=" + url.QueryEscape("综合管理类"))
	dtInert(t, body, true)
	// Without JavaScript the form re-renders on the server with the values.
	_, body = c.getBody("/whatif?round=2019-B6&peer=100&category=" + url.QueryEscape("城市建设类"))
	if !strings.Contains(body, `name="peer" min="0" max="100" step="0.5" value="100"`) || !strings.Contains(dtSquash(body), `<td class="num">125.54</td>`) {
		t.Errorf("the page does not show the simulation of peer=100")
	}
	if !strings.Contains(body, `<option value="城市建设类" selected>`) {
		t.Errorf("the chart's category is not kept")
	}
	if status, _ := c.getBody("/whatif?peer=-5"); status != http.StatusBadRequest {
		t.Errorf("bad value on the page: status %d", status)
	}
	// The script is served.
	if status, js := c.getBody("/static/whatif.js"); status != http.StatusOK || !strings.Contains(js, "/api/v1/whatif?") || strings.Contains(js, "innerHTML") {
		t.Errorf("whatif.js: status %d", status)
	}
}

// BenchmarkWhatIf times one what-if recomputation of 2019-B6 of the small
// sample city with a warm cache (inputs and scheme already read), as the
// API does for each slider move.
func BenchmarkWhatIf(b *testing.B) {
	ts := newTestServer(b)
	ctx := context.Background()
	q := url.Values{"peer": {"60"}, "leader": {"0.5"}, "lead_head": {"0.25"}, "member_head": {"0.25"}}
	if _, err := ts.whatIfRun(ctx, "2019-B6", q); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := ts.whatIfRun(ctx, "2019-B6", q); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWhatIfConcurrentRequestsShareTheCache runs simulations at once (under
// -race: the cached inputs and scheme are only read) and checks each
// against the same simulation run alone.
func TestWhatIfConcurrentRequestsShareTheCache(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	queries := []url.Values{{"peer": {"100"}}, {"leader": {"1"}}, {"satisfaction": {"30"}, "member_head": {"0.9"}}, {}}
	want := make([]string, len(queries))
	for i, q := range queries {
		res, err := ts.whatIfRun(ctx, "2019-B6", q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		want[i] = string(b)
	}
	ts.invalidate()
	errs := make(chan string, 4*len(queries))
	var wg sync.WaitGroup
	for range 4 {
		for i, q := range queries {
			wg.Go(func() {
				res, err := ts.whatIfRun(ctx, "2019-B6", q)
				b, _ := json.Marshal(res)
				if err != nil || string(b) != want[i] {
					errs <- fmt.Sprintf("query %v: %v", q, err)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
