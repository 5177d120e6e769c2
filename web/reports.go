package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/reports"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// rptListMax is how many of the newest generated files the page lists.
const rptListMax = 200

// Report kinds of the form.
const (
	rptRound   = "round"
	rptMonth   = "month"
	rptAll     = "all"
	rptQuarter = "quarter"
	rptYear    = "year"
	rptUnit    = "unit"
)

var rptKinds = []rptOption{
	{rptRound, "双月效能评议通报"},
	{rptMonth, "月度重点项目建设进展通报"},
	{rptAll, "整月全部报告(月度通报,月末为季末时的季度通报,双月末的评议通报和全部单位画像,12 月的年度综合评议)"},
	{rptQuarter, "季度重点项目建设通报(含约谈名单)"},
	{rptYear, "年度机关效能综合评议通报"},
	{rptUnit, "单位效能画像(一个单位、一个轮次)"},
}

type rptOption struct{ Value, Label string }

// rptBody is what reports.html shows.
type rptBody struct {
	Kinds                []rptOption
	Rounds               []string // rounds the account may report on, newest first
	Units                []rptOption
	Kind, Round, Unit    string
	Month, Quarter, Year string
	Chromium             bool   // PDF can be printed
	NoChromium           string // one line on installing it
	PDF                  bool   // the PDF box is ticked
	Files                []rptFile
	More                 int // generated files not listed
	Message, Note, Error string
}

// rptFile is one generated file as listed.
type rptFile struct {
	Name, Label, Size string
	Modified          time.Time
	Fresh             bool // made by the request just answered
}

// reportDir is where the 报告 page writes: cfg.ReportDir, else a reports
// folder beside the database.
func (s *Server) reportDir() string {
	if s.cfg.ReportDir != "" {
		return s.cfg.ReportDir
	}
	return filepath.Join(filepath.Dir(s.store.Path()), "reports")
}

// reportsPage shows the form and the generated files.
func (s *Server) reportsPage(c echo.Context) error {
	b, err := s.rptForm(c)
	if err != nil {
		return err
	}
	return s.rptRender(c, http.StatusOK, b, nil)
}

// rptForm fills the form's choices and defaults: the newest round the
// account may see, its last month, quarter and year.
func (s *Server) rptForm(c echo.Context) (rptBody, error) {
	ctx := c.Request().Context()
	b := rptBody{Kinds: rptKinds, Kind: rptRound}
	all, err := s.rounds(ctx)
	if err != nil {
		return b, err
	}
	leader := currentUser(c).Role != analytics.RoleAdmin
	for _, r := range slices.Backward(all) {
		if r.LatestVersion > 0 && (!leader || r.PublishedVersion == r.LatestVersion) {
			b.Rounds = append(b.Rounds, r.Round)
		}
	}
	if rk, err := s.latestPublished(ctx); err == nil {
		for _, u := range rk.Units {
			b.Units = append(b.Units, rptOption{u.UnitID, u.UnitID + " " + u.Name})
		}
	} else if !errors.Is(err, analytics.ErrNotPublished) {
		return b, err
	}
	if len(b.Rounds) > 0 {
		b.Round = b.Rounds[0]
		if p, err := analytics.ParseRound(b.Round); err == nil {
			b.Month = p.End.Format("2006-01")
			b.Quarter = fmt.Sprintf("%d-Q%d", p.End.Year(), (int(p.End.Month())-1)/3+1)
			b.Year = strconv.Itoa(p.End.Year())
		}
	} else {
		last := s.now().AddDate(0, -1, 0)
		b.Month, b.Year = last.Format("2006-01"), strconv.Itoa(last.Year())
		b.Quarter = fmt.Sprintf("%d-Q%d", last.Year(), (int(last.Month())-1)/3+1)
	}
	if len(b.Units) > 0 {
		b.Unit = b.Units[0].Value
	}
	_, err = reports.FindChromium(reports.PDFOptions{})
	b.Chromium = err == nil
	b.PDF = b.Chromium
	if !b.Chromium {
		b.NoChromium = rptNoChromium
	}
	return b, nil
}

// rptNoChromium is the one line on installing Chromium for PDFs.
const rptNoChromium = "服务器上未找到 Chromium,只生成 HTML(可在浏览器中打印)。如需 PDF,请安装:apt-get install chromium fonts-noto-cjk,或设置环境变量 XIAONENG_CHROMIUM 为其路径。"

