package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// expectRedirect checks a 303 to want and closes the body.
func expectRedirect(t *testing.T, resp *http.Response, want string) {
	t.Helper()
	body := readBody(resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("status %d → %q, want 303 → %q: %s", resp.StatusCode, resp.Header.Get("Location"), want, firstLine(body))
	}
}

// tryLogin logs in with a fresh client and returns the status of the answer.
func tryLogin(t *testing.T, ts *testServer, user, pw string) int {
	t.Helper()
	c := ts.anon(t)
	c.get("/login").Body.Close()
	resp := c.postForm("/login", url.Values{"username": {user}, "password": {pw}})
	readBody(resp)
	return resp.StatusCode
}

// TestUsersPageAddDisableReset walks the accounts page: add accounts (with
// the refusals), disable one whose session is open (it stops at once, before
// the session cache would expire), enable it, reset a password (the old
// session and password stop working), refuse disabling oneself, and find
// every change in the audit log.
func TestUsersPageAddDisableReset(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)

	add := func(v url.Values) *http.Response {
		return admin.postForm("/admin/users", v)
	}
	expectRedirect(t, add(url.Values{"username": {"zhang.wei"}, "display_name": {hostile}, "role": {"leader"},
		"password": {"zhang-pass-1"}, "confirm": {"zhang-pass-1"}}), "/admin/users?done=added&user=zhang.wei")
	expectRedirect(t, add(url.Values{"username": {"ev2"}, "display_name": {"第二评议人"}, "role": {"evaluator"},
		"evaluator_id": {ts.fx.evaluatorID}, "password": {"ev2-pass-12"}, "confirm": {"ev2-pass-12"}}), "/admin/users?done=added&user=ev2")
	for _, c := range []struct {
		v      url.Values
		status int
		msg    string
	}{
		{url.Values{"username": {"short"}, "role": {"leader"}, "password": {"1234567"}, "confirm": {"1234567"}}, 422, "密码至少 8 个字符"},
		{url.Values{"username": {"long"}, "role": {"leader"}, "password": {strings.Repeat("密", 25)}, "confirm": {strings.Repeat("密", 25)}}, 422, "不超过 72 字节"},
		{url.Values{"username": {"mismatch"}, "role": {"leader"}, "password": {"abcdefgh1"}, "confirm": {"abcdefgh2"}}, 422, "两次输入的密码不一致"},
		{url.Values{"username": {"../x"}, "role": {"leader"}, "password": {"abcdefgh1"}, "confirm": {"abcdefgh1"}}, 422, "用户名须为"},
		{url.Values{"username": {"ev3"}, "role": {"evaluator"}, "evaluator_id": {"NO-SUCH"}, "password": {"abcdefgh1"}, "confirm": {"abcdefgh1"}}, 422, "评议人编码不存在"},
		{url.Values{"username": {"ev4"}, "role": {"evaluator"}, "password": {"abcdefgh1"}, "confirm": {"abcdefgh1"}}, 422, "须填写评议人编码"},
		{url.Values{"username": {"zhang.wei"}, "role": {"leader"}, "password": {"abcdefgh1"}, "confirm": {"abcdefgh1"}}, 409, "用户名已存在"},
	} {
		resp := add(c.v)
		body := readBody(resp)
		if resp.StatusCode != c.status || !strings.Contains(body, c.msg) {
			t.Errorf("add %s: status %d, want %d with %q", c.v.Get("username"), resp.StatusCode, c.status, c.msg)
		}
	}
	code, body := admin.getBody("/admin/users?done=added&user=ev2")
	if code != http.StatusOK {
		t.Fatalf("GET /admin/users = %d", code)
	}
	for _, want := range []string{"账户已创建:ev2", "zhang.wei", "ev2", ts.fx.evaluatorID, "评议人", "领导", "效能办",
		html.EscapeString(hostile), "至少 8 个字符", "不超过 72 字节"} {
		if !strings.Contains(body, want) {
			t.Errorf("accounts page lacks %q", want)
		}
	}
	if strings.Contains(body, hostile) {
		t.Errorf("accounts page carries the hostile display name unescaped")
	}
	if got := tryLogin(t, ts, "zhang.wei", "zhang-pass-1"); got != http.StatusSeeOther {
		t.Errorf("new account login = %d", got)
	}

	// Disable the leader while its session is open (and cached).
	leader := ts.login(t, leaderUser)
	if code, _ := leader.getBody("/account"); code != http.StatusOK {
		t.Fatalf("leader /account = %d", code)
	}
	expectRedirect(t, admin.postForm("/admin/users/leader/disable", nil), "/admin/users?done=disabled&user=leader")
	resp := leader.get("/account")
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("disabled leader's open session: /account = %d → %s, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := tryLogin(t, ts, leaderUser, testPassword); got != http.StatusForbidden {
		t.Errorf("disabled leader login = %d, want 403", got)
	}
	if _, body := admin.getBody("/admin/users"); !strings.Contains(body, "已停用") {
		t.Errorf("the list does not show the account disabled")
	}
	expectRedirect(t, admin.postForm("/admin/users/leader/enable", nil), "/admin/users?done=enabled&user=leader")
	if got := tryLogin(t, ts, leaderUser, testPassword); got != http.StatusSeeOther {
		t.Errorf("re-enabled leader login = %d", got)
	}

	// Reset: the open session and the old password stop working.
	leader = ts.login(t, leaderUser)
	leader.getBody("/account")
	resp = admin.postForm("/admin/users/leader/reset", url.Values{"password": {"short"}, "confirm": {"short"}})
	if body := readBody(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "密码至少 8 个字符") {
		t.Errorf("weak reset: %d", resp.StatusCode)
	}
	expectRedirect(t, admin.postForm("/admin/users/leader/reset", url.Values{"password": {"new-leader-pw"}, "confirm": {"new-leader-pw"}}),
		"/admin/users?done=reset&user=leader")
	if resp := leader.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("leader session after reset: /account = %d, want a redirect", resp.StatusCode)
	}
	if got := tryLogin(t, ts, leaderUser, testPassword); got != http.StatusUnauthorized {
		t.Errorf("old password after reset = %d, want 401", got)
	}
	if got := tryLogin(t, ts, leaderUser, "new-leader-pw"); got != http.StatusSeeOther {
		t.Errorf("new password after reset = %d", got)
	}

	// Never oneself; unknown accounts are 404.
	resp = admin.postForm("/admin/users/admin/disable", nil)
	if body := readBody(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不能停用自己的账户") {
		t.Errorf("disable self: %d", resp.StatusCode)
	}
	if code, _ := admin.getBody("/account"); code != http.StatusOK {
		t.Errorf("admin after refusing to disable self: /account = %d", code)
	}
	for _, p := range []string{"/admin/users/nobody/disable", "/admin/users/nobody/enable", "/admin/users/nobody/token", "/admin/users/..%2Fadmin/disable"} {
		resp := admin.postForm(p, url.Values{"password": {"abcdefgh1"}, "confirm": {"abcdefgh1"}})
		readBody(resp)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s = %d, want 404", p, resp.StatusCode)
		}
	}

	es := auditEntries(t, ts, analytics.AuditFilter{Actor: adminUser, ActionPrefix: "user."})
	var got []string
	for _, e := range es {
		got = append(got, e.Action+" "+e.Subject)
	}
	for _, want := range []string{"user.add user:zhang.wei", "user.add user:ev2", "user.disable user:leader", "user.reset user:leader"} {
		if !slices.Contains(got, want) {
			t.Errorf("audit lacks %q: %v", want, got)
		}
	}
	if n := strings.Count(strings.Join(got, "\n"), "user.disable user:leader"); n != 2 {
		t.Errorf("%d disable/enable entries for leader, want 2", n)
	}
}

