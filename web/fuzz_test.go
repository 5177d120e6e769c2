package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The API fuzzers run against one real server per fuzz function (a copy of
// the sample city): whatever the body or the query string, the answer is
// JSON with a 2xx or 4xx status, never a 5xx.

// fuzzAPI is a server with round 2020-B1 open to evaluators and bearer
// tokens for the evaluator and the leader.
type fuzzAPI struct {
	ts          *testServer
	http        *http.Client
	evalToken   string
	leaderToken string
	round       string
}

func newFuzzAPI(f *testing.F) *fuzzAPI {
	f.Helper()
	ts := newTestServer(f)
	ctx := context.Background()
	fa := &fuzzAPI{ts: ts, http: &http.Client{Timeout: 60 * time.Second}, round: "2020-B1"}
	var err error
	if fa.evalToken, err = ts.store.CreateAPIToken(ctx, evalUser, "fuzz", adminUser, testNow); err != nil {
		f.Fatal(err)
	}
	if fa.leaderToken, err = ts.store.CreateAPIToken(ctx, leaderUser, "fuzz", adminUser, testNow); err != nil {
		f.Fatal(err)
	}
	if _, err := ts.store.CreateRound(ctx, fa.round, adminUser, testNow); err != nil {
		f.Fatal(err)
	}
	if _, err := ts.store.OpenRound(ctx, fa.round, testNow.Add(7*24*time.Hour), adminUser, testNow); err != nil {
		f.Fatal(err)
	}
	ts.invalidate()
	return fa
}

// send makes one request and checks the answer: JSON, status 2xx or 4xx.
func (fa *fuzzAPI) send(t *testing.T, token, method, path, rawQuery, body string) (int, string) {
	req, err := http.NewRequest(method, fa.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL.RawQuery = rawQuery
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := fa.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s?%s: %v", method, path, rawQuery, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	what := fmt.Sprintf("%s %s?%s (body %q)", method, path, rawQuery, cut(body, 200))
	if resp.StatusCode >= 500 || resp.StatusCode < 200 || (resp.StatusCode >= 300 && resp.StatusCode < 400) {
		t.Fatalf("%s: status %d: %s", what, resp.StatusCode, cut(string(b), 500))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: status %d, Content-Type %q, want JSON", what, resp.StatusCode, ct)
	}
	if !json.Valid(b) {
		t.Fatalf("%s: status %d, the body is not JSON: %s", what, resp.StatusCode, cut(string(b), 500))
	}
	return resp.StatusCode, string(b)
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// queryText makes fuzzed bytes a query string that reaches the handler: the
// request line may not hold spaces, controls, '#' or non-ASCII bytes, so those
// are percent-encoded; everything else (including bad % escapes) is kept.
func queryText(in string) string {
	var b strings.Builder
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func FuzzAPIScoresBody(f *testing.F) {
	fa := newFuzzAPI(f)
	sh, err := fa.ts.store.EvaluatorSheet(context.Background(), fa.round, fa.ts.fx.evaluatorID, testNow)
	if err != nil || len(sh.Assignments) < 2 {
		f.Fatalf("sheet: %v (%d assignments)", err, len(sh.Assignments))
	}
	a, b := sh.Assignments[0], sh.Assignments[1]
	f.Add(entriesJSON(a, 90, "", b, 85, "好"))
	f.Add(entriesJSON(a, 45, "", b, 120, ""))
	f.Add(entriesJSON(a, 59.5, "须改进", b, 0, "差"))
	f.Add(fmt.Sprintf(`{"entries":[{"unit_id":%q,"group_id":%q,"score":1e309,"comment":""}]}`, a.UnitID, a.GroupID))
	f.Add(fmt.Sprintf(`{"entries":[{"unit_id":%q,"group_id":%q,"score":"90","comment":null}]}`, a.UnitID, a.GroupID))
	f.Add(fmt.Sprintf(`{"entries":[{"unit_id":%q,"group_id":%q,"score":-0,"comment":"\u202e\u0000"}]}`, a.UnitID, a.GroupID))
	f.Add(fmt.Sprintf(`{"entries":[{"unit_id":%q,"group_id":%q,"score":90,"comment":%q}]}`, a.UnitID, a.GroupID, strings.Repeat("很", 5000)))
	f.Add(fmt.Sprintf(`{"entries":[{"unit_id":%q,"group_id":%q,"score":null}]}`, a.UnitID, a.GroupID))
	f.Add(`{"entries":[{"unit_id":"D01","group_id":"G99","score":90}]}`)
	f.Add(`{"evaluator_id":"E0001","entries":[]}`)
	f.Add(`{"entries":null}`)
	f.Add(`{"entries":{}}`)
	f.Add(`{"entries":[]}`)
	f.Add(`{"entries":[null,{}]}`)
	f.Add(`[]`)
	f.Add(`null`)
	f.Add(``)
	f.Add(`{`)
	f.Add(`{"entries":[` + strings.Repeat(`{"unit_id":"x","group_id":"y","score":1},`, 300) + `{}]}`)
	f.Add("\xff\xfe{}")
	f.Fuzz(func(t *testing.T, body string) {
		fa.send(t, fa.evalToken, http.MethodPut, "/api/v1/scores/"+fa.round, "", body)
	})
}

// apiQueryPaths are the GET endpoints whose query strings are fuzzed.
var apiQueryPaths = []string{"/api/v1/whatif", "/api/v1/alerts", "/api/v1/projects"}

func FuzzAPIQueries(f *testing.F) {
	fa := newFuzzAPI(f)
	seeds := []string{"", "round=2019-B6", "round=2019-B6&peer=100&service=20", "peer=-5", "peer=NaN", "peer=1e309&leader=0",
		"leader=0&member_head=0&lead_head=0", "round=2030-B1", "round=2019-B9", "round=%zz", "round=&round=2019-B1",
		"date=2019-06-30", "date=2019-13-01", "date=2019-06-30&unit=D01&kind=cases", "date=0001-01-01", "date=9999-12-31", "date=2019-02-30",
		"unit=%E2%80%AE", "kind=%00", "period=2019-Q2", "period=2019-06", "period=2019-Q0", "period=2019-6", "period=-1-Q1",
		"period=99999-Q1", "year=2019", "category=" + strings.Repeat("%E7%BD%91", 300), strings.Repeat("a=1&", 500)}
	for i, p := range apiQueryPaths {
		for _, s := range seeds {
			f.Add(uint8(i), s)
		}
		_ = p
	}
	f.Fuzz(func(t *testing.T, which uint8, q string) {
		path := apiQueryPaths[int(which)%len(apiQueryPaths)]
		fa.send(t, fa.leaderToken, http.MethodGet, path, queryText(q), "")
	})
}