func (s *Server) rptRender(c echo.Context, status int, b rptBody, fresh []string) error {
	files, more, err := s.rptList(fresh, rptUnitNames(b.Units), currentUser(c).Role == analytics.RoleAdmin)
	if err != nil {
		return err
	}
	b.Files, b.More = files, more
	return s.render(c, status, "reports", "报告", b)
}

// rptRequest is a validated generation request.
type rptRequest struct {
	kind, round, unit, month, quarter string
	year                              int
	pdf                               bool
}

var (
	rptMonthRE   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
	rptQuarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
)

// rptParse validates the form for the chosen kind; the message is for people.
func rptParse(c echo.Context) (rptRequest, string) {
	r := rptRequest{kind: c.FormValue("kind"), round: strings.TrimSpace(c.FormValue("round")), unit: strings.TrimSpace(c.FormValue("unit")),
		month: strings.TrimSpace(c.FormValue("month")), quarter: strings.ToUpper(strings.TrimSpace(c.FormValue("quarter"))),
		pdf: c.FormValue("pdf") != ""}
	switch r.kind {
	case rptRound, rptUnit:
		if _, err := analytics.ParseRound(r.round); err != nil {
			return r, "请选择轮次(如 2019-B3)"
		}
		if r.kind == rptUnit && r.unit == "" {
			return r, "请选择单位"
		}
	case rptMonth, rptAll:
		if !rptMonthRE.MatchString(r.month) {
			return r, "请填写月份(如 2019-06)"
		}
	case rptQuarter:
		if !rptQuarterRE.MatchString(r.quarter) {
			return r, "请填写季度(如 2019-Q2)"
		}
	case rptYear:
		y, err := strconv.Atoi(strings.TrimSpace(c.FormValue("year")))
		if err != nil || y < 2000 || y > 2100 {
			return r, "请填写年份(如 2019)"
		}
		r.year = y
	default:
		return r, "请选择报告类型"
	}
	return r, ""
}

// rounds lists the rounds whose results the report shows.
func (r rptRequest) rounds() []string {
	year := func(y int) []string {
		var out []string
		for k := 1; k <= 6; k++ {
			out = append(out, fmt.Sprintf("%d-B%d", y, k))
		}
		return out
	}
	switch r.kind {
	case rptRound, rptUnit:
		return []string{r.round}
	case rptYear:
		return year(r.year)
	case rptAll:
		m := rptMonthRE.FindStringSubmatch(r.month)
		y, _ := strconv.Atoi(m[1])
		mon, _ := strconv.Atoi(m[2])
		switch {
		case mon == 12:
			return year(y)
		case mon%2 == 0:
			return []string{fmt.Sprintf("%d-B%d", y, mon/2)}
		}
	}
	return nil
}

// rptUnpublished names a round of the request whose newest computation a
// leader may not see yet (reports read a round's newest computed version;
// leaders see published results only), or "".
func (s *Server) rptUnpublished(c echo.Context, r rptRequest) (string, error) {
	if currentUser(c).Role == analytics.RoleAdmin {
		return "", nil
	}
	for _, round := range r.rounds() {
		st, err := s.roundState(c.Request().Context(), round)
		if err != nil {
			return "", err
		}
		if st.LatestVersion > 0 && st.PublishedVersion != st.LatestVersion {
			return round, nil
		}
	}
	return "", nil
}

// reportsGenerate renders the chosen report(s) into the report folder, as
// HTML and, when asked and Chromium is there, PDF, then lists them.
func (s *Server) reportsGenerate(c echo.Context) error {
	b, err := s.rptForm(c)
	if err != nil {
		return err
	}
	r, msg := rptParse(c)
	b.Kind, b.PDF = r.kind, r.pdf && b.Chromium
	for _, v := range []struct {
		dst *string
		val string
	}{{&b.Round, r.round}, {&b.Unit, r.unit}, {&b.Month, r.month}, {&b.Quarter, r.quarter}} {
		if v.val != "" {
			*v.dst = v.val
		}
	}
	if r.year != 0 {
		b.Year = strconv.Itoa(r.year)
	}
	fail := func(status int, msg string) error {
		b.Error = msg
		return s.rptRender(c, status, b, nil)
	}
	if msg != "" {
		return fail(http.StatusUnprocessableEntity, msg)
	}
	if round, err := s.rptUnpublished(c, r); err != nil {
		return err
	} else if round != "" {
		return fail(http.StatusConflict, round+" 的最新计算结果尚未发布,暂不能生成含该轮次的报告")
	}
	docs, skipped, err := s.rptBuild(c, r)
	if msg := rptErrorText(err); msg != "" {
		return fail(http.StatusUnprocessableEntity, msg)
	} else if err != nil {
		return err
	}
	names, err := s.rptWrite(c, docs, r.pdf, &b)
	if errors.Is(err, reports.ErrUnsafeName) {
		return fail(http.StatusUnprocessableEntity, rptErrorText(err))
	} else if err != nil {
		return err
	}
	b.Message = fmt.Sprintf("已生成 %d 个文件。", len(names))
	for _, round := range skipped {
		b.Message += " 跳过 " + round + ":尚未计算结果。"
	}
	return s.rptRender(c, http.StatusOK, b, names)
}

