package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/time/rate"
)

func TestSafeNext(t *testing.T) {
	kept := []string{"/alerts", "/units/D44", "/whatif?round=2019-B6&peer=60", "/dashboard#top", "/units/%E5%8D%95%E4%BD%8D"}
	for _, n := range kept {
		if got := safeNext(n); got != n {
			t.Errorf("safeNext(%q) = %q, want it kept", n, got)
		}
	}
	refused := []string{
		"", "alerts", " /alerts", "/alerts ",
		"/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/\r\nSet-Cookie:x=1", "/a\x00b", "/a\x1bb",
		"/\u00a0/evil.example", "/\u3000/evil.example", "/\u202e/evil.example", "/%E2%80%AE/evil.example",
		"//evil.example", "//evil.example/alerts", "/\\evil.example", "/\\/evil.example", "\\\\evil.example",
		"/%2F/evil.example", "/%2f%2fevil.example", "/%5Cevil.example",
		"https://evil.example/", "http:/evil.example", "javascript:alert(1)", "JavaScript:alert(1)",
		"/alerts?x=%0d%0aSet-Cookie", "/%zz", "/\xff",
	}
	for _, n := range refused {
		if got := safeNext(n); got != "" {
			t.Errorf("safeNext(%q) = %q, want it refused", n, got)
		}
	}
}

func TestLoginNextWithControlCharacterGoesHome(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.LoginRate, c.LoginBurst = rate.Inf, 100 })
	for _, next := range []string{"/\t/evil.example", "/ /evil.example", "/%09/evil.example", "/\\/evil.example"} {
		c := ts.anon(t)
		status, body := c.getBody("/login?next=" + url.QueryEscape(next))
		if status != http.StatusOK || !strings.Contains(body, `name="next" value=""`) {
			t.Errorf("login form keeps next=%q (status %d)", next, status)
		}
		resp := c.postForm("/login", url.Values{"username": {leaderUser}, "password": {testPassword}, "next": {next}})
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != "/dashboard" {
			t.Errorf("next=%q → Location %q, want /dashboard", next, got)
		}
	}
}
