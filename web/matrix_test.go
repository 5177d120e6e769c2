package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// matrixParams fills the path parameters of the route table with values of
// the sample city.
func matrixParams(ts *testServer) map[string]string {
	return map[string]string{
		"round":    "2019-B3",
		"unit":     ts.fx.hostileUnit,
		"name":     "app.css",
		"username": "nobody-such",
		"table":    "ranking",
		"file":     "none.html",
		"task":     "DB2019-019", // a task the hostile unit leads
	}
}

var paramRE = regexp.MustCompile(`:([a-z_]+)|\*`)

func fillPath(t *testing.T, path string, params map[string]string) string {
	return paramRE.ReplaceAllStringFunc(path, func(m string) string {
		if m == "*" {
			return "x"
		}
		v, ok := params[m[1:]]
		if !ok {
			t.Fatalf("route %s: no sample value for %s", path, m)
		}
		return url.PathEscape(v)
	})
}

// TestRoleRouteMatrix sends every route of the table as every role
// (anonymous, evaluator, leader, admin) and checks the answer against the
// route's roles: a role not allowed gets 403 (anonymous: a redirect to the
// login page for a page, 401 for the API and for writes), an allowed role
// never does. Writes carry a valid CSRF token, so what is checked is the
// role, not the token; state-changing requests go to a fresh server per
// role so one role's writes cannot hide another's refusal.
func TestRoleRouteMatrix(t *testing.T) {
	routes := newTestServer(t).Routes()
	roles := []string{"", analytics.RoleEvaluator, analytics.RoleLeader, analytics.RoleAdmin}
	users := map[string]string{analytics.RoleEvaluator: evalUser, analytics.RoleLeader: leaderUser, analytics.RoleAdmin: adminUser}
	checked := 0
	for _, role := range roles {
		ts := newTestServer(t)
		params := matrixParams(ts)
		var c *client
		if role == "" {
			c = ts.anon(t)
			c.get("/login").Body.Close()
		} else {
			c = ts.login(t, users[role])
		}
		// Reads first, then writes, /logout last of all.
		ordered := slices.Clone(routes)
		slices.SortStableFunc(ordered, func(a, b Route) int {
			rank := func(r Route) int {
				switch {
				case r.Path == "/logout":
					return 2
				case r.Method == http.MethodGet:
					return 0
				}
				return 1
			}
			return rank(a) - rank(b)
		})
		for _, r := range ordered {
			if r.Path == "/login" && r.Method == http.MethodPost {
				continue // covered by the login tests; posting here would log out
			}
			path := fillPath(t, r.Path, params)
			var resp *http.Response
			if r.Method == http.MethodGet {
				resp = c.get(path)
			} else {
				req, _ := http.NewRequest(r.Method, ts.URL+path, strings.NewReader(url.Values{"_csrf": {c.csrf()}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-CSRF-Token", c.csrf())
				resp = c.do(req)
			}
			body := readBody(resp)
			code := resp.StatusCode
			// The sample city has a department and a county named hostile:
			// no page, chart, API answer or export may carry it raw.
			if strings.Contains(body, hostile) {
				t.Errorf("%s %s as %s: the hostile name appears unescaped", r.Method, path, roleLabel(role))
			}
			allowed := r.Roles == nil || (role != "" && slices.Contains(r.Roles, role))
			label := r.Method + " " + r.Path + " as " + roleLabel(role)
			switch {
			case allowed:
				if code == http.StatusUnauthorized || code == http.StatusForbidden || code >= 500 ||
					(code == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/login") && r.Path != "/logout") {
					t.Errorf("%s: allowed but got %d %s", label, code, firstLine(body))
				}
			case role == "":
				isPage := r.Method == http.MethodGet && !strings.HasPrefix(r.Path, "/api/")
				if isPage && (code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login")) {
					t.Errorf("%s: got %d, want a redirect to /login", label, code)
				}
				if !isPage && code != http.StatusUnauthorized {
					t.Errorf("%s: got %d, want 401", label, code)
				}
			default:
				if code != http.StatusForbidden {
					t.Errorf("%s: got %d, want 403", label, code)
				}
			}
			checked++
		}
	}
	if checked < 4*10 {
		t.Fatalf("only %d role × route checks", checked)
	}
}

func roleLabel(r string) string {
	if r == "" {
		return "anonymous"
	}
	return r
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// TestEveryRouteIsInTheTable checks that echo serves nothing the route table
// (and so the matrix) does not know.
func TestEveryRouteIsInTheTable(t *testing.T) {
	ts := newTestServer(t)
	known := map[string]bool{}
	for _, r := range ts.Routes() {
		known[r.Method+" "+r.Path] = true
	}
	for _, r := range ts.Echo().Routes() {
		if !known[r.Method+" "+r.Path] {
			t.Errorf("echo route %s %s is not in routes()", r.Method, r.Path)
		}
	}
}
