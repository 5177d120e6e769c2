package analytics

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Two groups: G01 (lead D01; members D02, D03) and G02 (lead D03; member
// D01). E04 heads D02 and sits in both groups, so they score D01 and D03
// once in each group; E05 heads D03 and sits in G02 only.
const entryGroups = `group_id,name,lead_unit_id,member_unit_ids
G01,营商环境,D01,D02;D03
G02,教育强市,D03,D01
`

const entryEvaluators = `evaluator_id,name,class,unit_id,group_ids
E01,张三,leader,,G01
E02,李四,lead_head,D01,G01
E04,赵六,member_head,D02,G01;G02
E05,钱七,member_head,D03,G02
`

var entryNow = time.Date(2020, 3, 2, 9, 0, 0, 0, time.UTC)

// openEntryRound imports the roster above and opens 2020-B1 until a week
// after entryNow.
func openEntryRound(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	dir := t.TempDir()
	ctx := context.Background()
	for _, f := range []struct{ name, body string }{{"units.csv", baseUnits}, {"work_groups.csv", entryGroups}, {"evaluators.csv", entryEvaluators}} {
		if _, err := s.ImportFile(ctx, writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	if _, err := s.CreateRound(ctx, "2020-B1", "office", entryNow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenRound(ctx, "2020-B1", entryNow.Add(7*24*time.Hour), "office", entryNow); err != nil {
		t.Fatal(err)
	}
	return s
}

func fp(v float64) *float64 { return &v }

func count(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPeerEntryAssignmentsFollowTheGroups(t *testing.T) {
	s := openEntryRound(t)
	ctx := context.Background()
	keys := func(ev string) []string {
		sh, err := s.EvaluatorSheet(ctx, "2020-B1", ev, entryNow)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range sh.Assignments {
			out = append(out, a.GroupID+"/"+a.UnitID)
		}
		return out
	}
	for ev, want := range map[string][]string{
		"E01": {"G01/D01", "G01/D02", "G01/D03"},            // a leader has no unit: all
		"E02": {"G01/D02", "G01/D03"},                       // not D01, their own
		"E04": {"G01/D01", "G01/D03", "G02/D03", "G02/D01"}, // once per group, lead first
		"E05": {"G02/D01"},
	} {
		if got := keys(ev); len(got) != len(want) || func() bool {
			for i := range got {
				if got[i] != want[i] {
					return true
				}
			}
			return false
		}() {
			t.Errorf("%s: %v, want %v", ev, got, want)
		}
	}
	sh, _ := s.EvaluatorSheet(ctx, "2020-B1", "E04", entryNow)
	if sh.EvaluatorName != "赵六" || sh.Class != "member_head" || sh.Status != RoundOpen || !sh.Accepting || sh.Done != 0 || sh.Total != 4 {
		t.Errorf("sheet %+v", sh)
	}
	if _, err := s.EvaluatorSheet(ctx, "2020-B2", "E04", entryNow); !errors.Is(err, ErrRoundNotAccepting) {
		t.Errorf("a round never opened: %v", err)
	}
	if _, err := s.EvaluatorSheet(ctx, "2020-B1", "E99", entryNow); !errors.Is(err, ErrUnknownEvaluer) {
		t.Errorf("unknown evaluator: %v", err)
	}
}

func TestPeerEntryRefusalsWriteNothing(t *testing.T) {
	s := openEntryRound(t)
	ctx := context.Background()
	refused := func(what string, entries []PeerEntry, want error) {
		t.Helper()
		_, err := s.SaveDraft(ctx, "2020-B1", "E02", entries, 60, "e02", entryNow)
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", what, err, want)
		}
		if n := count(t, s, `SELECT count(*) FROM peer_drafts`); n != 0 {
			t.Errorf("%s: %d drafts written", what, n)
		}
		if n := count(t, s, `SELECT count(*) FROM audit_log WHERE action LIKE 'peer.%'`); n != 0 {
			t.Errorf("%s: %d audit entries", what, n)
		}
	}
	ok := PeerEntry{UnitID: "D02", GroupID: "G01", Score: fp(80)}
	refused("own unit", []PeerEntry{ok, {UnitID: "D01", GroupID: "G01", Score: fp(90)}}, ErrNotAssigned)
	refused("group not theirs", []PeerEntry{{UnitID: "D03", GroupID: "G02", Score: fp(90)}}, ErrNotAssigned)
	refused("unit not in the group", []PeerEntry{{UnitID: "C01", GroupID: "G01", Score: fp(90)}}, ErrNotAssigned)
	var ee EntryErrors
	for _, tt := range []struct {
		name  string
		entry PeerEntry
	}{
		{"101", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(101)}},
		{"-1", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(-1)}},
		{"59.9 without a comment", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(59.9), Comment: "  "}},
		{"59.9 with only a zero-width space", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(59.9), Comment: "\u200b"}},
		{"59.9 with only invisible characters", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(59.9), Comment: "\u3000\u200b\u2060\ufeff\u00a0"}},
		{"a NUL", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(80), Comment: "好\x00"}},
		{"an ESC", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(80), Comment: "\x1b[2J好"}},
		{"a right-to-left override", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(80), Comment: "\u202e好"}},
		{"a C1 control", PeerEntry{UnitID: "D03", GroupID: "G01", Score: fp(80), Comment: "好\u009b"}},
	} {
		_, err := s.SaveDraft(ctx, "2020-B1", "E02", []PeerEntry{ok, tt.entry}, 60, "e02", entryNow)
		if !errors.As(err, &ee) || len(ee) != 1 || ee[0].UnitID != "D03" || ee[0].Reason == "" {
			t.Errorf("%s: %v", tt.name, err)
		}
		if n := count(t, s, `SELECT count(*) FROM peer_drafts`); n != 0 {
			t.Errorf("%s: %d drafts written", tt.name, n)
		}
	}
	// Line breaks and tabs stay allowed in a comment.
	if _, err := s.SaveDraft(ctx, "2020-B1", "E02", []PeerEntry{{UnitID: "D03", GroupID: "G01", Score: fp(59.9), Comment: "配合不够\r\n\t积极"}}, 60, "e02", entryNow); err != nil {
		t.Errorf("comment with line breaks: %v", err)
	}
	// The threshold is the caller's (the scheme's): 59.9 with none required passes.
	if _, err := s.SaveDraft(ctx, "2020-B1", "E02", []PeerEntry{{UnitID: "D03", GroupID: "G01", Score: fp(59.9)}}, 50, "e02", entryNow); err != nil {
		t.Errorf("threshold 50: %v", err)
	}
}

