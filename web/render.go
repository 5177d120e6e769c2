package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/reports"
	"github.com/xiaoneng/xiaoneng/web/static"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/*
var assetFS embed.FS

// pages holds every page template, parsed once at start-up: each page file
// defines "content" and is executed inside layout.html.
type pages struct {
	layout *template.Template
	byName map[string]*template.Template
}

// Chart is one chart of a page: a div with a fixed, unique ID and the ECharts
// option (data only) that static/charts.js draws into it.
type Chart struct {
	ID     string
	Height int // pixels; 320 when 0
	Option map[string]any
	// Empty, when set, is shown instead of the chart (its title and
	// 暂无数据): ECharts fails on some charts without data, e.g. a radar
	// without indicators.
	Empty string
}

var funcs = template.FuncMap{
	"chart":    chartHTML,
	"f2":       func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"pct":      func(v float64) string { return fmt.Sprintf("%.2f%%", v*100) },
	"opt2":     reports.OptF2,
	"optPct":   reports.OptPct,
	"optInt":   reports.OptInt,
	"optStr":   reports.OptStr,
	"change":   change,
	"inc":      func(i int) int { return i + 1 },
	"join":     strings.Join,
	"roleName": roleName,
	"date":     func(t time.Time) string { return fmtTime(t, "2006-01-02") },
	"datetime": func(t time.Time) string { return fmtTime(t, "2006-01-02 15:04") },
	"json":     jsonText,
	// pathEscape makes an id one path segment of a link (/units/{id}).
	"pathEscape": url.PathEscape,
}

func fmtTime(t time.Time, layout string) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format(layout)
}

func parsePages() (*pages, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{layout: layout, byName: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("web: template %s defines no \"content\"", n)
		}
		p.byName[base] = t
	}
	return p, nil
}

type navItem struct {
	Href, Label string
	Active      bool
}

// pageData is what every page template receives: the page's own values in
// Body, the account, the CSRF token for forms and the navigation.
type pageData struct {
	Title   string
	User    *analytics.User
	CSRF    string
	Nav     []navItem
	Body    any
	Content template.HTML // the rendered page, for the layout
	Charts  bool          // the page has charts: load ECharts
	Now     time.Time
}

func navFor(u *analytics.User, current string) []navItem {
	if u == nil {
		return nil
	}
	var items []navItem
	switch u.Role {
	case analytics.RoleEvaluator:
		items = []navItem{{Href: "/portal", Label: "我的评议"}}
	case analytics.RoleLeader, analytics.RoleAdmin:
		items = []navItem{
			{Href: "/dashboard", Label: "效能排名"},
			{Href: "/counties", Label: "重点项目"},
			{Href: "/alerts", Label: "预警"},
			{Href: "/tasks", Label: "督办台账"},
			{Href: "/targets", Label: "目标任务"},
			{Href: "/annual", Label: "年度综合"},
			{Href: "/whatif", Label: "权重模拟"},
			{Href: "/reports", Label: "报告"},
			{Href: "/screen", Label: "大屏"},
		}
		if u.Role == analytics.RoleAdmin {
			items = append(items,
				navItem{Href: "/admin/rounds", Label: "轮次管理"},
				navItem{Href: "/admin/imports", Label: "数据导入"},
				navItem{Href: "/admin/task-deductions", Label: "督办扣分"},
				navItem{Href: "/admin/users", Label: "账户"},
				navItem{Href: "/admin/audit", Label: "审计日志"},
				navItem{Href: "/admin/backup", Label: "数据备份"})
		}
	}
	for i := range items {
		items[i].Active = current == items[i].Href || strings.HasPrefix(current, items[i].Href+"/")
	}
	return items
}

// render executes page name inside the layout into a buffer and writes it
// (nothing is written when a template fails).
func (s *Server) render(c echo.Context, status int, name, title string, body any) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	csrf, _ := c.Get(ctxCSRF).(string)
	u := currentUser(c)
	d := pageData{Title: title, User: u, CSRF: csrf, Nav: navFor(u, c.Request().URL.Path), Body: body, Now: s.now()}
	var inner bytes.Buffer
	if err := t.ExecuteTemplate(&inner, "content", d); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	return s.writePage(c, status, d, inner.String())
}

// renderedContent is a page's content cached by renderCached.
type renderedContent struct{ html string }

// renderCached is render for pages whose content depends only on key (never
// on the account, the CSRF token or the clock): the content is rendered once
// per key and kept until the next write invalidates the cache, so a busy
// dashboard costs only the layout per request. build is called on a miss.
func (s *Server) renderCached(c echo.Context, status int, name, title, key string, build func() (any, error)) error {
	v, err := s.cached("page|"+name+"|"+key, func() (any, error) {
		t, ok := s.pages.byName[name]
		if !ok {
			return nil, fmt.Errorf("web: no page template %q", name)
		}
		body, err := build()
		if err != nil {
			return nil, err
		}
		var inner bytes.Buffer
		if err := t.ExecuteTemplate(&inner, "content", pageData{Title: title, Body: body}); err != nil {
			return nil, fmt.Errorf("web: render %s: %w", name, err)
		}
		return renderedContent{inner.String()}, nil
	})
	if err != nil {
		return err
	}
	csrf, _ := c.Get(ctxCSRF).(string)
	u := currentUser(c)
	d := pageData{Title: title, User: u, CSRF: csrf, Nav: navFor(u, c.Request().URL.Path), Now: s.now()}
	return s.writePage(c, status, d, v.(renderedContent).html)
}

// writePage renders the layout around a page's content into a buffer and writes it.
func (s *Server) writePage(c echo.Context, status int, d pageData, content string) error {
	d.Content = template.HTML(content)
	d.Charts = strings.Contains(content, "data-chart=")
	var buf bytes.Buffer
	if err := s.pages.layout.Execute(&buf, d); err != nil {
		return fmt.Errorf("web: render layout: %w", err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// chartHTML writes a chart's div and its option as JSON. json.Marshal
// escapes <, > and & as \u003c, \u003e and \u0026, so a name such as
// "</script>" in the data stays inert text inside the script element. The
// height travels as a data attribute (the CSP allows no inline style).
func chartHTML(c Chart) (template.HTML, error) {
	if c.Empty != "" {
		return template.HTML(`<p class="chart-empty muted" id="` + template.HTMLEscapeString(c.ID) + `">` +
			template.HTMLEscapeString(c.Empty) + `</p>`), nil
	}
	b, err := json.Marshal(c.Option)
	if err != nil {
		return "", fmt.Errorf("web: chart %s: %w", c.ID, err)
	}
	h := c.Height
	if h <= 0 {
		h = 320
	}
	id := template.HTMLEscapeString(c.ID)
	return template.HTML(fmt.Sprintf(`<div class="chart" id="%s" data-height="%d" role="img"></div>`+
		`<script type="application/json" data-chart="%s">%s</script>`, id, h, id, b)), nil
}

// jsonText is a value as JSON for a data attribute or a JSON script element.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// change words a rank change: ↑3 for three places up, ↓2, — for none or no
// previous rank.
func change(prev, now *int) string {
	if prev == nil || now == nil {
		return "—"
	}
	d := *prev - *now
	switch {
	case d > 0:
		return fmt.Sprintf("↑%d", d)
	case d < 0:
		return fmt.Sprintf("↓%d", -d)
	}
	return "—"
}

func roleName(r string) string {
	switch r {
	case analytics.RoleAdmin:
		return "效能办"
	case analytics.RoleLeader:
		return "领导"
	case analytics.RoleEvaluator:
		return "评议人"
	}
	return r
}

// round2 rounds half away from zero to 2 decimals.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

type errorPage struct {
	Status  int
	Message string
}

// errorHandler answers errors in JSON on the API and as a Chinese page
// elsewhere; internal errors are logged and shown without detail.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	msg := "服务器内部错误"
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		switch m := he.Message.(type) {
		case string:
			msg = m
		default:
			msg = http.StatusText(status)
		}
		switch status {
		case http.StatusNotFound:
			if msg == "Not Found" {
				msg = "页面不存在"
			}
		case http.StatusMethodNotAllowed:
			msg = "不支持的请求方法"
		case http.StatusRequestEntityTooLarge:
			msg = "上传内容过大"
		case http.StatusServiceUnavailable:
			msg = "请求超时,请稍后重试"
		case http.StatusTooManyRequests:
			if msg == "rate limit exceeded" || msg == "Too Many Requests" {
				msg = "请求过于频繁,请稍后再试"
			}
		}
	} else {
		c.Logger().Error(err)
		if st, m, ok := resourceError(err); ok {
			status, msg = st, m
		}
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if isAPI(c) {
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	if rerr := s.render(c, status, "error", "出错了", errorPage{Status: status, Message: msg}); rerr != nil {
		_ = c.String(status, msg)
	}
}

// resourceError words an error for which the database ran out of disk,
// temporary space or memory (analytics.ResourceShortage): the operation's
// transaction was rolled back, so the message says nothing was written.
func resourceError(err error) (int, string, bool) {
	switch analytics.ResourceShortage(err) {
	case analytics.ResourceDisk:
		return http.StatusInsufficientStorage, "磁盘空间已满,操作未完成,未写入任何数据(已有数据不变);请清理数据库所在磁盘(含其 .tmp 文件夹)后重试", true
	case analytics.ResourceTemp:
		return http.StatusInsufficientStorage, "临时文件夹已满,操作未完成,未写入任何数据(已有数据不变);请清理数据库所在磁盘(含其 .tmp 文件夹)后重试", true
	case analytics.ResourceMemory:
		return http.StatusServiceUnavailable, "内存不足,操作未完成,未写入任何数据(已有数据不变);请稍后重试,或请管理员调高内存上限", true
	}
	return 0, "", false
}

// favicon answers the browsers' /favicon.ico request with the site's icon.
func (s *Server) favicon(c echo.Context) error {
	b, err := assetFS.ReadFile("assets/favicon.svg")
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/svg+xml", b)
}

// asset serves the embedded static files: ECharts, the chart initialiser,
// the style sheet and the page script.
func (s *Server) asset(c echo.Context) error {
	name := c.Param("name")
	var b []byte
	var ctype string
	switch name {
	case "echarts.min.js":
		b, ctype = static.EChartsJS(), "text/javascript; charset=utf-8"
	case "charts.js":
		b, ctype = static.ChartsJS(), "text/javascript; charset=utf-8"
	default:
		data, err := assetFS.ReadFile("assets/" + name)
		if err != nil || strings.Contains(name, "/") {
			return echo.NewHTTPError(http.StatusNotFound, "页面不存在")
		}
		b = data
		switch path.Ext(name) {
		case ".css":
			ctype = "text/css; charset=utf-8"
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case ".svg":
			ctype = "image/svg+xml"
		default:
			ctype = http.DetectContentType(b)
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=3600")
	return c.Blob(http.StatusOK, ctype, b)
}
