package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xiaoneng/xiaoneng/queries"
)

// Peer scoring through the web: an evaluator fills in a sheet of the units of
// their work groups (their own unit never appears), saves drafts in
// peer_drafts and finally submits, which replaces their rows of the round in
// peer_scores — the table imported scores also live in, so scoring reads one
// table whatever the source.

// Errors of peer score entry, for the web service and the API to word.
var (
	ErrNotAssigned       = errors.New("unit is not assigned to this evaluator in that group")
	ErrRoundNotAccepting = errors.New("the round does not accept scores now")
	ErrAlreadySubmitted  = errors.New("the sheet has already been submitted")
	ErrIncomplete        = errors.New("every assigned unit must be scored before submitting")
)

// MaxCommentRunes bounds a peer comment (characters).
const MaxCommentRunes = 500

// Assignment is one unit an evaluator scores in one group (their own unit never appears).
type Assignment struct {
	GroupID   string   `json:"group_id"`
	GroupName string   `json:"group_name"`
	UnitID    string   `json:"unit_id"`
	UnitName  string   `json:"unit_name"`
	Category  string   `json:"category"`
	Score     *float64 `json:"score"` // nil: not scored yet
	Comment   string   `json:"comment"`
}

// EvaluatorSheet is an evaluator's scoring sheet for a round.
type EvaluatorSheet struct {
	Round         string    `json:"round"`
	EvaluatorID   string    `json:"evaluator_id"`
	EvaluatorName string    `json:"evaluator_name"`
	Class         string    `json:"class"`
	Status        string    `json:"status"` // the round's lifecycle status
	Deadline      time.Time `json:"deadline,omitzero"`
	// Accepting tells whether this sheet takes changes now: the round is
	// open, its deadline has not passed and the sheet is not submitted.
	Accepting    bool         `json:"accepting"`
	SubmittedAt  time.Time    `json:"submitted_at,omitzero"`
	Assignments  []Assignment `json:"assignments"`
	Done         int          `json:"done"`  // assignments with a score
	Total        int          `json:"total"` // assignments
	CommentBelow float64      `json:"comment_below"`
}

// PeerEntry is one score an evaluator enters.
type PeerEntry struct {
	UnitID  string   `json:"unit_id"`
	GroupID string   `json:"group_id"`
	Score   *float64 `json:"score"` // nil: clear the score
	Comment string   `json:"comment"`
}

// EntryError is one refused entry; Reason is in Chinese for the UI.
type EntryError struct {
	UnitID  string `json:"unit_id"`
	GroupID string `json:"group_id"`
	Reason  string `json:"reason"`
}

// EntryErrors lists every refused entry of a save or submission; nothing was
// written.
type EntryErrors []EntryError

func (e EntryErrors) Error() string {
	parts := make([]string, len(e))
	for i, x := range e {
		parts[i] = x.GroupID + "/" + x.UnitID + ": " + x.Reason
	}
	return "invalid peer scores: " + strings.Join(parts, "; ")
}

// sheetKey identifies an assignment: the same unit may be scored once in each
// of the evaluator's groups it belongs to (as peer_scores is keyed).
type sheetKey struct{ group, unit string }

func (k sheetKey) String() string { return k.group + "/" + k.unit }

type evaluatorRow struct {
	id, name, class string
	unit            sql.NullString
}

func (s *Store) evaluator(ctx context.Context, id string) (evaluatorRow, error) {
	e := evaluatorRow{id: id}
	err := s.db.QueryRowContext(ctx, queries.SQL("peer_evaluator_get"), id).Scan(&e.name, &e.class, &e.unit)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("%w: %s", ErrUnknownEvaluer, id)
	}
	return e, err
}

// assignments lists what evaluator id scores (id "" : every evaluator, keyed
// by evaluator_id).
func (s *Store) assignments(ctx context.Context, id string) (map[string][]Assignment, error) {
	out := map[string][]Assignment{}
	err := s.eachRow(ctx, queries.SQL("peer_assignments"), []any{id}, func(r *sql.Rows) error {
		var ev string
		var a Assignment
		if err := r.Scan(&ev, &a.GroupID, &a.GroupName, &a.UnitID, &a.UnitName, &a.Category); err != nil {
			return err
		}
		out[ev] = append(out[ev], a)
		return nil
	})
	return out, err
}

type peerValue struct {
	score   *float64
	comment string
}

