package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAuditPageShowsChangesEscaped: a lifecycle change (reopening a round for
// a reason holding the hostile name) and a user change made through the
// accounts page both appear, with old and new values as indented JSON, the
// hostile text escaped; the filters narrow the list.
func TestAuditPageShowsChangesEscaped(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	admin := ts.login(t, adminUser)
	reason := "复核 " + hostile
	if _, err := ts.store.ReopenRound(ctx, "2019-B6", reason, testNow.Add(7*24*time.Hour), adminUser, testNow); err != nil {
		t.Fatal(err)
	}
	expectRedirect(t, admin.postForm("/admin/users", url.Values{"username": {"li.na"}, "display_name": {"李娜"}, "role": {"leader"},
		"password": {"li-na-pass-1"}, "confirm": {"li-na-pass-1"}}), "/admin/users?done=added&user=li.na")

	code, body := admin.getBody("/admin/audit")
	if code != http.StatusOK {
		t.Fatalf("GET /admin/audit = %d", code)
	}
	q := func(s string) string { return html.EscapeString(s) }
	for _, want := range []string{
		"round.reopen", "重新开启", "round:2019-B6", "user.add", "新建账户", "user:li.na",
		// old value of the reopen: published; new: open with the reason, indented.
		q(`"status": "published"`), q(`"status": "open"`), "\n  " + q(`"reason": "复核 `+hostile+`"`),
		q(`"display_name": "李娜"`),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if strings.Contains(body, hostile) {
		t.Errorf("the audit page carries the hostile name unescaped")
	}
	// Newest first: the user change comes before the reopen.
	if i, j := strings.Index(body, "user:li.na"), strings.Index(body, "round:2019-B6"); i < 0 || j < 0 || i > j {
		t.Errorf("entries not newest first")
	}

	_, body = admin.getBody("/admin/audit?action=round.reopen")
	if !strings.Contains(body, "round:2019-B6") || strings.Contains(body, "user:li.na") {
		t.Errorf("action filter round.reopen does not narrow the list")
	}
	_, body = admin.getBody("/admin/audit?actor=admin&action=user.")
	if !strings.Contains(body, "user:li.na") || strings.Contains(body, "round.reopen") {
		t.Errorf("actor and action filter do not narrow the list")
	}
	_, body = admin.getBody("/admin/audit?subject=" + url.QueryEscape("round:2019-B6"))
	if !strings.Contains(body, "round.reopen") || !strings.Contains(body, "round.publish") || strings.Contains(body, "user:li.na") {
		t.Errorf("subject filter does not narrow the list")
	}
	if code, _ := ts.login(t, leaderUser).getBody("/admin/audit"); code != http.StatusForbidden {
		t.Errorf("leader GET /admin/audit = %d, want 403", code)
	}
}

// TestAuditPagePaginates: 130 entries of one actor make two pages of 100
// and 30, newest first, with links keeping the filter.
func TestAuditPagePaginates(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	for i := range 130 {
		if err := ts.store.Audit(ctx, testNow, "bulk", "test.bulk", fmt.Sprintf("n:%03d", i), nil, map[string]int{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
	admin := ts.login(t, adminUser)
	_, p1 := admin.getBody("/admin/audit?actor=bulk")
	_, p2 := admin.getBody("/admin/audit?actor=bulk&page=2")
	if n := strings.Count(p1, "<td>n:"); n != 100 {
		t.Errorf("page 1 has %d entries, want 100", n)
	}
	if n := strings.Count(p2, "<td>n:"); n != 30 {
		t.Errorf("page 2 has %d entries, want 30", n)
	}
	if !strings.Contains(p1, "<td>n:129</td>") || strings.Contains(p1, "<td>n:029</td>") || !strings.Contains(p2, "<td>n:000</td>") {
		t.Errorf("pages not newest first")
	}
	if !strings.Contains(p1, `href="/admin/audit?actor=bulk&amp;page=2"`) || strings.Contains(p1, "上一页") {
		t.Errorf("page 1 lacks the link to page 2 keeping the filter")
	}
	if !strings.Contains(p2, `href="/admin/audit?actor=bulk&amp;page=1"`) || strings.Contains(p2, "下一页") {
		t.Errorf("page 2 lacks the link back, or offers a page 3")
	}
}
