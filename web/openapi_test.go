package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// loadOpenAPI parses and validates an OpenAPI document and builds its router.
func loadOpenAPI(t *testing.T, data []byte) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// apiCall is one request of the document test and the status it must get.
type apiCall struct {
	method, path, body string
	as                 string // "leader", "evaluator", "anon" (bearer tokens), "leader-cookie"
	status             int
	badInput           bool // the request itself breaks the document (a malformed value)
}

// validateExchange checks one real request and response against the
// document: the request's parameters (unless it is a deliberately bad one),
// the status being documented, the content type and the body's schema.
func validateExchange(router routers.Router, req *http.Request, reqBody []byte, badInput bool, status int, header http.Header, body []byte) error {
	// The router matches on the full URL; the document has no servers, so
	// match the path alone.
	r := req.Clone(context.Background())
	r.URL.Scheme, r.URL.Host, r.Host = "", "", ""
	if reqBody != nil {
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	route, params, err := router.FindRoute(r)
	if err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if !badInput {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return err
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), out)
}

// TestOpenAPIDocumentMatchesRealResponses calls every documented operation
// of the real server, in its success and error answers, and validates each
// exchange against openapi.json.
func TestOpenAPIDocumentMatchesRealResponses(t *testing.T) {
	ts := newTestServer(t)
	doc, router := loadOpenAPI(t, openAPIDoc)
	af := newAPIFixture(t, ts)
	sheet := af.sheet(t)
	a := sheet.Assignments[0]
	entry := func(score string) string {
		return `{"entries":[{"unit_id":"` + a.UnitID + `","group_id":"` + a.GroupID + `","score":` + score + `,"comment":"较好"}]}`
	}
	calls := []apiCall{
		{method: "GET", path: "/api/v1/openapi.json", as: "anon", status: 200},
		{method: "GET", path: "/healthz", as: "anon", status: 200},
		{method: "GET", path: "/api/v1/rankings", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/rankings", as: "leader-cookie", status: 200},
		{method: "GET", path: "/api/v1/rankings", as: "anon", status: 401},
		{method: "GET", path: "/api/v1/rankings", as: "evaluator", status: 403},
		{method: "GET", path: "/api/v1/rankings/2019-B3", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/rankings/2018-B6", as: "leader", status: 404},
		{method: "GET", path: "/api/v1/rankings/2019-B9", as: "leader", status: 400, badInput: true},
		{method: "GET", path: "/api/v1/units", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/units/" + ts.fx.hostileUnit, as: "leader", status: 200},
		{method: "GET", path: "/api/v1/units/" + ts.fx.hostileCnty, as: "leader", status: 200},
		{method: "GET", path: "/api/v1/units/NOPE", as: "leader", status: 404},
		{method: "GET", path: "/api/v1/indicators", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/indicators?round=2019-B1", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/indicators?round=2020-B1", as: "leader", status: 404},
		{method: "GET", path: "/api/v1/indicators?round=B1", as: "leader", status: 400, badInput: true},
		{method: "GET", path: "/api/v1/projects", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/projects?period=2019-Q2", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/projects?period=2019-06", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/projects?period=2019-Q5", as: "leader", status: 400, badInput: true},
		{method: "GET", path: "/api/v1/interviews", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/interviews?year=2019", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/interviews?year=19x", as: "leader", status: 400, badInput: true},
		{method: "GET", path: "/api/v1/alerts?date=2019-06-30", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/alerts", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/alerts?date=2019-02-30", as: "leader", status: 400, badInput: true},
		{method: "GET", path: "/api/v1/assignments", as: "evaluator", status: 200},
		{method: "GET", path: "/api/v1/assignments", as: "leader", status: 403},
		{method: "GET", path: "/api/v1/scores/" + af.round, as: "evaluator", status: 200},
		{method: "GET", path: "/api/v1/scores/2019-B3", as: "evaluator", status: 200},
		{method: "GET", path: "/api/v1/scores/2021-B1", as: "evaluator", status: 404},
		{method: "GET", path: "/api/v1/scores/2021-B7", as: "evaluator", status: 400, badInput: true},
		{method: "PUT", path: "/api/v1/scores/" + af.round, body: entry("88"), as: "evaluator", status: 200},
		{method: "PUT", path: "/api/v1/scores/" + af.round, body: entry("120"), as: "evaluator", status: 422},
		{method: "PUT", path: "/api/v1/scores/" + af.round, body: `{"entries":[]}`, as: "evaluator", status: 400},
		{method: "PUT", path: "/api/v1/scores/2019-B3", body: entry("88"), as: "evaluator", status: 409},
		{method: "PUT", path: "/api/v1/scores/" + af.round, body: entry("88"), as: "leader", status: 403},
		{method: "POST", path: "/api/v1/scores/" + af.round + "/submit", as: "evaluator", status: 422},
		// Without a cookie or a token, a write fails the CSRF check first.
		{method: "POST", path: "/api/v1/scores/" + af.round + "/submit", as: "anon", status: 401},
		{method: "POST", path: "/api/v1/scores/2021-B7/submit", as: "evaluator", status: 400, badInput: true},
		{method: "GET", path: "/api/v1/whatif", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/whatif?round=2019-B1&peer=40&on_time_rate=12&leader=2", as: "leader", status: 200},
		{method: "GET", path: "/api/v1/whatif?round=2018-B1", as: "leader", status: 404},
		{method: "GET", path: "/api/v1/whatif?peer=-5", as: "leader", status: 400, badInput: true},
		{method: "GET", path: "/api/v1/whatif", as: "evaluator", status: 403},
	}
	// Fill the whole sheet, submit, then a second submission conflicts.
	var all []string
	for _, x := range sheet.Assignments {
		all = append(all, `{"unit_id":"`+x.UnitID+`","group_id":"`+x.GroupID+`","score":75}`)
	}
	calls = append(calls,
		apiCall{method: "PUT", path: "/api/v1/scores/" + af.round, body: `{"entries":[` + strings.Join(all, ",") + `]}`, as: "evaluator", status: 200},
		apiCall{method: "POST", path: "/api/v1/scores/" + af.round + "/submit", as: "evaluator", status: 200},
		apiCall{method: "POST", path: "/api/v1/scores/" + af.round + "/submit", as: "evaluator", status: 409},
	)

	called := map[string]map[int]bool{} // operationId → statuses seen
	for _, call := range calls {
		req, _ := http.NewRequest(call.method, ts.URL+call.path, strings.NewReader(call.body))
		var reqBody []byte
		if call.body != "" {
			req.Header.Set("Content-Type", "application/json")
			reqBody = []byte(call.body)
		}
		var resp *http.Response
		switch call.as {
		case "leader":
			req.Header.Set("Authorization", "Bearer "+af.leaderToken)
			resp = af.plain.do(req)
		case "evaluator":
			req.Header.Set("Authorization", "Bearer "+af.evalToken)
			resp = af.plain.do(req)
		case "leader-cookie":
			resp = af.leaderCookie.do(req)
		default:
			resp = af.plain.do(req)
		}
		body := []byte(readBody(resp))
		if resp.StatusCode != call.status {
			t.Errorf("%s %s as %s = %d, want %d: %s", call.method, call.path, call.as, resp.StatusCode, call.status, body)
			continue
		}
		if err := validateExchange(router, req, reqBody, call.badInput, resp.StatusCode, resp.Header, body); err != nil {
			t.Errorf("%s %s as %s (%d) does not match openapi.json: %v", call.method, call.path, call.as, resp.StatusCode, err)
		}
		r2 := req.Clone(context.Background())
		r2.URL.Scheme, r2.URL.Host, r2.Host = "", "", ""
		if route, _, err := router.FindRoute(r2); err == nil {
			id := route.Operation.OperationID
			if called[id] == nil {
				called[id] = map[int]bool{}
			}
			called[id][resp.StatusCode] = true
		}
	}
	// Every documented operation was called, and every documented status
	// except 401/403 (shared responses, exercised on some operations) and
	// 503 (a database down) was seen for it.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			seen := called[op.OperationID]
			if seen == nil {
				t.Errorf("%s %s (%s) is documented but never called", method, path, op.OperationID)
				continue
			}
			for code := range op.Responses.Map() {
				switch code {
				case "401", "403", "503":
					continue
				}
				if n, err := strconv.Atoi(code); err == nil && !seen[n] {
					t.Errorf("%s %s: documented status %s never exercised", method, path, code)
				}
			}
		}
	}
}

// TestOpenAPIValidationCatchesDrift shows the document test can fail: a real
// ranking response is refused by a document whose schema was changed, and a
// response altered in a few ways is refused by the real document.
func TestOpenAPIValidationCatchesDrift(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	_, router := loadOpenAPI(t, openAPIDoc)
	// 2019-B1 has no round before it: every previous_rank is null.
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/rankings/2019-B1", nil)
	req.Header.Set("Authorization", "Bearer "+af.leaderToken)
	resp := af.plain.do(req)
	body := []byte(readBody(resp))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ranking 2019-B1 = %d", resp.StatusCode)
	}
	if err := validateExchange(router, req, nil, false, resp.StatusCode, resp.Header, body); err != nil {
		t.Fatalf("the real response should match the real document: %v", err)
	}

	t.Run("a changed schema refuses the real response", func(t *testing.T) {
		for name, edit := range map[string]func(map[string]any){
			"score as a string": func(s map[string]any) {
				props(s, "UnitRanking")["score"] = map[string]any{"type": "string", "nullable": true}
			},
			"a required field the server does not send": func(s map[string]any) {
				u := s["UnitRanking"].(map[string]any)
				props(s, "UnitRanking")["weight"] = map[string]any{"type": "number"}
				u["required"] = append(u["required"].([]any), "weight")
			},
			"a field the server sends left out": func(s map[string]any) {
				delete(props(s, "Ranking"), "inputs_fingerprint")
				r := s["Ranking"].(map[string]any)
				var req []any
				for _, x := range r["required"].([]any) {
					if x != "inputs_fingerprint" {
						req = append(req, x)
					}
				}
				r["required"] = req
			},
			"previous_rank not nullable": func(s map[string]any) {
				delete(props(s, "UnitRanking")["previous_rank"].(map[string]any), "nullable")
			},
		} {
			var d map[string]any
			if err := json.Unmarshal(openAPIDoc, &d); err != nil {
				t.Fatal(err)
			}
			edit(d["components"].(map[string]any)["schemas"].(map[string]any))
			changed, _ := json.Marshal(d)
			_, r := loadOpenAPI(t, changed)
			if err := validateExchange(r, req, nil, false, resp.StatusCode, resp.Header, body); err == nil {
				t.Errorf("%s: the real response passed a wrong document", name)
			}
		}
	})

	t.Run("a changed response is refused by the real document", func(t *testing.T) {
		for name, edit := range map[string]func(map[string]any){
			"score as a string":   func(u map[string]any) { u["score"] = "87" },
			"rank fractional":     func(u map[string]any) { u["rank"] = 1.5 },
			"an unknown field":    func(u map[string]any) { u["secret"] = true },
			"flags missing":       func(u map[string]any) { delete(u, "flags") },
			"indicator as number": func(u map[string]any) { u["indicators"] = map[string]any{"on_time_rate": 0.9} },
		} {
			var rk map[string]any
			if err := json.Unmarshal(body, &rk); err != nil {
				t.Fatal(err)
			}
			edit(rk["units"].([]any)[0].(map[string]any))
			changed, _ := json.Marshal(rk)
			if err := validateExchange(router, req, nil, false, resp.StatusCode, resp.Header, changed); err == nil {
				t.Errorf("%s: the changed response passed the document", name)
			}
		}
		if err := validateExchange(router, req, nil, false, 418, resp.Header, body); err == nil {
			t.Errorf("an undocumented status passed the document")
		}
		h := resp.Header.Clone()
		h.Set("Content-Type", "text/html; charset=utf-8")
		if err := validateExchange(router, req, nil, false, resp.StatusCode, h, body); err == nil {
			t.Errorf("an HTML content type passed the document")
		}
	})
}

// props is the properties of a component schema in a decoded document.
func props(schemas map[string]any, name string) map[string]any {
	return schemas[name].(map[string]any)["properties"].(map[string]any)
}

// TestOpenAPIListsExactlyTheAPIRoutes checks the document and the route
// table name the same /api/v1 operations (and /healthz).
func TestOpenAPIListsExactlyTheAPIRoutes(t *testing.T) {
	ts := newTestServer(t)
	doc, _ := loadOpenAPI(t, openAPIDoc)
	param := regexp.MustCompile(`:([a-z_]+)`)
	routes := map[string]bool{}
	for _, r := range ts.Routes() {
		if strings.HasPrefix(r.Path, "/api/") || r.Path == "/healthz" {
			routes[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	var missing, extra []string
	for k := range routes {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routes[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("API routes missing from openapi.json: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("openapi.json documents routes the server does not have: %v", extra)
	}
	if len(routes) < 14 {
		t.Errorf("only %d API routes found: %v", len(routes), routes)
	}
}

// TestOpenAPIServedPublicly checks /api/v1/openapi.json needs no login and
// is the embedded document.
func TestOpenAPIServedPublicly(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.anon(t).get("/api/v1/openapi.json")
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if body != string(openAPIDoc) {
		t.Errorf("served document differs from the embedded one")
	}
	var d struct {
		OpenAPI    string `json:"openapi"`
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil || !strings.HasPrefix(d.OpenAPI, "3.") {
		t.Fatalf("not an OpenAPI 3 document: %v %q", err, d.OpenAPI)
	}
	for _, k := range []string{"cookieAuth", "bearerAuth", "csrfHeader"} {
		if d.Components.SecuritySchemes[k] == nil {
			t.Errorf("security scheme %s missing", k)
		}
	}
}
