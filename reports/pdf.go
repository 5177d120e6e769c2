package reports

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ErrNoChromium is returned (wrapped) when no Chromium executable can be
// found. Its message is one line telling the operator how to install it, so
// the command line can print it as it is.
var ErrNoChromium = errors.New("未找到 Chromium，PDF 未生成（HTML 已写出）: install it with " +
	"`apt-get install chromium fonts-noto-cjk` or set XIAONENG_CHROMIUM to its path")

// DefaultPDFTimeout bounds the printing of one document (load, charts,
// print) when PDFOptions.Timeout is zero.
const DefaultPDFTimeout = 60 * time.Second

// startTimeout bounds the start of the browser.
const startTimeout = 60 * time.Second

// A4 with the margins of report.css (@page { margin: 22mm 16mm 20mm }), in
// inches as the DevTools protocol wants them.
const (
	mmPerInch    = 25.4
	marginTopMM  = 22
	marginBotMM  = 20
	marginSideMM = 16
	// printableWidthPx is the A4 width minus both side margins in CSS pixels
	// (178mm = 672.8px). The viewport gets this width before the page loads,
	// so charts, which take their size once at init, fit the printed page.
	printableWidthPx  = 673
	printableHeightPx = 964 // 297 - 22 - 20 = 255mm
)

// PDFOptions configures printing.
type PDFOptions struct {
	// Title is printed small in the header of every page (PDF only; a
	// Printer takes the title per document). Empty: the HTML <title>.
	Title string
	// ChromiumPath is the browser executable. Empty: $XIAONENG_CHROMIUM,
	// else the first of chromium, chromium-browser, google-chrome,
	// chromium-headless-shell on PATH.
	ChromiumPath string
	// Timeout bounds each document; zero means DefaultPDFTimeout.
	Timeout time.Duration
}

// Printer prints HTML documents to PDF with one headless Chromium, each
// document in its own tab. Start the browser once per batch (a month's ~40
// bulletins) rather than once per document. PDF is safe for concurrent use.
type Printer struct {
	timeout     time.Duration
	browserCtx  context.Context
	cancelAlloc context.CancelFunc
	cancelBrows context.CancelFunc
	closeOnce   sync.Once
}

// PDF prints one self-contained HTML document to PDF with a browser started
// and stopped for this call. Use a Printer to print many.
func PDF(ctx context.Context, doc []byte, o PDFOptions) ([]byte, error) {
	p, err := NewPrinter(ctx, o)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.PDF(ctx, doc, o.Title)
}

// FindChromium returns the browser executable that PDFOptions select, or an
// error wrapping ErrNoChromium.
func FindChromium(o PDFOptions) (string, error) {
	if o.ChromiumPath != "" {
		return lookChromium(o.ChromiumPath)
	}
	if env := os.Getenv("XIAONENG_CHROMIUM"); env != "" {
		return lookChromium(env)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chromium-headless-shell"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("reports: %w", ErrNoChromium)
}

// lookChromium checks a configured executable: a configured path that is
// missing is an error, not a reason to silently run another browser.
func lookChromium(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("reports: %w (not found: %s)", ErrNoChromium, name)
	}
	return path, nil
}

// browserFlags are the switches of the headless browser. No network is ever
// needed (documents are self-contained and loaded from a file), so every
// background service is off and host names resolve to nothing, which makes
// a stray URL fail at once instead of waiting for DNS on an intranet.
func browserFlags(path string) []chromedp.ExecAllocatorOption {
	flags := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path)}
	for _, name := range []string{
		"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
		"disable-background-networking", "disable-component-update", "disable-sync",
		"no-default-browser-check", "disable-extensions", "disable-default-apps",
		"disable-dev-shm-usage", "disable-breakpad", "hide-scrollbars", "mute-audio",
		"disable-background-timer-throttling", "disable-renderer-backgrounding",
		"disable-backgrounding-occluded-windows",
	} {
		flags = append(flags, chromedp.Flag(name, true))
	}
	return append(flags,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("font-render-hinting", "none"),
		// chromedp gives the browser a fresh temporary --user-data-dir and
		// removes it when the browser has exited (Close waits for that).
	)
}

// NewPrinter starts a headless Chromium. The browser lives until Close or
// until ctx ends.
func NewPrinter(ctx context.Context, o PDFOptions) (*Printer, error) {
	path, err := FindChromium(o)
	if err != nil {
		return nil, err
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultPDFTimeout
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, browserFlags(path)...)
	browserCtx, cancelBrows := chromedp.NewContext(allocCtx)
	p := &Printer{timeout: timeout, browserCtx: browserCtx, cancelAlloc: cancelAlloc, cancelBrows: cancelBrows}
	// The first Run binds the browser's life to its context, so it gets no
	// deadline; a timer stops a browser that does not come up.
	stuck := time.AfterFunc(startTimeout, cancelBrows)
	err = chromedp.Do(browserCtx)
	if !stuck.Stop() {
		err = fmt.Errorf("browser did not start within %s", startTimeout)
	}
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("reports: start %s: %w", path, err)
	}
	return p, nil
}

