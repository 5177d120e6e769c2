package analytics

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Ranking is a stored round result in the JSON shape of CONTRACT §6.
type Ranking struct {
	Round             string        `json:"round"`
	AsOf              string        `json:"as_of"`
	SchemeHash        string        `json:"scheme_hash"`
	Version           int           `json:"version"`
	InputsFingerprint string        `json:"inputs_fingerprint"`
	Units             []UnitRanking `json:"units"`
}

// UnitRanking is one unit's line of a ranking. Score, rank and tier are null
// for an unranked unit (flag no_data): never a zero.
type UnitRanking struct {
	UnitID       string                       `json:"unit_id"`
	Name         string                       `json:"name"`
	Category     string                       `json:"category"`
	Score        *float64                     `json:"score"`
	Rank         *int                         `json:"rank"`
	Tier         *string                      `json:"tier"`
	PreviousRank *int                         `json:"previous_rank"`
	Parts        map[string]*float64          `json:"parts"`
	Indicators   map[string]scoring.Indicator `json:"indicators"`
	Robustness   *Robustness                  `json:"robustness"`
	Flags        []string                     `json:"flags"`
}

// Robustness is how stable a unit's rank is under the Monte Carlo of
// scoring.Robustness: its median and 5th–95th percentile rank, and the share
// of runs in which it was last in its category or in tier 较差.
type Robustness struct {
	MedianRank int     `json:"median_rank"`
	P05        int     `json:"p05_rank"`
	P95        int     `json:"p95_rank"`
	LastShare  float64 `json:"last_share"`
	PoorShare  float64 `json:"poor_share"`
}

// RobustSeed is the fixed seed of the robustness Monte Carlo, stored with
// every run, so that the same inputs and scheme give the same result.
const RobustSeed uint64 = 20190101

// ErrNotScored is returned (wrapped) for a round that has no stored result.
var ErrNotScored = errors.New("round has not been scored")

// ScoreRound computes a round from the stored inputs under the scheme and
// stores it as the round's next version (never overwriting an earlier one).
func (s *Store) ScoreRound(ctx context.Context, round string, scheme scoring.Scheme, actor string, now time.Time) (Ranking, error) {
	in, err := s.ScoringInputs(ctx, round, scheme)
	if err != nil {
		return Ranking{}, err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return Ranking{}, err
	}
	prev, err := s.previousRanks(ctx, round)
	if err != nil {
		return Ranking{}, err
	}
	schemeJSON, err := json.Marshal(scheme)
	if err != nil {
		return Ranking{}, err
	}
	inputsJSON, err := json.Marshal(in)
	if err != nil {
		return Ranking{}, err
	}
	rk := Ranking{Round: round, AsOf: in.Period.End.Format("2006-01-02"), SchemeHash: scoring.SchemeHash(scheme), InputsFingerprint: sha(inputsJSON)}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	inputs := in.UnitInputs(units, "department")
	ro := scoring.DefaultRobustOptions()
	ro.Seed = RobustSeed
	robust := map[string]scoring.RobustResult{}
	for _, r := range scoring.Robustness(inputs, scheme, ro) {
		robust[r.UnitID] = r
	}
	for _, r := range scoring.ComputeRound(inputs, scheme) {
		u := unitRanking(r, names[r.UnitID], prev)
		if rr, ok := robust[r.UnitID]; ok && r.Ranked {
			u.Robustness = &Robustness{MedianRank: rr.MedianRank, P05: rr.P05, P95: rr.P95, LastShare: rr.LastShare, PoorShare: rr.PoorShare}
			u.Flags = append(u.Flags, rr.Flags...)
			sort.Strings(u.Flags)
		}
		rk.Units = append(rk.Units, u)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return rk, err
	}
	defer conn.Close()
	err = inTx(ctx, conn, func() error {
		var runID int64
		if err := conn.QueryRowContext(ctx, queries.SQL("score_run_insert"), round, string(schemeJSON), rk.SchemeHash, rk.InputsFingerprint, now, actorOr(actor), ro.Seed, ro.Runs).Scan(&runID, &rk.Version); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, queries.SQL("score_run_inputs_insert"), runID, string(inputsJSON)); err != nil {
			return err
		}
		for i, u := range rk.Units {
			b, err := json.Marshal(u)
			if err != nil {
				return err
			}
			if _, err := conn.ExecContext(ctx, queries.SQL("score_result_insert"), runID, i, u.UnitID, string(b)); err != nil {
				return err
			}
		}
		if err := AuditTx(ctx, conn, now, actorOr(actor), "round.compute", "round:"+round, nil,
			map[string]any{"version": rk.Version, "scheme_hash": rk.SchemeHash, "inputs_fingerprint": rk.InputsFingerprint}); err != nil {
			return err
		}
		if s.writeFault != nil {
			return s.writeFault("score")
		}
		return nil
	})
	if err != nil {
		return rk, fmt.Errorf("analytics: store %s: %w", round, err)
	}
	return rk, nil
}

