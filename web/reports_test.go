package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportsPageGeneratesAndDownloadsARound: a leader generates the
// bulletin of 2019-B3 through the page and downloads it: a complete HTML
// document with the round's title, sent as an attachment.
func TestReportsPageGeneratesAndDownloadsARound(t *testing.T) {
	ts := newTestServer(t)
	leader := ts.login(t, leaderUser)
	code, page := leader.getBody("/reports")
	if code != http.StatusOK || !strings.Contains(page, `<option value="2019-B6" selected>`) || !strings.Contains(page, "/static/reports.js") {
		t.Fatalf("GET /reports = %d: want the form with the newest round chosen", code)
	}
	resp := leader.postForm("/reports", url.Values{"kind": {"round"}, "round": {"2019-B3"}})
	page = readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "已生成 1 个文件") ||
		!strings.Contains(page, `href="/reports/files/round-2019-B3.html"`) || !strings.Contains(page, "双月效能评议通报 2019-B3(HTML)") {
		t.Fatalf("POST /reports = %d: want round-2019-B3.html listed\n%s", resp.StatusCode, firstLine(page))
	}
	if _, err := os.Stat(filepath.Join(ts.cfg.ReportDir, "round-2019-B3.html")); err != nil {
		t.Errorf("not written to the report folder: %v", err)
	}
	resp = leader.get("/reports/files/round-2019-B3.html")
	doc := readBody(resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download = %d", resp.StatusCode)
	}
	if !strings.HasPrefix(doc, "<!DOCTYPE html>") || !strings.Contains(doc, "2019年第3次机关效能评议通报") {
		t.Errorf("download is not the round's bulletin: %.80q", doc)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "round-2019-B3.html") {
		t.Errorf("Content-Disposition %q: want an attachment", cd)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	// The list on the page, later.
	if _, page := leader.getBody("/reports"); !strings.Contains(page, "round-2019-B3.html") {
		t.Errorf("GET /reports does not list the generated file")
	}
}

// TestReportsPageUnitProfileEscapesNames: the unit select and the list of
// generated files show the department renamed to the hostile name escaped.
func TestReportsPageUnitProfileEscapesNames(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	_, page := admin.getBody("/reports")
	esc := html.EscapeString(hostile)
	if !strings.Contains(page, ts.fx.hostileUnit+" "+esc) || strings.Contains(page, hostile) {
		t.Errorf("unit select: want %s with the hostile name escaped, never raw", ts.fx.hostileUnit)
	}
	resp := admin.postForm("/reports", url.Values{"kind": {"unit"}, "round": {"2019-B3"}, "unit": {ts.fx.hostileUnit}})
	page = readBody(resp)
	name := "unit-" + ts.fx.hostileUnit + "-2019-B3.html"
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, name) ||
		!strings.Contains(page, "单位效能画像 "+ts.fx.hostileUnit+" "+esc+" 2019-B3(HTML)") || strings.Contains(page, hostile) {
		t.Fatalf("unit profile: status %d; want %s listed with the name escaped", resp.StatusCode, name)
	}
	resp = admin.get("/reports/files/" + name)
	doc := readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(doc, "<!DOCTYPE html>") || !strings.Contains(doc, "效能画像") {
		t.Errorf("unit profile download = %d", resp.StatusCode)
	}
	if strings.Contains(doc, hostile) {
		t.Errorf("the profile carries the hostile name raw")
	}
}

// TestReportsPageRefusals: form errors, traversal in download names, and
// the evaluator role.
func TestReportsPageRefusals(t *testing.T) {
	ts := newTestServer(t)
	leader := ts.login(t, leaderUser)
	for _, v := range []url.Values{
		{"kind": {"round"}, "round": {""}},
		{"kind": {"unit"}, "round": {"2019-B3"}},
		{"kind": {"month"}, "month": {"2019-13"}},
		{"kind": {"quarter"}, "quarter": {"2019-Q5"}},
		{"kind": {"year"}, "year": {"19"}},
		{"kind": {"nothing"}},
		{"kind": {"unit"}, "round": {"2019-B3"}, "unit": {"NO-SUCH"}},
	} {
		resp := leader.postForm("/reports", v)
		page := readBody(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `class="error"`) {
			t.Errorf("POST %v = %d, want 422 with a message", v, resp.StatusCode)
		}
	}
	// A real report, and a file beside the report folder that must stay out of reach.
	resp := leader.postForm("/reports", url.Values{"kind": {"quarter"}, "quarter": {"2019-Q2"}})
	if page := readBody(resp); resp.StatusCode != http.StatusOK || !strings.Contains(page, "projects-2019-Q2.html") {
		t.Fatalf("quarter = %d", resp.StatusCode)
	}
	secret := filepath.Join(filepath.Dir(ts.cfg.ReportDir), "secret.html")
	if err := os.WriteFile(secret, []byte("<!DOCTYPE html>secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ts.cfg.ReportDir, ".hidden.html"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"..%2Fsecret.html", "..%2F..%2Fsecret.html", "%2E%2E%2Fsecret.html", "..%5Csecret.html",
		"..%2Fx.duckdb", "x.duckdb", ".hidden.html", "none.html", "..", "%2Fetc%2Fpasswd"} {
		resp := leader.get("/reports/files/" + p)
		body := readBody(resp)
		if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "secret") {
			t.Errorf("/reports/files/%s = %d, want 404", p, resp.StatusCode)
		}
	}
	if code, _ := leader.getBody("/reports/files/projects-2019-Q2.html"); code != http.StatusOK {
		t.Errorf("the quarter's file = %d", code)
	}
	ev := ts.login(t, evalUser)
	for _, p := range []string{"/reports", "/reports/files/projects-2019-Q2.html"} {
		if code, _ := ev.getBody(p); code != http.StatusForbidden {
			t.Errorf("evaluator GET %s = %d, want 403", p, code)
		}
	}
	resp = ev.postForm("/reports", url.Values{"kind": {"round"}, "round": {"2019-B3"}})
	readBody(resp)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("evaluator POST /reports = %d, want 403", resp.StatusCode)
	}
}

