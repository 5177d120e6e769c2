package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// Round lifecycle states. A round that was computed (e.g. from imported peer
// scores) but never went through the web lifecycle has no state ("").
const (
	RoundDraft     = "draft"     // created, not yet open to evaluators
	RoundOpen      = "open"      // evaluators score until the deadline
	RoundClosed    = "closed"    // scoring over; the office computes and reviews
	RoundPublished = "published" // a computed version is frozen for leaders
)

// Errors of the round lifecycle.
var (
	ErrRoundState    = errors.New("the round is not in a state that allows this")
	ErrNotPublished  = errors.New("round has not been published")
	ErrRoundExists   = errors.New("round already exists")
	ErrNoSuchVersion = errors.New("no such computed version")
)

// RoundState is a round's place in its lifecycle and what has been computed.
type RoundState struct {
	Round            string    `json:"round"`
	Status           string    `json:"status"` // "" when never managed
	Deadline         time.Time `json:"deadline,omitzero"`
	PublishedRunID   int64     `json:"-"`
	PublishedVersion int       `json:"published_version,omitempty"`
	Reason           string    `json:"reason,omitempty"`
	UpdatedAt        time.Time `json:"updated_at,omitzero"`
	UpdatedBy        string    `json:"updated_by,omitempty"`
	LatestVersion    int       `json:"latest_version"` // 0 when never computed
	LatestComputedAt time.Time `json:"latest_computed_at,omitzero"`

	// publication is what a publishing change records (audited with it);
	// auditAction, when set, names the change in the audit log instead of
	// the caller's action.
	publication *Publication
	auditAction string
}

// Accepting tells whether evaluators may still change scores at now: the
// round is open and its deadline (if any) has not passed.
func (r RoundState) Accepting(now time.Time) bool {
	return r.Status == RoundOpen && (r.Deadline.IsZero() || now.Before(r.Deadline))
}

// ScoreRun is one stored computation of a round.
type ScoreRun struct {
	RunID             int64     `json:"-"`
	Version           int       `json:"version"`
	SchemeHash        string    `json:"scheme_hash"`
	InputsFingerprint string    `json:"inputs_fingerprint"`
	ComputedAt        time.Time `json:"computed_at"`
	Actor             string    `json:"actor"`
}

// Rounds lists every round with a lifecycle row or a computation, by name.
func (s *Store) Rounds(ctx context.Context) ([]RoundState, error) {
	var out []RoundState
	err := s.eachRow(ctx, queries.SQL("rounds_list"), nil, func(r *sql.Rows) error {
		var rs RoundState
		var status, reason, by sql.NullString
		var deadline, updated, computed sql.NullTime
		var pub sql.NullInt64
		var pubVersion sql.NullInt32
		if err := r.Scan(&rs.Round, &status, &deadline, &pub, &pubVersion, &reason, &updated, &by, &rs.LatestVersion, &computed); err != nil {
			return err
		}
		rs.Status, rs.Reason, rs.UpdatedBy = status.String, reason.String, by.String
		rs.Deadline, rs.UpdatedAt, rs.LatestComputedAt = deadline.Time, updated.Time, computed.Time
		rs.PublishedRunID, rs.PublishedVersion = pub.Int64, int(pubVersion.Int32)
		out = append(out, rs)
		return nil
	})
	return out, err
}

// Round reads one round's state; a valid round never seen before comes back
// with Status "" and no error.
func (s *Store) Round(ctx context.Context, round string) (RoundState, error) {
	if _, err := ParseRound(round); err != nil {
		return RoundState{}, err
	}
	all, err := s.Rounds(ctx)
	if err != nil {
		return RoundState{}, err
	}
	for _, r := range all {
		if r.Round == round {
			return r, nil
		}
	}
	return RoundState{Round: round}, nil
}

// roundChange moves a round from one of the allowed states to a new one in a
// transaction that also writes the audit entry with the old and new state;
// also (optional) runs in the same transaction.
func (s *Store) roundChange(ctx context.Context, round, action, actor string, now time.Time, allowed []string,
	change func(old RoundState) (RoundState, error), also ...func(tx *sql.Tx) error) (RoundState, error) {
	old, err := s.Round(ctx, round)
	if err != nil {
		return old, err
	}
	ok := false
	for _, a := range allowed {
		if old.Status == a {
			ok = true
		}
	}
	if !ok {
		return old, fmt.Errorf("%w: %s is %s", ErrRoundState, round, statusWord(old.Status))
	}
	nw, err := change(old)
	if err != nil {
		return old, err
	}
	nw.UpdatedAt, nw.UpdatedBy = now, actor
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		var deadline, pub any
		if !nw.Deadline.IsZero() {
			deadline = nw.Deadline
		}
		if nw.PublishedRunID != 0 {
			pub = nw.PublishedRunID
		}
		if _, err := tx.ExecContext(ctx, queries.SQL("rounds_upsert"), round, nw.Status, deadline, pub, nw.Reason, now, actor); err != nil {
			return err
		}
		for _, f := range also {
			if err := f(tx); err != nil {
				return err
			}
		}
		if nw.auditAction != "" {
			action = nw.auditAction
		}
		return AuditTx(ctx, tx, now, actor, action, "round:"+round, roundAudit(old), roundAudit(nw))
	})
	return nw, err
}