func unitRanking(r scoring.UnitResult, name string, prev map[string]int) UnitRanking {
	u := UnitRanking{UnitID: r.UnitID, Name: name, Category: r.Category, Parts: map[string]*float64{},
		Indicators: r.Indicators, Flags: append([]string{}, r.Flags...)}
	if r.Ranked {
		score, rank, tier := r.Score, r.Rank, r.Tier
		u.Score, u.Rank, u.Tier = &score, &rank, &tier
		for _, p := range r.Parts {
			if p.HasData {
				v := round2(p.Scaled)
				u.Parts[p.Name] = &v
			} else {
				u.Parts[p.Name] = nil
			}
		}
		d := round2(r.Deductions)
		u.Parts["deductions"] = &d
	}
	if p, ok := prev[r.UnitID]; ok {
		u.PreviousRank = &p
	}
	return u
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// previousRanks reads the ranks of the round before (B1 follows the previous year's B6).
func (s *Store) previousRanks(ctx context.Context, round string) (map[string]int, error) {
	p, err := ParseRound(round)
	if err != nil {
		return nil, err
	}
	before := p.Start.AddDate(0, -2, 0)
	prev, err := s.Ranking(ctx, fmt.Sprintf("%d-B%d", before.Year(), int(before.Month()+1)/2))
	if errors.Is(err, ErrNotScored) {
		return map[string]int{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, u := range prev.Units {
		if u.Rank != nil {
			out[u.UnitID] = *u.Rank
		}
	}
	return out, nil
}

// Ranking reads the newest stored result of a round.
func (s *Store) Ranking(ctx context.Context, round string) (Ranking, error) {
	p, err := ParseRound(round)
	if err != nil {
		return Ranking{}, err
	}
	var run ScoreRun
	err = s.db.QueryRowContext(ctx, queries.SQL("score_run_latest"), round).Scan(&run.RunID, &run.Version, &run.SchemeHash, &run.InputsFingerprint, &run.ComputedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Ranking{Round: round, AsOf: p.End.Format("2006-01-02")}, fmt.Errorf("%w: %s (run xiaoneng score --round %s)", ErrNotScored, round, round)
	}
	if err != nil {
		return Ranking{}, err
	}
	return s.rankingOfRun(ctx, round, run)
}

// rankingOfRun reads the unit results of one stored computation.
func (s *Store) rankingOfRun(ctx context.Context, round string, run ScoreRun) (Ranking, error) {
	p, err := ParseRound(round)
	if err != nil {
		return Ranking{}, err
	}
	rk := Ranking{Round: round, AsOf: p.End.Format("2006-01-02"), Version: run.Version, SchemeHash: run.SchemeHash, InputsFingerprint: run.InputsFingerprint}
	err = s.eachRow(ctx, queries.SQL("score_results_list"), []any{run.RunID}, func(r *sql.Rows) error {
		var id, js string
		if err := r.Scan(&id, &js); err != nil {
			return err
		}
		var u UnitRanking
		if err := json.Unmarshal([]byte(js), &u); err != nil {
			return fmt.Errorf("result of %s: %w", id, err)
		}
		rk.Units = append(rk.Units, u)
		return nil
	})
	return rk, err
}

// WithTasksPart reports whether any of the units was scored with the
// 督办落实 part (the scheme of the run had it), which tables then show.
func WithTasksPart(units []UnitRanking) bool {
	for _, u := range units {
		if _, ok := u.Parts[scoring.PartTasks]; ok {
			return true
		}
	}
	return false
}
