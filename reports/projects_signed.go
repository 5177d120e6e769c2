package reports

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// The 招商引资 ranking of the monthly key-project bulletin: counties by
// projects signed this year, with the landing rate and its rank.

// projSigned is the 招商 section.
type projSigned struct {
	Heading string
	Note    string
	Rows    []projSignedRow
}

// projSignedRow is one county of the 招商 ranking.
type projSignedRow struct {
	Rank, Name, Signed, Landed, Rate, RateRank string
}

// projSignedOf builds the 招商 ranking: counties by number of projects
// signed this year, with the landing rate and its rank.
func projSignedOf(heading string, q scoring.QuarterRates) *projSigned {
	cs := append([]scoring.CountyRates(nil), q.Counties...)
	rank := func(c scoring.CountyRates) int {
		if c.SignedProjects.Rank == nil {
			return math.MaxInt
		}
		return *c.SignedProjects.Rank
	}
	sort.SliceStable(cs, func(a, b int) bool { return rank(cs[a]) < rank(cs[b]) })
	s := &projSigned{Heading: heading,
		Note: fmt.Sprintf("签约项目数为%d年1月1日至%s签约的招商引资项目，所有县区均参与排名；落地率为其中已落地项目所占比例，本年度尚无签约项目的县区不参与落地率排名。",
			projYear(q), projAsOfText(q))}
	for _, c := range cs {
		s.Rows = append(s.Rows, projSignedRowOf(c))
	}
	return s
}

// projSignedRowOf is a county's row of the 招商 ranking.
func projSignedRowOf(c scoring.CountyRates) projSignedRow {
	row := projSignedRow{Rank: OptInt(c.SignedProjects.Rank), Name: c.Name, Signed: "0", Landed: "—",
		Rate: "—", RateRank: "不参与排名"}
	if v := c.SignedProjects.Value; v != nil {
		row.Signed = strconv.FormatFloat(*v, 'f', 0, 64)
		if r := c.Rates[scoring.RateLanding]; r.Value != nil {
			row.Landed = strconv.FormatFloat(math.Round(*r.Value**v), 'f', 0, 64)
		}
	}
	if r := c.Rates[scoring.RateLanding]; r.Value != nil {
		row.Rate = OptPct(r.Value)
		if r.Rank != nil {
			row.RateRank = strconv.Itoa(*r.Rank)
		}
	}
	return row
}