// rptBuild renders the documents of a request.
func (s *Server) rptBuild(c echo.Context, r rptRequest) ([]reports.Document, []string, error) {
	ctx := c.Request().Context()
	meta := reports.Meta{Office: s.cfg.Office, City: s.cfg.City, Date: reports.ChineseDate(s.now())}
	bld, err := reports.New(s.store, meta, s.cfg.Scheme)
	if err != nil {
		return nil, nil, err
	}
	var d reports.Document
	switch r.kind {
	case rptAll:
		return bld.All(ctx, r.month, nil)
	case rptRound:
		d, err = bld.Round(ctx, r.round)
	case rptUnit:
		d, err = bld.Unit(ctx, r.round, r.unit)
	case rptMonth:
		d, err = bld.Month(ctx, r.month)
	case rptQuarter:
		d, err = bld.Quarter(ctx, r.quarter)
	default:
		d, err = bld.Year(ctx, r.year)
	}
	if err != nil {
		return nil, nil, err
	}
	return []reports.Document{d}, nil, nil
}

// rptErrorText words the failures a person can act on; "" for others
// (internal errors, logged and shown without detail).
func rptErrorText(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, analytics.ErrNotScored):
		return "所选轮次尚未计算结果,请先在轮次管理中计算"
	case errors.Is(err, analytics.ErrSchemeMismatch):
		return "该轮次的结果不是按当前评分方案计算的,请按当前方案重新计算后再生成"
	case errors.Is(err, scoring.ErrUnknownUnit):
		return "所选单位不在该轮次的结果中"
	case errors.Is(err, reports.ErrUnsafeName):
		return "单位编码含有不允许的字符(只允许英文字母、数字和 - _ .,且以字母或数字开头),不能用作报告文件名;请更正该单位编码"
	}
	return ""
}

