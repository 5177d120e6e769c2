package main

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// TestRankingShowsTheTasksPart: with the 督办落实 part the CSV and the table
// have its column, and the parts add up to the score:
// 40 + 15 + 10 + 12 + 4.2 − 1 = 80.2.
func TestRankingShowsTheTasksPart(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	rank, tier := 1, "好"
	unit := analytics.UnitRanking{UnitID: "D01", Name: "市发展和改革委员会", Category: "经济发展类", Score: f(80.2), Rank: &rank, Tier: &tier,
		Parts: map[string]*float64{"peer": f(40), "service": f(15), "complaints": f(10), "satisfaction": f(12), "tasks": f(4.2), "deductions": f(1)}}
	rk := analytics.Ranking{Round: "2019-B1", AsOf: "2019-02-28", SchemeHash: strings.Repeat("a", 64), Version: 1, Units: []analytics.UnitRanking{unit}}
	var b bytes.Buffer
	if err := writeRankingCSV(&b, rk); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv %q: %v", b.String(), err)
	}
	want := "rank unit_id name category score tier previous_rank peer service complaints satisfaction tasks deductions flags"
	if got := strings.Join(rows[0], " "); got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	var sum float64
	for i, name := range rows[0] {
		if v, err := strconv.ParseFloat(rows[1][i], 64); err == nil {
			switch name {
			case "peer", "service", "complaints", "satisfaction", "tasks":
				sum += v
			case "deductions":
				sum -= v
			}
		}
	}
	if score, _ := strconv.ParseFloat(rows[1][4], 64); strconv.FormatFloat(sum, 'f', 2, 64) != strconv.FormatFloat(score, 'f', 2, 64) {
		t.Errorf("parts add up to %.2f, score %v", sum, rows[1][4])
	}
	b.Reset()
	if err := writeRankingTable(&b, rk); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "督办落实") || !strings.Contains(b.String(), "4.20") {
		t.Errorf("table lacks the 督办落实 column or its 4.20:\n%s", b.String())
	}
	// without the part: no such column
	delete(unit.Parts, "tasks")
	rk.Units = []analytics.UnitRanking{unit}
	b.Reset()
	if err := writeRankingTable(&b, rk); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "督办落实") {
		t.Errorf("table without the part shows 督办落实:\n%s", b.String())
	}
}
