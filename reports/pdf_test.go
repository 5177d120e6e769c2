package reports

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/web/static"
)

// pdfOut keeps the PDF and page images of TestPDF for a person to look at.
var pdfOut = flag.String("pdfout", "", "directory to keep the PDF and page PNGs of TestPDF in")

const pdfTestTitle = "青川市机关效能评议通报"

// needChromium skips the test when no browser is installed (CI installs one).
func needChromium(t testing.TB) {
	t.Helper()
	if _, err := FindChromium(PDFOptions{}); err != nil {
		t.Skip(err)
	}
}

// testReportHTML is a self-contained document like the real bulletins: the
// report CSS, one bar chart drawn by charts.js and a table of rows units
// that runs over several pages.
func testReportHTML(t testing.TB, title string, rows int) []byte {
	t.Helper()
	css, err := files.ReadFile("templates/report.css")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>%s</title><style>%s</style></head><body>`, title, css)
	fmt.Fprintf(&b, `<h2>%s</h2><p>本期机关效能评议共评议单位 %d 个，市财政局综合得分位列第一。</p>`, title, rows)
	b.WriteString(`<div class="chart" id="c1" style="height:300px"></div>`)
	b.WriteString(`<script type="application/json" data-chart="c1">{"title":{"text":"综合得分"},` +
		`"xAxis":{"type":"category","data":["市财政局","市教育局","市公安局","市民政局","市卫健委"]},` +
		`"yAxis":{"type":"value"},"series":[{"type":"bar","data":[92.5,88.1,85.4,80.2,76.9]}]}</script>`)
	b.WriteString(`<table><thead><tr><th>序号</th><th>单位</th><th>综合得分</th><th>等次</th></tr></thead><tbody>`)
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, `<tr><td>%d</td><td class="name">市财政局第%d评议组</td><td class="num">%.2f</td><td>好</td></tr>`, i, i, 100-float64(i)/3)
	}
	b.WriteString(`</tbody></table><script>`)
	b.Write(static.EChartsJS())
	b.WriteString(`</script><script>`)
	b.Write(static.ChartsJS())
	b.WriteString(`</script></body></html>`)
	return b.Bytes()
}

// poppler runs a poppler-utils command and returns its standard output.
func poppler(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v (install poppler-utils)", name, args, err)
	}
	return string(out)
}

func TestPDF(t *testing.T) {
	needChromium(t)
	ctx := context.Background()
	pdf, err := PDF(ctx, testReportHTML(t, pdfTestTitle, 150), PDFOptions{Title: pdfTestTitle})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("output starts with %q, want %%PDF", pdf[:min(8, len(pdf))])
	}
	dir := t.TempDir()
	if *pdfOut != "" {
		dir = *pdfOut
	}
	file := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	info := poppler(t, "pdfinfo", file)
	pages := pdfPages(t, info)
	t.Run("spans several A4 pages", func(t *testing.T) {
		if pages < 3 {
			t.Errorf("pages = %d, want >= 3", pages)
		}
		if !regexp.MustCompile(`Page size:\s+595\.\d+ x 841\.\d+ pts`).MatchString(info) {
			t.Errorf("pdfinfo shows no A4 page size:\n%s", info)
		}
	})
	t.Run("text is extractable with header and footer", func(t *testing.T) {
		// pdftotext drops the spaces between Chinese and digits.
		text := strings.ReplaceAll(poppler(t, "pdftotext", file, "-"), " ", "")
		for _, want := range []string{pdfTestTitle, "市财政局", "第1页共", fmt.Sprintf("第%d页共%d页", pages, pages)} {
			if !strings.Contains(text, want) {
				t.Errorf("pdftotext output lacks %q", want)
			}
		}
		if n := strings.Count(text, pdfTestTitle); n < pages {
			t.Errorf("title appears %d times, want it in the header of each of %d pages", n, pages)
		}
	})
	t.Run("embeds Noto Sans CJK SC", func(t *testing.T) {
		// Chromium embeds CFF-outline fonts such as Noto Sans CJK as Type 3
		// fonts, which pdffonts lists without a name; their font descriptors
		// still carry the PostScript name of the face that drew the glyphs.
		fonts := poppler(t, "pdffonts", file)
		if !regexp.MustCompile(`(?m)^\S.*\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$`).MatchString(fonts) {
			t.Errorf("pdffonts lists no embedded font:\n%s", fonts)
		}
		if regexp.MustCompile(`(?m)\s+no\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$`).MatchString(fonts) {
			t.Errorf("a font is not embedded:\n%s", fonts)
		}
		names := regexp.MustCompile(`/FontName /[A-Z]{6}\+([\w-]+)`).FindAllSubmatch(pdf, -1)
		seen := map[string]bool{}
		for _, m := range names {
			seen[string(m[1])] = true
		}
		if !seen["NotoSansCJKsc-Regular"] {
			t.Errorf("fonts %v lack NotoSansCJKsc-Regular", seen)
		}
		for name := range seen {
			if strings.Contains(name, "CJKjp") || strings.Contains(name, "CJKtc") || strings.Contains(name, "CJKkr") {
				t.Errorf("font %s is not the Simplified Chinese face", name)
			}
		}
	})
	t.Run("page 1 shows text and the chart", func(t *testing.T) {
		poppler(t, "pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", file, filepath.Join(dir, "page"))
		checkPage1(t, filepath.Join(dir, "page-1.png"))
	})
}

// pdfPages reads the page count from pdfinfo's output.
func pdfPages(t *testing.T, info string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo shows no page count:\n%s", info)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkPage1 looks at page 1 at 50 dpi (413×585 px): dark pixels (text),
// coloured pixels in the upper half (the bars; text and table are grey or
// black), and nothing in the right margin (no content cut off or overflowing).
func checkPage1(t *testing.T, file string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	dark := count(img, b, func(r, g, bl int) bool { return r+g+bl < 3*100 })
	upper := image.Rect(b.Min.X, b.Min.Y, b.Max.X, b.Min.Y+b.Dy()/2)
	colour := count(img, upper, func(r, g, bl int) bool { return max(r, g, bl)-min(r, g, bl) > 60 })
	// The right margin is 16mm (31 px); skip the header and footer bands.
	margin := image.Rect(b.Max.X-b.Dx()*12/210, b.Min.Y+b.Dy()*22/297, b.Max.X, b.Max.Y-b.Dy()*20/297)
	spill := count(img, margin, func(r, g, bl int) bool { return r+g+bl < 3*240 })
	t.Logf("page 1: %v, %d dark pixels, %d coloured in the upper half, %d in the right margin", b.Size(), dark, colour, spill)
	if dark < 500 {
		t.Errorf("page 1 has %d dark pixels, want text", dark)
	}
	if colour < 300 {
		t.Errorf("upper half of page 1 has %d coloured pixels, want the bar chart", colour)
	}
	if spill > 0 {
		t.Errorf("%d non-white pixels in the right margin: content is cut off or overflows", spill)
	}
}

// count returns how many pixels of r satisfy f (8-bit channels).
func count(img image.Image, r image.Rectangle, f func(r, g, b int) bool) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if f(int(cr>>8), int(cg>>8), int(cb>>8)) {
				n++
			}
		}
	}
	return n
}

func TestPDFPrinterPrintsManyDocumentsInOrderWithOneBrowser(t *testing.T) {
	needChromium(t)
	ctx := context.Background()
	docs := make([]Document, 4)
	for i := range docs {
		title := fmt.Sprintf("%s第%d期", pdfTestTitle, i+1)
		docs[i] = Document{Name: fmt.Sprint(i), Title: title, HTML: testReportHTML(t, title, 20)}
	}
	p, err := NewPrinter(ctx, PDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	pdfs, err := p.PDFAll(ctx, docs, 2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, pdf := range pdfs {
		file := filepath.Join(dir, fmt.Sprintf("%d.pdf", i))
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(poppler(t, "pdftotext", file, "-"), " ", "")
		if !strings.Contains(text, docs[i].Title) {
			t.Errorf("PDF %d does not show its title %q", i, docs[i].Title)
		}
	}
}

func TestPDFTimesOutNamingTheTitleWhenChartsNeverReady(t *testing.T) {
	needChromium(t)
	doc := []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>无图表脚本</p></body></html>`)
	_, err := PDF(context.Background(), doc, PDFOptions{Title: "市财政局<专项>通报", Timeout: 2 * time.Second})
	if err == nil {
		t.Fatal("got no error, want a timeout")
	}
	if !strings.Contains(err.Error(), "市财政局<专项>通报") || !strings.Contains(err.Error(), "__chartsReady") {
		t.Errorf("error %q does not name the title and the flag", err)
	}
}