var usrTokenRE = regexp.MustCompile(`<p class="usr-token">([A-Za-z0-9_-]+)</p>`)

// TestUsersPageTokenShownOnce creates an API token: the page shows it once,
// it resolves to the account, the list page never shows it again, and the
// creation is audited.
func TestUsersPageTokenShownOnce(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	resp := admin.postForm("/admin/users/leader/token", url.Values{"name": {"大屏"}})
	body := readBody(resp)
	m := usrTokenRE.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("token: status %d, no token shown", resp.StatusCode)
	}
	u, err := ts.store.APIToken(context.Background(), m[1])
	if err != nil || u.Username != leaderUser {
		t.Errorf("token resolves to %q, %v; want leader", u.Username, err)
	}
	if _, page := admin.getBody("/admin/users"); strings.Contains(page, m[1]) {
		t.Errorf("the token is shown again")
	}
	es := auditEntries(t, ts, analytics.AuditFilter{ActionPrefix: "user.token"})
	if len(es) != 1 || es[0].Subject != "user:leader" || !strings.Contains(string(es[0].New), "大屏") || strings.Contains(string(es[0].New), m[1]) {
		t.Errorf("audit %+v: want the token's creation without the token", es)
	}
}

// TestUsersPageAdminsOnly: leaders and evaluators get 403 on the page and
// its changes, and nothing changes.
func TestUsersPageAdminsOnly(t *testing.T) {
	ts := newTestServer(t)
	for _, u := range []string{leaderUser, evalUser} {
		c := ts.login(t, u)
		if code, _ := c.getBody("/admin/users"); code != http.StatusForbidden {
			t.Errorf("%s GET /admin/users = %d", u, code)
		}
		resp := c.postForm("/admin/users/admin/disable", nil)
		readBody(resp)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s disable admin = %d", u, resp.StatusCode)
		}
	}
	if got := tryLogin(t, ts, adminUser, testPassword); got != http.StatusSeeOther {
		t.Errorf("admin login = %d after refused attempts", got)
	}
}
