package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// dtAlertRows counts the alert rows of an alerts page.
func dtAlertRows(body string) int {
	return len(regexp.MustCompile(`<tr><td><span class="lvl `).FindAllString(dtSquash(body), -1))
}

func TestAlertsPageDefaultsToTheLastDayWithData(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, body := c.getBody("/alerts")
	if status != http.StatusOK {
		t.Fatalf("status %d: %.300s", status, body)
	}
	// The sample city's data ends on 2019-12-31; hand-checked against
	// `xiaoneng alerts --date 2019-12-31`: 252 alerts, 208 超期 (154 cases,
	// 38 complaints, 16 督办 tasks), 3 报警, 41 临期 (40, and 1 task).
	sq := dtSquash(body)
	for _, want := range []string{"预警 · 截至 2019-12-31", `value="2019-12-31"`, "全部预警<b>252</b>",
		`<span class="lvl lvl-overdue">超期</span><b>208</b>`, `<span class="lvl lvl-alarm">报警</span><b>3</b>`,
		`<span class="lvl lvl-soon">临期</span><b>41</b>`, `href="/export/alerts?as_of=2019-12-31&amp;format=csv"`, "数据截至 2019-12-31,按此日期计算"} {
		if !strings.Contains(sq, want) {
			t.Errorf("alerts page lacks %s", want)
		}
	}
	if n := dtAlertRows(body); n != 252 {
		t.Errorf("%d rows, want 252", n)
	}
	as, err := ts.store.Alerts(context.Background(), dtDay(t, "2019-12-31"))
	if err != nil || len(as) != 252 {
		t.Fatalf("store: %d alerts, %v", len(as), err)
	}
	// The hostile county has alerts: its name is shown escaped.
	dtInert(t, body, false)
}

func TestAlertsPageFilters(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	// 38 超期 and 8 临期 complaints.
	_, body := c.getBody("/alerts?date=2019-12-31&kind=complaint")
	if n := dtAlertRows(body); n != 46 || !strings.Contains(body, "符合筛选<b>46</b>") {
		t.Errorf("complaints: %d rows, want 46", n)
	}
	if strings.Contains(dtSquash(body), "<td>办件</td>") {
		t.Errorf("the complaint filter lets cases through")
	}
	as, err := ts.store.Alerts(context.Background(), dtDay(t, "2019-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, a := range as {
		if a.UnitID == "C04" {
			want++
		}
	}
	_, body = c.getBody("/alerts?unit=C04")
	if n := dtAlertRows(body); n != want || want == 0 {
		t.Errorf("C04: %d rows, want %d", n, want)
	}
	if !strings.Contains(body, `<option value="C04" selected>`) {
		t.Errorf("the unit filter is not kept in the form")
	}
	for _, u := range regexp.MustCompile(`<span class="muted">([A-Z]\d+)</span></td>`).FindAllStringSubmatch(body, -1) {
		if u[1] != "C04" {
			t.Errorf("unit filter shows %s", u[1])
		}
	}
	// An earlier date has other alerts; the page says which.
	_, body = c.getBody("/alerts?date=2019-06-28&kind=" + analytics.AlertCase)
	if !strings.Contains(body, "预警 · 截至 2019-06-28") || dtAlertRows(body) == 0 {
		t.Errorf("2019-06-28 shows no case alerts")
	}
	for p, status := range map[string]int{"/alerts?date=2019-02-30": http.StatusBadRequest, "/alerts?kind=fire": http.StatusBadRequest,
		"/alerts?date=1850-01-01": http.StatusBadRequest, "/alerts?date=2031-01-01": http.StatusBadRequest} {
		if got, body := c.getBody(p); got != status {
			t.Errorf("%s: status %d, want %d: %.200s", p, got, status, body)
		}
	}
}

// TestAlertsPageSaysEverythingInChinese: the alerts page as of the sample
// city's last day (document alarms and overdue items included), read as
// text (tags, attribute values and styles left out), has no machine code of
// a kind or a document step; overdue rows give calendar days beside the
// working days, and document alarms their hours.
func TestAlertsPageSaysEverythingInChinese(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	code, body := c.getBody("/alerts")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	text := regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`).ReplaceAllString(body, " ")
	for _, code := range []string{"case", "complaint", "document_step", "document_unresolved", "task", "register", "send", "receive", "feedback", "deliver", "evaluate"} {
		if regexp.MustCompile(`\b` + code + `\b`).MatchString(text) {
			t.Errorf("the alerts page shows the code %q", code)
		}
	}
	for _, want := range []string{"个自然日)", "环节用时", " 小时</td>", "<td>办件</td>", "<td>公文流转环节</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the alerts page lacks %q", want)
		}
	}
}
