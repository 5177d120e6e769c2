// Package static holds the front-end files that the binary serves and that
// reports inline: ECharts (from the npm registry, copied into vendor/ by
// `make deps`) and charts.js, which draws every chart of a page from the
// option JSON in its <script type="application/json" data-chart> elements.
package static

import _ "embed"

//go:embed vendor/echarts.min.js
var echartsJS []byte

//go:embed charts.js
var chartsJS []byte

// EChartsJS is echarts.min.js of the pinned ECharts release.
func EChartsJS() []byte { return echartsJS }

// ChartsJS initialises the charts of a page; it sets window.__chartsReady
// once every chart has drawn (PDF printing waits for it).
func ChartsJS() []byte { return chartsJS }
