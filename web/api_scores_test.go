package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// entriesJSON builds a PUT body from (assignment, score, comment) triples.
func entriesJSON(items ...any) string {
	var parts []string
	for i := 0; i+2 < len(items); i += 3 {
		a := items[i].(analytics.Assignment)
		parts = append(parts, fmt.Sprintf(`{"unit_id":%q,"group_id":%q,"score":%v,"comment":%q}`, a.UnitID, a.GroupID, items[i+1], items[i+2]))
	}
	return `{"entries":[` + strings.Join(parts, ",") + `]}`
}

func TestAPIEvaluatorScoresAndSubmits(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	ctx := context.Background()
	sheet := af.sheet(t)
	as := sheet.Assignments
	path := "/api/v1/scores/" + af.round

	// The open round comes first among the evaluator's rounds, and their own
	// unit is never among the units to score.
	code, body := af.call(t, af.evalToken, "GET", "/api/v1/assignments", "")
	var list struct {
		Rounds []analytics.EvaluatorSheet `json:"rounds"`
	}
	if err := json.Unmarshal([]byte(body), &list); code != http.StatusOK || err != nil || len(list.Rounds) == 0 {
		t.Fatalf("assignments = %d %s", code, body)
	}
	first := list.Rounds[0]
	if first.Round != af.round || !first.Accepting || first.Total != len(as) || first.Done != 0 || first.EvaluatorID != ts.fx.evaluatorID {
		t.Errorf("first round %s accepting %v %d/%d of %s", first.Round, first.Accepting, first.Done, first.Total, first.EvaluatorID)
	}
	for _, r := range list.Rounds {
		for _, a := range r.Assignments {
			if a.UnitID == ts.fx.evalUnit {
				t.Errorf("round %s lists the evaluator's own unit %s", r.Round, a.UnitID)
			}
		}
	}

	// Refusals write nothing.
	own := analytics.Assignment{UnitID: ts.fx.evalUnit, GroupID: as[0].GroupID}
	refused := []struct {
		name, body string
		status     int
		want       string
	}{
		{"own unit", entriesJSON(own, 90, ""), http.StatusForbidden, "本单位"},
		{"unit outside the groups", entriesJSON(analytics.Assignment{UnitID: as[0].UnitID, GroupID: "G99"}, 90, ""), http.StatusForbidden, "工作组"},
		{"evaluator id in the body", `{"evaluator_id":"E0001","entries":[]}`, http.StatusBadRequest, "JSON"},
		{"below 60 without a comment", entriesJSON(as[0], 45, ""), http.StatusUnprocessableEntity, "须填写评议意见"},
		{"out of range beside a valid entry", entriesJSON(as[0], 80, "", as[1], 120, ""), http.StatusUnprocessableEntity, "0 到 100"},
	}
	for _, r := range refused {
		code, body := af.call(t, af.evalToken, "PUT", path, r.body)
		if code != r.status || !strings.Contains(body, r.want) {
			t.Errorf("%s: %d %s, want %d with %q", r.name, code, body, r.status, r.want)
		}
	}
	_, body = af.call(t, af.evalToken, "PUT", path, entriesJSON(as[0], 80, "", as[1], 120, ""))
	var ee apiEntryErrors
	if err := json.Unmarshal([]byte(body), &ee); err != nil || len(ee.Entries) != 1 || ee.Entries[0].UnitID != as[1].UnitID {
		t.Errorf("422 should list exactly the bad entry: %s", body)
	}
	if sh := af.sheet(t); sh.Done != 0 {
		t.Fatalf("refused saves wrote %d scores", sh.Done)
	}
	if code, body := af.call(t, af.evalToken, "POST", path+"/submit", ""); code != http.StatusUnprocessableEntity || !strings.Contains(body, "未评分") {
		t.Errorf("incomplete submit = %d %s, want 422", code, body)
	}

	// Fill the sheet (one low score with its comment), then submit.
	var items []any
	want := map[string]float64{}
	for i, a := range as {
		score, comment := 70.0+float64(i), ""
		if i == 0 {
			score, comment = 45, "办事拖延"
		}
		items = append(items, a, score, comment)
		want[a.GroupID+"/"+a.UnitID] = score
	}
	if code, body := af.call(t, af.evalToken, "PUT", path, entriesJSON(items...)); code != http.StatusOK {
		t.Fatalf("full save = %d %s", code, body)
	}
	code, body = af.call(t, af.evalToken, "POST", path+"/submit", "")
	var sub analytics.EvaluatorSheet
	if err := json.Unmarshal([]byte(body), &sub); code != http.StatusOK || err != nil {
		t.Fatalf("submit = %d %s", code, body)
	}
	if sub.Accepting || sub.SubmittedAt.IsZero() || sub.Done != len(as) {
		t.Errorf("after submit: accepting %v, submitted %v, %d/%d", sub.Accepting, sub.SubmittedAt, sub.Done, sub.Total)
	}
	rows, err := ts.store.PeerRows(ctx, af.round)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range rows {
		if r.EvaluatorID != ts.fx.evaluatorID {
			t.Errorf("a score of another evaluator %s appeared", r.EvaluatorID)
		}
		k := r.GroupID + "/" + r.UnitID
		if _, dup := got[k]; dup {
			t.Errorf("%s stored twice", k)
		}
		got[k] = r.Score
	}
	if len(got) != len(want) {
		t.Errorf("stored %d scores, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s stored %v, want %v", k, got[k], v)
		}
	}

	// Read-only after submission.
	if code, body := af.call(t, af.evalToken, "PUT", path, entriesJSON(as[1], 99, "")); code != http.StatusConflict || !strings.Contains(body, "已提交") {
		t.Errorf("save after submit = %d %s, want 409", code, body)
	}
	if code, _ := af.call(t, af.evalToken, "POST", path+"/submit", ""); code != http.StatusConflict {
		t.Errorf("second submit = %d, want 409", code)
	}
	log, err := ts.store.AuditLog(ctx, analyticsFilter("peer."))
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range log {
		if e.Actor == evalUser && strings.Contains(e.Subject, af.round) {
			actions[e.Action]++
		}
	}
	if actions["peer.draft"] != 1 || actions["peer.submit"] != 1 {
		t.Errorf("audit of the evaluator's writes: %v, want one draft and one submit", actions)
	}
}

