package web

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The unit page's 测评维度与诉求响应 section: facts shown beside the score and
// never part of it — the unit's survey results per dimension (mean and n in
// the round and its year; no respondent is named), its complaints first
// responded to within 1 working day (响应) and its efficiency complaints
// found substantiated (查实).

// unitFacts is what the section shows.
type unitFacts struct {
	Dimensions []unitDimensionRow
	Complaints analytics.ComplaintFacts
	Responded  string // share of received complaints responded within 1 working day, — when none
	Substant   string // share of checked efficiency complaints found substantiated, — when none
}

// unitDimensionRow is one dimension's line.
type unitDimensionRow struct {
	Dimension           string
	RoundMean, YearMean string // — when its n is 0
	RoundN, YearN       int
}

// factShare words k of n as a percentage with one decimal, — when n is 0.
func factShare(k, n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", float64(k)*100/float64(n))
}

// factMean words a mean with two decimals, — when n is 0.
func factMean(m float64, n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", m)
}

// unitFactsOf reads the section's facts for a unit in a round.
func (s *Server) unitFactsOf(c echo.Context, unitID string, p analytics.Period) (unitFacts, error) {
	ctx := c.Request().Context()
	var f unitFacts
	ds, err := s.store.UnitSurveyDimensions(ctx, unitID, p)
	if err != nil {
		return f, err
	}
	for _, d := range ds {
		f.Dimensions = append(f.Dimensions, unitDimensionRow{Dimension: d.Dimension,
			RoundMean: factMean(d.RoundMean, d.RoundN), RoundN: d.RoundN, YearMean: factMean(d.YearMean, d.YearN), YearN: d.YearN})
	}
	if f.Complaints, err = s.store.UnitComplaintFacts(ctx, unitID, p); err != nil {
		return f, err
	}
	f.Responded = factShare(f.Complaints.Responded1WD, f.Complaints.Received)
	f.Substant = factShare(f.Complaints.Substantiated, f.Complaints.Checked)
	return f, nil
}
