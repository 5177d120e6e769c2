package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The JSON API under /api/v1 (documented in openapi.json, which a test
// checks against the real responses). Leaders and the office read the
// published results; an evaluator reads and submits their own sheet
// (api_scores.go). Errors travel as {"error": "…"} through errorHandler.

// Messages for malformed query values: always a 400, never a 500.
const (
	msgBadRound  = "轮次格式应为 YYYY-B1 … YYYY-B6,例如 2019-B3"
	msgBadPeriod = "期间格式应为季度 YYYY-Q1 … YYYY-Q4 或月份 YYYY-MM,例如 2019-Q2、2019-06"
	msgBadYear   = "年度格式应为四位数字,例如 2019"
	msgBadDate   = "日期格式应为 YYYY-MM-DD,例如 2019-06-30"
)

// apiRoundSummary is one published round in the rankings list.
type apiRoundSummary struct {
	Round   string `json:"round"`
	AsOf    string `json:"as_of"`
	Version int    `json:"version"`
	Status  string `json:"status"`
	// PublishedAt is when the round was last published (from the audit
	// log; null when it was published without an audit entry).
	PublishedAt *time.Time `json:"published_at"`
	// UpdatedAt is the round's last lifecycle change: its publication,
	// unless it was reopened since (the published version still stands).
	UpdatedAt *time.Time `json:"updated_at"`
}

// apiUnit is one evaluated unit.
type apiUnit struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Category string `json:"category"`
}

// apiUnitRound is a unit's line in one published round.
type apiUnitRound struct {
	Round        string              `json:"round"`
	Version      int                 `json:"version"`
	Score        *float64            `json:"score"`
	Rank         *int                `json:"rank"`
	Tier         *string             `json:"tier"`
	PreviousRank *int                `json:"previous_rank"`
	Parts        map[string]*float64 `json:"parts"`
	Flags        []string            `json:"flags"`
}

// blobJSON writes already-encoded JSON (cached responses).
func blobJSON(c echo.Context, b []byte) error {
	return c.JSONBlob(http.StatusOK, b)
}

// cachedJSON encodes what load returns once per key; keys carry the
// published version, and s.invalidate() clears them after any write. The
// encoder escapes <, > and & (\u003c…), so imported names stay plain text.
func (s *Server) cachedJSON(key string, load func() (any, error)) ([]byte, error) {
	v, err := s.cached("api:"+key, func() (any, error) {
		body, err := load()
		if err != nil {
			return nil, err
		}
		return json.Marshal(body)
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// apiNoStore marks every answer under /api/ (data, errors, unknown paths)
// Cache-Control: no-store, so neither the browser nor a proxy keeps a
// leader's or an evaluator's data. It runs before routing, so it also
// covers answers no handler writes.
func apiNoStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		}
		return next(c)
	}
}

// apiRoundParam checks a round name from the path or query: malformed → 400.
func apiRoundParam(round string) error {
	if _, err := analytics.ParseRound(round); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, msgBadRound)
	}
	return nil
}

// apiPublished is the published ranking of a round, 400 for a malformed
// name and 404 when the round has no published version.
func (s *Server) apiPublished(c echo.Context, round string) (analytics.Ranking, error) {
	if err := apiRoundParam(round); err != nil {
		return analytics.Ranking{}, err
	}
	rk, err := s.published(c.Request().Context(), round)
	if errors.Is(err, analytics.ErrNotPublished) {
		return rk, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("轮次 %s 尚未发布", round))
	}
	return rk, err
}

// apiRankings lists the published rounds, oldest first.
func (s *Server) apiRankings(c echo.Context) error {
	ctx := c.Request().Context()
	rs, err := s.publishedRounds(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Rounds []apiRoundSummary `json:"rounds"`
	}{Rounds: []apiRoundSummary{}}
	for _, r := range rs {
		p, _ := analytics.ParseRound(r.Round)
		sum := apiRoundSummary{Round: r.Round, AsOf: p.End.Format(time.DateOnly), Version: r.PublishedVersion, Status: r.Status}
		if !r.UpdatedAt.IsZero() {
			t := r.UpdatedAt
			sum.UpdatedAt = &t
		}
		at, err := s.dashPublishedAt(ctx, r.Round, r.PublishedVersion)
		if err != nil {
			return err
		}
		if !at.IsZero() {
			sum.PublishedAt = &at
		}
		out.Rounds = append(out.Rounds, sum)
	}
	return c.JSON(http.StatusOK, out)
}