// rptWrite writes each document's HTML and, when asked and possible, the PDF
// of each printable one; it returns the file names written.
func (s *Server) rptWrite(c echo.Context, docs []reports.Document, pdf bool, b *rptBody) ([]string, error) {
	dir := s.reportDir()
	// Every name is checked before anything is written.
	for _, d := range docs {
		for _, ext := range []string{".html", ".pdf"} {
			if _, err := reports.FilePath(dir, d.Name+ext); err != nil {
				return nil, err
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var names []string
	for _, d := range docs {
		if err := rptWriteAtomic(dir, d.Name+".html", d.HTML); err != nil {
			return names, err
		}
		names = append(names, d.Name+".html")
	}
	if !pdf || len(docs) == 0 {
		return names, nil
	}
	var printable []reports.Document
	for _, d := range docs {
		if !d.HTMLOnly {
			printable = append(printable, d)
		}
	}
	p, err := reports.NewPrinter(c.Request().Context(), reports.PDFOptions{})
	if errors.Is(err, reports.ErrNoChromium) {
		b.Note = rptNoChromium
		return names, nil
	} else if err != nil {
		return names, err
	}
	defer p.Close()
	pdfs, err := p.PDFAll(c.Request().Context(), printable, 0)
	if err != nil {
		return names, err
	}
	for i, d := range printable {
		if err := rptWriteAtomic(dir, d.Name+".pdf", pdfs[i]); err != nil {
			return names, err
		}
		names = append(names, d.Name+".pdf")
	}
	return names, nil
}

// rptWriteAtomic writes the file name in dir through a temporary file in
// the same folder, so a download never sees half a report (the listing skips
// dot files); a name that is not a plain file name of dir is refused.
func rptWriteAtomic(dir, name string, data []byte) error {
	path, err := reports.FilePath(dir, name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// rptFileName tells whether name can be a generated report's file: a plain
// base name (no folder, not hidden) ending in .html or .pdf.
func rptFileName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return name != "" && name == filepath.Base(name) && !strings.ContainsAny(name, `/\`) &&
		!strings.HasPrefix(name, ".") && (ext == ".html" || ext == ".pdf")
}

// rptList lists the generated files, newest first; the office-only QA
// annexes only for an admin.
func (s *Server) rptList(fresh []string, units map[string]string, admin bool) ([]rptFile, int, error) {
	ents, err := os.ReadDir(s.reportDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, err
	}
	var out []rptFile
	for _, e := range ents {
		if !e.Type().IsRegular() || !rptFileName(e.Name()) || !admin && reports.IsQAAnnex(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, rptFile{Name: e.Name(), Label: rptLabel(e.Name(), units), Size: rptSize(info.Size()),
			Modified: info.ModTime(), Fresh: slices.Contains(fresh, e.Name())})
	}
	// Newest first; the files of one generation (written within the same
	// second) by name, so a month's bulletins come before its profiles.
	slices.SortStableFunc(out, func(a, b rptFile) int {
		if c := b.Modified.Truncate(time.Second).Compare(a.Modified.Truncate(time.Second)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	more := 0
	if len(out) > rptListMax {
		more, out = len(out)-rptListMax, out[:rptListMax]
	}
	return out, more, nil
}

func rptUnitNames(units []rptOption) map[string]string {
	m := map[string]string{}
	for _, u := range units {
		m[u.Value] = strings.TrimPrefix(u.Label, u.Value+" ")
	}
	return m
}

var (
	rptRoundName   = regexp.MustCompile(`^round-(\d{4}-B[1-6])$`)
	rptAnnexName   = regexp.MustCompile(`^round-(\d{4}-B[1-6])-qa-annex$`)
	rptMonthName   = regexp.MustCompile(`^projects-(\d{4}-\d{2})$`)
	rptQuarterName = regexp.MustCompile(`^projects-(\d{4}-Q[1-4])$`)
	rptYearName    = regexp.MustCompile(`^year-(\d{4})$`)
	rptUnitsName   = regexp.MustCompile(`^units-(\d{4}-B[1-6])$`)
	rptUnitName    = regexp.MustCompile(`^unit-(.+)-(\d{4}-B[1-6])$`)
)

// rptLabel describes a generated file in Chinese from its name.
func rptLabel(file string, units map[string]string) string {
	stem := strings.TrimSuffix(file, filepath.Ext(file))
	kind := "PDF"
	if strings.EqualFold(filepath.Ext(file), ".html") {
		kind = "HTML"
	}
	var what string
	if m := rptRoundName.FindStringSubmatch(stem); m != nil {
		what = "双月效能评议通报 " + m[1]
	} else if m := rptAnnexName.FindStringSubmatch(stem); m != nil {
		what = "评议质量附件(效能办内部) " + m[1]
	} else if m := rptMonthName.FindStringSubmatch(stem); m != nil {
		what = "月度重点项目建设进展通报 " + m[1]
	} else if m := rptQuarterName.FindStringSubmatch(stem); m != nil {
		what = "季度重点项目建设通报 " + m[1]
	} else if m := rptYearName.FindStringSubmatch(stem); m != nil {
		what = "年度机关效能综合评议通报 " + m[1]
	} else if m := rptUnitsName.FindStringSubmatch(stem); m != nil {
		what = "单位效能画像汇编 " + m[1]
	} else if m := rptUnitName.FindStringSubmatch(stem); m != nil {
		what = "单位效能画像 " + m[1]
		if n, ok := units[m[1]]; ok {
			what += " " + n
		}
		what += " " + m[2]
	} else {
		what = stem
	}
	return what + "(" + kind + ")"
}

func rptSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// reportsFile downloads one generated file. Only base names of regular
// files in the report folder are served, so no name reaches outside it.
func (s *Server) reportsFile(c echo.Context) error {
	name := c.Param("name")
	if c.Request().URL.RawPath != "" {
		// echo matched the escaped path: the parameter is still escaped.
		n, err := url.PathUnescape(name)
		if err != nil {
			return echo.NewHTTPError(http.StatusNotFound, "报告不存在")
		}
		name = n
	}
	if !rptFileName(name) {
		return echo.NewHTTPError(http.StatusNotFound, "报告不存在")
	}
	if reports.IsQAAnnex(name) && currentUser(c).Role != analytics.RoleAdmin {
		// The QA annex names evaluators: office only (CONTRACT §7).
		return echo.NewHTTPError(http.StatusForbidden, "评议质量附件仅供效能办查看")
	}
	path := filepath.Join(s.reportDir(), name)
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() {
		return echo.NewHTTPError(http.StatusNotFound, "报告不存在")
	}
	// An attachment: the report's inline scripts are for opening it from a
	// file, not under this site's CSP.
	return c.Attachment(path, name)
}
