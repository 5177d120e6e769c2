package reports

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

var (
	chartScript = regexp.MustCompile(`(?s)<script type="application/json" data-chart="([^"]+)">(.*?)</script>`)
	external    = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?(https?:)?//|@import|<link\b|<script[^>]+\bsrc=|<iframe|<img[^>]+src=["']?https?:`)
)

// checkDocument checks what every report must be: one self-contained HTML
// file (no external URL to load, no <link>, no script src), each chart's
// option valid JSON beside its div, and the expected texts present. It
// returns the charts' options by ID.
func checkDocument(t *testing.T, d Document, want ...string) map[string]map[string]any {
	t.Helper()
	html := string(d.HTML)
	if !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, "</html>") {
		t.Errorf("%s: not a whole HTML document", d.Name)
	}
	// ECharts itself holds URLs as strings (the SVG namespace, its home page)
	// that are never fetched; look for loading constructs only.
	if m := external.FindString(html); m != "" {
		t.Errorf("%s: loads something from outside: %q", d.Name, m)
	}
	charts := map[string]map[string]any{}
	for _, m := range chartScript.FindAllStringSubmatch(html, -1) {
		var opt map[string]any
		if err := json.Unmarshal([]byte(m[2]), &opt); err != nil {
			t.Errorf("%s: chart %s: option is not JSON: %v", d.Name, m[1], err)
		}
		if !strings.Contains(html, `<div class="chart" id="`+m[1]+`"`) {
			t.Errorf("%s: chart %s has no div", d.Name, m[1])
		}
		if _, dup := charts[m[1]]; dup {
			t.Errorf("%s: chart id %s used twice", d.Name, m[1])
		}
		charts[m[1]] = opt
	}
	for _, w := range want {
		if !strings.Contains(html, w) {
			t.Errorf("%s: lacks %q", d.Name, w)
		}
	}
	return charts
}