func TestPDFTemplateEscapesTitle(t *testing.T) {
	head := pdfHeader(`<img src=x>&`)
	if strings.Contains(head, "<img") || !strings.Contains(head, "&lt;img src=x&gt;&amp;") {
		t.Errorf("header %q does not escape the title", head)
	}
}

func TestNoChromium(t *testing.T) {
	t.Setenv("PATH", "")
	t.Setenv("XIAONENG_CHROMIUM", "")
	for name, o := range map[string]PDFOptions{
		"missing configured path": {ChromiumPath: filepath.Join(t.TempDir(), "chromium")},
		"nothing on PATH":         {},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := PDF(context.Background(), []byte("<p>x</p>"), o)
			if !errors.Is(err, ErrNoChromium) {
				t.Fatalf("err = %v, want ErrNoChromium", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, "apt-get install chromium") {
				t.Errorf("message %q is not one line telling how to install Chromium", msg)
			}
		})
	}
}

// BenchmarkPDFColdStart prints one document with a browser started for it.
func BenchmarkPDFColdStart(b *testing.B) {
	needChromium(b)
	doc := testReportHTML(b, pdfTestTitle, 150)
	for b.Loop() {
		if _, err := PDF(context.Background(), doc, PDFOptions{Title: pdfTestTitle}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrinter prints ten documents with one Printer, browser start
// included (a month's set is about 40), one tab at a time and in parallel.
func BenchmarkPrinter(b *testing.B) {
	needChromium(b)
	docs := make([]Document, 10)
	for i := range docs {
		title := fmt.Sprintf("%s 第%d期", pdfTestTitle, i+1)
		docs[i] = Document{Name: fmt.Sprint(i), Title: title, HTML: testReportHTML(b, title, 150)}
	}
	ctx := context.Background()
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("docs=10/workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				p, err := NewPrinter(ctx, PDFOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := p.PDFAll(ctx, docs, workers); err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
		})
	}
}
