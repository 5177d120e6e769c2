package web

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// absPath finds an absolute file path in a message: a slash-led run of at
// least two path segments after a space, a quote, a bracket or a colon.
var absPath = regexp.MustCompile(`(^|[\s'"(:=])/[^\s'"/]+/[^\s'"]*`)

// TestImportsRefusalsNameTheUploadNotTheServerPath uploads broken Parquet
// and CSV files: every refusal, as JSON and as the page, names the upload's
// own file name and never a server path (the temporary upload folder, the
// database file).
func TestImportsRefusalsNameTheUploadNotTheServerPath(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	dbDir := filepath.Dir(ts.store.Path())
	tmp := filepath.Clean(os.TempDir())
	for _, f := range []impTestFile{
		{"cases-2019-05.parquet", []byte("this is not a parquet file at all")},
		{"cases-2019-06.parquet", []byte("PAR1\x00\x01\x02\x03 broken footer PAR1")},
		{"cases-2019-07.csv", []byte("\x00\x01\x02PK\x03\x04\xff\xfe binary, not text\n\x00\x00")},
		{"deductions-broken.csv", []byte("deduction_id,unit_id,date,points,reason\n\"KF-1,D44,2019-05-06,1.0,未闭合的引号\n")},
	} {
		for _, asJSON := range []bool{true, false} {
			resp := admin.upload([]impTestFile{f}, "", asJSON, true)
			body := readBody(resp)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s (json %v): status %d, want 422", f.name, asJSON, resp.StatusCode)
			}
			if !strings.Contains(body, f.name) {
				t.Errorf("%s (json %v): the answer does not name the file", f.name, asJSON)
			}
			for _, bad := range []string{tmp + "/", "xiaoneng-upload-", dbDir} {
				if strings.Contains(body, bad) {
					t.Errorf("%s (json %v): the answer shows the server path %q:\n%s", f.name, asJSON, bad, body)
				}
			}
			if asJSON {
				if m := absPath.FindString(body); m != "" {
					t.Errorf("%s: the report shows an absolute path %q:\n%s", f.name, m, body)
				}
			}
		}
	}
	for _, e := range auditEntries(t, ts, analytics.AuditFilter{ActionPrefix: "import"}) {
		if strings.Contains(string(e.New), "xiaoneng-upload-") || strings.Contains(string(e.New), tmp+"/") {
			t.Errorf("audit entry %s shows a server path: %s", e.Subject, e.New)
		}
	}
}