// rowQuerier is the database or a transaction.
type rowQuerier interface {
	querier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// peerValues reads (group, unit) → score and comment with the statement
// peer_drafts_get or peer_scores_evaluator.
func peerValues(ctx context.Context, q querier, stmt, round, evaluatorID string) (map[sheetKey]peerValue, error) {
	rows, err := q.QueryContext(ctx, stmt, round, evaluatorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[sheetKey]peerValue{}
	for rows.Next() {
		var k sheetKey
		var score sql.NullFloat64
		var comment sql.NullString
		if err := rows.Scan(&k.group, &k.unit, &score, &comment); err != nil {
			return nil, err
		}
		v := peerValue{comment: comment.String}
		if score.Valid {
			f := score.Float64
			v.score = &f
		}
		out[k] = v
	}
	return out, rows.Err()
}

func submittedAt(ctx context.Context, q rowQuerier, round, evaluatorID string) (time.Time, error) {
	var at time.Time
	err := q.QueryRowContext(ctx, queries.SQL("peer_submission_get"), round, evaluatorID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return at, err
}

// EvaluatorSheet reads an evaluator's sheet of a round: their assignments
// with the values of their drafts, or else the scores stored for them
// (submitted earlier or imported). A round never opened to evaluators (no
// lifecycle or still a draft) gives ErrRoundNotAccepting (wrapped).
func (s *Store) EvaluatorSheet(ctx context.Context, round, evaluatorID string, now time.Time) (EvaluatorSheet, error) {
	st, err := s.Round(ctx, round)
	if err != nil {
		return EvaluatorSheet{}, err
	}
	if st.Status == "" || st.Status == RoundDraft {
		return EvaluatorSheet{}, fmt.Errorf("%w: %s has not been opened to evaluators", ErrRoundNotAccepting, round)
	}
	ev, err := s.evaluator(ctx, evaluatorID)
	if err != nil {
		return EvaluatorSheet{}, err
	}
	as, err := s.assignments(ctx, evaluatorID)
	if err != nil {
		return EvaluatorSheet{}, err
	}
	return s.sheet(ctx, st, ev, as[evaluatorID], now)
}

// sheet fills one round's sheet from the evaluator's assignments.
func (s *Store) sheet(ctx context.Context, st RoundState, ev evaluatorRow, as []Assignment, now time.Time) (EvaluatorSheet, error) {
	sh := EvaluatorSheet{Round: st.Round, EvaluatorID: ev.id, EvaluatorName: ev.name, Class: ev.class,
		Status: st.Status, Deadline: st.Deadline, Assignments: make([]Assignment, len(as))}
	copy(sh.Assignments, as)
	drafts, err := peerValues(ctx, s.db, queries.SQL("peer_drafts_get"), st.Round, ev.id)
	if err != nil {
		return sh, err
	}
	stored, err := peerValues(ctx, s.db, queries.SQL("peer_scores_evaluator"), st.Round, ev.id)
	if err != nil {
		return sh, err
	}
	if sh.SubmittedAt, err = submittedAt(ctx, s.db, st.Round, ev.id); err != nil {
		return sh, err
	}
	for i := range sh.Assignments {
		a := &sh.Assignments[i]
		k := sheetKey{a.GroupID, a.UnitID}
		v, ok := drafts[k]
		if !ok {
			v = stored[k]
		}
		a.Score, a.Comment = v.score, v.comment
		if a.Score != nil {
			sh.Done++
		}
	}
	sh.Total = len(sh.Assignments)
	sh.Accepting = st.Accepting(now) && sh.SubmittedAt.IsZero()
	return sh, nil
}

// EvaluatorRounds lists every round opened to evaluators (open, closed or
// published) with this evaluator's sheet and progress, newest first.
func (s *Store) EvaluatorRounds(ctx context.Context, evaluatorID string, now time.Time) ([]EvaluatorSheet, error) {
	ev, err := s.evaluator(ctx, evaluatorID)
	if err != nil {
		return nil, err
	}
	as, err := s.assignments(ctx, evaluatorID)
	if err != nil {
		return nil, err
	}
	all, err := s.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []EvaluatorSheet
	for i := len(all) - 1; i >= 0; i-- {
		st := all[i]
		if st.Status == "" || st.Status == RoundDraft {
			continue
		}
		sh, err := s.sheet(ctx, st, ev, as[evaluatorID], now)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, nil
}

// checkEntry validates one value against the sheet's rules: a score in
// 0–100 (nil: not scored), a comment without control or text-direction
// characters (what the importer refuses; tabs and line breaks are fine), a
// comment with a visible character when the score is below commentBelow,
// and a comment of bounded length. It returns the reason in Chinese, or "".
func checkEntry(score *float64, comment string, commentBelow float64) string {
	if strings.ContainsFunc(comment, Invisible) {
		return "评议意见不能包含控制字符或文字方向控制符"
	}
	if score != nil {
		v := *score
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 100 {
			return "评分须在 0 到 100 之间"
		}
		if v < commentBelow && trimComment(comment) == "" {
			return fmt.Sprintf("评分低于 %s 分时须填写评议意见", trimFloat(commentBelow))
		}
	}
	if utf8.RuneCountInString(comment) > MaxCommentRunes {
		return fmt.Sprintf("评议意见不能超过 %d 字", MaxCommentRunes)
	}
	return ""
}

func trimFloat(v float64) string { return fmt.Sprintf("%g", v) }

// trimComment trims the spaces (any Unicode space) and the format
// characters (zero-width space, joiners, byte-order mark) around a comment:
// a comment of nothing else is no comment.
func trimComment(c string) string {
	return strings.TrimFunc(c, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
}

// writableSheet reads, inside the write transaction, whether the round
// accepts scores at now and whether the evaluator has already submitted: the
// checks sit in the transaction so a close or a second submission racing
// with this one cannot slip in between.
func (s *Store) writableSheet(ctx context.Context, tx *sql.Tx, round, evaluatorID string, now time.Time) error {
	var status string
	var deadline sql.NullTime
	err := tx.QueryRowContext(ctx, queries.SQL("peer_round_status"), round).Scan(&status, &deadline)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s has not been opened to evaluators", ErrRoundNotAccepting, round)
	}
	if err != nil {
		return err
	}
	if !(RoundState{Status: status, Deadline: deadline.Time}).Accepting(now) {
		return fmt.Errorf("%w: %s is %s (deadline %s)", ErrRoundNotAccepting, round, status, deadline.Time.Format(time.DateTime))
	}
	at, err := submittedAt(ctx, tx, round, evaluatorID)
	if err != nil {
		return err
	}
	if !at.IsZero() {
		return fmt.Errorf("%w: %s submitted %s at %s", ErrAlreadySubmitted, evaluatorID, round, at.Format(time.DateTime))
	}
	return nil
}

// peerAudit is the audit form of some sheet values: "group/unit" → score
// (null when cleared) and comment.
type peerAudit map[string]map[string]any

func (p peerAudit) put(k sheetKey, v peerValue) {
	m := map[string]any{"score": nil}
	if v.score != nil {
		m["score"] = *v.score
	}
	if v.comment != "" {
		m["comment"] = v.comment
	}
	p[k.String()] = m
}

func sameValue(a, b peerValue) bool {
	if (a.score == nil) != (b.score == nil) || a.comment != b.comment {
		return false
	}
	return a.score == nil || *a.score == *b.score
}

// SaveDraft checks and saves some entries of an evaluator's sheet. Every
// entry must be one of their assignments (else ErrNotAssigned) and valid
// (else EntryErrors); then all are written in one transaction with an audit
// entry peer.draft holding the old and new values of what changed. Nothing
// is written when anything is refused. It returns the sheet after the save.
func (s *Store) SaveDraft(ctx context.Context, round, evaluatorID string, entries []PeerEntry, commentBelow float64, actor string, now time.Time) (EvaluatorSheet, error) {
	sh, err := s.EvaluatorSheet(ctx, round, evaluatorID, now)
	if err != nil {
		return sh, err
	}
	current := map[sheetKey]peerValue{}
	for _, a := range sh.Assignments {
		current[sheetKey{a.GroupID, a.UnitID}] = peerValue{a.Score, a.Comment}
	}
	var bad EntryErrors
	seen := map[sheetKey]bool{}
	for _, e := range entries {
		k := sheetKey{e.GroupID, e.UnitID}
		if _, ok := current[k]; !ok {
			return sh, fmt.Errorf("%w: %s may not score %s in group %s", ErrNotAssigned, evaluatorID, e.UnitID, e.GroupID)
		}
		if seen[k] {
			bad = append(bad, EntryError{e.UnitID, e.GroupID, "同一单位重复填写"})
			continue
		}
		seen[k] = true
		if r := checkEntry(e.Score, e.Comment, commentBelow); r != "" {
			bad = append(bad, EntryError{e.UnitID, e.GroupID, r})
		}
	}
	if len(bad) > 0 {
		return sh, bad
	}
	oldA, newA := peerAudit{}, peerAudit{}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.writableSheet(ctx, tx, round, evaluatorID, now); err != nil {
			return err
		}
		// The old values for the audit are read under the write lock, so a
		// save racing with this one (a second tab) is not misrecorded.
		drafts, err := peerValues(ctx, tx, queries.SQL("peer_drafts_get"), round, evaluatorID)
		if err != nil {
			return err
		}
		stored, err := peerValues(ctx, tx, queries.SQL("peer_scores_evaluator"), round, evaluatorID)
		if err != nil {
			return err
		}
		for k := range current {
			v, ok := drafts[k]
			if !ok {
				v = stored[k]
			}
			current[k] = v
		}
		for _, e := range entries {
			k := sheetKey{e.GroupID, e.UnitID}
			nv := peerValue{e.Score, trimComment(e.Comment)}
			var score, comment any
			if nv.score != nil {
				score = *nv.score
			}
			if nv.comment != "" {
				comment = nv.comment
			}
			if _, err := tx.ExecContext(ctx, queries.SQL("peer_drafts_upsert"), round, evaluatorID, e.UnitID, e.GroupID, score, comment, now); err != nil {
				return err
			}
			if !sameValue(current[k], nv) {
				oldA.put(k, current[k])
				newA.put(k, nv)
			}
		}
		return AuditTx(ctx, tx, now, actor, "peer.draft", "round:"+round+"/evaluator:"+evaluatorID, oldA, newA)
	})
	if err != nil {
		return sh, err
	}
	return s.EvaluatorSheet(ctx, round, evaluatorID, now)
}

// SubmitSheet submits an evaluator's sheet: every assignment must be scored
// (ErrIncomplete) and valid (EntryErrors). In one transaction their rows of
// the round in peer_scores are replaced by the sheet, the submission is
// recorded and the audit entry peer.submit written with the scores replaced
// and the scores submitted. The sheet is read-only afterwards, until the
// round is reopened.
func (s *Store) SubmitSheet(ctx context.Context, round, evaluatorID string, commentBelow float64, actor string, now time.Time) (EvaluatorSheet, error) {
	sh, err := s.EvaluatorSheet(ctx, round, evaluatorID, now)
	if err != nil {
		return sh, err
	}
	if !sh.SubmittedAt.IsZero() {
		return sh, fmt.Errorf("%w: %s submitted %s at %s", ErrAlreadySubmitted, evaluatorID, round, sh.SubmittedAt.Format(time.DateTime))
	}
	if !sh.Accepting {
		return sh, fmt.Errorf("%w: %s is %s", ErrRoundNotAccepting, round, statusWord(sh.Status))
	}
	if sh.Done < sh.Total || sh.Total == 0 {
		return sh, fmt.Errorf("%w: %d of %d scored", ErrIncomplete, sh.Done, sh.Total)
	}
	var bad EntryErrors
	for _, a := range sh.Assignments {
		if r := checkEntry(a.Score, a.Comment, commentBelow); r != "" {
			bad = append(bad, EntryError{a.UnitID, a.GroupID, r})
		}
	}
	if len(bad) > 0 {
		return sh, bad
	}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.writableSheet(ctx, tx, round, evaluatorID, now); err != nil {
			return err
		}
		// The sheet was read before the lock: read the drafts again inside
		// it so a save that committed in between is what gets submitted.
		drafts, err := peerValues(ctx, tx, queries.SQL("peer_drafts_get"), round, evaluatorID)
		if err != nil {
			return err
		}
		old, err := peerValues(ctx, tx, queries.SQL("peer_scores_evaluator"), round, evaluatorID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, queries.SQL("peer_scores_delete_evaluator"), round, evaluatorID); err != nil {
			return err
		}
		oldA, newA := peerAudit{}, peerAudit{}
		for k, v := range old {
			oldA.put(k, v)
		}
		for _, a := range sh.Assignments {
			k := sheetKey{a.GroupID, a.UnitID}
			v, ok := drafts[k]
			if !ok {
				v = old[k] // scored earlier (imported or submitted before a reopening)
			}
			if v.score == nil {
				return fmt.Errorf("%w: %s not scored", ErrIncomplete, k)
			}
			if r := checkEntry(v.score, v.comment, commentBelow); r != "" {
				return EntryErrors{{a.UnitID, a.GroupID, r}}
			}
			var comment any
			if v.comment != "" {
				comment = v.comment
			}
			if _, err := tx.ExecContext(ctx, queries.SQL("peer_scores_insert"), round, evaluatorID, a.UnitID, a.GroupID, *v.score, comment); err != nil {
				return err
			}
			newA.put(k, v)
		}
		if _, err := tx.ExecContext(ctx, queries.SQL("peer_submission_insert"), round, evaluatorID, now); err != nil {
			return err
		}
		return AuditTx(ctx, tx, now, actor, "peer.submit", "round:"+round+"/evaluator:"+evaluatorID, oldA, newA)
	})
	if err != nil {
		return sh, err
	}
	return s.EvaluatorSheet(ctx, round, evaluatorID, now)
}

