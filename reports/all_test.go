package reports

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func docNames(docs []Document) map[string]Document {
	m := map[string]Document{}
	for _, d := range docs {
		m[d.Name] = d
	}
	return m
}

func TestAllOfAMonthHoldsEveryReportOfIt(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	rk, err := b.store.Ranking(ctx, "2019-B6")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		month string
		want  []string
		units bool
	}{
		{"2019-05", []string{"projects-2019-05"}, false},                                  // no round, no quarter ends
		{"2019-04", []string{"projects-2019-04", "round-2019-B2", "units-2019-B2"}, true}, // a round ends
		{"2019-09", []string{"projects-2019-09", "projects-2019-Q3"}, false},              // a quarter ends (B5 ends in October)
		{"2019-12", []string{"projects-2019-12", "projects-2019-Q4", "round-2019-B6", "units-2019-B6", "year-2019"}, true},
	}
	for _, c := range cases {
		docs, skipped, err := b.All(ctx, c.month, nil)
		if err != nil || len(skipped) != 0 {
			t.Fatalf("%s: %v (skipped %v)", c.month, err, skipped)
		}
		got := docNames(docs)
		want := len(c.want)
		if c.units {
			want += len(rk.Units)
		}
		if len(got) != want || len(docs) != want {
			t.Errorf("%s: %d documents, want %d", c.month, len(docs), want)
		}
		for _, w := range c.want {
			d, ok := got[w]
			if !ok {
				t.Errorf("%s: lacks %s", c.month, w)
				continue
			}
			checkDocument(t, d, d.Title)
		}
	}
	// the unit profiles of December: one HTML per unit, printed only in the compendium
	docs, _, _ := b.All(ctx, "2019-12", nil)
	got := docNames(docs)
	for _, u := range rk.Units {
		d, ok := got["unit-"+u.UnitID+"-2019-B6"]
		if !ok || !d.HTMLOnly {
			t.Errorf("unit %s: profile missing or printed on its own", u.UnitID)
		}
		if !strings.Contains(string(got["units-2019-B6"].HTML), ">"+u.Name+"（") {
			t.Errorf("compendium lacks %s", u.Name)
		}
	}
	checkDocument(t, got["units-2019-B6"]) // chart IDs unique across 60 profiles
	if _, skipped, err := b.All(ctx, "2018-12", nil); err != nil || len(skipped) != 1 || skipped[0] != "2018-B6" {
		t.Errorf("an unscored round: skipped %v, err %v; want 2018-B6 skipped", skipped, err)
	}
	if _, _, err := b.All(ctx, "2019-13", nil); err == nil {
		t.Error("month 13 accepted")
	}
}

// TestEveryReportTypePrintsToPDF prints one report of every type of the
// sample city and reads the PDFs back as a person would: page counts, the
// title and unit names as text in Chinese, pages that are not blank.
func TestEveryReportTypePrintsToPDF(t *testing.T) {
	needChromium(t)
	b := sampleBuilder(t)
	ctx := context.Background()
	rk, err := b.store.Ranking(ctx, "2019-B3")
	if err != nil {
		t.Fatal(err)
	}
	var docs []Document
	for _, f := range []func() (Document, error){
		func() (Document, error) { return b.Round(ctx, "2019-B3") },
		func() (Document, error) { return b.Month(ctx, "2019-06") },
		func() (Document, error) { return b.Quarter(ctx, "2019-Q2") },
		func() (Document, error) { return b.Year(ctx, 2019) },
		func() (Document, error) { return b.Unit(ctx, "2019-B3", "D38") },
		func() (Document, error) { return b.Units(ctx, "2019-B3") },
	} {
		d, err := f()
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	p, err := NewPrinter(ctx, PDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	pdfs, err := p.PDFAll(ctx, docs, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, d := range docs {
		file := filepath.Join(dir, d.Name+".pdf")
		if err := os.WriteFile(file, pdfs[i], 0o644); err != nil {
			t.Fatal(err)
		}
		pages := pdfPages(t, poppler(t, "pdfinfo", file))
		text := strings.Join(strings.Fields(poppler(t, "pdftotext", file, "-")), "")
		if !strings.Contains(text, strings.Join(strings.Fields(d.Title), "")) {
			t.Errorf("%s: the title %q is not in the PDF text", d.Name, d.Title)
		}
		switch {
		case d.Name == "unit-D38-2019-B3" && pages != 1:
			t.Errorf("%s: %d pages, want a one-page profile", d.Name, pages)
		case d.Name == "units-2019-B3" && pages != len(rk.Units):
			t.Errorf("%s: %d pages, want one per unit (%d)", d.Name, pages, len(rk.Units))
		case pages < 1:
			t.Errorf("%s: no pages", d.Name)
		}
		if strings.HasPrefix(d.Name, "round") || strings.HasPrefix(d.Name, "units") {
			for _, u := range rk.Units {
				if !strings.Contains(text, u.Name) {
					t.Errorf("%s: unit %s not in the PDF text", d.Name, u.Name)
				}
			}
		}
		// the last page at 30 dpi has text on it
		last := pages
		prefix := filepath.Join(dir, d.Name)
		poppler(t, "pdftoppm", "-r", "30", "-f", strconv.Itoa(last), "-l", strconv.Itoa(last), "-png", "-singlefile", file, prefix)
		f, err := os.Open(prefix + ".png")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n := count(img, img.Bounds(), func(r, g, b int) bool { return r+g+b < 300 }); n < 50 {
			t.Errorf("%s: page %d looks blank (%d dark pixels)", d.Name, last, n)
		}
	}
}
