package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forceUnitID renames a unit of the test server's database to id, in the
// units table and every stored result, by SQL: an id the importer refuses,
// as a database from before the rule may hold.
func forceUnitID(t *testing.T, ts *testServer, from, to string) {
	t.Helper()
	jf, _ := json.Marshal(from)
	jt, _ := json.Marshal(to)
	if _, err := ts.store.DB().Exec(`UPDATE units SET unit_id = $2 WHERE unit_id = $1`, from, to); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.DB().Exec(`UPDATE score_results SET unit_id = $2, result = replace(result, $3, $4) WHERE unit_id = $1`,
		from, to, `"unit_id":`+string(jf), `"unit_id":`+string(jt)); err != nil {
		t.Fatal(err)
	}
}

// TestReportsUnitWithTraversalIDWritesNothingOutside: a leader asking for
// the profile of a unit whose id climbs out of the report folder (forced
// into the database by SQL) gets a 422 with a message; nothing is written,
// inside the folder or out. The whole month's set is refused the same way.
func TestReportsUnitWithTraversalIDWritesNothingOutside(t *testing.T) {
	ts := newTestServer(t)
	outside := filepath.Join(filepath.Dir(ts.cfg.ReportDir), "pwned")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	// unit-X/../../<dir>/pwned/pwned-2019-B3.html from inside the report folder
	bad := "X/../../" + filepath.Base(filepath.Dir(ts.cfg.ReportDir)) + "/pwned/pwned"
	forceUnitID(t, ts, ts.fx.hostileUnit, bad)
	leader := ts.login(t, leaderUser)
	for _, v := range []url.Values{
		{"kind": {"unit"}, "round": {"2019-B3"}, "unit": {bad}},
		{"kind": {"all"}, "month": {"2019-06"}},
	} {
		resp := leader.postForm("/reports", v)
		page := readBody(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "单位编码含有不允许的字符") {
			t.Errorf("POST /reports %v = %d; want 422 naming the bad unit code", v, resp.StatusCode)
		}
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("written outside the report folder: %v", ents)
	}
	if ents, _ := os.ReadDir(ts.cfg.ReportDir); len(ents) != 0 {
		t.Errorf("written although refused: %v", ents)
	}
}

// TestDashboardLinksEscapeUnitIDs: a unit id reaching a link (forced into
// the database by SQL) is one escaped path segment, never a path or query.
func TestDashboardLinksEscapeUnitIDs(t *testing.T) {
	ts := newTestServer(t)
	forceUnitID(t, ts, ts.fx.hostileUnit, "X/../admin?a#b")
	leader := ts.login(t, leaderUser)
	code, page := leader.getBody("/dashboard?round=2019-B6")
	if code != http.StatusOK {
		t.Fatalf("GET /dashboard = %d", code)
	}
	if !strings.Contains(page, `href="/units/X%2F..%2Fadmin%3Fa%23b?round=2019-B6"`) || strings.Contains(page, `href="/units/X/`) {
		t.Errorf("the dashboard's link to the unit is not one escaped path segment")
	}
}