// EvaluatorProgress is one evaluator's progress on their sheet of a round.
type EvaluatorProgress struct {
	EvaluatorID string    `json:"evaluator_id"`
	Name        string    `json:"name"`
	Class       string    `json:"class"`
	GroupIDs    []string  `json:"group_ids"`
	Done        int       `json:"done"`   // assignments with a score (draft or stored)
	Stored      int       `json:"stored"` // assignments with a score in peer_scores (submitted or imported)
	Total       int       `json:"total"`  // assignments
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
}

// Submitted tells whether the evaluator has submitted the sheet.
func (p EvaluatorProgress) Submitted() bool { return !p.SubmittedAt.IsZero() }

// Counted tells whether the evaluator's scores are complete for computing:
// submitted, or every assignment has a stored score (imported, or submitted
// before the round was reopened).
func (p EvaluatorProgress) Counted() bool {
	return p.Submitted() || p.Total > 0 && p.Stored == p.Total
}

// WorkGroup names one work group.
type WorkGroup struct {
	GroupID string `json:"group_id"`
	Name    string `json:"name"`
}

// RoundProgress is the participation of a round: every evaluator of the
// roster with their progress, and the work groups they belong to.
type RoundProgress struct {
	Round      string              `json:"round"`
	Evaluators []EvaluatorProgress `json:"evaluators"` // by class (leader, lead_head, member_head), then id
	Groups     []WorkGroup         `json:"groups"`     // by group_id
}

