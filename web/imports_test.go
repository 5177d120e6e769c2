package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

type impTestFile struct {
	name string
	body []byte
}

// upload posts files to /admin/imports as imports.js does: multipart, the
// CSRF header, and (with asJSON) Accept: application/json. browser adds the
// Sec-Fetch-Site header a browser sends, with which the CSRF check passes on
// it alone; without it the header's token is checked. Either way the handler
// streams the body (the _csrf field in it is ignored).
func (c *client) upload(files []impTestFile, kind string, asJSON, browser bool) *http.Response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.csrf())
	if kind != "" {
		_ = w.WriteField("kind", kind)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		// Written raw, as a hostile client would: no escaping of the name.
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename="%s"`, f.name))
		h.Set("Content-Type", "application/octet-stream")
		p, err := w.CreatePart(h)
		if err != nil {
			c.t.Fatal(err)
		}
		p.Write(f.body)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.ts.URL+"/admin/imports", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.csrf())
	if asJSON {
		req.Header.Set("Accept", "application/json")
	}
	if browser {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	return c.do(req)
}

func decodeImpReport(t *testing.T, resp *http.Response) impReport {
	t.Helper()
	body := readBody(resp)
	var rep impReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("status %d: not a JSON report: %v\n%s", resp.StatusCode, err, firstLine(body))
	}
	return rep
}

// sampleDeductions is the sample city's deductions file as rows (header first).
func sampleDeductions(t *testing.T, ts *testServer) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ts.fx.dir, "data", "deductions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func csvBytes(rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll(rows)
	return b.Bytes()
}

func tableCounts(t *testing.T, ts *testServer) []analytics.TableCount {
	t.Helper()
	n, err := ts.store.TableCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func importLogLen(t *testing.T, ts *testServer) int {
	t.Helper()
	l, err := ts.store.ImportLog(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(l)
}

func countOf(counts []analytics.TableCount, table string) int64 {
	for _, c := range counts {
		if c.Table == table {
			return c.Rows
		}
	}
	return -1
}

func auditEntries(t *testing.T, ts *testServer, f analytics.AuditFilter) []analytics.AuditEntry {
	t.Helper()
	es, err := ts.store.AuditLog(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestImportsGoodFileIsImportedWithCounts uploads a deductions file with one
// row as stored, one changed and two new ones: 1 unchanged, 1 replaced,
// 2 new, and the table grows by 2. The upload is streamed (browser headers).
func TestImportsGoodFileIsImportedWithCounts(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	rows := sampleDeductions(t, ts)
	changed := slices.Clone(rows[2])
	changed[3] = "4.5" // points of the second deduction
	unit := rows[1][1]
	file := csvBytes([][]string{rows[0], rows[1], changed,
		{"KF-WEB-001", unit, "2019-05-06", "1.0", "网页导入测试一"},
		{"KF-WEB-002", unit, "2019-05-07", "2.0", "网页导入测试二"}})
	before := tableCounts(t, ts)

	rep := decodeImpReport(t, admin.upload([]impTestFile{{"deductions-web.csv", file}}, "", true, true))
	if !rep.OK || len(rep.Files) != 1 {
		t.Fatalf("report %+v: want one imported file", rep)
	}
	got := rep.Files[0]
	if got.Status != impImported || got.Kind != "deductions" || got.KindLabel != "扣分情况" ||
		got.Rows != 4 || got.New != 2 || got.Replaced != 1 || got.Unchanged != 1 {
		t.Errorf("outcome %+v: want deductions, 4 rows: 2 new, 1 replaced, 1 unchanged", got)
	}
	if len(got.SHA256) != 64 {
		t.Errorf("sha256 %q", got.SHA256)
	}
	after := tableCounts(t, ts)
	if d := countOf(after, "deductions") - countOf(before, "deductions"); d != 2 {
		t.Errorf("deductions grew by %d rows, want 2", d)
	}
	log, err := ts.store.ImportLog(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if log[0].File != "deductions-web.csv" || log[0].Actor != adminUser || log[0].New != 2 {
		t.Errorf("import log %+v: want deductions-web.csv by admin, 2 new", log[0])
	}
	es := auditEntries(t, ts, analytics.AuditFilter{ActionPrefix: "import", Subject: "file:deductions-web.csv"})
	if len(es) != 1 || es[0].Actor != adminUser {
		t.Fatalf("audit %+v: want one import entry by admin", es)
	}
	var nv map[string]any
	if err := json.Unmarshal(es[0].New, &nv); err != nil {
		t.Fatal(err)
	}
	if nv["kind"] != "deductions" || nv["sha256"] != got.SHA256 || nv["new"] != 2.0 || nv["replaced"] != 1.0 || nv["unchanged"] != 1.0 {
		t.Errorf("audit new value %s: want kind, sha256 and the counts", es[0].New)
	}
	// The page lists the import in its log.
	if code, body := admin.getBody("/admin/imports"); code != http.StatusOK || !strings.Contains(body, "deductions-web.csv") ||
		!strings.Contains(body, got.SHA256[:12]) || !strings.Contains(body, "/static/imports.js") {
		t.Errorf("GET /admin/imports = %d: want the import in the log and the upload script", code)
	}
}

// TestImportsBadFileIsRefusedAndNothingWritten uploads a file with three bad
// rows through the plain form (no script, no browser headers: the CSRF check
// parses the body first) and checks the CLI's file:line: column: reason lines,
// that no table changed and that the refusal is audited.
func TestImportsBadFileIsRefusedAndNothingWritten(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	rows := sampleDeductions(t, ts)
	unit := rows[1][1]
	file := csvBytes([][]string{rows[0],
		{"KF-BAD-1", "NO-SUCH-UNIT", "2019-05-06", "1.0", "单位不存在"},
		{"KF-BAD-2", unit, "2019-05-06", "-1", "扣分为负"},
		{"KF-BAD-3", unit, "2019-13-01", "1.0", "日期不对"},
		{"KF-OK-4", unit, "2019-05-06", "1.0", "这一行没问题"}})
	before, logBefore := tableCounts(t, ts), importLogLen(t, ts)

	resp := admin.upload([]impTestFile{{"deductions-bad.csv", file}}, "", false, false)
	body := readBody(resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	for _, want := range []string{"deductions-bad.csv:2: unit_id: ", "deductions-bad.csv:3: points: ", "deductions-bad.csv:4: date: ", "已拒绝", "没有写入任何数据"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "deductions-bad.csv:5") {
		t.Errorf("the good fifth line is reported as a problem")
	}
	if after := tableCounts(t, ts); !slices.Equal(after, before) {
		t.Errorf("tables changed by a refused file:\nbefore %v\nafter  %v", before, after)
	}
	if n := importLogLen(t, ts); n != logBefore {
		t.Errorf("import log grew from %d to %d", logBefore, n)
	}
	es := auditEntries(t, ts, analytics.AuditFilter{ActionPrefix: "import", Subject: "file:deductions-bad.csv"})
	if len(es) != 1 || !strings.Contains(string(es[0].New), `"status":"refused"`) || !strings.Contains(string(es[0].New), "3 problems in 3 rows") {
		t.Errorf("audit %+v: want the refusal with its reason", es)
	}
}

// TestImportsManyProblemsListTheFirst100ThenCount: 150 bad rows give the
// first 100 lines and the CLI's count of the 50 others.
func TestImportsManyProblemsListTheFirst100ThenCount(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	rows := [][]string{sampleDeductions(t, ts)[0]}
	for i := range 150 {
		rows = append(rows, []string{fmt.Sprintf("KF-MANY-%03d", i), "NO-SUCH-UNIT", "2019-05-06", "1.0", "单位不存在"})
	}
	rep := decodeImpReport(t, admin.upload([]impTestFile{{"deductions.csv", csvBytes(rows)}}, "", true, true))
	if rep.OK || len(rep.Files) != 1 {
		t.Fatalf("report %+v: want one refused file", rep)
	}
	f := rep.Files[0]
	if len(f.Problems) != analytics.MaxListed || !strings.HasPrefix(f.Problems[0], "deductions.csv:2: unit_id: ") ||
		!strings.HasPrefix(f.Problems[99], "deductions.csv:101: unit_id: ") {
		t.Errorf("%d problems, first %q, last %q: want lines 2…101", len(f.Problems), f.Problems[0], f.Problems[len(f.Problems)-1])
	}
	if want := "deductions.csv: … and 50 more problems (150 bad rows in all); nothing was imported"; f.More != want {
		t.Errorf("more = %q, want %q", f.More, want)
	}
}

// TestImportsRefusals: a legacy .xls, a file whose kind cannot be told, a
// file after a refused one (not tried), and an unknown kind.
func TestImportsRefusals(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	before := tableCounts(t, ts)
	good := csvBytes(sampleDeductions(t, ts)[:3])

	rep := decodeImpReport(t, admin.upload([]impTestFile{{"cases-2019-03.xls", []byte("\xd0\xcf\x11\xe0 legacy")}}, "", true, true))
	if rep.OK || rep.Files[0].Status != impRefused || !strings.Contains(rep.Files[0].Reason, "请另存为 .xlsx") {
		t.Errorf(".xls: %+v, want refused with 请另存为 .xlsx", rep)
	}
	rep = decodeImpReport(t, admin.upload([]impTestFile{{"data.csv", good}}, "", true, true))
	if rep.OK || !strings.Contains(rep.Files[0].Reason, "无法从文件名判断数据类型") {
		t.Errorf("unknown kind by name: %+v", rep)
	}
	// Chosen in the select, the same file goes in (all rows unchanged).
	rep = decodeImpReport(t, admin.upload([]impTestFile{{"data.csv", good}}, "deductions", true, true))
	if !rep.OK || rep.Files[0].Unchanged != 2 || rep.Files[0].Kind != "deductions" {
		t.Errorf("kind chosen: %+v, want imported, 2 unchanged", rep)
	}
	// units sort before deductions: the bad units file is tried first and
	// the deductions file after it is not tried.
	rep = decodeImpReport(t, admin.upload([]impTestFile{{"deductions.csv", good}, {"units.csv", []byte("unit_id,name\nX1,\n")}}, "", true, false))
	if rep.OK || len(rep.Files) != 2 || rep.Files[0].File != "units.csv" || rep.Files[0].Status != impRefused || rep.Files[1].Status != impSkipped {
		t.Errorf("refused then skipped: %+v", rep)
	}
	resp := admin.upload([]impTestFile{{"deductions.csv", good}}, "no-such-kind", true, true)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown kind: status %d", resp.StatusCode)
	}
	resp.Body.Close()
	if after := tableCounts(t, ts); !slices.Equal(after, before) {
		t.Errorf("tables changed:\nbefore %v\nafter  %v", before, after)
	}
}

// TestImportsOversizedUploadIsRefused: over UploadLimit the upload gets 413
// and nothing is written, whether the size is announced or only found while
// streaming.
func TestImportsOversizedUploadIsRefused(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.UploadLimit = "2K" })
	admin := ts.login(t, adminUser)
	rows := [][]string{sampleDeductions(t, ts)[0]}
	for i := range 200 {
		rows = append(rows, []string{fmt.Sprintf("KF-BIG-%03d", i), "D01", "2019-05-06", "1.0", "很长的一份文件"})
	}
	before, logBefore := tableCounts(t, ts), importLogLen(t, ts)
	for _, browser := range []bool{true, false} {
		resp := admin.upload([]impTestFile{{"deductions.csv", csvBytes(rows)}}, "", true, browser)
		readBody(resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("browser=%v: status %d, want 413", browser, resp.StatusCode)
		}
	}
	// Chunked, without a Content-Length: refused while streaming.
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	p, _ := w.CreateFormFile("files", "deductions.csv")
	p.Write(csvBytes(rows))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/imports", struct{ *bytes.Buffer }{&buf})
	req.ContentLength = -1
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-CSRF-Token", admin.csrf())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept", "application/json")
	resp := admin.do(req)
	body := readBody(resp)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "上传内容超过上限 2K") {
		t.Errorf("chunked: status %d %s, want 413", resp.StatusCode, firstLine(body))
	}
	if after := tableCounts(t, ts); !slices.Equal(after, before) {
		t.Errorf("tables changed:\nbefore %v\nafter  %v", before, after)
	}
	if n := importLogLen(t, ts); n != logBefore {
		t.Errorf("import log grew from %d to %d", logBefore, n)
	}
}

// TestImportsFileNameIsSanitised: folder parts of either slash are dropped;
// the file is imported under its base name, whose kind it tells.
func TestImportsFileNameIsSanitised(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	good := csvBytes(sampleDeductions(t, ts)[:2])
	for _, name := range []string{"../../deductions-x.csv", `..\\..\\deductions-x.csv`, "/etc/deductions-x.csv"} {
		rep := decodeImpReport(t, admin.upload([]impTestFile{{name, good}}, "", true, true))
		if !rep.OK || rep.Files[0].File != "deductions-x.csv" || rep.Files[0].Kind != "deductions" {
			t.Errorf("%s: %+v, want deductions-x.csv imported", name, rep)
		}
	}
	log, err := ts.store.ImportLog(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.File != "deductions-x.csv" {
			t.Errorf("import log names %q", e.File)
		}
	}
	for in, want := range map[string]string{"..": "upload", "...csv": "csv", "a\x00b\n.csv": "ab.csv", `C:\Users\张三\办件.xlsx`: "办件.xlsx",
		strings.Repeat("长", 100) + ".csv": strings.Repeat("长", 65) + ".csv"} {
		if got := impCleanName(in); got != want {
			t.Errorf("impCleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestImportsNonAdminRefused: leaders and evaluators get 403 and nothing is
// written; anonymous uploads get 401.
func TestImportsNonAdminRefused(t *testing.T) {
	ts := newTestServer(t)
	rows := sampleDeductions(t, ts)
	file := csvBytes([][]string{rows[0], {"KF-NO-1", rows[1][1], "2019-05-06", "1.0", "不应写入"}})
	before := tableCounts(t, ts)
	for _, u := range []string{leaderUser, evalUser} {
		c := ts.login(t, u)
		resp := c.upload([]impTestFile{{"deductions.csv", file}}, "", true, true)
		readBody(resp)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", u, resp.StatusCode)
		}
		if code, _ := c.getBody("/admin/imports"); code != http.StatusForbidden {
			t.Errorf("%s: GET /admin/imports = %d, want 403", u, code)
		}
	}
	anon := ts.anon(t)
	anon.get("/login").Body.Close()
	resp := anon.upload([]impTestFile{{"deductions.csv", file}}, "", true, true)
	readBody(resp)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous: status %d, want 401", resp.StatusCode)
	}
	if after := tableCounts(t, ts); !slices.Equal(after, before) {
		t.Errorf("tables changed:\nbefore %v\nafter  %v", before, after)
	}
}
