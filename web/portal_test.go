package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// testRound is the round the portal tests open; its deadline is
// testDeadline.
const testRound = "2020-B1"

var testDeadline = testNow.Add(2 * time.Hour) // within a session's lifetime

// openPortalRound creates and opens testRound through the store.
func openPortalRound(t testing.TB, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	if _, err := ts.store.CreateRound(ctx, testRound, "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.OpenRound(ctx, testRound, testDeadline, "test", testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
}

func sheetOf(t testing.TB, ts *testServer, ev string) analytics.EvaluatorSheet {
	t.Helper()
	sh, err := ts.store.EvaluatorSheet(context.Background(), testRound, ev, ts.nowTime())
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func countRows(t testing.TB, ts *testServer, q string, args ...any) int {
	t.Helper()
	var n int
	if err := ts.store.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// nothingStored checks that no draft, score, submission nor peer audit entry
// exists for the portal round.
func nothingStored(t *testing.T, ts *testServer, what string) {
	t.Helper()
	for _, table := range []string{"peer_drafts", "peer_scores", "peer_submissions"} {
		if n := countRows(t, ts, "SELECT count(*) FROM "+table+" WHERE round = ?", testRound); n != 0 {
			t.Errorf("%s: %d rows in %s", what, n, table)
		}
	}
	if n := countRows(t, ts, "SELECT count(*) FROM audit_log WHERE action LIKE 'peer.%'"); n != 0 {
		t.Errorf("%s: %d peer audit entries", what, n)
	}
}

// addEvaluator creates an evaluator account for evaluator id ev.
func addEvaluator(t testing.TB, ts *testServer, username, ev string) {
	t.Helper()
	u := analytics.User{Username: username, DisplayName: "评议人 " + ev, Role: analytics.RoleEvaluator, EvaluatorID: ev}
	if err := ts.store.AddUser(context.Background(), u, testPassword, "test", testNow); err != nil {
		t.Fatal(err)
	}
}

// otherEvaluators lists the sample city's evaluator ids other than the eval account's.
func otherEvaluators(t testing.TB, ts *testServer) []string {
	t.Helper()
	p, err := ts.store.RoundProgress(context.Background(), testRound)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range p.Evaluators {
		if e.EvaluatorID != ts.fx.evaluatorID && e.Total > 0 {
			out = append(out, e.EvaluatorID)
		}
	}
	return out
}

// TestPortalOwnAndOutOfGroupUnitsRefused: the evaluator's own unit is never
// on the sheet, and forged fields for it or for a unit outside their groups
// are refused with nothing stored, even alongside valid scores.
func TestPortalOwnAndOutOfGroupUnitsRefused(t *testing.T) {
	ts := newTestServer(t)
	openPortalRound(t, ts)
	ev := ts.login(t, evalUser)
	sh := sheetOf(t, ts, ts.fx.evaluatorID)
	mine := map[string]bool{}
	groups := map[string]bool{}
	for _, a := range sh.Assignments {
		if a.UnitID == ts.fx.evalUnit {
			t.Fatalf("own unit %s assigned in %s", a.UnitID, a.GroupID)
		}
		mine[a.UnitID] = true
		groups[a.GroupID] = true
	}
	code, body := ev.getBody("/portal/" + testRound)
	if code != http.StatusOK {
		t.Fatalf("sheet: %d", code)
	}
	if n := strings.Count(body, `name="score.`); n != sh.Total {
		t.Errorf("%d score inputs, want %d", n, sh.Total)
	}
	if strings.Contains(body, "."+ts.fx.evalUnit+`"`) {
		t.Errorf("own unit %s has a field on the page", ts.fx.evalUnit)
	}
	// A unit of the sample city in none of the evaluator's groups, and a
	// group of theirs: the pair is not an assignment.
	var outside string
	units, _ := ts.store.Units(context.Background())
	for _, u := range units {
		if !mine[u.ID] && u.ID != ts.fx.evalUnit {
			outside = u.ID
			break
		}
	}
	var group string
	for g := range groups {
		group = g
	}
	valid := fullSheet(sh, func(int) string { return "80" })
	for _, forged := range []string{group + "." + ts.fx.evalUnit, group + "." + outside, "G-none." + sh.Assignments[0].UnitID} {
		v := url.Values{}
		for k, x := range valid {
			v[k] = x
		}
		v.Set("score."+forged, "95")
		for _, path := range []string{"/portal/" + testRound, "/portal/" + testRound + "/submit"} {
			if code := ev.postForm(path, v).StatusCode; code != http.StatusForbidden {
				t.Errorf("POST %s with %s: %d, want 403", path, forged, code)
			}
			nothingStored(t, ts, "forged "+forged)
		}
	}
}

// TestPortalInvalidEntriesReRendered: 101, -1, text and a low score without a
// comment come back with the typed values and a reason per row; nothing is
// saved.
func TestPortalInvalidEntriesReRendered(t *testing.T) {
	ts := newTestServer(t)
	openPortalRound(t, ts)
	ev := ts.login(t, evalUser)
	sh := sheetOf(t, ts, ts.fx.evaluatorID)
	if sh.Total < 4 {
		t.Fatalf("need 4 assignments, have %d", sh.Total)
	}
	for _, tt := range []struct {
		score, comment, reason string
	}{
		{"101", "", "评分须在 0 到 100 之间"},
		{"-1", "", "评分须在 0 到 100 之间"},
		{"九十", "", "请输入 0 到 100 之间的数字"},
		{"59.5", "", "评分低于 60 分时须填写评议意见"},
		{"59.5", "   ", "评分低于 60 分时须填写评议意见"},
		{"59.5", "\u200b", "评分低于 60 分时须填写评议意见"},
		{"59.5", "\u3000\u200b\ufeff\u00a0", "评分低于 60 分时须填写评议意见"},
		{"88", "配合\x00积极", "评议意见不能包含控制字符或文字方向控制符"},
		{"88", "配合\x1b[31m积极", "评议意见不能包含控制字符或文字方向控制符"},
		{"59.5", "\u202e极积合配", "评议意见不能包含控制字符或文字方向控制符"},
	} {
		v := fullSheet(sh, func(int) string { return "88" })
		a := sh.Assignments[2]
		v.Set("score."+a.GroupID+"."+a.UnitID, tt.score)
		v.Set("comment."+a.GroupID+"."+a.UnitID, tt.comment)
		resp := ev.postForm("/portal/"+testRound, v)
		body := expectStatus(t, "score "+tt.score, resp, http.StatusUnprocessableEntity)
		if !strings.Contains(body, tt.reason) || !strings.Contains(body, `value="`+html.EscapeString(tt.score)+`"`) || !strings.Contains(body, "评分未保存") {
			t.Errorf("score %q: the form does not come back with the value and %q", tt.score, tt.reason)
		}
		if strings.Count(body, `class="error portal-row-error"`) != 1 {
			t.Errorf("score %q: want exactly one row error", tt.score)
		}
		nothingStored(t, ts, "score "+tt.score)
		// The same through submit: refused, nothing stored.
		expectStatus(t, "submit "+tt.score, ev.postForm("/portal/"+testRound+"/submit", v), http.StatusUnprocessableEntity)
		nothingStored(t, ts, "submit "+tt.score)
	}
	// 59.5 with a comment is fine; 0 and 100 are in range.
	v := url.Values{}
	a, b, c := sh.Assignments[0], sh.Assignments[1], sh.Assignments[2]
	v.Set("score."+a.GroupID+"."+a.UnitID, "59.5")
	v.Set("comment."+a.GroupID+"."+a.UnitID, "配合不够积极")
	v.Set("score."+b.GroupID+"."+b.UnitID, "100")
	v.Set("score."+c.GroupID+"."+c.UnitID, "0")
	v.Set("comment."+c.GroupID+"."+c.UnitID, "未参与")
	expectStatus(t, "valid draft", ev.postForm("/portal/"+testRound, v), http.StatusSeeOther)
	if n := countRows(t, ts, "SELECT count(*) FROM peer_drafts WHERE score IS NOT NULL"); n != 3 {
		t.Errorf("%d drafts, want 3", n)
	}
	_, body := ev.getBody("/portal/" + testRound + "?saved=1")
	if !strings.Contains(body, fmt.Sprintf("已完成 3 / %d", sh.Total)) || !strings.Contains(body, "草稿已保存") || !strings.Contains(body, `inputmode="decimal"`) {
		t.Errorf("progress after the draft not shown")
	}
}

// TestPortalDraftThenSubmit: a partial draft, a refused incomplete
// submission, then the rest and the submission: each score lands in
// peer_scores exactly once; the sheet is read-only afterwards.
func TestPortalDraftThenSubmit(t *testing.T) {
	ts := newTestServer(t)
	openPortalRound(t, ts)
	ev := ts.login(t, evalUser)
	sh := sheetOf(t, ts, ts.fx.evaluatorID)
	half := sh.Total / 2
	score := func(i int) string { return fmt.Sprintf("%d.5", 70+i%25) }
	v := url.Values{}
	for i, a := range sh.Assignments[:half] {
		v.Set("score."+a.GroupID+"."+a.UnitID, score(i))
	}
	expectStatus(t, "half draft", ev.postForm("/portal/"+testRound, v), http.StatusSeeOther)
	body := expectStatus(t, "incomplete submit", ev.postForm("/portal/"+testRound+"/submit", url.Values{}), http.StatusUnprocessableEntity)
	if !strings.Contains(body, fmt.Sprintf("还有 %d 个单位未评分", sh.Total-half)) {
		t.Errorf("incomplete submission not explained:\n%.2000s", body)
	}
	if n := countRows(t, ts, "SELECT count(*) FROM peer_scores WHERE round = ?", testRound); n != 0 {
		t.Fatalf("an incomplete submission stored %d scores", n)
	}
	// The rest travels with the submit button (the form holds every field).
	resp := ev.postForm("/portal/"+testRound+"/submit", fullSheet(sh, score))
	expectStatus(t, "submit", resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/portal/"+testRound+"?submitted=1" {
		t.Errorf("submit redirects to %q", loc)
	}
	for i, a := range sh.Assignments {
		var n int
		var got float64
		err := ts.store.DB().QueryRow(`SELECT count(*), max(score) FROM peer_scores WHERE round = ? AND evaluator_id = ? AND unit_id = ? AND group_id = ?`,
			testRound, ts.fx.evaluatorID, a.UnitID, a.GroupID).Scan(&n, &got)
		if err != nil {
			t.Fatal(err)
		}
		if want := float64(70+i%25) + .5; n != 1 || got != want {
			t.Errorf("%s/%s: %d rows, score %g; want once %g", a.GroupID, a.UnitID, n, got, want)
		}
	}
	if n := countRows(t, ts, "SELECT count(*) FROM peer_scores WHERE round = ?", testRound); n != sh.Total {
		t.Errorf("%d rows in peer_scores, want %d", n, sh.Total)
	}
	_, body = ev.getBody("/portal/" + testRound + "?submitted=1")
	if strings.Contains(body, `id="portal-form"`) || strings.Contains(body, `name="score.`) || !strings.Contains(body, "提交本轮评议,评分不能再修改") {
		t.Errorf("submitted sheet is not read-only:\n%.2000s", body)
	}
	before := countRows(t, ts, "SELECT count(*) FROM audit_log WHERE action LIKE 'peer.%'")
	changed := fullSheet(sh, func(int) string { return "99" })
	expectStatus(t, "draft after submission", ev.postForm("/portal/"+testRound, changed), http.StatusConflict)
	expectStatus(t, "second submission", ev.postForm("/portal/"+testRound+"/submit", changed), http.StatusConflict)
	if n := countRows(t, ts, "SELECT count(*) FROM peer_scores WHERE round = ? AND score = 99", testRound); n != 0 {
		t.Errorf("a submitted sheet was changed")
	}
	if after := countRows(t, ts, "SELECT count(*) FROM audit_log WHERE action LIKE 'peer.%'"); after != before {
		t.Errorf("refused writes were audited")
	}
	_, body = ev.getBody("/portal")
	if !strings.Contains(body, "已提交") {
		t.Errorf("portal list does not show the submission")
	}
}

// TestPortalWritesRefusedAfterCloseAndDeadline: a closed round and one past
// its deadline are read-only, and posts to them store nothing.
func TestPortalWritesRefusedAfterCloseAndDeadline(t *testing.T) {
	ts := newTestServer(t)
	openPortalRound(t, ts)
	ev := ts.login(t, evalUser)
	sh := sheetOf(t, ts, ts.fx.evaluatorID)
	v := fullSheet(sh, func(int) string { return "77" })

	ts.setNow(testDeadline) // the deadline itself is too late
	_, body := ev.getBody("/portal/" + testRound)
	if strings.Contains(body, `name="score.`) || !strings.Contains(body, "截止,评分不能再修改") {
		t.Errorf("sheet past the deadline is not read-only")
	}
	expectStatus(t, "draft past the deadline", ev.postForm("/portal/"+testRound, v), http.StatusConflict)
	expectStatus(t, "submit past the deadline", ev.postForm("/portal/"+testRound+"/submit", v), http.StatusConflict)
	nothingStored(t, ts, "past the deadline")

	ts.setNow(testNow)
	expectStatus(t, "draft before the deadline", ev.postForm("/portal/"+testRound, v), http.StatusSeeOther)
	if _, err := ts.store.CloseRound(context.Background(), testRound, "test", testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	_, body = ev.getBody("/portal/" + testRound)
	if strings.Contains(body, `name="score.`) || !strings.Contains(body, "本轮评议已截止") {
		t.Errorf("closed sheet is not read-only")
	}
	expectStatus(t, "submit after close", ev.postForm("/portal/"+testRound+"/submit", v), http.StatusConflict)
	expectStatus(t, "draft after close", ev.postForm("/portal/"+testRound, fullSheet(sh, func(int) string { return "12" })), http.StatusConflict)
	if n := countRows(t, ts, "SELECT count(*) FROM peer_scores WHERE round = ?", testRound); n != 0 {
		t.Errorf("submission after close stored %d scores", n)
	}
	if n := countRows(t, ts, "SELECT count(*) FROM peer_drafts WHERE score = 12"); n != 0 {
		t.Errorf("draft after close stored")
	}
	// A round never opened is not found.
	if code, _ := ev.getBody("/portal/2020-B2"); code != http.StatusNotFound {
		t.Errorf("unopened round: %d", code)
	}
}

// TestPortalOnlyOwnSheet: the evaluator id comes from the session; another
// evaluator's drafts never show, and other roles cannot use the portal.
func TestPortalOnlyOwnSheet(t *testing.T) {
	ts := newTestServer(t)
	openPortalRound(t, ts)
	other := otherEvaluators(t, ts)[0]
	addEvaluator(t, ts, "eval2", other)
	ev2 := ts.login(t, "eval2")
	sh2 := sheetOf(t, ts, other)
	v := url.Values{}
	for _, a := range sh2.Assignments {
		v.Set("score."+a.GroupID+"."+a.UnitID, "42")
		v.Set("comment."+a.GroupID+"."+a.UnitID, "其他评议人的机密意见")
	}
	expectStatus(t, "eval2 draft", ev2.postForm("/portal/"+testRound, v), http.StatusSeeOther)

	ev := ts.login(t, evalUser)
	_, body := ev.getBody("/portal/" + testRound)
	if strings.Contains(body, "其他评议人的机密意见") || strings.Contains(body, `value="42"`) {
		t.Errorf("eval sees eval2's draft")
	}
	// Query parameters or form fields naming another evaluator change nothing.
	_, body = ev.getBody("/portal/" + testRound + "?evaluator_id=" + url.QueryEscape(other))
	if strings.Contains(body, "其他评议人的机密意见") {
		t.Errorf("evaluator_id parameter honoured")
	}
	mine := sheetOf(t, ts, ts.fx.evaluatorID)
	f := fullSheet(mine, func(int) string { return "90" })
	f.Set("evaluator_id", other)
	expectStatus(t, "eval draft", ev.postForm("/portal/"+testRound, f), http.StatusSeeOther)
	if n := countRows(t, ts, "SELECT count(*) FROM peer_drafts WHERE evaluator_id = ? AND score = 90", other); n != 0 {
		t.Errorf("eval wrote into eval2's sheet")
	}
	if n := countRows(t, ts, "SELECT count(*) FROM peer_drafts WHERE evaluator_id = ? AND score = 90", ts.fx.evaluatorID); n != mine.Total {
		t.Errorf("eval's own draft: %d rows, want %d", n, mine.Total)
	}
	for _, u := range []string{leaderUser, adminUser} {
		c := ts.login(t, u)
		for _, p := range []string{"/portal", "/portal/" + testRound} {
			if code, _ := c.getBody(p); code != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", u, p, code)
			}
		}
		expectStatus(t, u+" POST", c.postForm("/portal/"+testRound, f), http.StatusForbidden)
		expectStatus(t, u+" submit", c.postForm("/portal/"+testRound+"/submit", f), http.StatusForbidden)
	}
	// Without a session: the login page for a page, 401 for a write.
	anon := ts.anon(t)
	if resp := anon.get("/portal/" + testRound); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous GET: %d", resp.StatusCode)
	}
}

// TestPortalHostileUnitEscaped: an evaluator whose groups include the unit
// renamed to <script>alert(1)</script> sees it escaped.
func TestPortalHostileUnitEscaped(t *testing.T) {
	ts := newTestServer(t)
	openPortalRound(t, ts)
	found := ""
	for _, ev := range append([]string{ts.fx.evaluatorID}, otherEvaluators(t, ts)...) {
		for _, a := range sheetOf(t, ts, ev).Assignments {
			if a.UnitID == ts.fx.hostileUnit {
				found = ev
			}
		}
		if found != "" {
			break
		}
	}
	if found == "" {
		t.Fatal("no evaluator scores the hostile unit")
	}
	addEvaluator(t, ts, "evalh", found)
	c := ts.login(t, "evalh")
	for _, p := range []string{"/portal/" + testRound, "/portal/2019-B3", "/portal"} {
		code, body := c.getBody(p)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", p, code)
		}
		if strings.Contains(body, hostile) {
			t.Errorf("%s shows the hostile name unescaped", p)
		}
		if p != "/portal" && !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the hostile unit escaped", p)
		}
	}
}

