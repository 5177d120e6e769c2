package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIResponsesAreNotStored walks every /api/ route of routes.go as an
// anonymous visitor, a leader and an evaluator (successes, 401s, 403s and
// 4xx answers alike), plus an unknown API path and a wrong method: every
// answer carries Cache-Control: no-store.
func TestAPIResponsesAreNotStored(t *testing.T) {
	ts := newTestServer(t)
	clients := map[string]*client{"anonymous": ts.anon(t), "leader": ts.login(t, leaderUser), "evaluator": ts.login(t, evalUser)}
	params := strings.NewReplacer(":round", "2019-B6", ":unit", "D44")
	type call struct{ method, path string }
	calls := []call{{http.MethodGet, "/api/v1/no-such-thing"}, {http.MethodDelete, "/api/v1/units"}}
	for _, r := range ts.Routes() {
		if strings.HasPrefix(r.Path, "/api/") {
			calls = append(calls, call{r.Method, params.Replace(r.Path)})
		}
	}
	if len(calls) < 15 {
		t.Fatalf("only %d API calls: the route table was not walked", len(calls))
	}
	for who, c := range clients {
		for _, k := range calls {
			resp := c.sendJSON(k.method, k.path, `{"entries": []}`)
			readBody(resp)
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s %s %s: status %d, Cache-Control %q, want no-store", who, k.method, k.path, resp.StatusCode, got)
			}
		}
	}
}
