package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scheme"
)

// leaderBrowser starts Chromium with the console log on and a leader
// logged in.
func leaderBrowser(t *testing.T, ts *testServer) *browser {
	t.Helper()
	b := startBrowser(t, chromiumOrSkip(t), nil)
	b.do("enable the log", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
		return err
	}))
	b.do("leader logs in",
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), leaderUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)))
	return b
}

// chartsReady waits for every chart of the page to finish drawing.
var chartsReady = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	_, err := chromedp.Poll[bool](`window.__chartsReady === true`, chromedp.WithPollingTimeout(30*time.Second))(ctx, tg)
	return err
})

// TestBrowserChartTooltipsUnderCSP hovers the charts of the dashboard, a
// unit page and the what-if page (a mouse move over the middle of each
// chart, then ECharts' showTip on its first bar or point): a tooltip must
// appear in each chart, and neither a script error nor a CSP refusal may
// occur (the HTML tooltip wrote inline styles the CSP refuses).
func TestBrowserChartTooltipsUnderCSP(t *testing.T) {
	ts := newTestServer(t)
	b := leaderBrowser(t, ts)
	for _, path := range []string{"/dashboard", "/units/D44?round=2019-B6", "/whatif?round=2019-B6"} {
		var tips []string
		hover := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[int](`(function () {
				window.__tipBefore = {};
				Object.keys(window.xnCharts).forEach(function (id) {
					var chart = window.xnCharts[id], el = document.getElementById(id);
					window.__tipBefore[id] = el.textContent.length;
					var r = el.getBoundingClientRect();
					var target = el.querySelector('svg') || el;
					target.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true }));
					chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
				});
				return Object.keys(window.xnCharts).length;
			})()`)(ctx, tg)
			return err
		})
		// The tooltip is drawn on the chart's next frame.
		seen := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			got, err := chromedp.Evaluate[[]string](`Object.keys(window.__tipBefore).map(function (id) {
				return id + ':' + (document.getElementById(id).textContent.length > window.__tipBefore[id] ? 'tip' : 'none');
			})`)(ctx, tg)
			tips = got
			return err
		})
		b.do("hover the charts of "+path, chromedp.Navigate(ts.URL+path), chartsReady, hover,
			chromedp.Sleep(500*time.Millisecond), seen, b.shot("tooltip"+strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(path)+".png"))
		if len(tips) == 0 {
			t.Errorf("%s: no chart hovered", path)
		}
		for _, tip := range tips {
			if !strings.HasSuffix(tip, ":tip") {
				t.Errorf("%s: no tooltip appeared in chart %s", path, strings.TrimSuffix(tip, ":none"))
			}
		}
	}
}

// TestBrowserUnitWithoutDataAloneInItsCategory publishes 2019-B6 again with
// a new department, Z1, that has no data and no other unit in its
// category: its page must draw (or say 暂无数据) without a script error.
func TestBrowserUnitWithoutDataAloneInItsCategory(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "units-z1.csv")
	if err := os.WriteFile(p, []byte("unit_id,name,kind,category\nZ1,市新设机构,department,试点类\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ImportFile(ctx, p, analytics.ImportOptions{Actor: "test", Kind: "units"}); err != nil {
		t.Fatal(err)
	}
	const round = "2019-B6"
	if _, err := ts.store.ReopenRound(ctx, round, "新设机构", testNow.Add(time.Hour), "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.CloseRound(ctx, round, "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ScoreRound(ctx, round, scheme.Default(), "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.Publish(ctx, round, analytics.PublishOptions{Reason: "样本数据"}, "test", testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	if u := dtPublished(t, ts, round, "Z1"); u.Score != nil {
		t.Fatalf("Z1 has a score %v: the test needs a unit without data", *u.Score)
	}
	b := leaderBrowser(t, ts)
	var drawn []int
	count := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		n, err := chromedp.Evaluate[[]int](`[document.querySelectorAll('.chart').length, document.querySelectorAll('.chart svg').length,
			document.querySelectorAll('.chart-empty').length]`)(ctx, tg)
		drawn = n
		return err
	})
	b.do("leader opens Z1", chromedp.Navigate(ts.URL+"/units/Z1?round="+round), chromedp.WaitVisible(chromedp.CSS(`main h1`)),
		chartsReady, count, b.shot("leader-unit-z1.png"))
	// The score trend and the parts' radar: each drawn or saying 暂无数据.
	if len(drawn) != 3 || drawn[0] != drawn[1] || drawn[0]+drawn[2] < 2 {
		t.Errorf("Z1: charts, SVGs and empty notices %v: every chart must be drawn or say 暂无数据", drawn)
	}
}
