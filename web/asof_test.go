package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAsOfPagesDefaultToTheDataLastDay: with the clock at 2026-12-04 and the
// sample city's data ending 2019-12-31, every date-dependent page is
// computed as of 2019-12-31 and says so; ?as_of= picks another day (the
// note then says so); a malformed day is a 400; with the clock before the
// data's end (2019-12-05) the pages use today.
func TestAsOfPagesDefaultToTheDataLastDay(t *testing.T) {
	ts := newTestServer(t)
	tddAddTasks(t, ts)
	ts.setNow(time.Date(2026, 12, 4, 10, 0, 0, 0, time.Local))
	c := ts.login(t, adminUser) // after moving the clock: sessions expire
	const note = "数据截至 2019-12-31,按此日期计算"
	pages := map[string][]string{
		"/tasks":                 {"督办台账 · 截至 2019-12-31", `name="as_of" value="2019-12-31"`},
		"/tasks/DB2019-008":      {"(截至 2019-12-31)", `name="as_of" value="2019-12-31"`},
		"/alerts":                {"预警 · 截至 2019-12-31", `name="as_of" value="2019-12-31"`},
		"/admin/task-deductions": {"截至 2019-12-31 超期未办结", "计入 2019-B6 轮", `name="as_of" value="2019-12-31"`},
	}
	for p, wants := range pages {
		code, body := c.getBody(p)
		if code != http.StatusOK {
			t.Errorf("%s: %d %s", p, code, firstLine(body))
			continue
		}
		for _, w := range append(wants, note) {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", p, w)
			}
		}
		if strings.Contains(body, "2026-12-04") || strings.Contains(body, "2026-B6") {
			t.Errorf("%s shows the wall clock's date or round", p)
		}
		chosen := p + "?as_of=2019-06-28"
		code, body = c.getBody(chosen)
		if code != http.StatusOK || !strings.Contains(body, "按所选日期 2019-06-28 计算") || !strings.Contains(body, `value="2019-06-28"`) {
			t.Errorf("%s: %d, the chosen day is not used or not said", chosen, code)
		}
		for _, bad := range []string{"2019-13-01", "30.06.2019", "<script>"} {
			code, body := c.getBody(p + "?as_of=" + url.QueryEscape(bad))
			if code != http.StatusBadRequest || !strings.Contains(body, "日期格式应为 YYYY-MM-DD") || strings.Contains(body, "<script>") {
				t.Errorf("%s as_of=%q: %d, want 400 in Chinese", p, bad, code)
			}
		}
	}
	// A clock before the data's end: today.
	ts.setNow(time.Date(2019, 12, 5, 10, 0, 0, 0, time.Local))
	c = ts.login(t, adminUser)
	if _, body := c.getBody("/tasks"); !strings.Contains(body, "督办台账 · 截至 2019-12-05") || !strings.Contains(body, "按今天 2019-12-05 计算") {
		t.Errorf("/tasks with the clock on 2019-12-05 is not as of that day")
	}
}

// TestTaskDeductionRoundFollowsTheAsOfDay: a deduction confirmed on the page's
// default day (clock 2026-12-04, data ending 2019-12-31) is dated
// 2019-12-31 and counts in 2019-B6 (November–December), not in 2026-B6; one
// confirmed as of 2020-01-10 counts in 2020-B1.
func TestTaskDeductionRoundFollowsTheAsOfDay(t *testing.T) {
	ts := newTestServer(t)
	tddAddTasks(t, ts)
	ctx := context.Background()
	ts.setNow(time.Date(2026, 12, 4, 10, 0, 0, 0, time.Local))
	c := ts.login(t, adminUser)
	day := time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)
	sg, err := ts.store.SuggestedTaskDeductions(ctx, day, 1)
	if err != nil || len(sg) == 0 {
		t.Fatalf("suggestions as of 2019-12-31: %d, %v; the test needs one", len(sg), err)
	}
	for _, s := range sg {
		if s.TaskID == "TDX1" || s.TaskID == "TDX2" {
			t.Errorf("%s is due 2019-12-31 and so not overdue as of that day", s.TaskID)
		}
	}
	task := sg[0].TaskID
	// The page's form carries the day it showed.
	_, body := c.getBody(tddPath)
	if !strings.Contains(body, `name="task_id" value="`+task+`">`+"\n"+`          <input type="hidden" name="as_of" value="2019-12-31">`) {
		t.Errorf("the form of %s does not carry the as-of day", task)
	}
	resp := c.postForm(tddPath+"/confirm", url.Values{"as_of": {"2019-12-31"}, "task_id": {task}, "points": {"1"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm %s: %d", task, resp.StatusCode)
	}
	items, err := ts.store.DeductionItems(ctx, "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range items {
		if it.ID == sg[0].DeductionID {
			found = true
			if !it.Date.Equal(day) {
				t.Errorf("deduction %s dated %v, want 2019-12-31", it.ID, it.Date)
			}
		}
	}
	if !found {
		t.Errorf("deduction %s is not in 2019-B6: %+v", sg[0].DeductionID, items)
	}
	resp = c.postForm(tddPath+"/confirm", url.Values{"as_of": {"2020-01-10"}, "task_id": {"TDX1"}, "points": {"1"}})
	resp.Body.Close()
	if items, err := ts.store.DeductionItems(ctx, "2020-B1"); err != nil || len(items) != 1 || items[0].ID != "DB-TDX1-20191231" {
		t.Errorf("2020-B1 deductions %+v, %v; want TDX1's", items, err)
	}
	if items, _ := ts.store.DeductionItems(ctx, "2026-B6"); len(items) != 0 {
		t.Errorf("the wall clock's round got deductions: %+v", items)
	}
}
