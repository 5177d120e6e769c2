package web

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
)

// apiFixture is a test server prepared for API calls: bearer tokens for the
// leader and the evaluator, a logged-in leader and evaluator (cookies), and
// round 2020-B1 open to evaluators for a week.
type apiFixture struct {
	ts                       *testServer
	leaderToken, evalToken   string
	adminToken               string
	plain                    *client // no cookies of a login
	leaderCookie, evalCookie *client
	round                    string
}

func newAPIFixture(t *testing.T, ts *testServer) *apiFixture {
	t.Helper()
	ctx := context.Background()
	af := &apiFixture{ts: ts, plain: ts.anon(t), round: "2020-B1"}
	var err error
	for _, x := range []struct {
		user string
		tok  *string
	}{{leaderUser, &af.leaderToken}, {evalUser, &af.evalToken}, {adminUser, &af.adminToken}} {
		if *x.tok, err = ts.store.CreateAPIToken(ctx, x.user, "test", adminUser, testNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ts.store.CreateRound(ctx, af.round, adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.OpenRound(ctx, af.round, testNow.Add(7*24*time.Hour), adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	af.leaderCookie = ts.login(t, leaderUser)
	af.evalCookie = ts.login(t, evalUser)
	return af
}

// sheet is the evaluator's sheet of the open round, read from the store.
func (af *apiFixture) sheet(t *testing.T) analytics.EvaluatorSheet {
	t.Helper()
	sh, err := af.ts.store.EvaluatorSheet(context.Background(), af.round, af.ts.fx.evaluatorID, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Assignments) < 2 {
		t.Fatalf("evaluator %s has %d assignments; the tests need at least 2", af.ts.fx.evaluatorID, len(sh.Assignments))
	}
	return sh
}

// call sends a request with a bearer token (empty: none) and returns the
// status and body.
func (af *apiFixture) call(t *testing.T, token, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, af.ts.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp := af.plain.do(req)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q, want JSON", method, path, ct)
	}
	return resp.StatusCode, readBody(resp)
}

// getJSON calls a leader endpoint with the leader's token and decodes it.
func (af *apiFixture) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	code, body := af.call(t, af.leaderToken, "GET", path, "")
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, code, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func TestAPIRankingsMatchPublished(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	var list struct {
		Rounds []struct {
			Round       string     `json:"round"`
			Version     int        `json:"version"`
			PublishedAt *time.Time `json:"published_at"`
		} `json:"rounds"`
	}
	af.getJSON(t, "/api/v1/rankings", &list)
	if len(list.Rounds) != 6 || list.Rounds[0].Round != "2019-B1" || list.Rounds[5].Round != "2019-B6" || list.Rounds[2].Version != 1 {
		t.Fatalf("published rounds = %+v, want 2019-B1 … B6, version 1", list.Rounds)
	}
	if p := list.Rounds[2].PublishedAt; p == nil || !p.Equal(testNow) {
		t.Errorf("2019-B3 published_at = %v, want the fixture's publication at %v", p, testNow)
	}

	var rk analytics.Ranking
	af.getJSON(t, "/api/v1/rankings/2019-B3", &rk)
	want, err := ts.store.PublishedRanking(context.Background(), "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	if rk.Round != "2019-B3" || rk.AsOf != "2019-06-30" || rk.SchemeHash != want.SchemeHash || len(rk.Units) != len(want.Units) {
		t.Fatalf("ranking header %s %s %s, %d units; want the stored one", rk.Round, rk.AsOf, rk.SchemeHash, len(rk.Units))
	}
	for i, u := range rk.Units {
		w := want.Units[i]
		if u.UnitID != w.UnitID || optF(u.Score) != optF(w.Score) || optI(u.Rank) != optI(w.Rank) {
			t.Errorf("unit %d: API %s %v, store %s %v", i, u.UnitID, optF(u.Score), w.UnitID, optF(w.Score))
		}
	}
	// Hand-checked: D47 (市重点项目建设办公室) is 4th of 城市建设类 in 2019-B3 with
	// 41.01 peer + 10.42 service + 8.58 complaints + 11.86 satisfaction − 0 = 71.87
	// (its few cases are scored near the category's rates: see the indicators below).
	d47 := findUnit(t, rk, "D47")
	if d47.Category != "城市建设类" || optF(d47.Score) != 71.87 || optI(d47.Rank) != 4 || d47.Tier == nil || *d47.Tier != "较好" {
		t.Errorf("D47 = %s %v rank %v, want 城市建设类 71.87 rank 4 较好", d47.Category, optF(d47.Score), optI(d47.Rank))
	}
	sum := *d47.Parts["peer"] + *d47.Parts["service"] + *d47.Parts["complaints"] + *d47.Parts["satisfaction"] - *d47.Parts["deductions"]
	if math.Abs(sum-71.87) > 0.005 {
		t.Errorf("D47 parts sum to %.2f, want 71.87", sum)
	}

	// The unit across the published rounds: the same numbers as each ranking.
	var hist struct {
		Unit   struct{ ID, Name, Kind, Category string } `json:"unit"`
		Rounds []struct {
			Round string   `json:"round"`
			Score *float64 `json:"score"`
			Rank  *int     `json:"rank"`
		} `json:"rounds"`
	}
	af.getJSON(t, "/api/v1/units/D47", &hist)
	if hist.Unit.Name != "市重点项目建设办公室" || len(hist.Rounds) != 6 || hist.Rounds[2].Round != "2019-B3" ||
		optF(hist.Rounds[2].Score) != 71.87 || optI(hist.Rounds[2].Rank) != 4 {
		t.Errorf("/units/D47 = %+v", hist)
	}
	af.getJSON(t, "/api/v1/units/"+ts.fx.hostileCnty, &hist)
	if hist.Unit.Kind != "county" || len(hist.Rounds) != 0 {
		t.Errorf("a county is in no department round: %+v", hist)
	}
	if code, body := af.call(t, af.leaderToken, "GET", "/api/v1/units/D99", ""); code != http.StatusNotFound || !strings.Contains(body, "单位不存在") {
		t.Errorf("unknown unit = %d %s", code, body)
	}
	if code, body := af.call(t, af.leaderToken, "GET", "/api/v1/rankings/2020-B1", ""); code != http.StatusNotFound || !strings.Contains(body, "尚未发布") {
		t.Errorf("an open, unpublished round = %d %s, want 404", code, body)
	}
}

func TestAPIRankingShowsOnlyThePublishedVersion(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	ctx := context.Background()
	// A new computation of 2019-B3 is version 2, but leaders still see 1.
	if _, err := ts.store.ScoreRound(ctx, "2019-B3", ts.cfg.Scheme, adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	var rk analytics.Ranking
	af.getJSON(t, "/api/v1/rankings/2019-B3", &rk)
	if rk.Version != 1 {
		t.Errorf("API shows version %d, want the published 1", rk.Version)
	}
}

func findUnit(t *testing.T, rk analytics.Ranking, id string) analytics.UnitRanking {
	t.Helper()
	for _, u := range rk.Units {
		if u.UnitID == id {
			return u
		}
	}
	t.Fatalf("%s not in %s", id, rk.Round)
	return analytics.UnitRanking{}
}

func optF(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}

func optI(v *int) int {
	if v == nil {
		return -1
	}
	return *v
}

func TestAPIUnitsAndHostileNameAsJSONText(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	code, raw := af.call(t, af.leaderToken, "GET", "/api/v1/units", "")
	if code != http.StatusOK {
		t.Fatalf("units = %d", code)
	}
	var list struct {
		Units []struct{ ID, Name, Kind, Category string } `json:"units"`
	}
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, u := range list.Units {
		kinds[u.Kind]++
	}
	if kinds["department"] != 60 || kinds["county"] != 20 {
		t.Errorf("units by kind = %v, want 60 departments and 20 counties", kinds)
	}
	// The hostile name travels as JSON text with < and > escaped, and
	// decodes back to exactly the imported name.
	for _, path := range []string{"/api/v1/units", "/api/v1/units/" + ts.fx.hostileUnit, "/api/v1/rankings/2019-B3",
		"/api/v1/indicators", "/api/v1/projects", "/api/v1/alerts?date=2019-06-30", "/api/v1/interviews?year=2019"} {
		code, raw := af.call(t, af.leaderToken, "GET", path, "")
		if code != http.StatusOK {
			t.Errorf("%s = %d", path, code)
			continue
		}
		if strings.Contains(raw, "<script") || strings.Contains(raw, hostile) {
			t.Errorf("%s carries a raw <script>", path)
		}
		if !strings.Contains(raw, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
			t.Errorf("%s does not carry the hostile name escaped as \\u003c…", path)
		}
	}
	found := false
	for _, u := range list.Units {
		if u.ID == ts.fx.hostileUnit {
			found = u.Name == hostile
		}
	}
	if !found {
		t.Errorf("the hostile unit's name does not decode to %q", hostile)
	}
}

func TestAPIIndicators(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	type ind struct {
		Value  *float64 `json:"value"`
		Count  int      `json:"count"`
		N      int      `json:"n"`
		Pooled *float64 `json:"pooled"`
		Points float64  `json:"points"`
	}
	var tab struct {
		Round string `json:"round"`
		Units []struct {
			UnitID     string         `json:"unit_id"`
			Indicators map[string]ind `json:"indicators"`
		} `json:"units"`
	}
	af.getJSON(t, "/api/v1/indicators", &tab)
	if tab.Round != "2019-B6" {
		t.Errorf("default round %s, want the newest published 2019-B6", tab.Round)
	}
	af.getJSON(t, "/api/v1/indicators?round=2019-B3", &tab)
	if tab.Round != "2019-B3" || len(tab.Units) != 60 {
		t.Fatalf("indicators of %s: %d units", tab.Round, len(tab.Units))
	}
	for _, u := range tab.Units {
		if u.UnitID != "D47" {
			continue
		}
		// Hand-checked against the default rules with credibility m = 10:
		// at-most-one-visit 3 of 4 = 75 %, category 83.46 %: r̂ = (3 + 8.3457)/14
		// = 81.04 %, with target 90 % and floor 50 % earns (0.8104 − 0.5)/0.4 × 4
		// = 3.10; on time 3 of 3, category 84.72 %: r̂ = (3 + 8.4715)/13 = 88.24 %
		// → (0.8824 − 0.8)/0.2 × 8 = 3.30.
		ov := u.Indicators["one_visit_rate"]
		if optF(ov.Value) != 0.75 || ov.Count != 3 || ov.N != 4 || math.Abs(ov.Points-3.10) > 0.005 ||
			ov.Pooled == nil || math.Abs(*ov.Pooled-0.8346) > 0.0001 {
			t.Errorf("D47 one_visit_rate = %+v, want 0.75 = 3/4 and 3.10 points", ov)
		}
		if ot := u.Indicators["on_time_rate"]; optF(ot.Value) != 1 || ot.N != 3 || math.Abs(ot.Points-3.30) > 0.005 {
			t.Errorf("D47 on_time_rate = %+v, want 1 = 3/3 and 3.30 points", ot)
		}
		return
	}
	t.Errorf("D47 missing from the indicators")
}

func TestAPIProjectsAndInterviews(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	type rates struct {
		Period       string  `json:"period"`
		AsOf         string  `json:"as_of"`
		TimeProgress float64 `json:"time_progress"`
		Counties     []struct {
			UnitID string `json:"unit_id"`
			Rates  map[string]struct {
				Value *float64 `json:"value"`
				Rank  *int     `json:"rank"`
			} `json:"rates"`
			InvestmentVsTime *float64 `json:"investment_vs_time"`
		} `json:"counties"`
	}
	var q, m, def rates
	af.getJSON(t, "/api/v1/projects?period=2019-Q2", &q)
	af.getJSON(t, "/api/v1/projects?period=2019-06", &m)
	af.getJSON(t, "/api/v1/projects", &def)
	if def.Period != "2019-Q4" {
		t.Errorf("default period %s, want the last ended quarter 2019-Q4", def.Period)
	}
	if q.AsOf != "2019-06-30" || m.AsOf != "2019-06-30" || q.TimeProgress != 0.5 || len(q.Counties) != 20 {
		t.Fatalf("2019-Q2: as of %s, progress %v, %d counties", q.AsOf, q.TimeProgress, len(q.Counties))
	}
	// Q2 and June end the same day: the same rates.
	qb, _ := json.Marshal(q.Counties)
	mb, _ := json.Marshal(m.Counties)
	if string(qb) != string(mb) {
		t.Errorf("2019-Q2 and 2019-06 differ")
	}
	worst := 0
	for _, c := range q.Counties {
		if r := c.Rates["land_supply_rate"].Rank; r != nil && *r > worst {
			worst = *r
		}
		if inv := c.Rates["investment_rate"].Value; inv != nil && c.InvestmentVsTime != nil &&
			math.Abs(*c.InvestmentVsTime-(*inv-0.5)*100) > 1e-9 {
			t.Errorf("%s: investment vs time %v, want (%v − 0.5) × 100", c.UnitID, *c.InvestmentVsTime, *inv)
		}
		if c.UnitID == fixtures.NoLandCounty && c.Rates["land_supply_rate"].Value != nil {
			t.Errorf("%s needs no land: its 供地率 should be null", c.UnitID)
		}
	}
	for _, c := range q.Counties {
		if c.UnitID == fixtures.LandLastCounty && optI(c.Rates["land_supply_rate"].Rank) != worst {
			t.Errorf("%s should be last on 供地率 in 2019-Q2 (rank %d of %d)", c.UnitID, optI(c.Rates["land_supply_rate"].Rank), worst)
		}
	}

	var iv struct {
		Year       int `json:"year"`
		Interviews []struct {
			UnitID  string   `json:"unit_id"`
			Rate    string   `json:"rate"`
			Periods []string `json:"periods"`
		} `json:"interviews"`
		AtRisk []struct {
			Periods []string `json:"periods"`
		} `json:"at_risk"`
		Latest string `json:"latest_period"`
	}
	af.getJSON(t, "/api/v1/interviews?year=2019", &iv)
	listed := false
	for _, x := range iv.Interviews {
		if x.UnitID == fixtures.LandLastCounty && x.Rate == "land_supply_rate" &&
			strings.Contains(strings.Join(x.Periods, ","), "2019-Q2,2019-Q3") {
			listed = true
		}
	}
	if !listed {
		t.Errorf("%s, last on 供地率 in 2019-Q2 and Q3, is not on the 约谈 list: %+v", fixtures.LandLastCounty, iv.Interviews)
	}
	if iv.Latest != "2019-Q4" {
		t.Errorf("latest period %s, want 2019-Q4", iv.Latest)
	}
	for _, r := range iv.AtRisk {
		if len(r.Periods) != 1 || r.Periods[0] != "2019-Q4" {
			t.Errorf("at risk entry %v: want a run of one period ending at 2019-Q4", r.Periods)
		}
	}

	// In mid-August only Q1 and Q2 have ended: Q3 is not judged yet, and
	// the county last on 供地率 in Q1 and Q2 is listed for those.
	ts.setNow(time.Date(2019, 8, 15, 9, 0, 0, 0, time.Local))
	af.getJSON(t, "/api/v1/interviews?year=2019", &iv)
	if iv.Latest != "2019-Q2" {
		t.Errorf("in August the latest ended period is %s, want 2019-Q2", iv.Latest)
	}
	listed = false
	for _, x := range iv.Interviews {
		for _, p := range x.Periods {
			if p > "2019-Q2" {
				t.Errorf("%s listed for a period not yet ended: %v", x.UnitID, x.Periods)
			}
		}
		if x.UnitID == fixtures.LandLastCounty && x.Rate == "land_supply_rate" {
			listed = true
		}
	}
	if !listed {
		t.Errorf("%s not listed in August for 供地率 2019-Q1–Q2", fixtures.LandLastCounty)
	}
}

func TestAPIAlerts(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	type body struct {
		Date    string         `json:"date"`
		Total   int            `json:"total"`
		ByLevel map[string]int `json:"by_level"`
		Alerts  []struct {
			Kind, ID, Level string
			UnitID          string `json:"unit_id"`
		} `json:"alerts"`
	}
	var b body
	af.getJSON(t, "/api/v1/alerts?date=2019-06-30", &b)
	want, err := ts.store.Alerts(context.Background(), time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if b.Date != "2019-06-30" || b.Total != len(want) || len(b.Alerts) != len(want) || b.Total == 0 {
		t.Fatalf("alerts 2019-06-30: %d (%d listed), store %d", b.Total, len(b.Alerts), len(want))
	}
	if n := b.ByLevel["超期"] + b.ByLevel["报警"] + b.ByLevel["临期"]; n != b.Total {
		t.Errorf("levels sum to %d, total %d", n, b.Total)
	}
	// The fixture's weak unit has 3 unresolved document evaluations in May.
	af.getJSON(t, "/api/v1/alerts?date=2019-05-31", &b)
	found := false
	for _, a := range b.Alerts {
		if a.Kind == "document_unresolved" && a.UnitID == fixtures.WeakUnit && a.ID == fixtures.UnresolvedMonth && a.Level == "报警" {
			found = true
		}
	}
	if !found {
		t.Errorf("no 报警 for %s's unresolved documents of %s", fixtures.WeakUnit, fixtures.UnresolvedMonth)
	}
	af.getJSON(t, "/api/v1/alerts", &b)
	// The clock is at 2020-01-10 and the data end on 2019-12-31: the earlier.
	if b.Date != "2019-12-31" {
		t.Errorf("default date %s, want the data's last day 2019-12-31", b.Date)
	}
}

func TestAPIBadQueryValuesAre400(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	for _, c := range []struct{ token, method, path, body, want string }{
		{af.leaderToken, "GET", "/api/v1/rankings/2019-B7", "", "轮次格式"},
		{af.leaderToken, "GET", "/api/v1/rankings/%3Cscript%3E", "", "轮次格式"},
		{af.leaderToken, "GET", "/api/v1/indicators?round=2019B3", "", "轮次格式"},
		{af.leaderToken, "GET", "/api/v1/projects?period=2019-Q0", "", "期间格式"},
		{af.leaderToken, "GET", "/api/v1/projects?period=2019-6", "", "期间格式"},
		{af.leaderToken, "GET", "/api/v1/interviews?year=二〇一九", "", "年度格式"},
		{af.leaderToken, "GET", "/api/v1/interviews?year=20190", "", "年度格式"},
		{af.leaderToken, "GET", "/api/v1/alerts?date=2019-13-01", "", "日期格式"},
		{af.leaderToken, "GET", "/api/v1/alerts?date=30/06/2019", "", "日期格式"},
		{af.leaderToken, "GET", "/api/v1/alerts?date=2031-01-01", "", "工作日历"},
		{af.evalToken, "GET", "/api/v1/scores/2020-b1", "", "轮次格式"},
		{af.evalToken, "PUT", "/api/v1/scores/2020-B1", `{"entries":`, "JSON"},
		{af.evalToken, "PUT", "/api/v1/scores/2020-B1", `{"entries":[{"unit_id":"D01","group_id":"G01","score":"九十"}]}`, "类型错误"},
		{af.evalToken, "POST", "/api/v1/scores/2020-B0/submit", "", "轮次格式"},
	} {
		code, body := af.call(t, c.token, c.method, c.path, c.body)
		var e struct{ Error string }
		_ = json.Unmarshal([]byte(body), &e)
		if code != http.StatusBadRequest || !strings.Contains(e.Error, c.want) {
			t.Errorf("%s %s = %d %s, want 400 with %q", c.method, c.path, code, body, c.want)
		}
	}
}

func TestAPIBearerTokenNeedsNoCSRF(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	a := af.sheet(t).Assignments[0]
	body := `{"entries":[{"unit_id":"` + a.UnitID + `","group_id":"` + a.GroupID + `","score":91,"comment":""}]}`
	code, resp := af.call(t, af.evalToken, "PUT", "/api/v1/scores/"+af.round, body)
	if code != http.StatusOK {
		t.Fatalf("bearer PUT without CSRF = %d %s", code, resp)
	}
	var sh analytics.EvaluatorSheet
	_ = json.Unmarshal([]byte(resp), &sh)
	if sh.Done != 1 || sh.CommentBelow != 60 {
		t.Errorf("after one entry: done %d, comment_below %v; want 1 and 60", sh.Done, sh.CommentBelow)
	}
}

func TestAPICookieWritesNeedCSRFHeader(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	a := af.sheet(t).Assignments[0]
	body := `{"entries":[{"unit_id":"` + a.UnitID + `","group_id":"` + a.GroupID + `","score":91}]}`
	req, _ := http.NewRequest("PUT", ts.URL+"/api/v1/scores/"+af.round, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp := af.evalCookie.do(req)
	if text := readBody(resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(text, "CSRF") {
		t.Errorf("cookie PUT without X-CSRF-Token = %d %s, want 403", resp.StatusCode, text)
	}
	req, _ = http.NewRequest("POST", ts.URL+"/api/v1/scores/"+af.round+"/submit", nil)
	req.Header.Set("X-CSRF-Token", "forged")
	resp = af.evalCookie.do(req)
	if readBody(resp); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cookie POST with a wrong X-CSRF-Token = %d, want 403", resp.StatusCode)
	}
	if sh := af.sheet(t); sh.Done != 0 {
		t.Errorf("refused requests wrote %d scores", sh.Done)
	}
	resp = af.evalCookie.sendJSON("PUT", "/api/v1/scores/"+af.round, body)
	if text := readBody(resp); resp.StatusCode != http.StatusOK {
		t.Errorf("cookie PUT with X-CSRF-Token = %d %s", resp.StatusCode, text)
	}
	// Reading with a cookie needs no token.
	if code, _ := af.evalCookie.getBody("/api/v1/scores/" + af.round); code != http.StatusOK {
		t.Errorf("cookie GET = %d", code)
	}
}

func TestAPIRolesAreSeparate(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	leaderPaths := []string{"/api/v1/rankings", "/api/v1/rankings/2019-B3", "/api/v1/units", "/api/v1/units/D01",
		"/api/v1/indicators", "/api/v1/projects", "/api/v1/interviews", "/api/v1/alerts"}
	for _, p := range leaderPaths {
		if code, _ := af.call(t, af.evalToken, "GET", p, ""); code != http.StatusForbidden {
			t.Errorf("evaluator GET %s = %d, want 403", p, code)
		}
		if code, _ := af.evalCookie.getBody(p); code != http.StatusForbidden {
			t.Errorf("evaluator (cookie) GET %s = %d, want 403", p, code)
		}
		if code, _ := af.call(t, af.adminToken, "GET", p, ""); code != http.StatusOK {
			t.Errorf("admin GET %s = %d, want 200", p, code)
		}
		if code, _ := af.call(t, "", "GET", p, ""); code != http.StatusUnauthorized {
			t.Errorf("anonymous GET %s = %d, want 401", p, code)
		}
	}
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/assignments", ""},
		{"GET", "/api/v1/scores/" + af.round, ""},
		{"PUT", "/api/v1/scores/" + af.round, `{"entries":[]}`},
		{"POST", "/api/v1/scores/" + af.round + "/submit", ""},
	} {
		for _, tok := range []string{af.leaderToken, af.adminToken} {
			if code, _ := af.call(t, tok, c.method, c.path, c.body); code != http.StatusForbidden {
				t.Errorf("leader/admin %s %s = %d, want 403", c.method, c.path, code)
			}
		}
		// Anonymous: 401, reads and writes alike — the session and role
		// check runs before the CSRF check and before any body is read.
		want := http.StatusUnauthorized
		if code, _ := af.call(t, "", c.method, c.path, c.body); code != want {
			t.Errorf("anonymous %s %s = %d, want %d", c.method, c.path, code, want)
		}
	}
}

func TestAPIUnknownAndRevokedTokensAre401(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	ctx := context.Background()
	if code, body := af.call(t, "not-a-token", "GET", "/api/v1/rankings", ""); code != http.StatusUnauthorized || !strings.Contains(body, "令牌") {
		t.Errorf("unknown token = %d %s", code, body)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/rankings", nil)
	req.Header.Set("Authorization", "Basic bGVhZGVyOng=")
	if resp := af.plain.do(req); readBody(resp) == "" || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("Basic auth = %d, want 401", resp.StatusCode)
	}
	// A password reset revokes the account's tokens (a token never used yet,
	// so no cached lookup stands in the way).
	tok, err := ts.store.CreateAPIToken(ctx, leaderUser, "second", adminUser, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.store.SetPassword(ctx, leaderUser, "another-password-1", adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	if code, _ := af.call(t, tok, "GET", "/api/v1/rankings", ""); code != http.StatusUnauthorized {
		t.Errorf("revoked token = %d, want 401", code)
	}
	// A disabled account's tokens stop working too.
	if err := ts.store.SetDisabled(ctx, evalUser, true, adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	ts.sess.forgetUser(evalUser)
	if code, _ := af.call(t, af.evalToken, "GET", "/api/v1/assignments", ""); code != http.StatusUnauthorized {
		t.Errorf("disabled account's token = %d, want 401", code)
	}
}
