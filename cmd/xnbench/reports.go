package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/reports"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// benchReports times the bulletins on the city-scale store: each report
// type's HTML (best of 3), its PDF through one warm browser, and a month's
// full set (December 2019: HTML of every report and profile, PDFs printed
// as `xiaoneng report --all --pdf` prints them) from start to finish.
func benchReports(ctx context.Context, st *analytics.Store) ([]row, error) {
	now := time.Now()
	for k := 1; k <= 6; k++ {
		r := fmt.Sprintf("2019-B%d", k)
		if _, err := st.ScoreRound(ctx, r, scoring.DefaultScheme(), "bench", now); err != nil {
			return nil, err
		}
	}
	b, err := reports.New(st, reports.Meta{City: "青川市"}, scoring.DefaultScheme())
	if err != nil {
		return nil, err
	}
	kinds := []struct {
		name string
		make func() (reports.Document, error)
	}{
		{"双月通报 2019-B6", func() (reports.Document, error) { return b.Round(ctx, "2019-B6") }},
		{"月度通报 2019-12", func() (reports.Document, error) { return b.Month(ctx, "2019-12") }},
		{"季度通报 2019-Q4", func() (reports.Document, error) { return b.Quarter(ctx, "2019-Q4") }},
		{"年度综合评议 2019", func() (reports.Document, error) { return b.Year(ctx, 2019) }},
		{"单位画像 D38", func() (reports.Document, error) { return b.Unit(ctx, "2019-B6", "D38") }},
	}
	var docs []reports.Document
	var worstHTML time.Duration
	var worstName string
	for _, k := range kinds {
		var best time.Duration
		var d reports.Document
		for i := 0; i < 3; i++ {
			t := time.Now()
			if d, err = k.make(); err != nil {
				return nil, err
			}
			if took := time.Since(t); i == 0 || took < best {
				best = took
			}
		}
		if best > worstHTML {
			worstHTML, worstName = best, k.name
		}
		docs = append(docs, d)
	}
	rows := []row{{"HTML report, slowest type (" + worstName + ")", fmt.Sprintf("%.0f ms", worstHTML.Seconds()*1000), "< 500 ms",
		"best of 3 per type: round, month, quarter, year, unit profile; values from the stored results"}}
	p, err := reports.NewPrinter(ctx, reports.PDFOptions{})
	if errors.Is(err, reports.ErrNoChromium) {
		return append(rows, row{"PDF", "not measured", "< 5 s each", err.Error()}), nil
	} else if err != nil {
		return nil, err
	}
	var worstPDF time.Duration
	for i, d := range docs {
		t := time.Now()
		if _, err := p.PDF(ctx, d.HTML, d.Title); err != nil {
			p.Close()
			return nil, err
		}
		if took := time.Since(t); took > worstPDF {
			worstPDF, worstName = took, kinds[i].name
		}
	}
	p.Close()
	rows = append(rows, row{"PDF report, slowest type (" + worstName + ")", fmt.Sprintf("%.2f s", worstPDF.Seconds()), "< 5 s each",
		"one warm browser, one document at a time"})
	t := time.Now()
	all, _, err := b.All(ctx, "2019-12", nil)
	if err != nil {
		return nil, err
	}
	var print []reports.Document
	for _, d := range all {
		if !d.HTMLOnly {
			print = append(print, d)
		}
	}
	p, err = reports.NewPrinter(ctx, reports.PDFOptions{})
	if err != nil {
		return nil, err
	}
	_, err = p.PDFAll(ctx, print, 0)
	p.Close()
	if err != nil {
		return nil, err
	}
	rows = append(rows, row{"a month's full set (2019-12 --all --pdf)", fmt.Sprintf("%.1f s", time.Since(t).Seconds()), "< 30 s",
		fmt.Sprintf("%d HTML documents, %d PDFs (the unit profiles printed in one compendium), browser start included", len(all), len(print))})
	return rows, nil
}