func roundAudit(r RoundState) map[string]any {
	m := map[string]any{"status": r.Status}
	if !r.Deadline.IsZero() {
		m["deadline"] = r.Deadline
	}
	if r.PublishedVersion != 0 {
		m["published_version"] = r.PublishedVersion
	}
	if r.Reason != "" {
		m["reason"] = r.Reason
	}
	if p := r.publication; p != nil {
		if p.Reason != "" {
			m["publish_reason"] = p.Reason
		}
		if len(p.FailedChecks) > 0 {
			m["failed_checks"] = p.FailedChecks
		}
		if p.ReplacesVersion != 0 {
			m["replaces_version"] = p.ReplacesVersion
		}
	}
	return m
}

func statusWord(s string) string {
	if s == "" {
		return "not managed"
	}
	return s
}

// CreateRound starts a round's lifecycle (draft). A round already computed
// from imported scores may also be taken into the lifecycle this way.
func (s *Store) CreateRound(ctx context.Context, round, actor string, now time.Time) (RoundState, error) {
	return s.roundChange(ctx, round, "round.create", actor, now, []string{""}, func(old RoundState) (RoundState, error) {
		old.Status = RoundDraft
		return old, nil
	})
}

// OpenRound opens a draft round to evaluators until deadline (which must lie
// after now).
func (s *Store) OpenRound(ctx context.Context, round string, deadline time.Time, actor string, now time.Time) (RoundState, error) {
	if !deadline.After(now) {
		return RoundState{}, errors.New("the deadline must be in the future")
	}
	return s.roundChange(ctx, round, "round.open", actor, now, []string{RoundDraft}, func(old RoundState) (RoundState, error) {
		old.Status, old.Deadline = RoundOpen, deadline
		return old, nil
	})
}

// CloseRound ends scoring; drafts not submitted by then do not count.
func (s *Store) CloseRound(ctx context.Context, round, actor string, now time.Time) (RoundState, error) {
	return s.roundChange(ctx, round, "round.close", actor, now, []string{RoundOpen}, func(old RoundState) (RoundState, error) {
		old.Status = RoundClosed
		return old, nil
	})
}

// ReopenRound opens a closed or published round again until a new deadline,
// for a reason that is kept and audited. A published version stays what
// leaders see until a new one is published. The round's submissions are
// cleared in the same transaction so every evaluator may change their sheet
// and submit again; their drafts and the scores stored so far stay (a sheet
// not resubmitted keeps counting as it was).
func (s *Store) ReopenRound(ctx context.Context, round, reason string, deadline time.Time, actor string, now time.Time) (RoundState, error) {
	if reason == "" {
		return RoundState{}, errors.New("reopening needs a reason")
	}
	if !deadline.After(now) {
		return RoundState{}, errors.New("the deadline must be in the future")
	}
	return s.roundChange(ctx, round, "round.reopen", actor, now, []string{RoundClosed, RoundPublished}, func(old RoundState) (RoundState, error) {
		old.Status, old.Deadline, old.Reason = RoundOpen, deadline, reason
		return old, nil
	}, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, queries.SQL("peer_submissions_clear"), round)
		return err
	})
}

func (s *Store) scoreRun(ctx context.Context, round string, version int) (ScoreRun, error) {
	var r ScoreRun
	err := s.db.QueryRowContext(ctx, queries.SQL("score_run_version"), round, version).Scan(&r.RunID, &r.Version, &r.SchemeHash, &r.InputsFingerprint, &r.ComputedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("%w: %s version %d", ErrNoSuchVersion, round, version)
	}
	return r, err
}

// ScoreRuns lists every stored computation of a round, newest first.
func (s *Store) ScoreRuns(ctx context.Context, round string) ([]ScoreRun, error) {
	var out []ScoreRun
	err := s.eachRow(ctx, queries.SQL("score_run_versions"), []any{round}, func(r *sql.Rows) error {
		var run ScoreRun
		if err := r.Scan(&run.RunID, &run.Version, &run.SchemeHash, &run.InputsFingerprint, &run.ComputedAt, &run.Actor); err != nil {
			return err
		}
		out = append(out, run)
		return nil
	})
	return out, err
}

// RankingVersion reads one stored computation of a round.
func (s *Store) RankingVersion(ctx context.Context, round string, version int) (Ranking, error) {
	run, err := s.scoreRun(ctx, round, version)
	if err != nil {
		return Ranking{}, err
	}
	return s.rankingOfRun(ctx, round, run)
}

// PublishedRanking reads the version of a round that was published: frozen,
// whatever was computed after it.
func (s *Store) PublishedRanking(ctx context.Context, round string) (Ranking, error) {
	st, err := s.Round(ctx, round)
	if err != nil {
		return Ranking{}, err
	}
	if st.PublishedVersion == 0 {
		return Ranking{}, fmt.Errorf("%w: %s", ErrNotPublished, round)
	}
	return s.RankingVersion(ctx, round, st.PublishedVersion)
}

// PublishedRounds lists the rounds with a published version, oldest first.
func (s *Store) PublishedRounds(ctx context.Context) ([]RoundState, error) {
	all, err := s.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []RoundState
	for _, r := range all {
		if r.PublishedVersion != 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// RunScheme is the canonical scheme JSON a stored computation used.
func (s *Store) RunScheme(ctx context.Context, round string, version int) (string, error) {
	run, err := s.scoreRun(ctx, round, version)
	if err != nil {
		return "", err
	}
	var sc string
	err = s.db.QueryRowContext(ctx, queries.SQL("score_run_scheme"), run.RunID).Scan(&sc)
	return sc, err
}
