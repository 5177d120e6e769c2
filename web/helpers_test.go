package web

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scheme"
)

// hostile is the name given to one department and one county of the sample
// city through a real import: every page, chart and export must show it
// escaped and never run it.
const hostile = `<script>alert(1)</script>`

// Accounts of the test database, all with password testPassword.
const (
	testPassword = "password-123"
	adminUser    = "admin"
	leaderUser   = "leader"
	evalUser     = "eval"
)

// sampleFixture is the sample city database built once per test run.
type sampleFixture struct {
	dir         string
	db          string
	evaluatorID string // the evaluator of account eval: a member_head with a unit
	evalUnit    string // that evaluator's own unit
	hostileUnit string // the department renamed to hostile
	hostileCnty string // the county renamed to hostile
}

var (
	fixtureOnce sync.Once
	fixture     sampleFixture
	fixtureErr  error
)

// testNow is the default clock of test servers: early January 2020, after
// the six rounds of 2019.
var testNow = time.Date(2020, 1, 10, 9, 0, 0, 0, time.Local)

func buildFixture() (sampleFixture, error) {
	ctx := context.Background()
	var f sampleFixture
	dir, err := os.MkdirTemp("", "xiaoneng-web-")
	if err != nil {
		return f, err
	}
	f.dir = dir
	data := filepath.Join(dir, "data")
	if _, err := fixtures.Generate(fixtures.Options{Scale: fixtures.Small, Out: data}); err != nil {
		return f, err
	}
	f.db = filepath.Join(dir, "sample.duckdb")
	st, err := analytics.Open(ctx, analytics.Options{Path: f.db, PasswordCost: bcrypt.MinCost})
	if err != nil {
		return f, err
	}
	defer st.Close()
	files, _, err := analytics.ExpandPaths([]string{data}, "")
	if err != nil {
		return f, err
	}
	for _, p := range files {
		if _, err := st.ImportFile(ctx, p, analytics.ImportOptions{Actor: "test"}); err != nil {
			return f, err
		}
	}
	// Rename one department and one county to the hostile name through the
	// importer, as an upstream spreadsheet would.
	units, err := st.Units(ctx)
	if err != nil {
		return f, err
	}
	fix := filepath.Join(dir, "units-fix.csv")
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"unit_id", "name", "kind", "category"})
	for _, u := range units {
		if u.Kind == "department" && f.hostileUnit == "" {
			f.hostileUnit = u.ID
			_ = w.Write([]string{u.ID, hostile, u.Kind, u.Category})
		}
		if u.Kind == "county" && f.hostileCnty == "" {
			f.hostileCnty = u.ID
			_ = w.Write([]string{u.ID, hostile, u.Kind, u.Category})
		}
	}
	w.Flush()
	if err := os.WriteFile(fix, []byte(b.String()), 0o644); err != nil {
		return f, err
	}
	if _, err := st.ImportFile(ctx, fix, analytics.ImportOptions{Actor: "test", Kind: "units"}); err != nil {
		return f, err
	}
	for _, r := range []string{"2019-B1", "2019-B2", "2019-B3", "2019-B4", "2019-B5", "2019-B6"} {
		if _, err := st.ScoreRound(ctx, r, scheme.Default(), "test", testNow); err != nil {
			return f, err
		}
		if _, err := st.Publish(ctx, r, analytics.PublishOptions{Reason: "样本数据"}, "test", testNow); err != nil {
			return f, err
		}
	}
	// The evaluator account: the first member_head who works in a unit.
	evs, err := os.ReadFile(filepath.Join(data, "evaluators.csv"))
	if err != nil {
		return f, err
	}
	rows, err := csv.NewReader(strings.NewReader(string(evs))).ReadAll()
	if err != nil {
		return f, err
	}
	for _, r := range rows[1:] {
		if r[2] == "member_head" && r[3] != "" {
			f.evaluatorID, f.evalUnit = r[0], r[3]
			break
		}
	}
	if f.evaluatorID == "" {
		return f, fmt.Errorf("no member_head evaluator in the sample city")
	}
	for _, u := range []analytics.User{
		{Username: adminUser, DisplayName: "效能办管理员", Role: analytics.RoleAdmin},
		{Username: leaderUser, DisplayName: "市领导", Role: analytics.RoleLeader},
		{Username: evalUser, DisplayName: "评议人", Role: analytics.RoleEvaluator, EvaluatorID: f.evaluatorID},
	} {
		if err := st.AddUser(ctx, u, testPassword, "test", testNow); err != nil {
			return f, err
		}
	}
	return f, nil
}