// Close stops the browser, waits for it to exit and removes its profile.
func (p *Printer) Close() {
	p.closeOnce.Do(func() {
		p.cancelBrows()
		p.cancelAlloc() // waits for the process and removes --user-data-dir
	})
}

// PDF prints one self-contained HTML document in a new tab: A4 at the
// margins of report.css, backgrounds on, the title in the header and
// "第 N 页 共 M 页" in the footer. It waits for window.__chartsReady (set by
// charts.js when every chart has drawn) before printing.
func (p *Printer) PDF(ctx context.Context, doc []byte, title string) ([]byte, error) {
	file, err := writeTemp(doc)
	if err != nil {
		return nil, err
	}
	defer os.Remove(file)

	tabCtx, closeTab := chromedp.NewContext(p.browserCtx)
	defer closeTab()
	// The tab hangs off the browser's context; the caller's ctx and the
	// per-document timeout end it too.
	tctx, cancel := context.WithTimeout(tabCtx, p.timeout)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()

	name := title
	if name == "" {
		name = file
	}
	if err := chromedp.Do(tctx, loadForPrint(file)...); err != nil {
		return nil, fmt.Errorf("reports: pdf %q: load: %w", name, err)
	}
	_, err = chromedp.Run(tctx, chromedp.Poll[bool](`window.__chartsReady === true`,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0)))
	if err != nil {
		return nil, fmt.Errorf("reports: pdf %q: charts not ready (window.__chartsReady) within %s: %w", name, p.timeout, err)
	}
	buf, err := chromedp.Run(tctx, chromedp.PrintToPDF(pdfParams(title)...))
	if err != nil {
		return nil, fmt.Errorf("reports: pdf %q: print: %w", name, err)
	}
	return buf, nil
}

// PDFAll prints documents with up to workers tabs at a time (zero: one per
// CPU, at most 4) and returns the PDFs in the order of docs. Printing is
// CPU-bound in the browser (about a second per document and CJK font face,
// as Chromium embeds the faces anew for each document), so a month's ~40
// bulletins are printed in parallel. It stops at the first error, which
// names the document.
func (p *Printer) PDFAll(ctx context.Context, docs []Document, workers int) ([][]byte, error) {
	if workers <= 0 {
		workers = min(runtime.NumCPU(), 4)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	out := make([][]byte, len(docs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(docs)) {
		wg.Go(func() {
			for i := range next {
				pdf, err := p.PDF(ctx, docs[i].HTML, docs[i].Title)
				if err != nil {
					cancel(fmt.Errorf("%s: %w", docs[i].Name, err))
					continue
				}
				out[i] = pdf
			}
		})
	}
feed:
	for i := range docs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// loadForPrint sizes the viewport to the printable width and switches to
// print media before navigating, so the layout that charts measure at init
// is the printed one.
func loadForPrint(file string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(printableWidthPx, printableHeightPx, chromedp.EmulatePortrait),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
		chromedp.Navigate((&url.URL{Scheme: "file", Path: file}).String()),
	}
}

// Header and footer templates, set in the fonts of the report (the
// templates inherit nothing from the page and default to a zero font size).
const (
	hfStyle = `width:100%;box-sizing:border-box;padding:0 16mm;text-align:center;` +
		`font-size:8pt;font-family:'Noto Sans CJK SC',sans-serif;color:#555;`
	pdfFooter = `<div style="` + hfStyle + `">第 <span class="pageNumber"></span> 页 共 <span class="totalPages"></span> 页</div>`
)

// pdfHeader is the header template: the title, HTML-escaped, or the
// document's <title> when empty.
func pdfHeader(title string) string {
	head := `<span class="title"></span>`
	if title != "" {
		head = html.EscapeString(title)
	}
	return `<div style="` + hfStyle + `">` + head + `</div>`
}

// pdfParams are the print settings: A4 at the @page margins of report.css,
// backgrounds on, header and footer.
func pdfParams(title string) []chromedp.PDFOption {
	in := func(mm float64) float64 { return mm / mmPerInch }
	return []chromedp.PDFOption{
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFMargins(in(marginTopMM), in(marginSideMM), in(marginBotMM), in(marginSideMM)),
		chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate(pdfHeader(title)),
		chromedp.PDFFooterTemplate(pdfFooter),
	}
}

// writeTemp writes the document to a temporary file for the browser to
// open: a file:// load is an ordinary navigation with a load event, and
// avoids sending a megabyte of inlined ECharts through the protocol.
func writeTemp(doc []byte) (string, error) {
	f, err := os.CreateTemp("", "xiaoneng-print-*.html")
	if err != nil {
		return "", fmt.Errorf("reports: pdf: %w", err)
	}
	_, err = f.Write(doc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("reports: pdf: %w", err)
	}
	return f.Name(), nil
}