func TestAPIScoresRefusedAfterDeadlineAndOnClosedRounds(t *testing.T) {
	ts := newTestServer(t)
	af := newAPIFixture(t, ts)
	a := af.sheet(t).Assignments[0]
	path := "/api/v1/scores/" + af.round
	// The deadline (a week after testNow) has passed.
	ts.setNow(testNow.Add(8 * 24 * time.Hour))
	if code, body := af.call(t, af.evalToken, "PUT", path, entriesJSON(a, 80, "")); code != http.StatusConflict || !strings.Contains(body, "不接受评分") {
		t.Errorf("save after the deadline = %d %s, want 409", code, body)
	}
	var sh analytics.EvaluatorSheet
	_, body := af.call(t, af.evalToken, "GET", path, "")
	if err := json.Unmarshal([]byte(body), &sh); err != nil || sh.Accepting {
		t.Errorf("after the deadline the sheet should be read-only: %s", body)
	}
	// A published round of imported scores takes no changes either.
	if code, _ := af.call(t, af.evalToken, "PUT", "/api/v1/scores/2019-B3", entriesJSON(a, 80, "")); code != http.StatusConflict {
		t.Errorf("save into a published round = %d, want 409", code)
	}
	// A round never opened to evaluators has no sheet.
	if code, _ := af.call(t, af.evalToken, "GET", "/api/v1/scores/2021-B1", ""); code != http.StatusNotFound {
		t.Errorf("sheet of a round never opened = %d, want 404", code)
	}
}
