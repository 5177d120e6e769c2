package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// tpHostileEsc is the hostile name as html/template writes it.
var tpHostileEsc = template.HTMLEscapeString(hostile)

// tpDay is the ledger's as-of day for the test clock.
func tpDay(now time.Time) time.Time {
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

var tpRowRE = regexp.MustCompile(`data-task="([^"]+)" data-status="([^"]+)"`)

// tpRows are the task rows of a ledger page: id and status class, in order.
func tpRows(body string) [][2]string {
	var out [][2]string
	for _, m := range tpRowRE.FindAllStringSubmatch(body, -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

// tpTaskRow is the HTML of one task's row of the ledger.
func tpTaskRow(t *testing.T, body, id string) string {
	t.Helper()
	return tpBlock(t, body, `data-task="`+id+`"`, "</tr>")
}

// tpBlock is the HTML from the element marked by attr to the next end tag.
func tpBlock(t *testing.T, body, attr, end string) string {
	t.Helper()
	i := strings.Index(body, attr)
	if i < 0 {
		t.Fatalf("no element with %s", attr)
	}
	j := strings.Index(body[i:], end)
	return body[i : i+j]
}

// tpCSV reads one of the sample city's generated files as records by first cell.
func tpCSV(t *testing.T, ts *testServer, name string) map[string][][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(ts.fx.dir, "data", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]string{}
	for _, r := range recs[1:] {
		out[r[0]] = append(out[r[0]], r)
	}
	return out
}

func TestTasksPageRoles(t *testing.T) {
	ts := newTestServer(t)
	paths := []string{"/tasks", "/tasks?status=overdue", "/tasks/DB2019-003", "/targets"}
	anon := ts.anon(t)
	for _, p := range paths {
		resp := anon.get(p)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("anonymous %s: %d %s, want a redirect to /login", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	ev := ts.login(t, evalUser)
	for _, p := range paths {
		if code, _ := ev.getBody(p); code != http.StatusForbidden {
			t.Errorf("evaluator %s: %d, want 403", p, code)
		}
	}
	for _, u := range []string{leaderUser, adminUser} {
		c := ts.login(t, u)
		for _, p := range paths {
			code, body := c.getBody(p)
			if code != http.StatusOK {
				t.Errorf("%s %s: %d %s", u, p, code, firstLine(body))
			}
			// The nav marks the page.
			nav := `<a href="/tasks" class="active"`
			if strings.HasPrefix(p, "/targets") {
				nav = `<a href="/targets" class="active"`
			}
			if !strings.Contains(body, nav) {
				t.Errorf("%s %s: the nav does not mark the page", u, p)
			}
		}
	}
}

// TestTasksPageFiltersMatchTheStore checks every status filter, a unit and a
// source filter against Store.Tasks with the same filter as of the test
// clock (2020-01-10), row by row and in order, and hand-checks three tasks
// of the sample city from its generated tasks.csv.
func TestTasksPageFiltersMatchTheStore(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	ctx := context.Background()
	day := tpDay(testNow)
	all, err := ts.store.Tasks(ctx, day, analytics.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 150 {
		t.Fatalf("the sample city has %d tasks as of %s, want 150", len(all), day.Format(time.DateOnly))
	}
	code, body := c.getBody("/tasks?as_of=2020-01-10")
	if code != http.StatusOK {
		t.Fatalf("/tasks: %d %s", code, firstLine(body))
	}
	if !strings.Contains(body, "督办台账 · 截至 2020-01-10") || !strings.Contains(body, "全部事项<b>150</b>") {
		t.Errorf("the ledger does not say 150 tasks as of 2020-01-10")
	}
	rows := tpRows(body)
	if len(rows) != 150 {
		t.Fatalf("%d rows, want 150", len(rows))
	}
	for i, r := range rows {
		if r[0] != all[i].ID || r[1] != taskStatusClasses[all[i].State.Status] {
			t.Fatalf("row %d: %v, want %s %s", i, r, all[i].ID, all[i].State.Status)
		}
	}
	// Overdue first: no overdue row after a row of another status.
	seenOther := false
	nOverdue := 0
	for _, r := range rows {
		if r[1] == "ts-overdue" {
			nOverdue++
			if seenOther {
				t.Fatalf("overdue task %s after a task of another status", r[0])
			}
		} else {
			seenOther = true
		}
	}
	if nOverdue == 0 || nOverdue == len(rows) {
		t.Fatalf("%d overdue of %d: the order check means nothing", nOverdue, len(rows))
	}

	counts := map[string]int{}
	for _, st := range taskStatusOrder {
		want, err := ts.store.Tasks(ctx, day, analytics.TaskFilter{Status: st})
		if err != nil {
			t.Fatal(err)
		}
		counts[st] = len(want)
		code, body := c.getBody("/tasks?as_of=2020-01-10&status=" + st)
		if code != http.StatusOK {
			t.Fatalf("status=%s: %d", st, code)
		}
		got := tpRows(body)
		if len(got) != len(want) {
			t.Errorf("status=%s: %d rows, store says %d", st, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i][0] != want[i].ID || got[i][1] != taskStatusClasses[st] {
				t.Errorf("status=%s row %d: %v, want %s", st, i, got[i], want[i].ID)
			}
		}
		if !strings.Contains(body, `<option value="`+st+`" selected>`) {
			t.Errorf("status=%s is not kept selected in the form", st)
		}
		if !strings.Contains(body, `符合筛选<b id="task-matched">`+itoa(len(want))+`</b>`) {
			t.Errorf("status=%s: the summary line does not say %d", st, len(want))
		}
	}
	// By hand from `xiaoneng tasks --date 2020-01-10`: 18 超期, 1 临期, 4 在办.
	if counts[scoring.TaskOverdue] != 18 || counts[scoring.TaskDueSoon] != 1 || counts[scoring.TaskOpen] != 4 {
		t.Errorf("overdue/due soon/open = %d/%d/%d, want 18/1/4", counts[scoring.TaskOverdue], counts[scoring.TaskDueSoon], counts[scoring.TaskOpen])
	}
	if sum := counts[scoring.TaskOverdue] + counts[scoring.TaskDueSoon] + counts[scoring.TaskOpen] + counts[scoring.TaskLate] + counts[scoring.TaskOnTime]; sum != 150 {
		t.Errorf("statuses sum to %d, want 150", sum)
	}
	// The unfiltered summary line has the same counts.
	sq := dtSquash(body)
	for _, st := range taskStatusOrder {
		want := `<span class="task-st ` + taskStatusClasses[st] + `">` + taskStatusLabels[st] + `</span><b>` + itoa(counts[st]) + `</b>`
		if !strings.Contains(sq, want) {
			t.Errorf("summary line lacks %s", want)
		}
	}

	// Unit and source together: a unit as lead or cooperating unit.
	f := analytics.TaskFilter{UnitID: "D23", Source: "key_work"}
	want, err := ts.store.Tasks(ctx, day, f)
	if err != nil {
		t.Fatal(err)
	}
	_, body = c.getBody("/tasks?as_of=2020-01-10&unit=D23&source=key_work")
	got := tpRows(body)
	if len(want) < 2 || len(got) != len(want) {
		t.Fatalf("D23 key_work: %d rows, store says %d (want at least 2)", len(got), len(want))
	}
	for i := range got {
		if got[i][0] != want[i].ID {
			t.Errorf("D23 key_work row %d: %s, want %s", i, got[i][0], want[i].ID)
		}
		if w := want[i]; w.LeadUnitID != "D23" && !slices.Contains(w.Cooperating, "D23") {
			t.Errorf("the store returned %s, which D23 neither leads nor cooperates on", w.ID)
		}
	}
	if !strings.Contains(body, `<option value="D23" selected>`) || !strings.Contains(body, `<option value="key_work" selected>`) {
		t.Errorf("the unit and source filters are not kept in the form")
	}

	// Hand-checked from tasks.csv: DB2019-143 assigned 2019-11-22 with 42
	// calendar days → 2020-01-03 (a Friday, a working day); as of Friday
	// 2020-01-10 it is 超期 by 5 working days (6–10 January). DB2019-146
	// assigned 2019-11-28 with 27 working days → 2020-01-07 (1 January off),
	// 3 working days overdue. DB2019-147, 31 working days → Monday
	// 2020-01-13: 临期 with 1 working day left.
	csvTasks := tpCSV(t, ts, "tasks.csv")
	for id, cols := range map[string][]string{
		"DB2019-143": {"2019-11-22", "", "42", "自然日", "在办"},
		"DB2019-146": {"2019-11-28", "", "27", "工作日", "在办"},
		"DB2019-147": {"2019-11-28", "", "31", "工作日", "在办"},
	} {
		r := csvTasks[id]
		if len(r) != 1 || !slices.Equal(r[0][5:10], cols) {
			t.Fatalf("tasks.csv %s: %v, the hand check expects %v", id, r, cols)
		}
	}
	_, body = c.getBody("/tasks?as_of=2020-01-10")
	for id, want := range map[string][]string{
		"DB2019-143": {"ts-overdue", "超期", "<td>2020-01-03</td>", "超期 5 个工作日"},
		"DB2019-146": {"ts-overdue", "超期", "<td>2020-01-07</td>", "超期 3 个工作日"},
		"DB2019-147": {"ts-soon", "临期", "<td>2020-01-13</td>", "剩余 1 个工作日"},
	} {
		row := tpTaskRow(t, body, id)
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("row of %s lacks %q: %s", id, w, row)
			}
		}
	}
}

func TestTasksPageBadFilters(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	for path, msg := range map[string]string{
		"/tasks?status=late_ish":                 "状态应为",
		"/tasks?status=" + url.QueryEscape("超期"): "状态应为",
		"/tasks?source=rumour":                   "来源应为",
		"/tasks?unit=NO-SUCH-UNIT":               "没有这个单位",
	} {
		code, body := c.getBody(path)
		if code != http.StatusBadRequest || !strings.Contains(body, msg) {
			t.Errorf("%s: %d, want 400 with %q: %s", path, code, msg, firstLine(body))
		}
	}
	// A known unit without tasks is a valid, empty filter (the twins get none).
	none := tpUnitWithoutTasks(t, ts)
	code, body := c.getBody("/tasks?unit=" + none)
	if code != http.StatusOK || len(tpRows(body)) != 0 || !strings.Contains(body, "没有符合条件的督办事项") ||
		!strings.Contains(body, `<option value="`+none+`" selected>`) {
		t.Errorf("a unit without tasks: %d, %d rows", code, len(tpRows(body)))
	}
}

// tpUnitWithoutTasks is a unit of the sample city that has no task.
func tpUnitWithoutTasks(t *testing.T, ts *testServer) string {
	t.Helper()
	ctx := context.Background()
	units, err := ts.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ts.store.TaskSummary(ctx, tpDay(testNow))
	if err != nil {
		t.Fatal(err)
	}
	has := map[string]bool{}
	for _, s := range sum {
		has[s.UnitID] = true
	}
	for _, u := range units {
		if !has[u.ID] {
			return u.ID
		}
	}
	t.Fatal("every unit has a task")
	return ""
}

// TestTasksPageHistory opens tasks whose extensions did not count — asked on
// or after the due date, or not approved — and one that counted, and checks
// the history against hand-worked dates from the generated files.
func TestTasksPageHistory(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	exts := tpCSV(t, ts, "task_extensions.csv")
	tasks := tpCSV(t, ts, "tasks.csv")
	for id, want := range map[string][]string{
		"DB2019-003": {"2019-01-08", "15", "自然日", "2019-01-31", "2019-01-29", "2019-02-22", "是"},
		"DB2019-008": {"2019-01-21", "23", "工作日", "2019-03-05", "2019-02-23", "2019-03-26", "否"},
		"DB2019-139": {"2019-11-18", "", "", "", "2019-12-09", "2020-01-17", "是"},
	} {
		tr, er := tasks[id], exts[id]
		if len(tr) != 1 || len(er) != 1 {
			t.Fatalf("%s: %d task rows, %d extension rows", id, len(tr), len(er))
		}
		got := []string{tr[0][5], tr[0][7], tr[0][8], tr[0][10], er[0][1], er[0][2], er[0][4]}
		if !slices.Equal(got, want) {
			t.Fatalf("the generated files changed for %s: %v, the hand check expects %v", id, got, want)
		}
	}
	// DB2019-003: assigned 2019-01-08 + 15 calendar days = Wednesday
	// 2019-01-23. The extension asked on 01-29 is after the due date: it
	// does not count although approved. Done 01-31: late by 6 working days
	// (24, 25, 28, 29, 30, 31 January).
	code, body := c.getBody("/tasks/DB2019-003")
	if code != http.StatusOK {
		t.Fatalf("/tasks/DB2019-003: %d %s", code, firstLine(body))
	}
	for _, w := range []string{"逾期办结", "逾期 6 个工作日办结", "<dt>原办结时限</dt><dd>2019-01-23", "(15 个自然日)",
		"<dt>现办结时限</dt><dd id=\"task-due\">2019-01-23</dd>", "交办", "延期申请", "申请延期至 2019-02-22", "已批准",
		"不计入:逾期申请:须在时限届满前申请", "(当时时限 2019-01-23)", "办结", "逾期办结:时限 2019-01-23,逾期 6 个工作日",
		"<dt>办结日期</dt><dd>2019-01-31</dd>"} {
		if !strings.Contains(body, w) {
			t.Errorf("DB2019-003 lacks %q", w)
		}
	}
	// The history in date order: 交办 01-08, 延期申请 01-29, 办结 01-31.
	dates := regexp.MustCompile(`<span class="task-h-date">([0-9-]+)</span> <b>([^<]+)</b>`).FindAllStringSubmatch(body, -1)
	var hist []string
	for _, d := range dates {
		hist = append(hist, d[1]+" "+d[2])
	}
	if want := []string{"2019-01-08 交办", "2019-01-29 延期申请", "2019-01-31 办结"}; !slices.Equal(hist, want) {
		t.Errorf("history %v, want %v", hist, want)
	}

	// DB2019-008: 23 working days from Monday 2019-01-21 across the Spring
	// Festival (2–3 February worked, 4–10 off) = Tuesday 2019-02-26. The
	// request of Saturday 02-23 was in time but not approved. Done 03-05:
	// late by 5 working days (27, 28 February, 1, 4, 5 March).
	_, body = c.getBody("/tasks/DB2019-008")
	for _, w := range []string{"2019-02-26", "(23 个工作日)", "申请延期至 2019-03-26", "未批准", "不计入:未获批准",
		"(当时时限 2019-02-26)", "逾期办结:时限 2019-02-26,逾期 5 个工作日"} {
		if !strings.Contains(body, w) {
			t.Errorf("DB2019-008 lacks %q", w)
		}
	}
	if strings.Contains(body, "已计入") {
		t.Errorf("DB2019-008: an extension that did not count is shown as counted")
	}
	// DB2019-139: due 2019-12-11, extended in time and approved to
	// 2020-01-17, still open on 2020-01-10 with 5 working days left (13–17
	// January).
	_, body = c.getBody("/tasks/DB2019-139?as_of=2020-01-10")
	for _, w := range []string{"已计入:时限由 2019-12-11 延至 2020-01-17", "<dt>现办结时限</dt><dd id=\"task-due\">2020-01-17 <span class=\"muted\">(经批准延期)</span>",
		"在办", "剩余 5 个工作日"} {
		if !strings.Contains(body, w) {
			t.Errorf("DB2019-139 lacks %q", w)
		}
	}
	// The same task as of 2019-12-05: the request of 12-09 does not exist yet.
	ts.setNow(time.Date(2019, 12, 5, 10, 0, 0, 0, time.Local))
	_, body = c.getBody("/tasks/DB2019-139")
	if strings.Contains(body, "延期申请") || !strings.Contains(body, "<dt>现办结时限</dt><dd id=\"task-due\">2019-12-11</dd>") {
		t.Errorf("as of 2019-12-05 DB2019-139 shows a request made later")
	}
	ts.setNow(testNow)

	// Unknown and not yet assigned tasks are 404 pages.
	for _, p := range []string{"/tasks/NO-SUCH", "/tasks/DB2019-150%3Cscript%3E"} {
		code, body := c.getBody(p)
		if code != http.StatusNotFound || !strings.Contains(body, "督办事项不存在") {
			t.Errorf("%s: %d %s", p, code, firstLine(body))
		}
	}
	ts.setNow(time.Date(2019, 1, 5, 10, 0, 0, 0, time.Local))
	if code, _ := c.getBody("/tasks/DB2019-150"); code != http.StatusNotFound {
		t.Errorf("a task assigned after the clock: %d, want 404", code)
	}
}

// TestTasksPageHostileNames: the hostile department leads and cooperates
// on tasks; its name is escaped in the rows, the unit select, the summary
// and the task page.
func TestTasksPageHostileNames(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	ctx := context.Background()
	mine, err := ts.store.Tasks(ctx, tpDay(testNow), analytics.TaskFilter{UnitID: ts.fx.hostileUnit})
	if err != nil {
		t.Fatal(err)
	}
	var led, coop string
	for _, x := range mine {
		if x.LeadUnitID == ts.fx.hostileUnit && led == "" {
			led = x.ID
		}
		if slices.Contains(x.Cooperating, ts.fx.hostileUnit) && coop == "" {
			coop = x.ID
		}
	}
	if led == "" || coop == "" {
		t.Fatalf("the hostile unit %s leads %q and cooperates on %q: the test needs both", ts.fx.hostileUnit, led, coop)
	}
	_, body := c.getBody("/tasks")
	if strings.Contains(body, hostile) {
		t.Fatal("the ledger carries the hostile name raw")
	}
	for _, w := range []string{`<option value="` + ts.fx.hostileUnit + `">` + ts.fx.hostileUnit + " " + tpHostileEsc + `</option>`,
		tpHostileEsc + ` <span class="muted">` + ts.fx.hostileUnit + `</span>`} {
		if !strings.Contains(body, w) {
			t.Errorf("the ledger lacks %s", w)
		}
	}
	if row := tpTaskRow(t, body, coop); !strings.Contains(row, tpHostileEsc) {
		t.Errorf("the cooperating units of %s do not show the escaped name", coop)
	}
	for _, p := range []string{"/tasks?unit=" + ts.fx.hostileUnit, "/tasks/" + led, "/tasks/" + coop} {
		code, body := c.getBody(p)
		if code != http.StatusOK || strings.Contains(body, hostile) || !strings.Contains(body, tpHostileEsc) {
			t.Errorf("%s: %d, raw %v, escaped %v", p, code, strings.Contains(body, hostile), strings.Contains(body, tpHostileEsc))
		}
	}
}

// TestTasksPageCalendarNotCovered: an as-of day in a year the holiday
// calendar does not cover gives a Chinese answer naming what to import; a
// clock in such a year is not one, since the ledger defaults to the data's
// last day (2019-12-31).
func TestTasksPageCalendarNotCovered(t *testing.T) {
	ts := newTestServer(t)
	ts.setNow(time.Date(2031, 6, 2, 9, 0, 0, 0, time.Local))
	c := ts.login(t, leaderUser) // after moving the clock: sessions expire
	code, body := c.getBody("/tasks?as_of=2031-06-02")
	if code != http.StatusConflict || !strings.Contains(body, "工作日历未覆盖") || !strings.Contains(body, "节假日安排") {
		t.Errorf("/tasks as of 2031: %d %s", code, firstLine(body))
	}
	code, body = c.getBody("/tasks")
	if code != http.StatusOK || !strings.Contains(body, "督办台账 · 截至 2019-12-31") || !strings.Contains(body, "数据截至 2019-12-31,按此日期计算") {
		t.Errorf("/tasks with the clock in 2031: %d %s", code, firstLine(body))
	}
}

// TestTasksPageSummary checks the by-unit table against Store.TaskSummary and
// one unit by hand.
func TestTasksPageSummary(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	_, body := c.getBody("/tasks")
	sum, err := ts.store.TaskSummary(context.Background(), tpDay(testNow))
	if err != nil {
		t.Fatal(err)
	}
	sq := dtSquash(body)
	for _, u := range sum {
		if !strings.Contains(sq, `<a href="/tasks?unit=`+u.UnitID+`">`) {
			t.Errorf("the summary lacks %s", u.UnitID)
		}
	}
	// D01 (`xiaoneng tasks --date 2020-01-10 --unit D01`) leads DB2019-019
	// and DB2019-103 (late) and DB2019-115 (on time after a counted
	// extension), and cooperates on DB2019-067 (late) and DB2019-108 (on
	// time): as lead 3, 1 on time, 2 late, 0 overdue, 33.3 %; cooperating 2,
	// 1, 1, 0, 50.0 %.
	var d01 analytics.UnitTaskSummary
	for _, u := range sum {
		if u.UnitID == "D01" {
			d01 = u
		}
	}
	if d01.Lead.Total != 3 || d01.Lead.OnTime != 1 || d01.Lead.Late != 2 || d01.Cooperating.Total != 2 {
		t.Fatalf("store summary of D01: %+v", d01)
	}
	re := regexp.MustCompile(`(?s)<a href="/tasks\?unit=D01">[^<]*</a>\s*<span class="muted">D01</span></td>(.*?)</tr>`)
	m := re.FindStringSubmatch(sq)
	if m == nil {
		i := strings.Index(sq, "unit=D01")
		t.Fatalf("no summary row of D01: %.600s", sq[max(0, i-100):])
	}
	cells := regexp.MustCompile(`<td class="num[^"]*">([^<]*)</td>`).FindAllStringSubmatch(m[1], -1)
	var got []string
	for _, c := range cells {
		got = append(got, c[1])
	}
	if want := []string{"3", "1", "2", "0", "0", "33.3%", "2", "1", "1", "0", "50.0%"}; !slices.Equal(got, want) {
		t.Errorf("D01 summary cells %v, want %v", got, want)
	}
}

// tpChart is one chart's option as the page carries it.
type tpChart struct {
	XAxis  struct{ Data []string } `json:"xAxis"`
	Series []struct {
		Name string
		Data []*float64
	} `json:"series"`
}

// tpCharts reads every chart option of a page by chart id.
func tpCharts(t *testing.T, body string) map[string]tpChart {
	t.Helper()
	out := map[string]tpChart{}
	for _, m := range regexp.MustCompile(`<script type="application/json" data-chart="([^"]+)">(.*?)</script>`).FindAllStringSubmatch(body, -1) {
		var c tpChart
		if err := json.Unmarshal([]byte(m[2]), &c); err != nil {
			t.Fatalf("chart %s: %v", m[1], err)
		}
		out[m[1]] = c
	}
	return out
}

// tpCard is the HTML of one target's card.
func tpCard(t *testing.T, body, id string) string {
	t.Helper()
	return tpBlock(t, body, `data-target="`+id+`"`, "</section>")
}

// TestTargetsPage checks every target of the sample city on two dates
// against Store.Targets: name, at-risk badge, trend words, one chart each;
// and, by hand, the progress bars and one chart of MB2019-05 (区级网上办理率 of
// the hostile county, due 2019-09-30) as of 2019-06-30.
func TestTargetsPage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	ctx := context.Background()
	risky := map[bool]int{}
	for _, now := range []time.Time{testNow, time.Date(2019, 6, 30, 18, 0, 0, 0, time.Local)} {
		ts.setNow(now)
		// The default date: the earlier of today and the last day of data
		// (the sample city's data end in 2019, before testNow).
		day := tpDay(now)
		last, ok, err := ts.store.DataLastDay(ctx)
		if err != nil || !ok {
			t.Fatal("no last day of data", err)
		}
		if last.Before(day) {
			day = last
		}
		if now == testNow && day.Year() != 2019 {
			t.Errorf("as of %s the targets page defaults to %s, not the last day of data", now, day.Format(time.DateOnly))
		}
		targets, err := ts.store.Targets(ctx, day, DefaultConfig().Scheme)
		if err != nil {
			t.Fatal(err)
		}
		if len(targets) != 5 {
			t.Fatalf("the sample city has %d targets, want 5", len(targets))
		}
		code, body := c.getBody("/targets")
		if code != http.StatusOK {
			t.Fatalf("/targets as of %s: %d %s", day.Format(time.DateOnly), code, firstLine(body))
		}
		if strings.Contains(body, hostile) {
			t.Fatal("the targets page carries the hostile name raw")
		}
		if !strings.Contains(body, "目标任务 · 截至 "+day.Format(time.DateOnly)) {
			t.Errorf("the page does not say its date %s", day.Format(time.DateOnly))
		}
		charts := tpCharts(t, body)
		if len(charts) != len(targets) {
			t.Errorf("%d charts for %d targets", len(charts), len(targets))
		}
		nRisk := 0
		for i, tg := range targets {
			card := tpCard(t, body, tg.ID)
			if !strings.Contains(card, template.HTMLEscapeString(tg.Name)) {
				t.Errorf("card %s lacks its name", tg.ID)
			}
			if got := strings.Contains(card, "预计无法按期达成"); got != tg.AtRisk {
				t.Errorf("%s as of %s: badge 预计无法按期达成 %v, store says at risk %v", tg.ID, day.Format(time.DateOnly), got, tg.AtRisk)
			}
			if !strings.Contains(card, ">"+tg.Status.Label()+"</span>") {
				t.Errorf("%s as of %s: the card does not show the status %s", tg.ID, day.Format(time.DateOnly), tg.Status.Label())
			}
			if tg.AtRisk {
				nRisk++
				risky[true]++
			} else {
				risky[false]++
			}
			if tg.HasTrend && tg.Reaches && !strings.Contains(card, "趋势线自 "+tg.ReachOn+" 起达到目标值") {
				t.Errorf("%s: the reach month %s is not shown", tg.ID, tg.ReachOn)
			}
			if tg.HasTrend && !tg.Reaches && !strings.Contains(card, "按趋势无法达到目标值") {
				t.Errorf("%s: the trend never reaches the value, the card does not say so", tg.ID)
			}
			ch, ok := charts["target-chart-"+itoa(i)]
			if !ok || !strings.Contains(card, `data-chart="target-chart-`+itoa(i)+`"`) {
				t.Errorf("%s has no chart in its card", tg.ID)
				continue
			}
			if len(ch.XAxis.Data) != tg.DueIndex+1 {
				t.Errorf("%s: chart runs over %d months, want %d (to the due month)", tg.ID, len(ch.XAxis.Data), tg.DueIndex+1)
			}
		}
		if !strings.Contains(body, `<b id="targets-at-risk">`+itoa(nRisk)+`</b>`) {
			t.Errorf("the page does not count %d targets at risk", nRisk)
		}
	}
	// The two dates together show both badges.
	if risky[true] == 0 || risky[false] == 0 {
		t.Errorf("at risk / not at risk over both dates: %d / %d; the badge check means little", risky[true], risky[false])
	}

	// By hand, as of 2019-06-30 (the clock left there): MB2019-05 runs from
	// 2019-01-01 to 2019-09-30, 273 days; 181 of them are past, time progress
	// 181/273 = 66.3 %. The store's months of the county: January 23 of 34
	// online (67.65 %), … June 13 of 23; pooled 112/160 = 70.0 %, exactly the
	// value: progress 100 %, met: 已达标, and not at risk although the line
	// falls below the value by September.
	targets, err := ts.store.Targets(ctx, tpDay(time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)), DefaultConfig().Scheme)
	if err != nil {
		t.Fatal(err)
	}
	idx := slices.IndexFunc(targets, func(x analytics.Target) bool { return x.ID == "MB2019-05" })
	if idx < 0 {
		t.Fatal("no target MB2019-05")
	}
	tg := targets[idx]
	num, den := 0, 0
	for _, m := range tg.Months {
		num, den = num+m.Num, den+m.Den
	}
	if tg.Scope != ts.fx.hostileCnty || tg.Months[0].Num != 23 || tg.Months[0].Den != 34 || num != 112 || den != 160 || tg.AtRisk {
		t.Fatalf("MB2019-05 as of 2019-06-30: scope %s, January %d/%d, pooled %d/%d, at risk %v; the hand check expects %s, 23/34, 112/160, false",
			tg.Scope, tg.Months[0].Num, tg.Months[0].Den, num, den, tg.AtRisk, ts.fx.hostileCnty)
	}
	_, body := c.getBody("/targets")
	card := tpCard(t, body, "MB2019-05")
	for _, w := range []string{`<progress max="100" value="100">100.0%</progress>`, `<progress max="100" value="66">66.3%</progress>`,
		"<b>≥ 70.0%</b>", "<b>70.0%</b>", ">已达标</span>", "<b>2019-09-30</b>", "网上办理率",
		tpHostileEsc + ` <span class="muted">` + ts.fx.hostileCnty + `</span>`} {
		if !strings.Contains(card, w) {
			t.Errorf("MB2019-05 card lacks %s", w)
		}
	}
	if strings.Contains(card, "预计无法按期达成") {
		t.Error("MB2019-05 is met and shown at risk as well")
	}
	ch := tpCharts(t, body)["target-chart-"+itoa(idx)]
	months := []string{"2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06", "2019-07", "2019-08", "2019-09"}
	if !slices.Equal(ch.XAxis.Data, months) || len(ch.Series) != 3 {
		t.Fatalf("MB2019-05 chart: months %v, %d series", ch.XAxis.Data, len(ch.Series))
	}
	val, goal, trend := ch.Series[0], ch.Series[1], ch.Series[2]
	if val.Name != "月度值" || goal.Name != "目标值" || trend.Name != "趋势" {
		t.Fatalf("series %s, %s, %s", val.Name, goal.Name, trend.Name)
	}
	if val.Data[0] == nil || *val.Data[0] != 67.65 || val.Data[6] != nil || val.Data[8] != nil {
		t.Errorf("monthly values %v: want 67.65 in January and nothing after June", val.Data)
	}
	for k, g := range goal.Data {
		if g == nil || *g != 70 {
			t.Errorf("the value line at month %d is %v, want 70", k, g)
		}
	}
	if len(trend.Data) != 9 || trend.Data[8] == nil || math.Abs(*trend.Data[8]-round2(tg.AtDue*100)) > 1e-9 || *trend.Data[8] >= 70 {
		t.Errorf("the trend at the due month is %v, want the store's %.2f (below 70)", trend.Data[len(trend.Data)-1], tg.AtDue*100)
	}
}

// TestTargetsPageDate: ?date= picks the as-of date, the page says it, and
// a malformed date is refused.
func TestTargetsPageDate(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	code, body := c.getBody("/targets?date=2019-03-31")
	if code != http.StatusOK || !strings.Contains(body, "目标任务 · 截至 2019-03-31") || !strings.Contains(body, `name="date" value="2019-03-31"`) {
		t.Errorf("/targets?date=2019-03-31: %d %s", code, firstLine(body))
	}
	// After the due date of every target (2019-12-31) none is at risk.
	_, body = c.getBody("/targets?date=2020-01-05")
	if !strings.Contains(body, `<b id="targets-at-risk">0</b>`) || strings.Contains(body, ">预计无法按期达成</span>") || !strings.Contains(body, "已到期·") {
		t.Error("past every due date, the page still shows targets at risk or no 已到期 status")
	}
	if code, _ := c.getBody("/targets?date=2019-13-01"); code != http.StatusBadRequest {
		t.Errorf("a bad date: status %d, want 400", code)
	}
}
