package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

func TestScreenShowsRankingsProjectsInterviewsAndAlerts(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	code, body := c.getBody("/screen")
	if code != http.StatusOK {
		t.Fatalf("/screen = %d", code)
	}
	for _, want := range []string{
		"示范市机关效能评议数据大屏", `id="sc-clock"`, "2020年1月10日 星期五 09:00",
		`data-interval="15000"`, `data-refresh="300000"`,
		`<link rel="stylesheet" href="/static/screen.css">`,
		`<script src="/static/echarts.min.js"></script>`, `<script src="/static/charts.js"></script>`, `<script src="/static/screen.js"></script>`,
		"效能排名 · 综合管理类", "效能排名 · 执法监管类", "2019-B6 轮次", // the newest published round
		"县(市、区)重点项目 · 2019-Q4", "约谈名单", "约谈风险", "预警",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/screen lacks %q", want)
		}
	}
	// Its own page: no site header, no app.js.
	if strings.Contains(body, `class="top"`) || strings.Contains(body, "/static/app.js") {
		t.Errorf("/screen should not use the site layout")
	}
	// One slide per category (5), two of county rates, one of 约谈 and alerts.
	if n := strings.Count(body, `<section class="sc-slide"`); n != 8 {
		t.Errorf("%d slides, want 8", n)
	}

	// The category charts match the published ranking: hand-check the
	// first bar of each against the stored 2019-B6 result.
	rk, err := ts.store.PublishedRanking(context.Background(), "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	charts := screenCharts(t, body)
	if len(charts) != 9 {
		t.Fatalf("%d charts, want 5 categories + 4 rates", len(charts))
	}
	for i := 1; i <= 5; i++ {
		opt := charts["screen-cat-"+string(rune('0'+i))]
		names := opt["yAxis"].(map[string]any)["data"].([]any)
		data := opt["series"].([]any)[0].(map[string]any)["data"].([]any)
		first := data[0].(map[string]any)
		var top *float64
		for _, u := range rk.Units {
			if u.Name == names[0] && u.Rank != nil && *u.Rank == 1 {
				top = u.Score
			}
		}
		if top == nil || first["value"].(float64) != *top {
			t.Errorf("chart %d: first bar %v %v is not a rank-1 unit's published score", i, names[0], first["value"])
		}
		colour := first["itemStyle"].(map[string]any)["color"]
		if colour != screenTierColour["好"] {
			t.Errorf("chart %d: rank 1 coloured %v, want the 好 colour", i, colour)
		}
	}
	// The investment chart marks the time progress (100% at the end of Q4).
	inv := charts["screen-rate-2"]["series"].([]any)[0].(map[string]any)
	ml, ok := inv["markLine"].(map[string]any)
	if !ok || ml["data"].([]any)[0].(map[string]any)["xAxis"].(float64) != 100 {
		t.Errorf("investment chart without the 100%% time progress line: %v", inv["markLine"])
	}
	// The alert tiles equal the store's counts as of the server's today.
	al, err := ts.store.Alerts(context.Background(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	overdue := 0
	for _, a := range al {
		if a.Level == "超期" {
			overdue++
		}
	}
	if want := `<span>超期</span><b>` + itoa(overdue) + `</b>`; !strings.Contains(body, want) {
		t.Errorf("/screen lacks the overdue tile %s", want)
	}
	if want := `合计 <b>` + itoa(len(al)) + `</b>`; !strings.Contains(body, want) {
		t.Errorf("/screen lacks the alert total %s", want)
	}
}

// screenCharts decodes every chart option of a page by element id.
func screenCharts(t *testing.T, body string) map[string]map[string]any {
	t.Helper()
	re := regexp.MustCompile(`<script type="application/json" data-chart="([^"]+)">(.*?)</script>`)
	out := map[string]map[string]any{}
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		var opt map[string]any
		if err := json.Unmarshal([]byte(m[2]), &opt); err != nil {
			t.Fatalf("chart %s: %v", m[1], err)
		}
		out[m[1]] = opt
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestScreenEscapesHostileNames(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	_, body := c.getBody("/screen")
	if strings.Contains(body, hostile) {
		t.Fatalf("/screen contains the raw %s", hostile)
	}
	// In the tables (the department's category and the 约谈/at-risk lists
	// name the county) escaped as HTML, in the charts as JSON text.
	if !strings.Contains(body, html.EscapeString(hostile)) {
		t.Errorf("/screen does not show the hostile name HTML-escaped")
	}
	if n := strings.Count(body, `\u003cscript\u003ealert(1)\u003c/script\u003e`); n < 2 {
		t.Errorf("the hostile department and county should each appear in a chart as \\u003c…: %d", n)
	}
	// Only scripts from /static and JSON data blocks; no inline code, no
	// style attributes, no event handlers.
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, `src="/static/`) && !strings.Contains(m, `type="application/json"`) {
			t.Errorf("inline script element %s", m)
		}
	}
	if regexp.MustCompile(`\sstyle=|\son[a-z]+=`).MatchString(body) {
		t.Errorf("/screen has a style attribute or an inline event handler")
	}
}

func TestScreenRolesAndAssets(t *testing.T) {
	ts := newTestServer(t)
	if code, _ := ts.login(t, adminUser).getBody("/screen"); code != http.StatusOK {
		t.Errorf("admin /screen = %d", code)
	}
	if code, _ := ts.login(t, evalUser).getBody("/screen"); code != http.StatusForbidden {
		t.Errorf("evaluator /screen = %d, want 403", code)
	}
	resp := ts.anon(t).get("/screen")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous /screen = %d → %s, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	anon := ts.anon(t)
	for name, ctype := range map[string]string{"screen.js": "text/javascript", "screen.css": "text/css"} {
		resp := anon.get("/static/" + name)
		body := readBody(resp)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || len(body) < 500 {
			t.Errorf("/static/%s = %d %s (%d bytes)", name, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
	}
}

func TestScreenKeepsPublishedVersionsOfReopenedRounds(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.store.ReopenRound(context.Background(), "2019-B6", "复核", testNow.Add(24*time.Hour), adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	code, body := ts.login(t, leaderUser).getBody("/screen")
	if code != http.StatusOK || !strings.Contains(body, "2019-B6 轮次") {
		t.Errorf("a reopened round keeps its published version on the screen: %d", code)
	}
}

func TestScreenOnAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	st, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(t.TempDir(), "empty.duckdb"), Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddUser(ctx, analytics.User{Username: leaderUser, DisplayName: "市领导", Role: analytics.RoleLeader}, testPassword, "test", testNow); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Now = func() time.Time { return testNow }
	srv, err := NewServer(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	ts := &testServer{Server: srv, URL: hs.URL, store: st, clock: testNow}
	code, body := ts.login(t, leaderUser).getBody("/screen")
	if code != http.StatusOK {
		t.Fatalf("/screen on an empty database = %d", code)
	}
	for _, want := range []string{"尚无已发布的评议结果", "约谈名单", `<span>超期</span><b>0</b>`} {
		if !strings.Contains(body, want) {
			t.Errorf("empty /screen lacks %q", want)
		}
	}
}
