package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/web"
)

// webClients is the number of concurrent clients of the load test.
const webClients = 50

// webLoadFor is how long each load phase runs.
const webLoadFor = 10 * time.Second

// benchWeb serves the city-scale store on a loopback port from this process
// and measures, with webClients concurrent clients, the rankings API (bearer
// token) and the ranking page (session cookie), then the what-if
// recomputation of a round. The load generator shares the machine's two
// cores with the server, so the figures are a floor.
func benchWeb(ctx context.Context, st *analytics.Store, round string) ([]row, error) {
	now := time.Now()
	if rs, err := st.Round(ctx, round); err != nil {
		return nil, err
	} else if rs.PublishedVersion == 0 {
		if _, err := st.Publish(ctx, round, analytics.PublishOptions{Reason: "bench: sample data"}, "bench", now); err != nil {
			return nil, err
		}
	}
	bs, err := startBenchServer(ctx, st, "bench", now)
	if err != nil {
		return nil, err
	}
	defer bs.close()
	base, tr, token := bs.base, bs.tr, bs.token

	cookies, err := benchLogin(base, tr, benchUser, benchPassword)
	if err != nil {
		return nil, err
	}
	api := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/rankings/"+round, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return req
	}
	page := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/dashboard?round="+round, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		return req
	}
	var rows []row
	for _, phase := range []struct {
		name string
		req  func() *http.Request
	}{{"rankings API GET /api/v1/rankings/" + round, api}, {"ranking page GET /dashboard?round=" + round, page}} {
		res, err := loadTest(tr, phase.req, webClients, webLoadFor)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", phase.name, err)
		}
		rows = append(rows,
			row{phase.name + ", " + fmt.Sprint(webClients) + " clients", fmt.Sprintf("%s requests/s (%d requests, %d failed)", thousands(int64(res.rps)), res.n, res.failed), "≥ 2,000 requests/s", "server and load generator in one process on loopback"},
			row{phase.name + ": latency", fmt.Sprintf("p50 %.1f ms, p99 %.1f ms", res.p50.Seconds()*1000, res.p99.Seconds()*1000), "p99 < 50 ms", ""})
	}
	// What-if: the first call reads and caches the round's inputs; the
	// figure is the recomputation a leader waits for while moving a slider.
	q := url.Values{"round": {round}}
	wi := func(peer int) (time.Duration, error) {
		q.Set("peer", fmt.Sprint(peer))
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/whatif?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		t := time.Now()
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			return 0, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("what-if: %d %s", resp.StatusCode, strings.TrimSpace(string(b)))
		}
		return time.Since(t), nil
	}
	first, err := wi(50)
	if err != nil {
		return nil, err
	}
	var times []time.Duration
	for i := 0; i < 20; i++ {
		d, err := wi(40 + i)
		if err != nil {
			return nil, err
		}
		times = append(times, d)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	rows = append(rows, row{"what-if recomputation of " + round + " (GET /api/v1/whatif, warm)", fmt.Sprintf("median %.1f ms, max %.1f ms of 20", times[10].Seconds()*1000, times[19].Seconds()*1000), "< 100 ms",
		fmt.Sprintf("first call, which reads the round's inputs: %.2f s", first.Seconds())})
	return rows, nil
}

// benchLogin logs in through the login form and returns the session cookies.
func benchLogin(base string, tr http.RoundTripper, user, password string) ([]*http.Cookie, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: tr, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	var csrf string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "xn_csrf" {
			csrf = ck.Value
		}
	}
	resp, err = c.PostForm(base+"/login", url.Values{"username": {user}, "password": {password}, "_csrf": {csrf}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login: status %d", resp.StatusCode)
	}
	return jar.Cookies(u), nil
}

type loadResult struct {
	n, failed int
	rps       float64
	p50, p99  time.Duration
}

// loadTest runs clients goroutines that each send requests back to back for
// d and returns the throughput and latency percentiles of the successful ones.
func loadTest(tr http.RoundTripper, req func() *http.Request, clients int, d time.Duration) (loadResult, error) {
	var mu sync.Mutex
	var lat []time.Duration
	failed := 0
	var firstErr error
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
			var mine []time.Duration
			bad := 0
			var err1 error
			for time.Now().Before(deadline) {
				t := time.Now()
				resp, err := c.Do(req())
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					bad++
					if err1 == nil {
						err1 = err
					}
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			failed += bad
			if firstErr == nil {
				firstErr = err1
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if len(lat) == 0 {
		return loadResult{}, errors.Join(errors.New("no request succeeded"), firstErr)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	return loadResult{n: len(lat), failed: failed, rps: float64(len(lat)) / el.Seconds(), p50: pct(0.50), p99: pct(0.99)}, nil
}

// The bench's leader account.
const benchUser, benchPassword = "bench-leader", "bench-password"

// benchServer is the web service on a loopback port of this process, with a
// bearer token of the bench's leader and a transport for many clients.
type benchServer struct {
	base, token string
	tr          *http.Transport
	hs          *http.Server
}

func (b *benchServer) close() {
	b.hs.Close()
	b.tr.CloseIdleConnections()
}

// startBenchServer creates the bench's leader account when missing, a new
// API token named tokenName, and serves st with the login limit off.
func startBenchServer(ctx context.Context, st *analytics.Store, tokenName string, now time.Time) (*benchServer, error) {
	if _, err := st.GetUser(ctx, benchUser); err != nil {
		if err := st.AddUser(ctx, analytics.User{Username: benchUser, Role: analytics.RoleLeader}, benchPassword, "bench", now); err != nil {
			return nil, err
		}
	}
	token, err := st.CreateAPIToken(ctx, benchUser, tokenName, "bench", now)
	if err != nil {
		return nil, err
	}
	cfg := web.DefaultConfig()
	cfg.LoginRate, cfg.LoginBurst = rate.Inf, 1000
	srv, err := web.NewServer(st, cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return &benchServer{base: "http://" + ln.Addr().String(), token: token, hs: hs,
		tr: &http.Transport{MaxIdleConns: 200, MaxIdleConnsPerHost: 200, IdleConnTimeout: time.Minute}}, nil
}
