package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// expectStatus checks a response's status and returns its body.
func expectStatus(t *testing.T, what string, resp *http.Response, want int) string {
	t.Helper()
	body := readBody(resp)
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%.600s", what, resp.StatusCode, want, body)
	}
	return body
}

// roundStatus reads a round's state from the store.
func roundStatus(t *testing.T, ts *testServer, round string) analytics.RoundState {
	t.Helper()
	st, err := ts.store.Round(context.Background(), round)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// fullSheet fills every assignment of a sheet with score (and a comment).
func fullSheet(sh analytics.EvaluatorSheet, score func(i int) string) url.Values {
	v := url.Values{}
	for i, a := range sh.Assignments {
		f := a.GroupID + "." + a.UnitID
		v.Set("score."+f, score(i))
		v.Set("comment."+f, "")
	}
	return v
}

// TestRoundsLifecycle walks a new round through create → open → an
// evaluator's draft and submission → close → compute → publish → a second
// computation (unpublished) → reopen, checking each refusal of a bad
// transition and the audit trail of old and new states.
func TestRoundsLifecycle(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	admin := ts.login(t, adminUser)
	const r = "2020-B1"

	_, body := admin.getBody("/admin/rounds")
	if !strings.Contains(body, "2019-B6") || !strings.Contains(body, "已发布") || !strings.Contains(body, `placeholder="2020-B1"`) {
		t.Errorf("round list lacks the published 2019 rounds or the suggestion:\n%.2000s", body)
	}
	expectStatus(t, "bad name", admin.postForm("/admin/rounds", url.Values{"round": {"2020-B7"}}), http.StatusUnprocessableEntity)
	resp := admin.postForm("/admin/rounds", url.Values{"round": {"2020-b1"}})
	expectStatus(t, "create", resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/rounds/2020-B1?done=create" {
		t.Errorf("create redirects to %q", loc)
	}
	if b := expectStatus(t, "create twice", admin.postForm("/admin/rounds", url.Values{"round": {r}}), http.StatusUnprocessableEntity); !strings.Contains(b, "已经存在") {
		t.Errorf("create twice: no message")
	}

	// Transitions the draft does not allow.
	for _, a := range []string{"close", "compute", "publish", "reopen"} {
		b := expectStatus(t, a+" a draft", admin.postForm("/admin/rounds/"+r+"/"+a, url.Values{"reason": {"x"}, "deadline": {"2020-01-20T18:00"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(b, "草稿") || !strings.Contains(b, `class="error"`) {
			t.Errorf("%s a draft: no clear message:\n%.1500s", a, b)
		}
	}
	expectStatus(t, "open without a deadline", admin.postForm("/admin/rounds/"+r+"/open", nil), http.StatusUnprocessableEntity)
	expectStatus(t, "open with a past deadline", admin.postForm("/admin/rounds/"+r+"/open", url.Values{"deadline": {"2020-01-09T18:00"}}), http.StatusUnprocessableEntity)
	if st := roundStatus(t, ts, r); st.Status != analytics.RoundDraft {
		t.Fatalf("refusals changed the round: %+v", st)
	}
	expectStatus(t, "open", admin.postForm("/admin/rounds/"+r+"/open", url.Values{"deadline": {"2020-01-20T18:00"}}), http.StatusSeeOther)
	st := roundStatus(t, ts, r)
	if st.Status != analytics.RoundOpen || !st.Deadline.Equal(time.Date(2020, 1, 20, 18, 0, 0, 0, time.Local)) {
		t.Fatalf("after open: %+v", st)
	}
	expectStatus(t, "compute while open", admin.postForm("/admin/rounds/"+r+"/compute", nil), http.StatusUnprocessableEntity)

	// The evaluator scores: a draft, then the submission.
	ev := ts.login(t, evalUser)
	_, body = ev.getBody("/portal")
	if !strings.Contains(body, "/portal/2020-B1") || !strings.Contains(body, "评议中") && !strings.Contains(body, "已完成 0 /") {
		t.Errorf("portal lacks the open round:\n%.2000s", body)
	}
	sh, err := ts.store.EvaluatorSheet(ctx, r, ts.fx.evaluatorID, testNow)
	if err != nil || sh.Total == 0 {
		t.Fatalf("sheet: %+v, %v", sh, err)
	}
	form := fullSheet(sh, func(i int) string { return "85" })
	expectStatus(t, "draft", ev.postForm("/portal/"+r, form), http.StatusSeeOther)
	expectStatus(t, "submit", ev.postForm("/portal/"+r+"/submit", url.Values{}), http.StatusSeeOther)

	_, body = admin.getBody("/admin/rounds/" + r)
	if !strings.Contains(body, "已提交 1 / ") || !strings.Contains(body, "牵头市领导") || !strings.Contains(body, "责任部门主要负责人") {
		t.Errorf("participation not shown:\n%.3000s", body)
	}
	if !strings.Contains(body, "/admin/rounds/2020-B1/close") || strings.Contains(body, "/admin/rounds/2020-B1/publish") {
		t.Errorf("an open round must offer close and not publish")
	}

	expectStatus(t, "close", admin.postForm("/admin/rounds/"+r+"/close", nil), http.StatusSeeOther)
	expectStatus(t, "close twice", admin.postForm("/admin/rounds/"+r+"/close", nil), http.StatusUnprocessableEntity)
	expectStatus(t, "publish before computing", admin.postForm("/admin/rounds/"+r+"/publish", nil), http.StatusUnprocessableEntity)
	expectStatus(t, "compute", admin.postForm("/admin/rounds/"+r+"/compute", nil), http.StatusSeeOther)
	// One evaluator of the roster and no data of 2020: the gate refuses,
	// listing what is missing, until a reason is written.
	_, body = admin.getBody("/admin/rounds/" + r)
	for _, want := range []string{"✗ 效能评议:0/", "名评议人中仅 1 名提交", "✗ 2020-01—2020-02 无办件数据", `name="reason" rows="3" maxlength="500" required`} {
		if !strings.Contains(body, want) {
			t.Errorf("the round page before publishing lacks %q", want)
		}
	}
	b := expectStatus(t, "publish a half-empty round", admin.postForm("/admin/rounds/"+r+"/publish", url.Values{"reason": {"  "}}), http.StatusUnprocessableEntity)
	for _, want := range []string{"未满足发布条件", "效能评议:0/60 个单位有数据(0.0%,要求 ≥ 80%)", "效能评议:68 名评议人中仅 1 名提交(1.5%,要求 ≥ 66.7%)", "2020-01—2020-02 无办件数据", "须填写理由"} {
		if !strings.Contains(b, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, b[strings.Index(b, "class=\"error\""):][:600])
		}
	}
	if st := roundStatus(t, ts, r); st.PublishedVersion != 0 {
		t.Fatalf("a refused publication published: %+v", st)
	}
	expectStatus(t, "publish", admin.postForm("/admin/rounds/"+r+"/publish", url.Values{"reason": {"试运行:仅一名评议人提交"}}), http.StatusSeeOther)
	st = roundStatus(t, ts, r)
	if st.Status != analytics.RoundPublished || st.PublishedVersion != 1 || st.LatestVersion != 1 {
		t.Fatalf("after publish: %+v", st)
	}
	runs, _ := ts.store.ScoreRuns(ctx, r)
	if len(runs) != 1 || runs[0].Actor != adminUser {
		t.Errorf("runs %+v: want one by %s", runs, adminUser)
	}
	expectStatus(t, "publish twice", admin.postForm("/admin/rounds/"+r+"/publish", nil), http.StatusUnprocessableEntity)

	// A later computation is a new version; leaders keep the published one.
	expectStatus(t, "compute again", admin.postForm("/admin/rounds/"+r+"/compute", nil), http.StatusSeeOther)
	if pub, err := ts.published(ctx, r); err != nil || pub.Version != 1 {
		t.Errorf("leaders see version %d (%v), want the published 1", pub.Version, err)
	}
	_, body = admin.getBody("/admin/rounds/" + r)
	for _, want := range []string{"版本 v1 已发布", "v2 是发布之后新计算的版本", "与已发布的 v1 对比", "已发布</span>", "未发布"} {
		if !strings.Contains(body, want) {
			t.Errorf("round page lacks %q", want)
		}
	}

	// Reopen: a reason is required; the published version stays.
	expectStatus(t, "reopen without reason", admin.postForm("/admin/rounds/"+r+"/reopen", url.Values{"deadline": {"2020-01-25T18:00"}, "reason": {"  "}}), http.StatusUnprocessableEntity)
	expectStatus(t, "reopen", admin.postForm("/admin/rounds/"+r+"/reopen", url.Values{"deadline": {"2020-01-25T18:00"}, "reason": {"补录一位评议人的评分"}}), http.StatusSeeOther)
	st = roundStatus(t, ts, r)
	if st.Status != analytics.RoundOpen || st.PublishedVersion != 1 || st.Reason != "补录一位评议人的评分" {
		t.Errorf("after reopen: %+v", st)
	}
	if pub, err := ts.published(ctx, r); err != nil || pub.Version != 1 {
		t.Errorf("after reopen leaders see version %d (%v), want 1", pub.Version, err)
	}
	// The evaluator may change the sheet again.
	if _, body = ev.getBody("/portal/" + r); !strings.Contains(body, `id="portal-form"`) {
		t.Errorf("after reopening the sheet is not editable")
	}

	// Every transition audited with the old and new state.
	log, err := ts.store.AuditLog(ctx, analytics.AuditFilter{ActionPrefix: "round.", Subject: "round:" + r})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ action, old, new string }{
		{"round.reopen", "published", "open"},
		{"round.compute", "", "2"}, // new: the version computed
		{"round.publish", "closed", "published"},
		{"round.compute", "", "1"},
		{"round.close", "open", "closed"},
		{"round.open", "draft", "open"},
		{"round.create", "", "draft"},
	}
	if len(log) != len(want) {
		t.Fatalf("audit: %d entries, want %d: %+v", len(log), len(want), log)
	}
	for i, w := range want {
		var o, n struct {
			Status  string `json:"status"`
			Reason  string `json:"reason"`
			Version int    `json:"version"`
		}
		_ = json.Unmarshal(log[i].Old, &o)
		_ = json.Unmarshal(log[i].New, &n)
		if w.action == "round.compute" && n.Version != 0 {
			n.Status = fmt.Sprint(n.Version)
		}
		if log[i].Action != w.action || o.Status != w.old || n.Status != w.new || log[i].Actor != adminUser {
			t.Errorf("audit %d: %s %s → %s by %s, want %s %s → %s", i, log[i].Action, o.Status, n.Status, log[i].Actor, w.action, w.old, w.new)
		}
		if w.action == "round.reopen" && n.Reason != "补录一位评议人的评分" {
			t.Errorf("reopen audit lacks the reason: %s", log[i].New)
		}
	}
	if subs, _ := ts.store.AuditLog(ctx, analytics.AuditFilter{ActionPrefix: "peer.submit"}); len(subs) != 1 || subs[0].Actor != evalUser {
		t.Errorf("peer.submit audit: %+v", subs)
	}
}

// TestRoundsPublishedStaysFrozen reopens a published 2019 round, closes it
// and computes it again: leaders keep seeing version 1 until version 2 is
// published.
func TestRoundsPublishedStaysFrozen(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	admin := ts.login(t, adminUser)
	const r = "2019-B6"
	before, err := ts.published(ctx, r)
	if err != nil || before.Version != 1 {
		t.Fatalf("published %d, %v", before.Version, err)
	}
	expectStatus(t, "reopen", admin.postForm("/admin/rounds/"+r+"/reopen", url.Values{"deadline": {"2020-01-11T12:00"}, "reason": {"复核"}}), http.StatusSeeOther)
	expectStatus(t, "close", admin.postForm("/admin/rounds/"+r+"/close", nil), http.StatusSeeOther)
	expectStatus(t, "compute", admin.postForm("/admin/rounds/"+r+"/compute", nil), http.StatusSeeOther)
	after, err := ts.published(ctx, r)
	if err != nil || after.Version != 1 {
		t.Fatalf("after computing v2 leaders see v%d (%v), want v1", after.Version, err)
	}
	_, body := admin.getBody("/admin/rounds/" + r)
	if !strings.Contains(body, "版本 v1 已发布") || !strings.Contains(body, "发布 v2") {
		t.Errorf("round page does not show v1 published and v2 publishable:\n%.3000s", body)
	}
	// The review compares v2 with v1: same inputs, same scheme, no change.
	if strings.Contains(body, `class="changed"`) {
		t.Errorf("identical recomputation shows changes")
	}
	expectStatus(t, "publish v2", admin.postForm("/admin/rounds/"+r+"/publish", url.Values{"reason": {"样本数据:诉求件数偏少"}}), http.StatusSeeOther)
	if now, err := ts.published(ctx, r); err != nil || now.Version != 2 {
		t.Errorf("after publishing v2 leaders see v%d (%v)", now.Version, err)
	}
}

// TestRoundsHostileNameEscaped: the admin round page lists unit names in its
// review table and the evaluator names in participation.
func TestRoundsHostileNameEscaped(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.login(t, adminUser)
	for _, p := range []string{"/admin/rounds/2019-B3", "/admin/rounds"} {
		code, body := admin.getBody(p)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", p, code)
		}
		if strings.Contains(body, hostile) {
			t.Errorf("%s shows the hostile name unescaped", p)
		}
		if p == "/admin/rounds/2019-B3" && !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the hostile unit escaped", p)
		}
	}
}

// TestRoundsAdminOnly: leaders and evaluators cannot reach the round pages
// nor change a round.
func TestRoundsAdminOnly(t *testing.T) {
	ts := newTestServer(t)
	for _, u := range []string{leaderUser, evalUser} {
		c := ts.login(t, u)
		if code, _ := c.getBody("/admin/rounds"); code != http.StatusForbidden {
			t.Errorf("%s GET /admin/rounds: %d", u, code)
		}
		expectStatus(t, u+" close", c.postForm("/admin/rounds/2019-B6/reopen", url.Values{"reason": {"x"}, "deadline": {"2020-02-01T00:00"}}), http.StatusForbidden)
	}
	if st := roundStatus(t, ts, "2019-B6"); st.Status != analytics.RoundPublished {
		t.Errorf("2019-B6 changed: %+v", st)
	}
	if code, _ := ts.login(t, adminUser).getBody("/admin/rounds/2031-B1"); code != http.StatusNotFound {
		t.Errorf("unknown round: %d", code)
	}
}
