// Package reports renders the bulletins (通报) of an efficiency office as
// self-contained HTML files — CSS, ECharts and every chart's option inlined,
// nothing fetched from a network — and prints them to PDF through headless
// Chromium. Reports take their values from analytics and scoring; they
// never build SQL.
package reports

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/xiaoneng/xiaoneng/web/static"
)

//go:embed templates/*.html templates/report.css
var files embed.FS

// Meta is what the cover of every report shows beside its title.
type Meta struct {
	Office string // issuing office, e.g. 青川市机关效能建设领导小组办公室
	Date   string // date of issue as printed, e.g. 2019年7月5日
	City   string // e.g. 青川市
}

// DefaultOffice is the issuing office when none is configured.
const DefaultOffice = "机关效能建设领导小组办公室"

// Document is one rendered report.
type Document struct {
	Name  string // file name without extension, e.g. round-2019-B3
	Title string
	HTML  []byte
	// HTMLOnly marks a document printed only as part of another (a unit's
	// profile, printed in the compendium of the round's profiles).
	HTMLOnly bool
}

// Chart is one chart of a report: a div with a fixed, unique ID and the
// ECharts option (data only) that charts.js draws into it.
type Chart struct {
	ID     string
	Height int // pixels
	Option map[string]any
}

// page is what the layout template receives.
type page struct {
	Title    string
	Subtitle string
	Meta     Meta
	Body     template.HTML // the report's own template, already rendered (escaped)
	Compact  bool          // a one-page document: a heading instead of a cover page
	CSS      template.CSS
	Scripts  template.HTML
}

// renderer holds the parsed templates, parsed once.
type renderer struct {
	t *template.Template
}

var funcs = template.FuncMap{
	"chart":  chartHTML,
	"f2":     func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"pct":    func(v float64) string { return fmt.Sprintf("%.2f%%", v*100) },
	"opt2":   OptF2,
	"optPct": OptPct,
	"optInt": OptInt,
	"optStr": OptStr,
	"change": change,
	"inc":    func(i int) int { return i + 1 },
	"join":   strings.Join,
}

func newRenderer() (*renderer, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("reports: templates: %w", err)
	}
	return &renderer{t: t}, nil
}

// render executes the named body template inside the layout into a buffer.
func (r *renderer) render(name, title, subtitle string, m Meta, body any) ([]byte, error) {
	return r.renderPage(name, title, subtitle, m, body, false)
}

// renderPage is render with the choice of a cover page or a compact heading.
func (r *renderer) renderPage(name, title, subtitle string, m Meta, body any, compact bool) ([]byte, error) {
	css, err := files.ReadFile("templates/report.css")
	if err != nil {
		return nil, err
	}
	var scripts bytes.Buffer
	// The scripts are our own files and the pinned ECharts build; neither can
	// contain "</script" (checked in tests), so they are inlined verbatim.
	scripts.WriteString("<script>")
	scripts.Write(static.EChartsJS())
	scripts.WriteString("</script>\n<script>")
	scripts.Write(static.ChartsJS())
	scripts.WriteString("</script>")
	var inner bytes.Buffer
	if err := r.t.ExecuteTemplate(&inner, name, body); err != nil {
		return nil, fmt.Errorf("reports: render %s: %w", name, err)
	}
	p := page{Title: title, Subtitle: subtitle, Meta: m, Body: template.HTML(inner.String()),
		CSS: template.CSS(css), Scripts: template.HTML(scripts.String()), Compact: compact}
	var buf bytes.Buffer
	if err := r.t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return nil, fmt.Errorf("reports: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// chartHTML writes a chart's div and its option as JSON. json.Marshal
// escapes <, > and & as \u003c, \u003e and \u0026, so a name such as
// "</script>" in the data stays inert text inside the script element.
func chartHTML(c Chart) (template.HTML, error) {
	b, err := json.Marshal(c.Option)
	if err != nil {
		return "", fmt.Errorf("reports: chart %s: %w", c.ID, err)
	}
	id := template.HTMLEscapeString(c.ID)
	h := c.Height
	if h <= 0 {
		h = 320
	}
	return template.HTML(fmt.Sprintf(`<div class="chart" id="%s" style="height:%dpx"></div>`+"\n"+
		`<script type="application/json" data-chart="%s">%s</script>`, id, h, id, b)), nil
}

// OptF2 shows an optional number with 2 decimals, — when absent.
func OptF2(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *v)
}

// OptPct shows an optional share as a percentage with 2 decimals, — when absent.
func OptPct(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", *v*100)
}

// OptInt shows an optional whole number, — when absent.
func OptInt(v *int) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(*v)
}

// OptStr shows an optional text, — when absent.
func OptStr(v *string) string {
	if v == nil {
		return "—"
	}
	return *v
}

// change shows a rank change: ↑2 (two places better), ↓1, — (unchanged),
// 新 (no previous rank) or blank when unranked now.
func change(now, before *int) string {
	switch {
	case now == nil:
		return ""
	case before == nil:
		return "新"
	case *before > *now:
		return fmt.Sprintf("↑%d", *before-*now)
	case *before < *now:
		return fmt.Sprintf("↓%d", *now-*before)
	}
	return "—"
}
