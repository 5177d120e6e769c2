package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The publish gate (README "Publishing"). A computed version of a round is
// published only when
//   - each part of its scheme has data for at least publish.min_coverage of
//     the units listed in the version's results (ranked and unranked);
//   - at least publish.min_participation of the evaluators with an
//     assignment took part: submitted their sheet online, or have at least
//     one score stored for the round (imported, or submitted before a
//     reopening);
//   - at least one case was received in the round's months.
// A version failing a check is published only with a written reason, which
// is stored with the publication, audited and printed in the bulletin.

// Kinds of publish checks.
const (
	CheckCoverage      = "coverage"
	CheckParticipation = "participation"
	CheckCases         = "cases"
)

// MaxPublishReason is the longest reason (in characters) a publication keeps.
const MaxPublishReason = 500

// Errors of publishing.
var (
	ErrReasonRequired = errors.New("发布更正版须填写更正理由")
	ErrReasonTooLong  = fmt.Errorf("理由不能超过 %d 字", MaxPublishReason)
)

// PublishCheck is one condition of the publish gate with its figures: Have
// of Of (units with data, evaluators who took part, cases received).
type PublishCheck struct {
	Kind     string  `json:"kind"`
	Part     string  `json:"part,omitempty"` // for coverage: the scheme part
	Have     int     `json:"have"`
	Of       int     `json:"of"`
	Required float64 `json:"required,omitempty"` // the share required (coverage, participation)
	OK       bool    `json:"ok"`
	Text     string  `json:"text"` // the check in words (Chinese)
}

// PublishGate is the gate of one computed version of a round.
type PublishGate struct {
	Round   string         `json:"round"`
	Version int            `json:"version"`
	Checks  []PublishCheck `json:"checks"`
}

