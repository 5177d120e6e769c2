package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// newLockoutServer is a test server that takes client addresses from
// X-Forwarded-For and whose per-address rate limit stays out of the way.
func newLockoutServer(t *testing.T) *testServer {
	return newTestServer(t, func(c *Config) {
		c.TrustProxy = true
		c.LoginRate, c.LoginBurst = rate.Limit(1000), 1000
		c.RequestTimeout = 10 * time.Minute // bcrypt under -race on a busy machine
	})
}

// loginFrom posts the login form as if from client address addr and returns
// the status and body.
func (c *client) loginFrom(addr, user, pw string) (int, string) {
	c.t.Helper()
	v := url.Values{"username": {user}, "password": {pw}, "_csrf": {c.csrf()}}
	req, _ := http.NewRequest(http.MethodPost, c.ts.URL+"/login", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	resp := c.do(req)
	return resp.StatusCode, readBody(resp)
}

func (ts *testServer) failedLogins(t *testing.T, user string) int {
	t.Helper()
	u, err := ts.store.GetUser(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return u.FailedLogins
}

// TestLockoutConcurrentAddressesCountEveryFailure sends 59 wrong passwords at
// once from 59 addresses, then the right one from a 60th: every evaluated
// failure is counted, the account-wide throttle stops evaluation after the
// 20th, and the right password is refused while it applies.
func TestLockoutConcurrentAddressesCountEveryFailure(t *testing.T) {
	ts := newLockoutServer(t)
	c := ts.anon(t)
	c.http.Timeout = 10 * time.Minute // 20 bcrypt comparisons in a row under -race
	c.get("/login").Body.Close()
	codes := make([]int, 59)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = c.loginFrom(fmt.Sprintf("203.0.113.%d", i+1), leaderUser, "wrong-password")
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, code := range codes {
		count[code]++
	}
	// The 20th failure is evaluated and answered with the wait (429).
	if count[http.StatusUnauthorized] != 19 || count[http.StatusTooManyRequests] != 40 {
		t.Errorf("statuses %v: want 19 × 401 and 40 × 429", count)
	}
	if got := ts.failedLogins(t, leaderUser); got != 20 {
		t.Errorf("failed_logins = %d, want 20 (one per evaluated attempt, none lost)", got)
	}
	code, body := c.loginFrom("203.0.113.60", leaderUser, testPassword)
	if code != http.StatusTooManyRequests || !strings.Contains(body, "请 5 秒后再试") {
		t.Fatalf("right password during the account-wide throttle = %d, want 429 and the wait: %s", code, cutLoginError(body))
	}
	if got := ts.failedLogins(t, leaderUser); got != 20 {
		t.Errorf("failed_logins = %d after a refused attempt, want 20", got)
	}
	ts.setNow(testNow.Add(5 * time.Second))
	if code, _ := c.loginFrom("203.0.113.60", leaderUser, testPassword); code != http.StatusSeeOther {
		t.Fatalf("right password after the account-wide delay = %d, want success", code)
	}
	if got := ts.failedLogins(t, leaderUser); got != 0 {
		t.Errorf("failed_logins = %d after a successful login, want 0", got)
	}
}

// TestLockoutOneAddressGrowingDelay: from one address the 5th failure starts
// a delay of 1 minute that doubles with each further failure up to 15
// minutes; attempts inside the delay are refused without being evaluated,
// even with the right password.
func TestLockoutOneAddressGrowingDelay(t *testing.T) {
	ts := newLockoutServer(t)
	c := ts.anon(t)
	c.get("/login").Body.Close()
	const addr = "198.51.100.7"
	for i := 1; i <= 4; i++ {
		if code, body := c.loginFrom(addr, leaderUser, "wrong-password"); code != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
			t.Fatalf("failure %d = %d, want 401", i, code)
		}
	}
	at := testNow
	for i, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute} {
		ts.setNow(at)
		code, body := c.loginFrom(addr, leaderUser, "wrong-password")
		want := fmt.Sprintf("请 %d 分钟后再试", int(wait.Minutes()))
		if code != http.StatusTooManyRequests || !strings.Contains(body, want) {
			t.Fatalf("failure %d = %d %q, want 429 and %q", i+5, code, cutLoginError(body), want)
		}
		ts.setNow(at.Add(wait - time.Second))
		if code, _ := c.loginFrom(addr, leaderUser, testPassword); code != http.StatusTooManyRequests {
			t.Fatalf("right password inside the delay after failure %d = %d, want 429", i+5, code)
		}
		if got := ts.failedLogins(t, leaderUser); got != i+5 {
			t.Fatalf("failed_logins = %d, want %d: a refused attempt was evaluated", got, i+5)
		}
		at = at.Add(wait)
	}
	ts.setNow(at)
	if code, _ := c.loginFrom(addr, leaderUser, testPassword); code != http.StatusSeeOther {
		t.Fatalf("right password after the delay = %d, want success", code)
	}
	// The success resets the address's count: the next failure is an ordinary one.
	if code, _ := c.loginFrom(addr, leaderUser, "wrong-password"); code != http.StatusUnauthorized {
		t.Fatalf("failure after a success = %d, want 401", code)
	}
}

