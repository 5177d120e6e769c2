package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const guardBoundary = "xn-test-boundary"

// guardBody is a 900 MB multipart upload made on demand that counts the
// bytes the server reads from it. Past its first MiB it fails, so a server
// that starts reading it is caught without writing 900 MB anywhere.
type guardBody struct {
	head []byte
	read atomic.Int64
}

func newGuardBody(csrf string) *guardBody {
	head := "--" + guardBoundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n" +
		"--" + guardBoundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"deductions.csv\"\r\n" +
		"Content-Type: text/csv\r\n\r\n"
	return &guardBody{head: []byte(head)}
}

const guardSize = 900 << 20

func (b *guardBody) Read(p []byte) (int, error) {
	off := b.read.Load()
	if off >= 1<<20 {
		return 0, errors.New("test: the server read the upload past its first MiB")
	}
	n := 0
	for n < len(p) && off+int64(n) < 1<<20 {
		if i := off + int64(n); i < int64(len(b.head)) {
			p[n] = b.head[i]
		} else {
			p[n] = 'x'
		}
		n++
	}
	b.read.Add(int64(n))
	return n, nil
}

// cookiesOf is what the client's jar sends to the test server.
func cookiesOf(c *client) []*http.Cookie {
	u, _ := url.Parse(c.ts.URL)
	return c.http.Jar.Cookies(u)
}

// TestUploadRefusedBeforeTheBodyIsRead sends a 900 MB upload as accounts
// that may not upload, or without the CSRF header: each is answered from
// the headers alone, with nothing read from the body, no multipart form
// parsed and no temporary file left.
func TestUploadRefusedBeforeTheBodyIsRead(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.anon(t)
	anon.get("/login").Body.Close()
	admin, leader, eval := ts.login(t, adminUser), ts.login(t, leaderUser), ts.login(t, evalUser)
	// Multipart parsing spills to os.TempDir: an empty folder of its own
	// shows whether anything was written.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cases := []struct {
		name    string
		c       *client
		headers map[string]string
		want    int
	}{
		{"anonymous without a token", nil, nil, http.StatusUnauthorized},
		{"anonymous with the token in the form only", anon, nil, http.StatusUnauthorized},
		{"anonymous with a wrong header token", anon, map[string]string{"X-CSRF-Token": "wrong"}, http.StatusUnauthorized},
		{"anonymous claiming a same-origin browser", anon, map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusUnauthorized},
		{"leader with a valid token", leader, map[string]string{"X-CSRF-Token": ""}, http.StatusForbidden},
		{"evaluator with the token in the form only", eval, nil, http.StatusForbidden},
		{"admin with the token in the form only", admin, nil, http.StatusForbidden},
		{"admin with a wrong header token", admin, map[string]string{"X-CSRF-Token": "wrong"}, http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := ""
			if tc.c != nil {
				token = tc.c.csrf()
			}
			body := newGuardBody(token)
			req := httptest.NewRequest(http.MethodPost, "/admin/imports", body)
			req.ContentLength = guardSize
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+guardBoundary)
			req.Header.Set("Accept", "application/json")
			if tc.c != nil {
				for _, ck := range cookiesOf(tc.c) {
					req.AddCookie(ck)
				}
			}
			for k, v := range tc.headers {
				if k == "X-CSRF-Token" && v == "" {
					v = token
				}
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			ts.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Errorf("status %d %s, want %d", rec.Code, firstLine(rec.Body.String()), tc.want)
			}
			if n := body.read.Load(); n != 0 {
				t.Errorf("the server read %d bytes of the body, want 0", n)
			}
			if req.MultipartForm != nil {
				t.Error("the multipart form was parsed")
			}
		})
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// slowBody writes head, then blocks until release is closed, then writes
// tail and ends: a client holding its upload open.
func slowBody(head, tail string, release <-chan struct{}) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		if _, err := io.WriteString(pw, head); err != nil {
			return
		}
		<-release
		io.WriteString(pw, tail)
		pw.Close()
	}()
	return pr
}

// heldUpload is a multipart upload of one file, split where the client
// stalls: after the start of the file.
func heldUpload(name string) (head, tail string) {
	head = "--" + guardBoundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name + "\"\r\n" +
		"Content-Type: text/plain\r\n\r\nthe first line\n"
	tail = "the last line\n\r\n--" + guardBoundary + "--\r\n"
	return head, tail
}

// sendUpload posts body to /admin/imports as imports.js does and returns the
// status and the response body, or the transport's error.
func sendUpload(ctx context.Context, c *client, body io.ReadCloser) (int, string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.ts.URL+"/admin/imports", body)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+guardBoundary)
	req.Header.Set("X-CSRF-Token", c.csrf())
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	return resp.StatusCode, readBody(resp), nil
}

