package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// dtEscHostile is the hostile name as html/template writes it in text.
var dtEscHostile = template.HTMLEscapeString(hostile)

// dtJSONHostile is the hostile name as json.Marshal writes it in chart options.
const dtJSONHostile = `\u003cscript\u003ealert(1)\u003c/script\u003e`

// dtInert fails when a page holds the hostile name raw, and checks that
// it shows it escaped in the text (and, with charts, in the chart JSON).
func dtInert(t *testing.T, body string, inChart bool) {
	t.Helper()
	if strings.Contains(body, hostile) {
		t.Fatalf("page contains the raw hostile name")
	}
	if !strings.Contains(body, dtEscHostile) {
		t.Errorf("page does not show the hostile name escaped (%s)", dtEscHostile)
	}
	if inChart && !strings.Contains(body, dtJSONHostile) {
		t.Errorf("chart JSON does not hold the hostile name escaped (%s)", dtJSONHostile)
	}
}

// dtRow returns the table row of the page that links to a unit.
func dtRow(t *testing.T, body, unitID string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<tr[^>]*>\s*<td class="num">[^<]*</td>\s*<td><a href="/units/` + unitID + `\?[^"]*">.*?</tr>`)
	m := re.FindString(body)
	if m == "" {
		t.Fatalf("no row for %s", unitID)
	}
	return m
}

func dtPublished(t *testing.T, ts *testServer, round, id string) analytics.UnitRanking {
	t.Helper()
	rk, err := ts.store.PublishedRanking(context.Background(), round)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range rk.Units {
		if u.UnitID == id {
			return u
		}
	}
	t.Fatalf("%s not in %s", id, round)
	return analytics.UnitRanking{}
}

func TestDashShowsThePublishedRanking(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, body := c.getBody("/dashboard")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	// Hand-checked against `xiaoneng ranking --round 2019-B6` on the sample
	// city: D44 second in 城市建设类 with 81.90 (好), parts 43.65 / 14.82 /
	// 11.23 / 12.19 / 0.00 (43.65 + 14.82 + 11.23 + 12.19 = 81.89, the parts
	// rounded one by one).
	row := dtRow(t, body, "D44")
	for _, want := range []string{">2<", ">81.90<", `<span class="tier tier-good">好</span>`, ">43.65<", ">14.82<", ">11.23<", ">12.19<", ">0.00<"} {
		if !strings.Contains(row, want) {
			t.Errorf("D44 row lacks %s: %s", want, row)
		}
	}
	u := dtPublished(t, ts, "2019-B6", "D44")
	if got := fmt.Sprintf("%.2f", *u.Score); got != "81.90" {
		t.Errorf("stored score of D44 = %s, want 81.90", got)
	}
	if u.Robustness != nil && !strings.Contains(row, fmt.Sprintf("%d–%d", u.Robustness.P05, u.Robustness.P95)) {
		t.Errorf("D44 row lacks its robustness interval %d–%d: %s", u.Robustness.P05, u.Robustness.P95, row)
	}
	// D40 first, 5th the round before (↑4)
	if row := dtRow(t, body, "D40"); !strings.Contains(row, `class="up">↑4<`) {
		t.Errorf("D40 row lacks ↑4: %s", row)
	}
	if !strings.Contains(dtRow(t, body, "D38"), `<span class="tier tier-poor">较差</span>`) {
		t.Errorf("D38 is not shown 较差")
	}
	for _, want := range []string{"第1版,发布于 2020-01-10 09:00", `<option value="2019-B6" selected>`, `<option value="2019-B1">`,
		`href="/export/ranking?format=csv&amp;round=2019-B6"`, `href="/export/ranking?format=xlsx&amp;round=2019-B6"`,
		`data-chart="dash-chart-1"`, `/static/dashboard.css`} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(body, "尚未发布") {
		t.Errorf("a leader is told about unpublished versions")
	}
	dtInert(t, body, true)
}

func TestDashRoundSelectionAndErrors(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, body := c.getBody("/dashboard?round=2019-B1")
	if status != http.StatusOK || !strings.Contains(body, `<option value="2019-B1" selected>`) {
		t.Fatalf("round 2019-B1: status %d", status)
	}
	// B1 follows a round that was never scored: no change is shown.
	if row := dtRow(t, body, "D44"); !strings.Contains(row, "<td class=\"\">—</td>") {
		t.Errorf("2019-B1 shows a rank change: %s", row)
	}
	for path, want := range map[string]int{
		"/dashboard?round=2019-B9":   http.StatusBadRequest,
		"/dashboard?round=2018-B1":   http.StatusNotFound,
		"/dashboard?round=%3Cx%3E":   http.StatusBadRequest,
		"/dashboard?round=2019-B2x":  http.StatusBadRequest,
		"/dashboard?round=+2019-B2+": http.StatusOK,
	} {
		if got, body := c.getBody(path); got != want {
			t.Errorf("%s: status %d, want %d: %.200s", path, got, want, body)
		}
	}
	if _, body := c.getBody("/dashboard?round=2018-B1"); !strings.Contains(body, "轮次 2018-B1 尚无已发布的排名") {
		t.Errorf("404 page lacks its Chinese message")
	}
}

