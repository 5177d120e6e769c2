package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLoginLogoutAndSessionCookie(t *testing.T) {
	ts := newTestServer(t)
	c := ts.anon(t)
	resp := c.get("/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous / = %d %s, want redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp.Body.Close()
	c.get("/login").Body.Close()
	resp = c.postForm("/login", url.Values{"username": {leaderUser}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard" {
		t.Fatalf("login = %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sess *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			sess = ck
		}
	}
	resp.Body.Close()
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.MaxAge <= 0 {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, an expiry", sess)
	}
	if code, body := c.getBody("/account"); code != http.StatusOK || !strings.Contains(body, "市领导") {
		t.Fatalf("/account = %d", code)
	}
	resp = c.postForm("/logout", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	// The old cookie no longer works, even presented again.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/account", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Value})
	resp = c.do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("/account with a logged-out session = %d, want a redirect to login", resp.StatusCode)
	}
}

func TestSecureCookiesBehindTLS(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.TLS = true })
	c := ts.anon(t)
	resp := c.get("/login")
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS with TLS on")
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "xn_csrf" && !ck.Secure {
			t.Errorf("CSRF cookie not Secure with TLS on")
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.anon(t).get("/login")
	resp.Body.Close()
	h := resp.Header
	for k, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
	} {
		if !strings.Contains(h.Get(k), want) {
			t.Errorf("%s = %q, want it to contain %q", k, h.Get(k), want)
		}
	}
	if strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Errorf("CSP allows inline code: %s", h.Get("Content-Security-Policy"))
	}
}

func TestLoginRefusesWithoutCSRF(t *testing.T) {
	ts := newTestServer(t)
	c := ts.anon(t)
	c.get("/login").Body.Close()
	resp := c.postForm("/login", url.Values{"username": {leaderUser}, "password": {testPassword}, "_csrf": {"forged"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login with a forged CSRF token = %d, want 403", resp.StatusCode)
	}
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.LoginBurst = 3; c.LoginRate = 0.001 })
	c := ts.anon(t)
	c.get("/login").Body.Close()
	codes := []int{}
	for i := 0; i < 5; i++ {
		resp := c.postForm("/login", url.Values{"username": {"nobody"}, "password": {"whatever-1"}})
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != http.StatusUnauthorized || codes[4] != http.StatusTooManyRequests {
		t.Fatalf("login statuses %v: want 401 at first, 429 beyond the burst", codes)
	}
	// X-Forwarded-For is not trusted by default, so a forged header does not help.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(url.Values{"username": {"x"}, "password": {"y"}, "_csrf": {c.csrf()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "10.9.8.7")
	resp := c.do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("forged X-Forwarded-For got past the rate limit: %d", resp.StatusCode)
	}
}

func TestPostLoginRedirectStaysOnSite(t *testing.T) {
	ts := newTestServer(t)
	for next, want := range map[string]string{"/alerts": "/alerts", "//evil.example/": "/dashboard", "https://evil.example/": "/dashboard"} {
		c := ts.anon(t)
		c.get("/login").Body.Close()
		resp := c.postForm("/login", url.Values{"username": {leaderUser}, "password": {testPassword}, "next": {next}})
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q → %q, want %q", next, got, want)
		}
	}
}

func TestChangeOwnPassword(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	resp := c.postForm("/account/password", url.Values{"current": {"wrong-one-1"}, "password": {"new-password-9"}, "confirm": {"new-password-9"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current password = %d", resp.StatusCode)
	}
	resp = c.postForm("/account/password", url.Values{"current": {testPassword}, "password": {"short"}, "confirm": {"short"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("short password = %d", resp.StatusCode)
	}
	resp = c.postForm("/account/password", url.Values{"current": {testPassword}, "password": {"new-password-9"}, "confirm": {"new-password-9"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change = %d", resp.StatusCode)
	}
	if code, _ := c.getBody("/account"); code != http.StatusSeeOther {
		t.Fatalf("old session still valid after a password change: %d", code)
	}
	if _, err := ts.store.Authenticate(t.Context(), leaderUser, "new-password-9", "127.0.0.1", testNow); err != nil {
		t.Fatal(err)
	}
}

func TestHealthz(t *testing.T) {
	ts := newTestServer(t)
	code, body := ts.anon(t).getBody("/healthz")
	if code != http.StatusOK || !strings.Contains(body, `"ok"`) {
		t.Fatalf("/healthz = %d %s", code, body)
	}
}
