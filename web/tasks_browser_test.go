package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/xiaoneng/xiaoneng/reports"
)

// TestTargetsPageBrowser opens the 目标任务 page in headless Chromium as a
// leader: every target's chart must be drawn (an SVG in each chart element,
// five for the sample city), and the 督办台账 and a task page must load, with
// no script error and no CSP refusal on any of them. Screenshots go to
// testout/browser.
func TestTargetsPageBrowser(t *testing.T) {
	chromium, err := reports.FindChromium(reports.PDFOptions{})
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is required in CI: %v", err)
		}
		t.Skipf("no Chromium here (%v); .ci/run installs it", err)
	}
	ts := newTestServer(t)
	// Mid-year, when some targets are on course and some are not.
	ts.setNow(time.Date(2019, 6, 30, 18, 0, 0, 0, time.Local))
	dir := screenshotDir(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("font-render-hinting", "none"), chromedp.WindowSize(1280, 900))
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	var problems browserProblems
	if err := chromedp.Listen(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems.add("exception: " + ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				problems.add(fmt.Sprintf("console %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, time.Minute)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for _, p := range problems.take() {
			t.Errorf("%s: %s", step, p)
		}
	}
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			p := filepath.Join(dir, name)
			t.Logf("screenshot %s", p)
			return os.WriteFile(p, png, 0o644)
		})
	}
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