// RoundProgress reads who has scored and submitted what in a round, for the
// office watching participation. Done counts a draft score, or else a score
// stored earlier, as the evaluator's sheet shows it.
func (s *Store) RoundProgress(ctx context.Context, round string) (RoundProgress, error) {
	out := RoundProgress{Round: round}
	if _, err := ParseRound(round); err != nil {
		return out, err
	}
	as, err := s.assignments(ctx, "")
	if err != nil {
		return out, err
	}
	drafts := map[string]map[sheetKey]bool{} // evaluator → key → scored
	err = s.eachRow(ctx, queries.SQL("peer_drafts_round"), []any{round}, func(r *sql.Rows) error {
		var ev string
		var k sheetKey
		var score sql.NullFloat64
		if err := r.Scan(&ev, &k.group, &k.unit, &score); err != nil {
			return err
		}
		if drafts[ev] == nil {
			drafts[ev] = map[sheetKey]bool{}
		}
		drafts[ev][k] = score.Valid
		return nil
	})
	if err != nil {
		return out, err
	}
	stored, err := s.PeerRows(ctx, round)
	if err != nil {
		return out, err
	}
	has := map[string]map[sheetKey]bool{}
	for _, p := range stored {
		if has[p.EvaluatorID] == nil {
			has[p.EvaluatorID] = map[sheetKey]bool{}
		}
		has[p.EvaluatorID][sheetKey{p.GroupID, p.UnitID}] = true
	}
	submitted := map[string]time.Time{}
	err = s.eachRow(ctx, queries.SQL("peer_submissions_round"), []any{round}, func(r *sql.Rows) error {
		var ev string
		var at time.Time
		if err := r.Scan(&ev, &at); err != nil {
			return err
		}
		submitted[ev] = at
		return nil
	})
	if err != nil {
		return out, err
	}
	groups := map[string]string{}
	err = s.eachRow(ctx, queries.SQL("peer_evaluators_list"), nil, func(r *sql.Rows) error {
		var p EvaluatorProgress
		var unit sql.NullString
		var gids string
		if err := r.Scan(&p.EvaluatorID, &p.Name, &p.Class, &unit, &gids); err != nil {
			return err
		}
		if gids != "" {
			p.GroupIDs = strings.Split(gids, "\x1f")
		}
		for _, a := range as[p.EvaluatorID] {
			k := sheetKey{a.GroupID, a.UnitID}
			p.Total++
			scored, drafted := drafts[p.EvaluatorID][k]
			if drafted && scored || !drafted && has[p.EvaluatorID][k] {
				p.Done++
			}
			if has[p.EvaluatorID][k] {
				p.Stored++
			}
			groups[a.GroupID] = a.GroupName
		}
		p.SubmittedAt = submitted[p.EvaluatorID]
		out.Evaluators = append(out.Evaluators, p)
		return nil
	})
	if err != nil {
		return out, err
	}
	for id, name := range groups {
		out.Groups = append(out.Groups, WorkGroup{id, name})
	}
	sort.Slice(out.Groups, func(i, j int) bool { return out.Groups[i].GroupID < out.Groups[j].GroupID })
	return out, nil
}
