package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The year composite page (/annual): 年度综合评议 of a year from the
// published rounds of that year (a round computed but not published does
// not count for leaders) and the year's 效能问政 survey, weighted and tiered
// by the server's scheme.

// annualPage is the year composite page's body.
type annualPage struct {
	Year       int
	Years      []int    // years with a published round, newest first
	Rounds     []string // the published rounds of the year, in order
	Missing    []string // the year's rounds without a published version
	Weights    scoring.AnnualWeights
	Categories []annualCategory
	CSV, XLSX  string
	Empty      bool
}

// annualCategory is one category's table and chart.
type annualCategory struct {
	Name  string
	Rows  []annualRow
	Chart Chart
}

// annualRow is one unit's line of the year composite.
type annualRow struct {
	UnitID, Name           string
	Score                  *float64
	Rank                   *int
	Tier, TierClass        string
	RoundsMean, SurveyMean *float64
	Rounds                 []*float64 // per round of annualPage.Rounds
	Flags                  []string
}

// annualFlagLabel is the Chinese text of a year composite flag.
func annualFlagLabel(f string) string {
	switch f {
	case scoring.FlagNoSurvey:
		return "无效能问政测评,按各轮平均计"
	case scoring.FlagNoRounds:
		return "未参与各轮排名,按效能问政计"
	case scoring.FlagNoData:
		return "无任何数据,不参与排名"
	}
	return f
}

// annualData builds the composite of ?year= (the newest published round's
// year by default).
func (s *Server) annualData(c echo.Context) (annualPage, error) {
	ctx := c.Request().Context()
	pub, err := s.publishedRounds(ctx)
	if err != nil {
		return annualPage{}, err
	}
	var p annualPage
	for i := len(pub) - 1; i >= 0; i-- {
		y, _ := strconv.Atoi(pub[i].Round[:4])
		if len(p.Years) == 0 || p.Years[len(p.Years)-1] != y {
			p.Years = append(p.Years, y)
		}
	}
	if v := strings.TrimSpace(c.QueryParam("year")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || len(v) != 4 || y < 1900 {
			return p, echo.NewHTTPError(http.StatusBadRequest, "年度格式应为四位数字,例如 2019")
		}
		p.Year = y
	} else if len(p.Years) > 0 {
		p.Year = p.Years[0]
	} else {
		p.Year = s.now().Year()
	}
	p.Weights = s.cfg.Scheme.Year
	p.CSV, p.XLSX = dashExportLinks("annual", url.Values{"year": {strconv.Itoa(p.Year)}})
	var rks []analytics.Ranking
	key := fmt.Sprintf("annual:%d", p.Year)
	for b := 1; b <= 6; b++ {
		round := fmt.Sprintf("%d-B%d", p.Year, b)
		if !dashContains(pub, round) {
			p.Missing = append(p.Missing, round)
			continue
		}
		rk, err := s.published(ctx, round)
		if err != nil {
			return p, err
		}
		rks = append(rks, rk)
		p.Rounds = append(p.Rounds, round)
		key += fmt.Sprintf(":%s.%d", round, rk.Version)
	}
	if len(rks) == 0 {
		p.Empty = true
		return p, nil
	}
	v, err := s.cached(key, func() (any, error) { return s.store.AnnualOf(ctx, p.Year, s.cfg.Scheme, rks) })
	if err != nil {
		return p, err
	}
	ar := v.(analytics.AnnualRanking)
	var cur *annualCategory
	for _, u := range ar.Units {
		if cur == nil || cur.Name != u.Category {
			p.Categories = append(p.Categories, annualCategory{Name: u.Category})
			cur = &p.Categories[len(p.Categories)-1]
		}
		cur.Rows = append(cur.Rows, annualRowOf(u, p.Rounds))
	}
	for i := range p.Categories {
		cat := &p.Categories[i]
		bars := make([]dashRow, 0, len(cat.Rows))
		for _, r := range cat.Rows {
			bars = append(bars, dashRow{Name: r.Name, Score: r.Score, Tier: r.Tier})
		}
		cat.Chart = dashTierChart(fmt.Sprintf("annual-chart-%d", i+1), cat.Name+" 年度综合得分", bars)
	}
	return p, nil
}

func annualRowOf(u analytics.AnnualUnit, rounds []string) annualRow {
	r := annualRow{UnitID: u.UnitID, Name: u.Name, Score: u.Score, Rank: u.Rank, RoundsMean: u.RoundsMean, SurveyMean: u.SurveyMean}
	if u.Tier != nil {
		r.Tier, r.TierClass = *u.Tier, dashTierClasses[*u.Tier]
	}
	for _, round := range rounds {
		if v, ok := u.Rounds[round]; ok {
			r.Rounds = append(r.Rounds, &v)
		} else {
			r.Rounds = append(r.Rounds, nil)
		}
	}
	for _, f := range u.Flags {
		r.Flags = append(r.Flags, annualFlagLabel(f))
	}
	return r
}

// annualPageHandler answers GET /annual.
func (s *Server) annualPageHandler(c echo.Context) error {
	p, err := s.annualData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "annual", fmt.Sprintf("%d 年度综合评议", p.Year), p)
}

// annualTable is the year composite export.
func annualTable(p annualPage) exportTable {
	t := exportTable{Name: fmt.Sprintf("%d 年度综合评议", p.Year), ASCII: fmt.Sprintf("annual-%d", p.Year),
		Header: []string{"类别", "名次", "单位编码", "单位名称", "综合得分", "等次", "各轮平均", "效能问政"}}
	t.Header = append(t.Header, p.Rounds...)
	t.Header = append(t.Header, "说明")
	for _, cat := range p.Categories {
		for _, r := range cat.Rows {
			row := []any{cat.Name, exportInt(r.Rank), r.UnitID, r.Name, exportF(r.Score), r.Tier, exportF(r.RoundsMean), exportF(r.SurveyMean)}
			for _, v := range r.Rounds {
				row = append(row, exportF(v))
			}
			t.Rows = append(t.Rows, append(row, strings.Join(r.Flags, ";")))
		}
	}
	return t
}