// Failed lists the checks that are not met.
func (g PublishGate) Failed() []PublishCheck {
	var out []PublishCheck
	for _, c := range g.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// OK tells whether every check is met.
func (g PublishGate) OK() bool { return len(g.Failed()) == 0 }

// GateError refuses a publication without a reason: it lists every failed
// check.
type GateError struct {
	Round   string
	Version int
	Failed  []PublishCheck
}

func (e *GateError) Error() string {
	return fmt.Sprintf("轮次 %s 第 %d 版未满足发布条件:%s", e.Round, e.Version, checkTexts(e.Failed, ";"))
}

func checkTexts(cs []PublishCheck, sep string) string {
	t := make([]string, len(cs))
	for i, c := range cs {
		t[i] = c.Text
	}
	return strings.Join(t, sep)
}

// partLabels names the scheme parts in the checks' texts.
var partLabels = map[string]string{scoring.PartPeer: "效能评议", scoring.PartService: "政务服务",
	scoring.PartComplaints: "诉求办理", scoring.PartSatisfaction: "满意度测评", scoring.PartTasks: "督办落实"}

// pct writes a share as a percentage with at most one decimal: 0.8 → 80%,
// 2/3 → 66.7%.
func pct(x float64) string {
	return strconv.FormatFloat(math.Round(x*1000)/10, 'f', -1, 64) + "%"
}

// pct1 writes a share with exactly one decimal (1/68 → 1.5%).
func pct1(x float64) string { return strconv.FormatFloat(x*100, 'f', 1, 64) + "%" }

// gateFigures is what the gate reads of a round, as plain values.
type gateFigures struct {
	Period    Period
	Units     []UnitRanking
	WithTasks bool // the version's scheme has the 督办落实 part
	Rule      scoring.PublishRule
	Assigned  int // evaluators with at least one assignment
	TookPart  int // of them, those who submitted or have stored scores
	Cases     int // cases received in the round's months
}

// atLeast tells whether have of of reaches the share; a share met exactly
// (2 of 3 against 2/3) passes whatever the float rounding.
func atLeast(have, of int, share float64) bool {
	return float64(have) >= share*float64(of)-1e-9
}

// gateChecks evaluates the gate on plain figures: coverage of each part in
// report order, then participation, then cases.
func gateChecks(f gateFigures) []PublishCheck {
	rule := f.Rule.Effective()
	parts := []string{scoring.PartPeer, scoring.PartService, scoring.PartComplaints, scoring.PartSatisfaction}
	if f.WithTasks {
		parts = append(parts, scoring.PartTasks)
	}
	var out []PublishCheck
	n := len(f.Units)
	for _, p := range parts {
		c := PublishCheck{Kind: CheckCoverage, Part: p, Of: n, Required: rule.MinCoverage}
		for _, u := range f.Units {
			if u.Parts[p] != nil {
				c.Have++
			}
		}
		c.OK = n > 0 && atLeast(c.Have, n, rule.MinCoverage)
		if n == 0 {
			c.Text = fmt.Sprintf("%s:本轮结果中没有单位", partLabels[p])
		} else {
			c.Text = fmt.Sprintf("%s:%d/%d 个单位有数据(%s,要求 ≥ %s)", partLabels[p], c.Have, n, pct1(float64(c.Have)/float64(n)), pct(rule.MinCoverage))
		}
		out = append(out, c)
	}
	pc := PublishCheck{Kind: CheckParticipation, Part: scoring.PartPeer, Have: f.TookPart, Of: f.Assigned, Required: rule.MinParticipation}
	pc.OK = f.Assigned > 0 && atLeast(f.TookPart, f.Assigned, rule.MinParticipation)
	switch {
	case f.Assigned == 0:
		pc.Text = "效能评议:没有分配了评议任务的评议人"
	case pc.OK:
		pc.Text = fmt.Sprintf("效能评议:%d 名评议人中 %d 名提交(%s,要求 ≥ %s)", f.Assigned, f.TookPart, pct1(float64(f.TookPart)/float64(f.Assigned)), pct(rule.MinParticipation))
	default:
		pc.Text = fmt.Sprintf("效能评议:%d 名评议人中仅 %d 名提交(%s,要求 ≥ %s)", f.Assigned, f.TookPart, pct1(float64(f.TookPart)/float64(f.Assigned)), pct(rule.MinParticipation))
	}
	out = append(out, pc)
	months := f.Period.Start.Format("2006-01") + "—" + f.Period.End.Format("2006-01")
	cc := PublishCheck{Kind: CheckCases, Have: f.Cases, OK: f.Cases > 0}
	if cc.OK {
		cc.Text = fmt.Sprintf("%s 收到办件 %d 件", months, f.Cases)
	} else {
		cc.Text = months + " 无办件数据"
	}
	return append(out, cc)
}

// PublishGate evaluates the gate of a computed version of a round (0: the
// newest) under the publish rule of the scheme that computed it.
// Participation and cases are read as they are now.
func (s *Store) PublishGate(ctx context.Context, round string, version int) (PublishGate, error) {
	p, err := ParseRound(round)
	if err != nil {
		return PublishGate{}, err
	}
	if version == 0 {
		st, err := s.Round(ctx, round)
		if err != nil {
			return PublishGate{}, err
		}
		if st.LatestVersion == 0 {
			return PublishGate{}, fmt.Errorf("%w: %s has not been computed yet", ErrRoundState, round)
		}
		version = st.LatestVersion
	}
	rk, err := s.RankingVersion(ctx, round, version)
	if err != nil {
		return PublishGate{}, err
	}
	js, err := s.RunScheme(ctx, round, version)
	if err != nil {
		return PublishGate{}, err
	}
	var sc scoring.Scheme
	if err := json.Unmarshal([]byte(js), &sc); err != nil {
		return PublishGate{}, fmt.Errorf("analytics: scheme of %s version %d: %w", round, version, err)
	}
	f := gateFigures{Period: p, Units: rk.Units, WithTasks: sc.HasTasksPart(), Rule: sc.Publish}
	prog, err := s.RoundProgress(ctx, round)
	if err != nil {
		return PublishGate{}, err
	}
	for _, e := range prog.Evaluators {
		if e.Total == 0 {
			continue
		}
		f.Assigned++
		if e.Submitted() || e.Stored > 0 {
			f.TookPart++
		}
	}
	if err := s.db.QueryRowContext(ctx, queries.SQL("cases_received_count"), p.Start, p.End).Scan(&f.Cases); err != nil {
		return PublishGate{}, err
	}
	return PublishGate{Round: round, Version: version, Checks: gateChecks(f)}, nil
}

// PublishOptions chooses what a publication publishes and why.
type PublishOptions struct {
	// Version to publish; 0 publishes the newest computed version.
	Version int
	// Reason is required when a gate check fails and for a correction
	// (更正: a newer version of a round already published).
	Reason string
}

// Publication is one publication of a round.
type Publication struct {
	Version         int       `json:"version"`
	PublishedAt     time.Time `json:"published_at"`
	PublishedBy     string    `json:"published_by"`
	ReplacesVersion int       `json:"replaces_version,omitempty"` // 0 for the first publication
	Reason          string    `json:"reason,omitempty"`
	FailedChecks    []string  `json:"failed_checks,omitempty"`
}

// Correction tells whether the publication replaced an earlier published
// version.
func (p Publication) Correction() bool { return p.ReplacesVersion != 0 }

// Publications lists a round's publications, oldest first.
func (s *Store) Publications(ctx context.Context, round string) ([]Publication, error) {
	var out []Publication
	err := s.eachRow(ctx, queries.SQL("publications_round"), []any{round}, func(r *sql.Rows) error {
		var p Publication
		var rep sql.NullInt32
		var failed string
		if err := r.Scan(&p.Version, &p.PublishedAt, &p.PublishedBy, &rep, &p.Reason, &failed); err != nil {
			return err
		}
		p.ReplacesVersion = int(rep.Int32)
		if err := json.Unmarshal([]byte(failed), &p.FailedChecks); err != nil {
			return fmt.Errorf("failed checks of %s version %d: %w", round, p.Version, err)
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// CurrentPublication is the publication of the version leaders see now;
// ok is false when the round is not published (or was published before
// publications were recorded).
func (s *Store) CurrentPublication(ctx context.Context, round string) (p Publication, ok bool, err error) {
	st, err := s.Round(ctx, round)
	if err != nil || st.PublishedVersion == 0 {
		return p, false, err
	}
	all, err := s.Publications(ctx, round)
	if err != nil {
		return p, false, err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Version == st.PublishedVersion {
			return all[i], true, nil
		}
	}
	return p, false, nil
}

// PublishRound publishes the round's newest computed version under the
// gate, without a reason: it fails with a *GateError when a check fails.
func (s *Store) PublishRound(ctx context.Context, round, actor string, now time.Time) (RoundState, error) {
	return s.Publish(ctx, round, PublishOptions{}, actor, now)
}

// Publish freezes a computed version of a round as the one leaders see.
// A round that is closed, or was computed outside the lifecycle (imported
// scores), is published when the gate passes or with a reason. A round
// already published takes a newer version directly as a correction (更正),
// always with a reason, without reopening it to evaluators; the gate applies
// to it as well. Each publication is recorded (Publications) and audited
// with its reason and failed checks.
func (s *Store) Publish(ctx context.Context, round string, opt PublishOptions, actor string, now time.Time) (RoundState, error) {
	reason := strings.TrimSpace(opt.Reason)
	if len([]rune(reason)) > MaxPublishReason {
		return RoundState{}, ErrReasonTooLong
	}
	var rec Publication
	var runID int64
	st, err := s.roundChange(ctx, round, "round.publish", actor, now, []string{RoundClosed, "", RoundPublished}, func(old RoundState) (RoundState, error) {
		if old.LatestVersion == 0 {
			return old, fmt.Errorf("%w: %s has not been computed yet", ErrRoundState, round)
		}
		version := opt.Version
		if version == 0 {
			version = old.LatestVersion
		}
		if old.Status == RoundPublished {
			if version <= old.PublishedVersion {
				return old, fmt.Errorf("%w: %s version %d is not newer than the published version %d", ErrRoundState, round, version, old.PublishedVersion)
			}
			if reason == "" {
				return old, ErrReasonRequired
			}
			old.auditAction = "round.correct"
		}
		run, err := s.scoreRun(ctx, round, version)
		if err != nil {
			return old, err
		}
		gate, err := s.PublishGate(ctx, round, version)
		if err != nil {
			return old, err
		}
		failed := gate.Failed()
		if len(failed) > 0 && reason == "" {
			return old, &GateError{Round: round, Version: version, Failed: failed}
		}
		rec = Publication{Version: version, PublishedAt: now, PublishedBy: actor, Reason: reason, FailedChecks: []string{}}
		if old.PublishedVersion != 0 && old.PublishedVersion != version {
			rec.ReplacesVersion = old.PublishedVersion
			if rec.Reason == "" {
				rec.Reason = old.Reason // republished after a reopening: its reason
			}
		}
		for _, c := range failed {
			rec.FailedChecks = append(rec.FailedChecks, c.Text)
		}
		runID = run.RunID
		old.Status, old.PublishedRunID, old.PublishedVersion = RoundPublished, run.RunID, run.Version
		old.publication = &rec
		return old, nil
	}, func(tx *sql.Tx) error {
		failed, err := json.Marshal(rec.FailedChecks)
		if err != nil {
			return err
		}
		var rep any
		if rec.ReplacesVersion != 0 {
			rep = rec.ReplacesVersion
		}
		_, err = tx.ExecContext(ctx, queries.SQL("publication_insert"), round, rec.Version, runID, now, actor, rep, rec.Reason, string(failed))
		return err
	})
	return st, err
}