// TestPortalConcurrentSubmissions: 100 evaluators of the sample city, each
// logged in on its own client, open their sheet, save a draft and submit at
// the same time. Afterwards every score is in peer_scores exactly once,
// every submission is recorded and the audit log holds one peer.draft and
// one peer.submit per evaluator. (The small sample city has 68 evaluators;
// the rest are imported copies of them under new ids.)
func TestPortalConcurrentSubmissions(t *testing.T) {
	ts := newTestServer(t, func(c *Config) {
		c.LoginRate, c.LoginBurst = rate.Limit(1000), 1000
		c.RequestTimeout = 10 * time.Minute // 100 bcrypt logins at once under -race
	})
	openPortalRound(t, ts)
	ctx := context.Background()
	evs := otherEvaluators(t, ts)
	if len(evs) < 100 {
		addRosterCopies(t, ts, 100-len(evs))
		evs = otherEvaluators(t, ts)
	}
	if len(evs) < 100 {
		t.Fatalf("%d evaluators with assignments, want 100", len(evs))
	}
	evs = evs[:100]
	type job struct {
		user, ev string
		sheet    analytics.EvaluatorSheet
		form     url.Values
		c        *client
	}
	jobs := make([]job, len(evs))
	for i, ev := range evs {
		jobs[i] = job{user: fmt.Sprintf("conc%03d", i), ev: ev, sheet: sheetOf(t, ts, ev)}
		jobs[i].form = fullSheet(jobs[i].sheet, func(j int) string { return fmt.Sprint(60 + (i*7+j)%41) })
	}
	// Accounts and logins first (bcrypt-bound), a few at a time.
	each(len(jobs), 4, func(i int) {
		u := analytics.User{Username: jobs[i].user, Role: analytics.RoleEvaluator, EvaluatorID: jobs[i].ev}
		if err := ts.store.AddUser(ctx, u, testPassword, "test", testNow); err != nil {
			t.Error(err)
		}
	})
	each(len(jobs), 8, func(i int) {
		c, err := loginClient(ts, jobs[i].user)
		if err != nil {
			t.Error(err)
		}
		jobs[i].c = c
	})
	if t.Failed() {
		t.FailNow()
	}
	// All 100 at once.
	each(len(jobs), len(jobs), func(i int) {
		if err := scoreAndSubmit(ts, jobs[i].c, jobs[i].user, jobs[i].form); err != nil {
			t.Error(err)
		}
	})

	expected := map[string]float64{}
	for i, j := range jobs {
		for k, a := range j.sheet.Assignments {
			expected[j.ev+"|"+a.GroupID+"|"+a.UnitID] = float64(60 + (i*7+k)%41)
		}
	}
	rows, err := ts.store.DB().Query(`SELECT evaluator_id || '|' || group_id || '|' || unit_id, score FROM peer_scores WHERE round = ?`, testRound)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for rows.Next() {
		var k string
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		got[k]++
		if w, ok := expected[k]; !ok || w != v {
			t.Errorf("stored %s = %g, want %g (expected: %v)", k, v, w, ok)
		}
	}
	rows.Close()
	for k := range expected {
		if got[k] != 1 {
			t.Errorf("%s stored %d times, want once", k, got[k])
		}
	}
	if n := countRows(t, ts, "SELECT count(*) FROM peer_submissions WHERE round = ?", testRound); n != len(jobs) {
		t.Errorf("%d submissions, want %d", n, len(jobs))
	}
	for _, action := range []string{"peer.submit", "peer.draft"} {
		log, err := ts.store.AuditLog(ctx, analytics.AuditFilter{ActionPrefix: action, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		per := map[string]int{}
		for _, e := range log {
			per[e.Subject]++
		}
		for _, j := range jobs {
			if s := "round:" + testRound + "/evaluator:" + j.ev; per[s] != 1 {
				t.Errorf("%s: %d %s entries, want 1", s, per[s], action)
			}
		}
		if len(log) != len(jobs) {
			t.Errorf("%d %s entries, want %d", len(log), action, len(jobs))
		}
	}
}

// each runs f(0…n-1) on at most par goroutines and waits for all.
func each(n, par int, f func(i int)) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}

// addRosterCopies imports n more evaluators into the server's database:
// copies (class, unit, groups) of the sample city's evaluators under new ids
// X001…, as a second roster file would add them.
func addRosterCopies(t *testing.T, ts *testServer, n int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ts.fx.dir, "data", "evaluators.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	w := csv.NewWriter(&out)
	_ = w.Write(rows[0])
	for i := 0; i < n; i++ {
		r := append([]string(nil), rows[1+i%(len(rows)-1)]...)
		r[0], r[1] = fmt.Sprintf("X%03d", i+1), fmt.Sprintf("补充评议人%03d", i+1)
		_ = w.Write(r)
	}
	w.Flush()
	p := filepath.Join(t.TempDir(), "evaluators.csv")
	if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ImportFile(context.Background(), p, analytics.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
}

// loginClient logs in user on a fresh client, reporting (not failing on)
// errors: it runs on its own goroutine.
func loginClient(ts *testServer, user string) (*client, error) {
	c := ts.anon(nil)
	if code, err := rawGet(ts, c, "/login"); err != nil || code != http.StatusOK {
		return nil, fmt.Errorf("%s login page: %d %v", user, code, err)
	}
	if code, err := rawPost(ts, c, "/login", url.Values{"username": {user}, "password": {testPassword}}); err != nil || code != http.StatusSeeOther {
		return nil, fmt.Errorf("%s login: %d %v", user, code, err)
	}
	return c, nil
}

// scoreAndSubmit opens the sheet, saves form as a draft and submits.
func scoreAndSubmit(ts *testServer, c *client, user string, form url.Values) error {
	if code, err := rawGet(ts, c, "/portal/"+testRound); err != nil || code != http.StatusOK {
		return fmt.Errorf("%s sheet: %d %v", user, code, err)
	}
	if code, err := rawPost(ts, c, "/portal/"+testRound, cloneValues(form)); err != nil || code != http.StatusSeeOther {
		return fmt.Errorf("%s draft: %d %v", user, code, err)
	}
	if code, err := rawPost(ts, c, "/portal/"+testRound+"/submit", url.Values{}); err != nil || code != http.StatusSeeOther {
		return fmt.Errorf("%s submit: %d %v", user, code, err)
	}
	return nil
}

func rawGet(ts *testServer, c *client, path string) (int, error) {
	resp, err := c.http.Get(ts.URL + path)
	if err != nil {
		return 0, err
	}
	readBody(resp)
	return resp.StatusCode, nil
}

func rawPost(ts *testServer, c *client, path string, v url.Values) (int, error) {
	v.Set("_csrf", c.csrf())
	req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	readBody(resp)
	return resp.StatusCode, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}

// TestPortalAssignmentsMatchImportedScores: the sheet rule (the units of each
// of the evaluator's groups, once per group, never their own) is the rule
// the sample city's peer_scores were generated and imported under, so in a
// round without designed gaps (2019-B2) every evaluator's imported scores
// cover exactly their assignments; in 2019-B3 the designed gaps show as
// the two evaluators not complete (the leader of FewPeersUnit's group and
// the head of D24, fixtures.missedScore).
func TestPortalAssignmentsMatchImportedScores(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	for _, r := range []string{"2019-B2", "2019-B3"} {
		p, err := ts.store.RoundProgress(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		part, err := ts.store.PeerParticipation(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]int{}
		for _, e := range part {
			rows[e.EvaluatorID] = e.Scores
		}
		incomplete := 0
		for _, e := range p.Evaluators {
			if e.Stored != rows[e.EvaluatorID] {
				t.Errorf("%s %s: %d imported rows, %d of them assignments", r, e.EvaluatorID, rows[e.EvaluatorID], e.Stored)
			}
			if e.Stored != e.Total {
				incomplete++
			}
			if e.Submitted() {
				t.Errorf("%s %s: imported scores are not web submissions", r, e.EvaluatorID)
			}
		}
		if want := map[string]int{"2019-B2": 0, "2019-B3": 2}[r]; incomplete != want {
			t.Errorf("%s: %d evaluators incomplete, want %d", r, incomplete, want)
		}
	}
}
