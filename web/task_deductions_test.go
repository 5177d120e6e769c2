package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

const tddPath = "/admin/task-deductions"

// tddEscaped is how html/template writes the hostile name.
const tddEscaped = `&lt;script&gt;alert(1)&lt;/script&gt;`

// tddAddTasks imports two open tasks of the sample city's hostile units,
// both due Tue 2019-12-31: as of the test clock (Fri 2020-01-10) they are
// overdue by 7 working days (Jan 1 is a holiday: Jan 2, 3, 6–10). TDX1,
// whose title is hostile too, is led by the hostile department, TDX2 by the
// hostile county.
func tddAddTasks(t *testing.T, ts *testServer) {
	t.Helper()
	body := "task_id,title,source,lead_unit_id,assigned_on,due_on,status\n" +
		"TDX1,督办" + hostile + ",leader_instruction," + ts.fx.hostileUnit + ",2019-12-02,2019-12-31,open\n" +
		"TDX2,县区事项,key_work," + ts.fx.hostileCnty + ",2019-12-02,2019-12-31,open\n"
	p := filepath.Join(t.TempDir(), "tasks.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ImportFile(context.Background(), p, analytics.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
}

func tddDecisions(t *testing.T, ts *testServer) []analytics.TaskDeductionDecision {
	t.Helper()
	ds, err := ts.store.TaskDeductionDecisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestTaskDeductionPageRoles(t *testing.T) {
	ts := newTestServer(t)
	tddAddTasks(t, ts)
	for _, user := range []string{leaderUser, evalUser} {
		c := ts.login(t, user)
		if code, _ := c.getBody(tddPath); code != http.StatusForbidden {
			t.Errorf("GET as %s: %d, want 403", user, code)
		}
		for _, p := range []string{tddPath + "/confirm", tddPath + "/dismiss"} {
			resp := c.postForm(p, url.Values{"task_id": {"TDX1"}, "points": {"1"}, "reason": {"x"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s as %s: %d, want 403", p, user, resp.StatusCode)
			}
			resp.Body.Close()
		}
	}
	resp := ts.anon(t).get(tddPath)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous GET: %d %s, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	if ds := tddDecisions(t, ts); len(ds) != 0 {
		t.Errorf("refused requests wrote %+v", ds)
	}
}

func TestTaskDeductionCSRF(t *testing.T) {
	ts := newTestServer(t)
	tddAddTasks(t, ts)
	c := ts.login(t, adminUser)
	for _, token := range []string{"", "forged"} {
		for _, p := range []string{tddPath + "/confirm", tddPath + "/dismiss"} {
			v := url.Values{"task_id": {"TDX1"}, "points": {"1"}, "reason": {"x"}}
			if token != "" {
				v.Set("_csrf", token)
			}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+p, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp := c.do(req)
			body := readBody(resp)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Errorf("POST %s with token %q: %d, want 403 naming CSRF", p, token, resp.StatusCode)
			}
		}
	}
	if ds := tddDecisions(t, ts); len(ds) != 0 {
		t.Errorf("refused requests wrote %+v", ds)
	}
}

func TestTaskDeductionConfirmAndDismiss(t *testing.T) {
	ts := newTestServer(t)
	tddAddTasks(t, ts)
	ctx := context.Background()
	c := ts.login(t, adminUser)

	code, body := c.getBody(tddPath + "?as_of=2020-01-10")
	if code != http.StatusOK {
		t.Fatalf("GET: %d %s", code, firstLine(body))
	}
	for _, want := range []string{"督办扣分", "TDX1", "TDX2", "2019-12-31", `name="_csrf"`, "2020-B1", "确认扣分", "不予扣分", `value="1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	sg, err := ts.store.SuggestedTaskDeductions(ctx, testNow, 1)
	if err != nil {
		t.Fatal(err)
	}
	var tdx1 analytics.TaskDeductionSuggestion
	for _, s := range sg {
		if !strings.Contains(body, `name="task_id" value="`+s.TaskID+`"`) {
			t.Errorf("suggestion %s has no form", s.TaskID)
		}
		if s.TaskID == "TDX1" {
			tdx1 = s
		}
	}
	if tdx1.DaysOverdue != 7 || tdx1.UnitID != ts.fx.hostileUnit || tdx1.DeductionID != "DB-TDX1-20191231" {
		t.Errorf("TDX1 suggested as %+v", tdx1)
	}

	// Refusals show the page again with the reason and write nothing.
	for _, r := range []struct {
		path string
		form url.Values
		code int
		want string
	}{
		{"/confirm", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX1"}, "points": {"abc"}}, http.StatusUnprocessableEntity, "扣分须大于 0"},
		{"/confirm", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX1"}, "points": {"10.5"}}, http.StatusUnprocessableEntity, "不超过 10 分"},
		{"/confirm", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX1"}, "points": {"0"}}, http.StatusUnprocessableEntity, "扣分须大于 0"},
		{"/confirm", url.Values{"as_of": {"2020-01-10"}, "points": {"1"}}, http.StatusUnprocessableEntity, "请选择督办事项"},
		{"/confirm", url.Values{"as_of": {"2020-01-10"}, "task_id": {"NO-SUCH"}, "points": {"1"}}, http.StatusConflict, "不是超期待定事项"},
		{"/dismiss", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX2"}, "reason": {"   "}}, http.StatusUnprocessableEntity, "须填写理由"},
	} {
		resp := c.postForm(tddPath+r.path, r.form)
		b := readBody(resp)
		if resp.StatusCode != r.code || !strings.Contains(b, r.want) {
			t.Errorf("POST %s %v: %d, want %d with %q", r.path, r.form, resp.StatusCode, r.code, r.want)
		}
	}
	if ds := tddDecisions(t, ts); len(ds) != 0 {
		t.Fatalf("refusals wrote %+v", ds)
	}

	// Confirm TDX1 with 2.5 points.
	resp := c.postForm(tddPath+"/confirm", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX1"}, "points": {"2.5"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tddPath+"?as_of=2020-01-10&done=confirmed&task=TDX1" {
		t.Fatalf("confirm: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	items, err := ts.store.DeductionItems(ctx, "2020-B1")
	if err != nil {
		t.Fatal(err)
	}
	want := analytics.DeductionItem{ID: "DB-TDX1-20191231", UnitID: ts.fx.hostileUnit, Date: time.Date(2020, 1, 10, 0, 0, 0, 0, time.UTC), Points: 2.5,
		Reason: "督办事项超期：督办" + hostile + "（TDX1，应于2019-12-31办结）"}
	if len(items) != 1 || items[0] != want {
		t.Errorf("deductions of 2020-B1: %+v, want %+v", items, want)
	}
	in, err := ts.store.RoundInputs(ctx, "2020-B1")
	if err != nil {
		t.Fatal(err)
	}
	if d := in.Deductions[ts.fx.hostileUnit]; d.Items != 1 || d.Points != 2.5 {
		t.Errorf("round inputs of 2020-B1: %+v", d)
	}
	code, body = c.getBody(tddPath + "?as_of=2020-01-10&done=confirmed&task=TDX1")
	if code != http.StatusOK || !strings.Contains(body, "已确认扣分") || !strings.Contains(body, "DB-TDX1-20191231") {
		t.Errorf("page after confirming: %d", code)
	}
	if strings.Contains(body, `name="task_id" value="TDX1"`) {
		t.Errorf("TDX1 still offered after confirming")
	}
	// A second confirmation (another tab) is refused.
	resp = c.postForm(tddPath+"/confirm", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX1"}, "points": {"1"}})
	if b := readBody(resp); resp.StatusCode != http.StatusConflict || !strings.Contains(b, "已作出决定") {
		t.Errorf("second confirmation: %d", resp.StatusCode)
	}

	// Dismiss TDX2 with a reason.
	resp = c.postForm(tddPath+"/dismiss", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX2"}, "reason": {"经市领导同意顺延"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tddPath+"?as_of=2020-01-10&done=dismissed&task=TDX2" {
		t.Fatalf("dismiss: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	ds := tddDecisions(t, ts)
	if len(ds) != 2 {
		t.Fatalf("decisions %+v", ds)
	}
	by := map[string]analytics.TaskDeductionDecision{}
	for _, d := range ds {
		by[d.TaskID] = d
	}
	if d := by["TDX1"]; d.Decision != analytics.DecisionConfirmed || d.Points != 2.5 || d.DecidedBy != adminUser {
		t.Errorf("TDX1 decision %+v", d)
	}
	if d := by["TDX2"]; d.Decision != analytics.DecisionDismissed || d.Note != "经市领导同意顺延" || d.DecidedBy != adminUser || d.DeductionID != "" {
		t.Errorf("TDX2 decision %+v", d)
	}
	if items, _ := ts.store.DeductionItems(ctx, "2020-B1"); len(items) != 1 {
		t.Errorf("the dismissal wrote a deduction: %+v", items)
	}
	log, err := ts.store.AuditLog(ctx, analytics.AuditFilter{ActionPrefix: "task.deduction"})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Actor != adminUser || log[1].Actor != adminUser {
		t.Errorf("audit %+v", log)
	}
	code, body = c.getBody(tddPath + "?as_of=2020-01-10&done=dismissed&task=TDX2")
	if code != http.StatusOK || !strings.Contains(body, "已记录不予扣分") || !strings.Contains(body, "经市领导同意顺延") {
		t.Errorf("page after dismissing: %d", code)
	}
	// The audit page words the new actions.
	if code, body := c.getBody("/admin/audit?action=task.deduction"); code != http.StatusOK || !strings.Contains(body, "确认督办扣分") || !strings.Contains(body, "督办不予扣分") {
		t.Errorf("audit page: %d", code)
	}
}

// The hostile department and county (and a hostile title) appear escaped,
// both as suggestions and as decisions.
func TestTaskDeductionHostileNames(t *testing.T) {
	ts := newTestServer(t)
	tddAddTasks(t, ts)
	c := ts.login(t, adminUser)
	check := func(stage string) {
		code, body := c.getBody(tddPath + "?as_of=2020-01-10")
		if code != http.StatusOK {
			t.Fatalf("%s: GET %d", stage, code)
		}
		if strings.Contains(body, hostile) {
			t.Errorf("%s: the hostile name appears unescaped", stage)
		}
		if n := strings.Count(body, tddEscaped); n < 3 {
			t.Errorf("%s: the escaped hostile name appears %d times, want the title and both units", stage, n)
		}
	}
	check("suggestions")
	for _, f := range []struct{ path, task string }{{"/confirm", "TDX1"}, {"/dismiss", "TDX2"}} {
		resp := c.postForm(tddPath+f.path, url.Values{"as_of": {"2020-01-10"}, "task_id": {f.task}, "points": {"1"}, "reason": {hostile}})
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s %s: %d", f.path, f.task, resp.StatusCode)
		}
	}
	check("decisions")
}
