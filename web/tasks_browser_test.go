package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
)

// TestTargetsPageBrowser opens the 目标任务 page in headless Chromium as a
// leader: every target's chart must be drawn (an SVG in each chart element,
// five for the sample city), and the 督办台账 and a task page must load, with
// no script error and no CSP refusal on any of them. Screenshots go to
// testout/browser.
func TestTargetsPageBrowser(t *testing.T) {
	chromium := chromiumOrSkip(t)
	ts := newTestServer(t)
	// Mid-year, when some targets are on course and some are not.
	ts.setNow(time.Date(2019, 6, 30, 18, 0, 0, 0, time.Local))
	b := startBrowser(t, chromium, nil)
	do, shot := b.do, b.shot
	var drawn []int
	count := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Poll[bool](`window.__chartsReady === true`, chromedp.WithPollingTimeout(30*time.Second))(ctx, tg); err != nil {
			return fmt.Errorf("charts not ready: %w", err)
		}
		n, err := chromedp.Evaluate[[]int](`[document.querySelectorAll('.target-card .chart').length,
			document.querySelectorAll('.target-card .chart svg').length,
			document.querySelectorAll('.target-card .chart svg path').length]`)(ctx, tg)
		drawn = n
		return err
	})
	do("enable the log", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
		return err
	}))
	do("leader logs in",
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), leaderUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)))
	do("leader opens the targets",
		chromedp.Navigate(ts.URL+"/targets"),
		chromedp.WaitVisible(chromedp.CSS(`.target-card`)),
		count,
		shot("leader-targets.png"))
	// Five targets, five charts, each an SVG with lines drawn in it.
	if len(drawn) != 3 || drawn[0] != 5 || drawn[1] != 5 || drawn[2] < 5*3 {
		t.Errorf("target charts, SVGs and paths drawn: %v, want 5, 5 and at least 15", drawn)
	}
	do("leader opens the ledger on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(ts.URL+"/tasks?status=overdue"),
		chromedp.WaitVisible(chromedp.CSS(`.task-table`)),
		shot("leader-tasks-phone.png"))
	do("leader opens a task",
		chromedp.Navigate(ts.URL+"/tasks/DB2019-008"),
		chromedp.WaitVisible(chromedp.CSS(`.task-history`)),
		shot("leader-task-phone.png"))
}