func TestPeerEntryDraftSubmitReopen(t *testing.T) {
	s := openEntryRound(t)
	ctx := context.Background()
	const r = "2020-B1"
	sh, err := s.SaveDraft(ctx, r, "E04", []PeerEntry{
		{UnitID: "D01", GroupID: "G01", Score: fp(91.5)},
		{UnitID: "D03", GroupID: "G01", Score: fp(55), Comment: "进度偏慢"},
		{UnitID: "D03", GroupID: "G02"},
	}, 60, "e04", entryNow)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Done != 2 || sh.Total != 4 || !sh.Accepting {
		t.Errorf("after the draft: %d/%d accepting %v", sh.Done, sh.Total, sh.Accepting)
	}
	if _, err := s.SubmitSheet(ctx, r, "E04", 60, "e04", entryNow); !errors.Is(err, ErrIncomplete) {
		t.Errorf("incomplete submission: %v", err)
	}
	// The same unit scored differently in its two groups.
	if _, err := s.SaveDraft(ctx, r, "E04", []PeerEntry{
		{UnitID: "D03", GroupID: "G02", Score: fp(70)},
		{UnitID: "D01", GroupID: "G02", Score: fp(88)},
	}, 60, "e04", entryNow); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM peer_scores`); n != 0 {
		t.Errorf("drafts reached peer_scores: %d rows", n)
	}
	sh, err = s.SubmitSheet(ctx, r, "E04", 60, "e04", entryNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if sh.Accepting || !sh.SubmittedAt.Equal(entryNow.Add(time.Hour)) || sh.Done != 4 {
		t.Errorf("after submitting: %+v", sh)
	}
	want := map[string]float64{"G01/D01": 91.5, "G01/D03": 55, "G02/D03": 70, "G02/D01": 88}
	checkStored := func(when string) {
		t.Helper()
		rows, err := s.DB().Query(`SELECT group_id || '/' || unit_id, score, count(*) OVER (PARTITION BY group_id, unit_id) FROM peer_scores WHERE round = ? AND evaluator_id = 'E04'`, r)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var k string
			var v float64
			var dup int
			if err := rows.Scan(&k, &v, &dup); err != nil {
				t.Fatal(err)
			}
			n++
			if want[k] != v || dup != 1 {
				t.Errorf("%s: %s = %g (%d rows), want %g once", when, k, v, dup, want[k])
			}
		}
		if n != len(want) {
			t.Errorf("%s: %d rows, want %d", when, n, len(want))
		}
	}
	checkStored("first submission")
	if _, err := s.SaveDraft(ctx, r, "E04", []PeerEntry{{UnitID: "D01", GroupID: "G01", Score: fp(10), Comment: "x"}}, 60, "e04", entryNow); !errors.Is(err, ErrAlreadySubmitted) {
		t.Errorf("draft after submission: %v", err)
	}
	if _, err := s.SubmitSheet(ctx, r, "E04", 60, "e04", entryNow); !errors.Is(err, ErrAlreadySubmitted) {
		t.Errorf("second submission: %v", err)
	}
	log, _ := s.AuditLog(ctx, AuditFilter{ActionPrefix: "peer.", Subject: "round:2020-B1/evaluator:E04"})
	if len(log) != 3 || log[0].Action != "peer.submit" || log[2].Action != "peer.draft" || log[0].Actor != "e04" {
		t.Fatalf("audit: %+v", log)
	}
	if string(log[0].Old) != `{}` || string(log[2].New) != `{"G01/D01":{"score":91.5},"G01/D03":{"comment":"进度偏慢","score":55}}` ||
		string(log[2].Old) != `{"G01/D01":{"score":null},"G01/D03":{"score":null}}` {
		t.Errorf("audit values: submit old %s; first draft old %s new %s", log[0].Old, log[2].Old, log[2].New)
	}

	// Closing ends writing; reopening clears the submission (drafts stay)
	// so the sheet can change and be submitted again, replacing the rows.
	if _, err := s.CloseRound(ctx, r, "office", entryNow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveDraft(ctx, "2020-B1", "E02", []PeerEntry{{UnitID: "D02", GroupID: "G01", Score: fp(80)}}, 60, "e02", entryNow); !errors.Is(err, ErrRoundNotAccepting) {
		t.Errorf("draft after close: %v", err)
	}
	if _, err := s.ReopenRound(ctx, r, "补充评议", entryNow.Add(48*time.Hour), "office", entryNow.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	sh, _ = s.EvaluatorSheet(ctx, r, "E04", entryNow.Add(25*time.Hour))
	if !sh.Accepting || !sh.SubmittedAt.IsZero() || sh.Done != 4 {
		t.Errorf("after reopening: %+v", sh)
	}
	if _, err := s.SaveDraft(ctx, r, "E04", []PeerEntry{{UnitID: "D03", GroupID: "G01", Score: fp(65)}}, 60, "e04", entryNow.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	checkStored("reopened, not resubmitted") // the earlier submission still counts
	if _, err := s.SubmitSheet(ctx, r, "E04", 60, "e04", entryNow.Add(26*time.Hour)); err != nil {
		t.Fatal(err)
	}
	want["G01/D03"] = 65
	checkStored("resubmitted")
	// Past the new deadline nothing is accepted.
	if _, err := s.SaveDraft(ctx, r, "E02", []PeerEntry{{UnitID: "D02", GroupID: "G01", Score: fp(80)}}, 60, "e02", entryNow.Add(48*time.Hour)); !errors.Is(err, ErrRoundNotAccepting) {
		t.Errorf("draft at the deadline: %v", err)
	}

	p, err := s.RoundProgress(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Evaluators) != 4 || len(p.Groups) != 2 || p.Groups[1].Name != "教育强市" {
		t.Fatalf("progress %+v", p)
	}
	for _, e := range p.Evaluators {
		switch e.EvaluatorID {
		case "E04":
			if !e.Submitted() || e.Done != 4 || e.Total != 4 || len(e.GroupIDs) != 2 {
				t.Errorf("E04 %+v", e)
			}
		case "E02":
			if e.Submitted() || e.Done != 0 || e.Total != 2 {
				t.Errorf("E02 %+v", e)
			}
		}
	}
}

func TestPeerEntryEvaluatorRounds(t *testing.T) {
	s := openEntryRound(t)
	ctx := context.Background()
	if _, err := s.CreateRound(ctx, "2020-B2", "office", entryNow); err != nil { // a draft: not listed
		t.Fatal(err)
	}
	rs, err := s.EvaluatorRounds(ctx, "E05", entryNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Round != "2020-B1" || rs[0].Total != 1 || !rs[0].Accepting {
		t.Errorf("rounds %+v", rs)
	}
}
