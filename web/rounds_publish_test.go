package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// TestRoundsCorrection computes a published sample round again and
// publishes the new version from the version comparison as a correction:
// the page shows the gate and the 更正 form, a reason is required, the round
// stays published with the new version for leaders, the history and the
// audit log keep both publications; leaders and evaluators may not post the
// form and a post without the CSRF token is refused.
func TestRoundsCorrection(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	admin := ts.login(t, adminUser)
	const r = "2019-B4"
	_, body := admin.getBody("/admin/rounds/" + r)
	if strings.Contains(body, "发布此版本为更正版") {
		t.Fatal("a correction is offered without a newer version")
	}
	expectStatus(t, "compute", admin.postForm("/admin/rounds/"+r+"/compute", nil), http.StatusSeeOther)
	_, body = admin.getBody("/admin/rounds/" + r)
	for _, want := range []string{"发布此版本为更正版", `action="/admin/rounds/2019-B4/correct"`, `name="version" value="2"`, "✓ 效能评议:", "更正理由(必填", "发布记录", "样本数据"} {
		if !strings.Contains(body, want) {
			t.Errorf("round page lacks %q", want)
		}
	}
	for _, role := range []string{leaderUser, evalUser} {
		c := ts.login(t, role)
		resp := c.postForm("/admin/rounds/"+r+"/correct", url.Values{"reason": {"x"}, "version": {"2"}})
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s posting a correction: %d, want 403", role, resp.StatusCode)
		}
	}
	resp := admin.postForm("/admin/rounds/"+r+"/correct", url.Values{"reason": {"x"}, "version": {"2"}, "_csrf": {"forged"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a correction with a forged CSRF token: %d, want 403", resp.StatusCode)
	}
	b := expectStatus(t, "correction without a reason", admin.postForm("/admin/rounds/"+r+"/correct", url.Values{"reason": {" "}, "version": {"2"}}), http.StatusUnprocessableEntity)
	if !strings.Contains(b, "发布更正版须填写更正理由") {
		t.Errorf("no message for the missing reason")
	}
	expectStatus(t, "publish (not correct) a published round", admin.postForm("/admin/rounds/"+r+"/publish", url.Values{"reason": {"x"}, "version": {"2"}}), http.StatusUnprocessableEntity)
	if pub, err := ts.published(ctx, r); err != nil || pub.Version != 1 {
		t.Fatalf("refusals changed what leaders see: %d %v", pub.Version, err)
	}
	expectStatus(t, "correct", admin.postForm("/admin/rounds/"+r+"/correct", url.Values{"reason": {"D07 扣分经复核撤销"}, "version": {"2"}}), http.StatusSeeOther)
	st := roundStatus(t, ts, r)
	if st.Status != analytics.RoundPublished || st.PublishedVersion != 2 {
		t.Fatalf("after the correction: %+v", st)
	}
	if pub, err := ts.published(ctx, r); err != nil || pub.Version != 2 {
		t.Fatalf("leaders see version %d (%v), want 2", pub.Version, err)
	}
	pubs, err := ts.store.Publications(ctx, r)
	if err != nil || len(pubs) != 2 || pubs[1].ReplacesVersion != 1 || pubs[1].Reason != "D07 扣分经复核撤销" || pubs[1].PublishedBy != adminUser {
		t.Fatalf("publications %+v %v", pubs, err)
	}
	log, err := ts.store.AuditLog(ctx, analytics.AuditFilter{ActionPrefix: "round.correct", Subject: "round:" + r})
	if err != nil || len(log) != 1 || !strings.Contains(string(log[0].New), "D07 扣分经复核撤销") {
		t.Fatalf("audit %+v %v", log, err)
	}
	_, body = admin.getBody("/admin/rounds/" + r)
	if !strings.Contains(body, "更正(取代 v1)") || !strings.Contains(body, "D07 扣分经复核撤销") {
		t.Errorf("the publication history lacks the correction")
	}
}

// TestRoundQAAnnexOfficeOnly: the annex of a round (it names evaluators) is
// served to an admin only, from the round page and from the report folder;
// a leader neither downloads nor sees it in the list of reports.
func TestRoundQAAnnexOfficeOnly(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	admin, leader := ts.login(t, adminUser), ts.login(t, leaderUser)
	qa, err := ts.store.PeerQA(ctx, "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	parts, err := ts.store.PeerParticipation(ctx, "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	resp := admin.get("/admin/rounds/2019-B3/qa-annex")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "round-2019-B3-qa-annex.html") {
		t.Fatalf("admin annex: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	body := readBody(resp)
	named := 0
	for _, id := range qa.SameScore {
		named++
		if !strings.Contains(body, id) {
			t.Errorf("annex lacks %s", id)
		}
	}
	for _, e := range parts {
		if e.Scores == 0 {
			named++
			if !strings.Contains(body, e.EvaluatorID) {
				t.Errorf("annex lacks absent %s", e.EvaluatorID)
			}
		}
	}
	for _, e := range qa.Evaluators {
		if e.Flagged {
			named++
			if !strings.Contains(body, e.EvaluatorID) {
				t.Errorf("annex lacks flagged %s", e.EvaluatorID)
			}
		}
	}
	if named == 0 {
		t.Fatal("the sample round flags no evaluator: nothing checked")
	}
	if code, _ := leader.getBody("/admin/rounds/2019-B3/qa-annex"); code != http.StatusForbidden {
		t.Errorf("leader annex: %d, want 403", code)
	}
	if err := os.MkdirAll(ts.cfg.ReportDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"round-2019-B3.html", "round-2019-B3-qa-annex.html"} {
		if err := os.WriteFile(filepath.Join(ts.cfg.ReportDir, n), []byte("<p>x</p>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _ := leader.getBody("/reports/files/round-2019-B3-qa-annex.html"); code != http.StatusForbidden {
		t.Errorf("leader downloads the annex file: %d", code)
	}
	if code, _ := leader.getBody("/reports/files/round-2019-B3.html"); code != http.StatusOK {
		t.Errorf("leader bulletin file: %d", code)
	}
	if code, _ := admin.getBody("/reports/files/round-2019-B3-qa-annex.html"); code != http.StatusOK {
		t.Errorf("admin annex file: %d", code)
	}
	_, page := leader.getBody("/reports")
	if strings.Contains(page, "qa-annex") || !strings.Contains(page, "round-2019-B3.html") {
		t.Errorf("the leader's list of reports shows the annex or lacks the bulletin")
	}
	_, page = admin.getBody("/reports")
	if !strings.Contains(page, "round-2019-B3-qa-annex.html") || !strings.Contains(page, "评议质量附件(效能办内部) 2019-B3") {
		t.Errorf("the admin's list of reports lacks the annex")
	}
}