// TestUploadSlowBodyIsCutOff: a client that starts an upload (or a login
// form) and then sends nothing more is cut off once the read deadline has
// passed, instead of holding the connection for as long as it likes.
func TestUploadSlowBodyIsCutOff(t *testing.T) {
	ts := newTestServer(t, func(c *Config) {
		c.UploadReadTimeout = 300 * time.Millisecond
		c.BodyReadTimeout = 300 * time.Millisecond
	})
	admin := ts.login(t, adminUser)
	release := make(chan struct{})
	defer close(release)
	// Generous: only "it ended" is checked, not how fast.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	head, tail := heldUpload("deductions.csv")
	code, body, err := sendUpload(ctx, admin, slowBody(head, tail, release))
	switch {
	case ctx.Err() != nil:
		t.Fatalf("upload: the server still waited for the body after 30 s")
	case err != nil:
		t.Logf("upload: the connection was closed: %v", err)
	case code != http.StatusRequestTimeout || !strings.Contains(body, "上传超时"):
		t.Errorf("upload: status %d %s, want 408 上传超时", code, firstLine(body))
	}
	if n := ts.Server.uploads.active(); n != 0 {
		t.Errorf("uploads in progress after the cut-off: %d, want 0", n)
	}

	anon := ts.anon(t)
	anon.get("/login").Body.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/login",
		slowBody("_csrf="+url.QueryEscape(anon.csrf())+"&username=", "admin", release))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := anon.http.Do(req)
	switch {
	case ctx.Err() != nil:
		t.Fatalf("login: the server still waited for the body after 30 s")
	case err != nil:
		t.Logf("login: the connection was closed: %v", err)
	default:
		readBody(resp)
		if resp.StatusCode < 400 {
			t.Errorf("login with a stalled body: status %d, want a refusal", resp.StatusCode)
		}
	}
}

// TestUploadConcurrentUploadsPerAccount: with UploadsPerAccount 2, five
// uploads held open at once by one account: exactly two proceed, three are
// answered 429 at once; once the two end, nothing is counted in progress.
func TestUploadConcurrentUploadsPerAccount(t *testing.T) {
	const limit, extra = 2, 3
	ts := newTestServer(t, func(c *Config) { c.UploadsPerAccount = limit })
	admin := ts.login(t, adminUser)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	release := make(chan struct{})
	type answer struct {
		code int
		body string
		err  error
	}
	answers := make(chan answer, limit+extra)
	for i := range limit + extra {
		head, tail := heldUpload(fmt.Sprintf("notes-%d.txt", i))
		go func() {
			code, body, err := sendUpload(ctx, admin, slowBody(head, tail, release))
			answers <- answer{code, body, err}
		}()
	}
	// The refused ones answer while the others are held.
	for range extra {
		select {
		case a := <-answers:
			if a.err != nil {
				t.Fatalf("refused upload: %v", a.err)
			}
			if a.code != http.StatusTooManyRequests || !strings.Contains(a.body, "同时进行的上传") {
				t.Errorf("status %d %s, want 429 同时进行的上传…", a.code, firstLine(a.body))
			}
		case <-ctx.Done():
			close(release)
			t.Fatalf("fewer than %d uploads were refused while %d were held", extra, limit)
		}
	}
	if n := ts.Server.uploads.active(); n != limit {
		t.Errorf("uploads in progress: %d, want %d", n, limit)
	}
	close(release)
	for range limit {
		a := <-answers
		if a.err != nil {
			t.Fatalf("held upload: %v", a.err)
		}
		// A .txt file is refused by the import, after the whole upload is read.
		if a.code != http.StatusUnprocessableEntity || !strings.Contains(a.body, "只能导入") {
			t.Errorf("held upload: status %d %s, want 422 只能导入…", a.code, firstLine(a.body))
		}
	}
	if n := ts.Server.uploads.active(); n != 0 {
		t.Errorf("uploads in progress after all ended: %d, want 0", n)
	}
}

// TestUploadBrowserImportPage drives headless Chromium through the 数据导入
// page: imports.js sends the file with the CSRF header and shows the report,
// with no script error or CSP refusal.
func TestUploadBrowserImportPage(t *testing.T) {
	chromium := chromiumOrSkip(t)
	ts := newTestServer(t)
	file := filepath.Join(t.TempDir(), "deductions.csv")
	if err := os.WriteFile(file, csvBytes(sampleDeductions(t, ts)[:3]), 0o600); err != nil {
		t.Fatal(err)
	}
	b := startBrowser(t, chromium, nil)
	b.do("admin logs in",
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), adminUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)))
	b.do("admin uploads a file",
		chromedp.Navigate(ts.URL+"/admin/imports"),
		chromedp.WaitVisible(chromedp.CSS(`#imp-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#imp-form input[name="files"]`), []string{file}),
		chromedp.Click(chromedp.CSS(`#imp-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#imp-results .imp-file`)))
	sctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	got, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(`#imp-results`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "全部文件已导入") || !strings.Contains(got, "deductions.csv") {
		t.Errorf("import report = %q, want 全部文件已导入 for deductions.csv", got)
	}
}
