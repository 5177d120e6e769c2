package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// TestRoundsComputeOnAFullDisk computes a round while the store fails its
// write as a full disk does (DuckDB's "No space left on device", injected
// before COMMIT): the admin gets 507 and a Chinese message that the disk is
// full and nothing was written, and no new version is stored.
func TestRoundsComputeOnAFullDisk(t *testing.T) {
	var full atomic.Bool
	ts := newTestServerStore(t, analytics.Options{WriteFault: func(op string) error {
		if full.Load() {
			return errors.New(`IO Error: Could not write all bytes to file "x.duckdb.wal": wanted=4096 wrote=0: No space left on device`)
		}
		return nil
	}})
	ctx := context.Background()
	admin := ts.login(t, adminUser)
	const r = "2019-B6"
	expectStatus(t, "reopen", admin.postForm("/admin/rounds/"+r+"/reopen", url.Values{"deadline": {"2020-01-11T12:00"}, "reason": {"复核"}}), http.StatusSeeOther)
	expectStatus(t, "close", admin.postForm("/admin/rounds/"+r+"/close", nil), http.StatusSeeOther)
	before, err := ts.store.ScoreRuns(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	audits := len(auditEntries(t, ts, analytics.AuditFilter{ActionPrefix: "round.compute"}))
	full.Store(true)
	body := expectStatus(t, "compute on a full disk", admin.postForm("/admin/rounds/"+r+"/compute", nil), http.StatusInsufficientStorage)
	for _, want := range []string{"磁盘空间已满", "未写入任何数据"} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer lacks %q:\n%.2000s", want, body)
		}
	}
	if strings.Contains(body, "No space left") || strings.Contains(body, "服务器内部错误") {
		t.Errorf("the answer shows the raw error or a bare 500")
	}
	after, err := ts.store.ScoreRuns(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("%d computations after the failed one, %d before: a version was stored", len(after), len(before))
	}
	if n := len(auditEntries(t, ts, analytics.AuditFilter{ActionPrefix: "round.compute"})); n != audits {
		t.Errorf("%d compute audit entries, %d before", n, audits)
	}
	// With space again the same compute stores the next version.
	full.Store(false)
	expectStatus(t, "compute", admin.postForm("/admin/rounds/"+r+"/compute", nil), http.StatusSeeOther)
	if runs, _ := ts.store.ScoreRuns(ctx, r); len(runs) != len(before)+1 {
		t.Errorf("%d computations after a good compute, want %d", len(runs), len(before)+1)
	}
}