// TestLockoutStrangerDoesNotBlockOtherAddress: failures from address A
// throttle A only, until the account has 20 failures since its last
// successful login; from then on each failure holds every address off for at
// most one minute.
func TestLockoutStrangerDoesNotBlockOtherAddress(t *testing.T) {
	ts := newLockoutServer(t)
	c := ts.anon(t)
	c.get("/login").Body.Close()
	const stranger, owner = "198.51.100.66", "203.0.113.9"
	for i := 0; i < 5; i++ {
		c.loginFrom(stranger, adminUser, "wrong-password")
	}
	if code, _ := c.loginFrom(stranger, adminUser, testPassword); code != http.StatusTooManyRequests {
		t.Fatalf("stranger's address after 5 failures = %d, want 429", code)
	}
	if code, _ := c.loginFrom(owner, adminUser, testPassword); code != http.StatusSeeOther {
		t.Fatalf("owner from another address = %d, want success", code)
	}
	// The owner's login reset the account count, not the stranger's address:
	// the stranger fails 19 more times, each as soon as A's delay allows, and
	// the owner still gets in from B.
	at := testNow
	for i := 0; i < 19; i++ {
		at = at.Add(15 * time.Minute)
		ts.setNow(at)
		if code, _ := c.loginFrom(stranger, adminUser, "wrong-password"); code != http.StatusTooManyRequests {
			t.Fatalf("stranger's failure %d = %d, want 429 (A stays throttled)", i+6, code)
		}
	}
	if got := ts.failedLogins(t, adminUser); got != 19 {
		t.Fatalf("failed_logins = %d, want 19", got)
	}
	if code, _ := c.loginFrom(owner, adminUser, testPassword); code != http.StatusSeeOther {
		t.Fatalf("owner with 19 account failures = %d, want success", code)
	}
	if code, _ := c.loginFrom(stranger, adminUser, testPassword); code != http.StatusTooManyRequests {
		t.Fatalf("stranger's address after the owner's login = %d, want 429", code)
	}
}

// TestLockoutStrangerHoldsAccountOneMinuteAtMost: once the account count has
// reached 20, each failure from anywhere holds the owner off for the
// account-wide delay, never more than one minute.
func TestLockoutStrangerHoldsAccountOneMinuteAtMost(t *testing.T) {
	ts := newLockoutServer(t)
	c := ts.anon(t)
	c.get("/login").Body.Close()
	const owner = "203.0.113.9"
	at := testNow
	for i := 0; i < 30; i++ {
		ts.setNow(at)
		c.loginFrom(fmt.Sprintf("198.51.100.%d", i+1), adminUser, "wrong-password")
		at = at.Add(time.Minute)
	}
	if got := ts.failedLogins(t, adminUser); got != 30 {
		t.Fatalf("failed_logins = %d, want 30", got)
	}
	ts.setNow(at.Add(-time.Minute))
	if code, body := c.loginFrom(owner, adminUser, testPassword); code != http.StatusTooManyRequests || !strings.Contains(body, "请 1 分钟后再试") {
		t.Fatalf("owner right after the 30th failure = %d %q, want 429 and a wait of 1 minute", code, cutLoginError(body))
	}
	ts.setNow(at)
	if code, _ := c.loginFrom(owner, adminUser, testPassword); code != http.StatusSeeOther {
		t.Fatalf("owner one minute after the last failure = %d, want success", code)
	}
}

// TestLockoutAuditHasClientAddress: the audit entry of a throttle names the
// client address it came from.
func TestLockoutAuditHasClientAddress(t *testing.T) {
	ts := newLockoutServer(t)
	c := ts.anon(t)
	c.get("/login").Body.Close()
	for i := 0; i < 5; i++ {
		c.loginFrom("198.51.100.23", leaderUser, "wrong-password")
	}
	log, err := ts.store.AuditLog(t.Context(), analyticsFilter("user.lockout"))
	if err != nil || len(log) != 1 {
		t.Fatalf("audit of the throttle: %v %v", log, err)
	}
	var v map[string]any
	if err := json.Unmarshal(log[0].New, &v); err != nil {
		t.Fatal(err)
	}
	if v["client"] != "198.51.100.23" {
		t.Errorf("audit entry %s: want client 198.51.100.23", log[0].New)
	}
	if log[0].Subject != "user:"+leaderUser {
		t.Errorf("audit subject %q", log[0].Subject)
	}
}

// cutLoginError is the login page's error line, for failure messages.
func cutLoginError(body string) string {
	if i := strings.Index(body, "请"); i >= 0 {
		return body[i:min(len(body), i+80)]
	}
	return ""
}