func TestDashAdminSeesNewerVersionLeaderSeesPublished(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	// A second computation of B6 under another scheme, not published.
	sc := scoring.DefaultScheme()
	sc.PeerPoints = 70
	v2, err := ts.store.ScoreRound(ctx, "2019-B6", sc, "test", testNow)
	if err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	var v2score float64
	for _, u := range v2.Units {
		if u.UnitID == "D44" {
			v2score = *u.Score
		}
	}
	if fmt.Sprintf("%.2f", v2score) == "81.90" {
		t.Fatalf("the second version does not differ")
	}
	for _, who := range []string{leaderUser, adminUser} {
		_, body := ts.login(t, who).getBody("/dashboard")
		row := dtRow(t, body, "D44")
		if !strings.Contains(row, ">81.90<") || strings.Contains(row, fmt.Sprintf(">%.2f<", v2score)) {
			t.Errorf("%s does not see the published score: %s", who, row)
		}
		notice := strings.Contains(body, "已计算第2版")
		if notice != (who == adminUser) {
			t.Errorf("%s: newer-version notice shown = %v", who, notice)
		}
		// The unit page explains the published version under its own
		// scheme, not the newest computation.
		_, body = ts.login(t, who).getBody("/units/D44")
		if body = dtSquash(body); !strings.Contains(body, "<b>81.90</b>") ||
			!strings.Contains(body, `<td>效能评议</td><td class="num">43.65</td><td class="num">50.00</td>`) {
			t.Errorf("%s: the unit page does not explain the published version", who)
		}
	}
}

func TestDashRowMarksUnrobustRanks(t *testing.T) {
	score, rank, prev, tier := 60.5, 12, 10, scoring.TierPoor
	r := dashRowOf(analytics.UnitRanking{UnitID: "X", Score: &score, Rank: &rank, PreviousRank: &prev, Tier: &tier,
		Parts:      map[string]*float64{"peer": &score},
		Robustness: &analytics.Robustness{P05: 9, P95: 12},
		Flags:      []string{scoring.FlagNotRobustLast, "redistributed:complaints"}}, scoring.PartsShown(false))
	if !r.NotRobust || r.Change != "↓2" || r.ChangeClass != "down" || r.TierClass != "tier-poor" {
		t.Errorf("row %+v", r)
	}
	if r.Parts[0] == nil || *r.Parts[0] != 60.5 || r.Parts[1] != nil || len(r.Parts) != 5 {
		t.Errorf("parts %v", r.Parts)
	}
	if strings.Join(r.Flags, ";") != "末位不稳健;诉求办理无数据，分值按比例分配到其他部分" {
		t.Errorf("flags %v", r.Flags)
	}
	r = dashRowOf(analytics.UnitRanking{UnitID: "Y", Flags: []string{"redistributed:service"}}, scoring.PartsShown(true))
	if r.NotRobust || r.Change != "—" || r.Tier != "" || len(r.Parts) != 6 {
		t.Errorf("unranked row %+v", r)
	}
}

// TestDashRoles checks every route of the dashboard group: leaders and
// admins get the page, an evaluator 403, an anonymous visitor the login
// page (401 on the API).
func TestDashRoles(t *testing.T) {
	ts := newTestServer(t)
	paths := []string{"/dashboard", "/units/D44", "/counties", "/alerts", "/annual", "/export/ranking?format=csv",
		"/whatif", "/api/v1/whatif"}
	leader, admin, eval, anon := ts.login(t, leaderUser), ts.login(t, adminUser), ts.login(t, evalUser), ts.anon(t)
	for _, p := range paths {
		for who, c := range map[string]*client{"leader": leader, "admin": admin} {
			if got, body := c.getBody(p); got != http.StatusOK {
				t.Errorf("%s %s: status %d: %.200s", who, p, got, body)
			}
		}
		if got, body := eval.getBody(p); got != http.StatusForbidden {
			t.Errorf("evaluator %s: status %d, want 403: %.200s", p, got, body)
		}
		resp := anon.get(p)
		resp.Body.Close()
		if strings.HasPrefix(p, "/api/") {
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous %s: status %d, want 401", p, resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
			t.Errorf("anonymous %s: status %d to %q, want 303 to the login page", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// Every route of the group is in the list above.
	for _, r := range ts.Routes() {
		if !dtIsOurs(r.Path) {
			continue
		}
		found := false
		for _, p := range paths {
			if strings.HasPrefix(p, strings.Split(r.Path, ":")[0]) {
				found = true
			}
		}
		if !found || !dtSameRoles(r.Roles, leaders) {
			t.Errorf("route %s: tested %v, roles %v", r.Path, found, r.Roles)
		}
	}
}

// dtSquash drops the white space between tags, so tests can match rows.
func dtSquash(body string) string {
	return regexp.MustCompile(`>\s+<`).ReplaceAllString(body, "><")
}

func dtIsOurs(path string) bool {
	for _, p := range []string{"/dashboard", "/units/", "/counties", "/alerts", "/annual", "/export/", "/whatif", "/api/v1/whatif"} {
		if path == p || strings.HasPrefix(path, p) && strings.HasSuffix(p, "/") {
			return true
		}
	}
	return false
}

func dtSameRoles(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}