// TestReportsPageLeadersSeePublishedOnly: once 2019-B6 has a newer
// computation than the published one, a leader can no longer report on it
// (reports read the newest computation); an admin, who reviews it, can.
func TestReportsPageLeadersSeePublishedOnly(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.store.ScoreRound(context.Background(), "2019-B6", ts.cfg.Scheme, adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	leader := ts.login(t, leaderUser)
	if _, page := leader.getBody("/reports"); strings.Contains(page, `<option value="2019-B6"`) || !strings.Contains(page, `<option value="2019-B5" selected>`) {
		t.Errorf("the leader is offered 2019-B6, or not 2019-B5 first")
	}
	for _, v := range []url.Values{{"kind": {"round"}, "round": {"2019-B6"}}, {"kind": {"year"}, "year": {"2019"}}, {"kind": {"all"}, "month": {"2019-12"}}} {
		resp := leader.postForm("/reports", v)
		page := readBody(resp)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "2019-B6 的最新计算结果尚未发布") {
			t.Errorf("leader %v = %d, want 409", v, resp.StatusCode)
		}
	}
	resp := ts.login(t, adminUser).postForm("/reports", url.Values{"kind": {"round"}, "round": {"2019-B6"}})
	if page := readBody(resp); resp.StatusCode != http.StatusOK || !strings.Contains(page, "round-2019-B6.html") {
		t.Errorf("admin round 2019-B6 = %d", resp.StatusCode)
	}
}

// TestReportsPageWithoutChromiumWritesHTMLAndSaysHow: asking for PDF where
// no Chromium can be found writes the HTML and says in one line how to
// install it.
func TestReportsPageWithoutChromiumWritesHTMLAndSaysHow(t *testing.T) {
	t.Setenv("XIAONENG_CHROMIUM", filepath.Join(t.TempDir(), "no-chromium"))
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	if _, page := admin.getBody("/reports"); !strings.Contains(page, "apt-get install chromium fonts-noto-cjk") || strings.Contains(page, `name="pdf"`) {
		t.Errorf("the page does not say how to install Chromium, or offers PDF")
	}
	resp := admin.postForm("/reports", url.Values{"kind": {"month"}, "month": {"2019-06"}, "pdf": {"1"}})
	page := readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "projects-2019-06.html") || !strings.Contains(page, "apt-get install chromium") {
		t.Fatalf("month with pdf asked = %d", resp.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(ts.cfg.ReportDir, "projects-2019-06.pdf")); err == nil {
		t.Errorf("a PDF was written without Chromium")
	}
}

// TestReportsPageWholeMonth generates the whole set of a month ending a
// round and a quarter: the month's and quarter's bulletins, the round's, and
// every unit's profile with their compendium.
func TestReportsPageWholeMonth(t *testing.T) {
	ts := newTestServer(t)
	leader := ts.login(t, leaderUser)
	resp := leader.postForm("/reports", url.Values{"kind": {"all"}, "month": {"2019-06"}})
	page := readBody(resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("whole month = %d", resp.StatusCode)
	}
	for _, want := range []string{"projects-2019-06.html", "projects-2019-Q2.html", "round-2019-B3.html", "units-2019-B3.html",
		"unit-" + ts.fx.hostileUnit + "-2019-B3.html"} {
		if !strings.Contains(page, want) {
			t.Errorf("whole month lacks %s", want)
		}
	}
	ents, err := os.ReadDir(ts.cfg.ReportDir)
	if err != nil {
		t.Fatal(err)
	}
	units := 0
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "unit-") {
			units++
		}
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	rk, err := ts.store.Ranking(context.Background(), "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	if units != len(rk.Units) {
		t.Errorf("%d unit profiles, want %d", units, len(rk.Units))
	}
}
