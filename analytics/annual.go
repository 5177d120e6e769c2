package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// AnnualSurvey is the default survey whose year mean enters the year
// composite (a scheme may name another: year.wenzheng_survey).
const AnnualSurvey = scoring.DefaultWenzhengSurvey

// AnnualRanking is the year composite (年度综合评议) in the JSON shape the
// other commands use.
type AnnualRanking struct {
	Year int    `json:"year"`
	AsOf string `json:"as_of"`
	// Rounds are the rounds that count (their published versions), each
	// with the version used and its total points; a round without a
	// published version is left out.
	Rounds []AnnualRound `json:"rounds"`
	Units  []AnnualUnit  `json:"units"`
}

// AnnualRound is a round of the year composite: the version used and the
// total points of its scheme, by which its scores are put on a 100-point
// scale (× 100 ÷ total).
type AnnualRound struct {
	Round       string  `json:"round"`
	Version     int     `json:"version"`
	TotalPoints float64 `json:"total_points"`
}

// AnnualUnit is one unit's line of the year composite; score, rank and tier
// are null for an unranked unit.
type AnnualUnit struct {
	UnitID     string             `json:"unit_id"`
	Name       string             `json:"name"`
	Category   string             `json:"category"`
	Score      *float64           `json:"score"`
	Rank       *int               `json:"rank"`
	Tier       *string            `json:"tier"`
	RoundsMean *float64           `json:"rounds_mean"`
	SurveyMean *float64           `json:"survey_mean"`
	Rounds     map[string]float64 `json:"rounds"`
	Flags      []string           `json:"flags"`
}

// Annual computes the year composite from the published version of each
// of the year's rounds (rounds without one are left out) and the year's
// 效能问政 answers. It is computed on demand, not stored: it holds nothing
// that the stored rounds and the inputs do not. The scheme gives the
// weights, the tier rule and the rank convention.
func (s *Store) Annual(ctx context.Context, year int, sc scoring.Scheme) (AnnualRanking, error) {
	var rankings []Ranking
	for b := 1; b <= 6; b++ {
		rk, err := s.PublishedRanking(ctx, fmt.Sprintf("%d-B%d", year, b))
		if errors.Is(err, ErrNotScored) || errors.Is(err, ErrNotPublished) {
			continue
		} else if err != nil {
			return AnnualRanking{Year: year, AsOf: fmt.Sprintf("%d-12-31", year)}, err
		}
		rankings = append(rankings, rk)
	}
	if len(rankings) == 0 {
		return AnnualRanking{Year: year, AsOf: fmt.Sprintf("%d-12-31", year)},
			fmt.Errorf("%w: no published round of %d (score and publish a round first: xiaoneng score --round %d-B1 …)", ErrNotScored, year, year)
	}
	return s.AnnualOf(ctx, year, sc, rankings)
}

// AnnualOf computes the year composite like Annual, but from the round
// rankings given (the published versions, for leaders) instead of each
// round's newest computation; rankings of other years are ignored. With no
// ranking of the year it returns ErrNotScored.
func (s *Store) AnnualOf(ctx context.Context, year int, sc scoring.Scheme, rankings []Ranking) (AnnualRanking, error) {
	out := AnnualRanking{Year: year, AsOf: fmt.Sprintf("%d-12-31", year)}
	units, err := s.Units(ctx)
	if err != nil {
		return out, err
	}
	inputs := map[string]*scoring.AnnualInput{}
	for _, u := range units {
		if u.Kind == "department" {
			inputs[u.ID] = &scoring.AnnualInput{UnitID: u.ID, Category: u.Category, RoundScores: map[string]float64{}}
		}
	}
	used := 0
	for _, rk := range rankings {
		p, err := ParseRound(rk.Round)
		if err != nil || p.Start.Year() != year {
			continue
		}
		total, err := s.runTotalPoints(ctx, rk)
		if err != nil {
			return out, err
		}
		used++
		out.Rounds = append(out.Rounds, AnnualRound{Round: rk.Round, Version: rk.Version, TotalPoints: total})
		for _, u := range rk.Units {
			if in := inputs[u.UnitID]; in != nil && u.Score != nil {
				in.RoundScores[rk.Round] = hundredPointScore(*u.Score, total)
			}
		}
	}
	if used == 0 {
		return out, fmt.Errorf("%w: no round of %d", ErrNotScored, year)
	}
	start, end := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	err = s.eachRow(ctx, queries.SQL("surveys_year_mean"), []any{start, end, sc.Year.SurveyName()}, func(r *sql.Rows) error {
		var id string
		var n int64
		var sum float64
		if err := r.Scan(&id, &n, &sum); err != nil {
			return err
		}
		if in := inputs[id]; in != nil && n > 0 {
			m := sum / float64(n)
			in.SurveyMean = &m
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("analytics: annual survey: %w", err)
	}
	list := make([]scoring.AnnualInput, 0, len(inputs))
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
		if in := inputs[u.ID]; in != nil {
			list = append(list, *in)
		}
	}
	for _, r := range scoring.Annual(list, sc.Year, sc.Tiers, sc.DenseRank) {
		out.Units = append(out.Units, annualUnit(r, names[r.UnitID], inputs[r.UnitID].RoundScores))
	}
	return out, nil
}

func annualUnit(r scoring.AnnualResult, name string, rounds map[string]float64) AnnualUnit {
	u := AnnualUnit{UnitID: r.UnitID, Name: name, Category: r.Category, Rounds: rounds, Flags: r.Flags}
	if r.RoundsMean != nil {
		m := round2(*r.RoundsMean)
		u.RoundsMean = &m
	}
	if r.SurveyMean != nil {
		m := round2(*r.SurveyMean)
		u.SurveyMean = &m
	}
	if r.Ranked {
		score, rank, tier := r.Score, r.Rank, r.Tier
		u.Score, u.Rank, u.Tier = &score, &rank, &tier
	}
	return u
}

// runTotalPoints is the total points of the scheme a stored ranking was
// computed with (100 by default, more with extra parts such as 督办落实).
func (s *Store) runTotalPoints(ctx context.Context, rk Ranking) (float64, error) {
	text, err := s.RunScheme(ctx, rk.Round, rk.Version)
	if err != nil {
		return 0, fmt.Errorf("analytics: scheme of %s version %d: %w", rk.Round, rk.Version, err)
	}
	var sc scoring.Scheme
	if err := json.Unmarshal([]byte(text), &sc); err != nil {
		return 0, fmt.Errorf("analytics: scheme of %s version %d: %w", rk.Round, rk.Version, err)
	}
	var total float64
	for _, p := range scoring.NominalPoints(sc) {
		total += p
	}
	return total, nil
}

// hundredPointScore puts a round score on a 100-point scale: × 100 ÷ total,
// rounded to 2 decimals; a 100-point round's score is unchanged.
func hundredPointScore(score, total float64) float64 {
	if total <= 0 || math.Abs(total-100) < 1e-9 {
		return score
	}
	return round2(score * 100 / total)
}
