package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// bidiOrControl reports a text-direction mark or a control character other
// than tab and line breaks: what would reverse or hide a name on a page.
func bidiOrControl(s string) bool { return strings.ContainsFunc(s, analytics.Invisible) }

// TestHostileBidiNamesNeverReachPagesOrExports: a units file renaming a unit
// with a right-to-left override (or an isolate, or a NUL) is refused through
// the web import, the refusal shows the character as <U+202E> and never
// itself, an upload whose file name holds one is stored without it, and no
// page, API answer or CSV/XLSX export of the city then holds such a
// character. Oversized uploads are TestImportsOversizedUploadIsRefused.
func TestHostileBidiNamesNeverReachPagesOrExports(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	units, err := ts.store.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	u := units[0]
	for _, x := range units {
		if x.Kind == "department" {
			u = x
			break
		}
	}
	for _, name := range []string{"\u202e局务政市", "市\u2067局\u2069", "市\x00局", "\u200f市局"} {
		file := csvBytes([][]string{{"unit_id", "name", "kind", "category"}, {u.ID, name, u.Kind, u.Category}})
		resp := admin.upload([]impTestFile{{"units.csv", file}}, "", true, true)
		body := readBody(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "units.csv:2: name: contains the invisible character U+") {
			t.Errorf("%q: status %d %.300s, want 422 naming the character", name, resp.StatusCode, body)
		}
		if bidiOrControl(body) || strings.Contains(body, `\u202e`) || strings.Contains(body, `\u2067`) {
			t.Errorf("%q: the refusal quotes the character itself: %.300s", name, body)
		}
	}
	// The HTML refusal page too.
	resp := admin.upload([]impTestFile{{"units.csv", csvBytes([][]string{{"unit_id", "name", "kind", "category"}, {u.ID, "\u202e局", u.Kind, u.Category}})}}, "", false, false)
	if body := readBody(resp); resp.StatusCode != http.StatusUnprocessableEntity || bidiOrControl(body) || !strings.Contains(body, "U&#43;202E") {
		i := strings.Index(body, "units.csv:2")
		t.Errorf("HTML refusal: status %d, holds the character %v: %.400s", resp.StatusCode, bidiOrControl(body), body[max(i, 0):])
	}
	// A hostile file name is stored without its direction marks.
	good := csvBytes(sampleDeductions(t, ts)[:2])
	rep := decodeImpReport(t, admin.upload([]impTestFile{{"deductions\u202evsc.csv", good}}, "deductions", true, true))
	if !rep.OK || rep.Files[0].File != "deductionsvsc.csv" {
		t.Errorf("file name with U+202E: %+v", rep)
	}

	leader := ts.login(t, leaderUser)
	for _, p := range []string{"/dashboard", "/dashboard?round=2019-B6", "/units/" + u.ID + "?round=2019-B6", "/api/v1/units", "/api/v1/rankings/2019-B6",
		"/export/ranking?round=2019-B6&format=csv", "/export/counties?period=2019-12&format=csv"} {
		if code, body := leader.getBody(p); code != http.StatusOK || bidiOrControl(body) {
			t.Errorf("%s: status %d, holds a control or direction mark: %v", p, code, bidiOrControl(body))
		}
	}
	for _, p := range []string{"/admin/imports", "/admin/audit"} {
		if code, body := admin.getBody(p); code != http.StatusOK || bidiOrControl(body) {
			t.Errorf("%s: status %d, holds a control or direction mark: %v", p, code, bidiOrControl(body))
		}
	}
	resp = leader.get("/export/ranking?round=2019-B6&format=xlsx")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("xlsx export: %v", err)
	}
	for _, f := range z.File {
		r, _ := f.Open()
		x, _ := io.ReadAll(r)
		if bidiOrControl(string(x)) {
			t.Errorf("xlsx export part %s holds a control or direction mark", f.Name)
		}
	}
}
