package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/xiaoneng/xiaoneng/reports"
)

// screenshotDir is where the browser test leaves its screenshots
// (gitignored); look at them after a change to the pages.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("XIAONENG_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testout", "browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browserProblems collects what a person would see go wrong in the browser:
// script exceptions and Content-Security-Policy refusals.
type browserProblems struct {
	mu   sync.Mutex
	list []string
}

func (b *browserProblems) add(s string) {
	b.mu.Lock()
	b.list = append(b.list, s)
	b.mu.Unlock()
}

func (b *browserProblems) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.list
	b.list = nil
	return out
}

// chromiumOrSkip finds Chromium: required in CI, a skip elsewhere.
func chromiumOrSkip(t *testing.T) string {
	t.Helper()
	chromium, err := reports.FindChromium(reports.PDFOptions{})
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is required in CI: %v", err)
		}
		t.Skipf("no Chromium here (%v); .ci/run installs it", err)
	}
	return chromium
}

// browser is headless Chromium driven by one test (1280×900 until a step
// emulates another screen), with what went wrong in it and where its
// screenshots go.
type browser struct {
	t        *testing.T
	ctx      context.Context
	dir      string
	problems browserProblems
}

// startBrowser starts Chromium for the test, which stops it at its end. It
// collects script exceptions and CSP refusals; onEvent, when set, sees every
// event as well.
func startBrowser(t *testing.T, chromium string, onEvent func(bctx context.Context, ev any)) *browser {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("font-render-hinting", "none"), chromedp.WindowSize(1280, 900))
	t.Cleanup(cancelAlloc)
	// The browser lives as long as the context of its first run: no timeout
	// on that one; each step gets its own.
	bctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel) // runs before cancelAlloc
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b := &browser{t: t, ctx: bctx, dir: screenshotDir(t)}
	if err := chromedp.Listen(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.problems.add("exception: " + ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				b.problems.add(fmt.Sprintf("console %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		}
		if onEvent != nil {
			onEvent(bctx, ev)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

// do runs one step (a minute at most) and fails the test on its error or on
// any script error or CSP refusal since the step before.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	sctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
	for _, p := range b.problems.take() {
		b.t.Errorf("%s: %s", step, p)
	}
}

// shot saves a full-page screenshot under the screenshot folder.
func (b *browser) shot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		p := filepath.Join(b.dir, name)
		b.t.Logf("screenshot %s", p)
		return os.WriteFile(p, png, 0o644)
	})
}

// TestBrowserEvaluatorScoresAndLeaderReadsCharts drives headless Chromium as
// people would: an evaluator logs in on a phone-sized screen, types scores,
// saves, submits (accepting the confirmation) and sees the sheet read-only;
// a leader then opens the published ranking and a unit page, whose charts
// must all be drawn (an SVG in every chart element). No script error and no
// CSP refusal may occur on any page. Screenshots go to testout/browser.
func TestBrowserEvaluatorScoresAndLeaderReadsCharts(t *testing.T) {
	chromium := chromiumOrSkip(t)
	ts := newTestServer(t)
	ctx := t.Context()
	const round = "2020-B1"
	if _, err := ts.store.CreateRound(ctx, round, "test", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.OpenRound(ctx, round, testNow.Add(7*24*time.Hour), "test", testNow); err != nil {
		t.Fatal(err)
	}
	ts.invalidate()
	sheet, err := ts.store.EvaluatorSheet(ctx, round, ts.fx.evaluatorID, testNow)
	if err != nil {
		t.Fatal(err)
	}
	b := startBrowser(t, chromium, func(bctx context.Context, ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			// The confirmation before submitting: a person clicks 确定.
			go chromedp.Call(bctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	bctx, do, shot := b.ctx, b.do, b.shot
	text := func(sel string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, time.Minute)
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	login := func(user string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Navigate(ts.URL+"/login"),
			chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), user),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`.who`)),
		)
	}
	eval := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[any](expr)(ctx, tg)
			return err
		})
	}
	call := func(f func(ctx context.Context) error) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error { return f(ctx) })
	}

	// The evaluator, on a phone.
	do("enable the log", call(func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
		return err
	}))
	do("evaluator logs in", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), login(evalUser))
	do("evaluator opens the sheet",
		chromedp.Navigate(ts.URL+"/portal/"+round),
		chromedp.WaitVisible(chromedp.CSS(`#portal-form`)),
		// The first score typed as a person types it; it updates the count.
		chromedp.SendKeys(chromedp.CSS(`#portal-form .portal-score-input`), "88"),
		shot("evaluator-sheet-phone.png"))
	if got, want := text(`#portal-count`), fmt.Sprintf("已完成 1 / %d", sheet.Total); got != want {
		t.Errorf("progress after one score = %q, want %q", got, want)
	}
	// The rest filled in (a low score needs its comment), saved as a draft.
	do("evaluator saves a draft",
		eval(`(function(){
			var inputs = document.querySelectorAll('#portal-form .portal-score-input');
			for (var i = 1; i < inputs.length; i++) { inputs[i].value = String(70 + i % 25); }
			inputs[inputs.length-1].value = "55";
			var c = document.querySelectorAll('#portal-form .portal-comment-input');
			c[c.length-1].value = "办事效率有待提高";
			document.getElementById('portal-form').dispatchEvent(new Event('input'));
			return inputs.length;
		})()`),
		chromedp.Click(chromedp.CSS(`#portal-form .portal-save`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)))
	if got, want := text(`#portal-count`), fmt.Sprintf("已完成 %d / %d", sheet.Total, sheet.Total); got != want {
		t.Errorf("progress after saving = %q, want %q", got, want)
	}
	do("evaluator submits",
		chromedp.Click(chromedp.CSS(`#portal-form .portal-submit`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#portal-form`)),
		chromedp.WaitVisible(chromedp.CSS(`.portal-score-ro`)),
		shot("evaluator-submitted-phone.png"))
	after, err := ts.store.EvaluatorSheet(ctx, round, ts.fx.evaluatorID, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if after.SubmittedAt.IsZero() || after.Done != after.Total {
		t.Fatalf("after the browser submitted: submitted %v, %d of %d", after.SubmittedAt, after.Done, after.Total)
	}
	var stored int
	if err := ts.store.DB().QueryRow(`SELECT count(*) FROM peer_scores WHERE round = ? AND evaluator_id = ?`, round, ts.fx.evaluatorID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != sheet.Total {
		t.Fatalf("peer_scores holds %d scores of the evaluator, want %d", stored, sheet.Total)
	}

	// The leader, on a desktop.
	chartsDrawn := func(step string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Poll[bool](`window.__chartsReady === true`, chromedp.WithPollingTimeout(30*time.Second))(ctx, tg); err != nil {
				return fmt.Errorf("charts not ready: %w", err)
			}
			n, err := chromedp.Evaluate[[]int](`[document.querySelectorAll('.chart').length, document.querySelectorAll('.chart svg').length]`)(ctx, tg)
			if err != nil {
				return err
			}
			if len(n) != 2 || n[0] == 0 || n[1] < n[0] {
				t.Errorf("%s: charts and SVGs drawn %v", step, n)
			}
			return nil
		})
	}
	do("evaluator logs out", chromedp.Click(chromedp.CSS(`.who button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	do("leader opens the ranking",
		chromedp.EmulateViewport(1280, 900),
		login(leaderUser),
		chromedp.Navigate(ts.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`.dash-table`)),
		chartsDrawn("dashboard"),
		shot("leader-dashboard.png"))
	if h := text(`main h1`); !strings.Contains(h, "2019-B6") {
		t.Errorf("dashboard heading %q: want the newest published round 2019-B6", h)
	}
	do("leader opens a unit page",
		chromedp.Navigate(ts.URL+"/units/"+ts.fx.hostileUnit+"?round=2019-B6"),
		chromedp.WaitVisible(chromedp.CSS(`.chart`)),
		chartsDrawn("unit page"),
		shot("leader-unit.png"))
	// The hostile name is on the page as text.
	if main := text(`main`); !strings.Contains(main, hostile) {
		t.Errorf("unit page: the hostile name is not shown as text")
	}
	do("leader opens the screen",
		chromedp.Navigate(ts.URL+"/screen"),
		chartsDrawn("screen"),
		shot("leader-screen.png"))
}