// apiRanking is the published ranking of a round in the CONTRACT §6 shape.
func (s *Server) apiRanking(c echo.Context) error {
	round := c.Param("round")
	rk, err := s.apiPublished(c, round)
	if err != nil {
		return err
	}
	b, err := s.cachedJSON(fmt.Sprintf("ranking:%s:%d", round, rk.Version), func() (any, error) { return rk, nil })
	if err != nil {
		return err
	}
	return blobJSON(c, b)
}

// apiUnits lists every unit, departments and counties.
func (s *Server) apiUnits(c echo.Context) error {
	b, err := s.cachedJSON("units", func() (any, error) {
		us, err := s.store.Units(c.Request().Context())
		if err != nil {
			return nil, err
		}
		out := struct {
			Units []apiUnit `json:"units"`
		}{Units: make([]apiUnit, 0, len(us))}
		for _, u := range us {
			out.Units = append(out.Units, apiUnit{ID: u.ID, Name: u.Name, Kind: u.Kind, Category: u.Category})
		}
		return out, nil
	})
	if err != nil {
		return err
	}
	return blobJSON(c, b)
}

// apiUnitDetail is one unit across the published rounds, oldest first; a
// round that did not rank the unit's kind is left out.
func (s *Server) apiUnitDetail(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("unit")
	units, err := s.dashUnits(ctx)
	if err != nil {
		return err
	}
	u, ok := units[id]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "单位不存在")
	}
	unit := &apiUnit{ID: u.ID, Name: u.Name, Kind: u.Kind, Category: u.Category}
	rs, err := s.publishedRounds(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Unit   apiUnit        `json:"unit"`
		Rounds []apiUnitRound `json:"rounds"`
	}{Unit: *unit, Rounds: []apiUnitRound{}}
	for _, r := range rs {
		rk, err := s.published(ctx, r.Round)
		if err != nil {
			return err
		}
		for _, u := range rk.Units {
			if u.UnitID == id {
				out.Rounds = append(out.Rounds, apiUnitRound{Round: r.Round, Version: rk.Version, Score: u.Score,
					Rank: u.Rank, Tier: u.Tier, PreviousRank: u.PreviousRank, Parts: u.Parts, Flags: nonNil(u.Flags)})
				break
			}
		}
	}
	return c.JSON(http.StatusOK, out)
}

// apiIndicators lists per unit the indicator values and points of a
// published round (the newest when ?round= is absent).
func (s *Server) apiIndicators(c echo.Context) error {
	ctx := c.Request().Context()
	round := strings.TrimSpace(c.QueryParam("round"))
	var rk analytics.Ranking
	var err error
	if round == "" {
		rk, err = s.latestPublished(ctx)
		if errors.Is(err, analytics.ErrNotPublished) {
			return echo.NewHTTPError(http.StatusNotFound, "尚无已发布的轮次")
		}
	} else {
		rk, err = s.apiPublished(c, round)
	}
	if err != nil {
		return err
	}
	b, err := s.cachedJSON(fmt.Sprintf("indicators:%s:%d", rk.Round, rk.Version), func() (any, error) {
		type unitIndicators struct {
			UnitID     string `json:"unit_id"`
			Name       string `json:"name"`
			Category   string `json:"category"`
			Indicators any    `json:"indicators"`
		}
		out := struct {
			Round   string           `json:"round"`
			AsOf    string           `json:"as_of"`
			Version int              `json:"version"`
			Units   []unitIndicators `json:"units"`
		}{Round: rk.Round, AsOf: rk.AsOf, Version: rk.Version, Units: []unitIndicators{}}
		for _, u := range rk.Units {
			var ind any = map[string]any{}
			if len(u.Indicators) > 0 {
				ind = u.Indicators
			}
			out.Units = append(out.Units, unitIndicators{UnitID: u.UnitID, Name: u.Name, Category: u.Category, Indicators: ind})
		}
		return out, nil
	})
	if err != nil {
		return err
	}
	return blobJSON(c, b)
}

// nonNil turns a nil list into an empty one, so JSON says [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