// testServer is the real server over a private copy of the sample database,
// listening on a loopback port, with a clock the test can move.
type testServer struct {
	*Server
	URL   string
	store *analytics.Store
	fx    sampleFixture
	mu    sync.Mutex
	clock time.Time
}

// setNow moves the server's clock.
func (ts *testServer) setNow(t time.Time) {
	ts.mu.Lock()
	ts.clock = t
	ts.mu.Unlock()
}

func (ts *testServer) nowTime() time.Time {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.clock
}

// newTestServer starts a server on a fresh copy of the sample city; edit
// changes the configuration before the server is built.
func newTestServer(t testing.TB, edit ...func(*Config)) *testServer {
	t.Helper()
	return newTestServerStore(t, analytics.Options{}, edit...)
}

// newTestServerStore is newTestServer with the store opened with opts
// (Path and Threads are set here).
func newTestServerStore(t testing.TB, opts analytics.Options, edit ...func(*Config)) *testServer {
	t.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = buildFixture() })
	if fixtureErr != nil {
		t.Fatalf("sample city: %v", fixtureErr)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	copyFile(t, fixture.db, db)
	opts.Path, opts.Threads = db, 2
	opts.PasswordCost = cmp.Or(opts.PasswordCost, bcrypt.MinCost)
	st, err := analytics.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{store: st, fx: fixture, clock: testNow}
	cfg := DefaultConfig()
	cfg.Now = ts.nowTime
	cfg.ReportDir = filepath.Join(dir, "reports")
	for _, e := range edit {
		e(&cfg)
	}
	srv, err := NewServer(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = srv
	hs := httptest.NewServer(srv.Handler())
	ts.URL = hs.URL
	t.Cleanup(func() {
		hs.Close()
		st.Close()
	})
	return ts
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// client is a browser-like client: a cookie jar, no automatic redirects, and
// the CSRF token added to every form it posts.
type client struct {
	t    testing.TB
	ts   *testServer
	http *http.Client
}

func (ts *testServer) anon(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, ts: ts, http: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login returns a client logged in as user (password testPassword).
func (ts *testServer) login(t testing.TB, user string) *client {
	t.Helper()
	c := ts.anon(t)
	c.get("/login") // sets the CSRF cookie
	resp := c.postForm("/login", url.Values{"username": {user}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d: %s", user, resp.StatusCode, readBody(resp))
	}
	resp.Body.Close()
	return c
}

// csrf is the client's CSRF cookie value (the double-submitted token).
func (c *client) csrf() string {
	u, _ := url.Parse(c.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "xn_csrf" {
			return ck.Value
		}
	}
	return ""
}

func (c *client) do(req *http.Request) *http.Response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp
}

// get fetches a path.
func (c *client) get(path string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.ts.URL+path, nil)
	return c.do(req)
}

// getBody fetches a path and returns status and body.
func (c *client) getBody(path string) (int, string) {
	c.t.Helper()
	resp := c.get(path)
	return resp.StatusCode, readBody(resp)
}

// postForm posts a form with the CSRF token added.
func (c *client) postForm(path string, v url.Values) *http.Response {
	c.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if v.Get("_csrf") == "" {
		v.Set("_csrf", c.csrf())
	}
	req, _ := http.NewRequest(http.MethodPost, c.ts.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// sendJSON sends a JSON body with the CSRF header (as app.js does).
func (c *client) sendJSON(method, path, body string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf())
	return c.do(req)
}

func readBody(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
