package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// impMaxFiles bounds the files of one upload.
const impMaxFiles = 100

// impLogRows is how many of the newest imports the page lists.
const impLogRows = 50

// impKindLabels names the input kinds in Chinese for the kind select and the
// report.
var impKindLabels = map[string]string{
	"holidays": "节假日调休", "units": "单位名单", "work_groups": "重点工作分组", "evaluators": "评议人",
	"peer_scores": "评议打分", "cases": "政务服务办件", "complaints": "诉求办理", "surveys": "满意度测评",
	"deductions": "扣分情况", "projects": "重点项目", "project_progress": "项目进度",
	"signed_projects": "招商签约项目", "documents": "公文流转",
	"tasks": "督办事项", "task_extensions": "督办延期申请", "targets": "目标任务",
}

// impKindLabel is a kind's Chinese label, or the kind itself.
func impKindLabel(kind string) string {
	if l, ok := impKindLabels[kind]; ok {
		return l
	}
	return kind
}

type impKindOption struct{ Name, Label string }

// impBody is what admin_imports.html shows.
type impBody struct {
	Kinds  []impKindOption
	Kind   string // the kind chosen last
	Limit  string // the upload limit as configured, e.g. 1G
	Report *impReport
	Error  string
	Log    []impLogRow
}

// impLogRow is one line of the import log as shown.
type impLogRow struct {
	analytics.ImportLogEntry
	KindLabel, ShortSHA string
}

// impReport is the outcome of one upload, a line per file in import order;
// the POST answers it as JSON to imports.js.
type impReport struct {
	OK    bool         `json:"ok"`
	Files []impOutcome `json:"files"`
	Error string       `json:"error,omitempty"`
}

// Outcomes of one uploaded file.
const (
	impImported = "imported"
	impRefused  = "refused"
	impSkipped  = "skipped" // not tried: an earlier file was refused
)

// impOutcome is one file's line of the report. A refused file carries the
// CLI's validation report: Problems as file:line: column: reason, the first
// analytics.MaxListed of them, and More counting the rest.
type impOutcome struct {
	File      string   `json:"file"`
	Kind      string   `json:"kind,omitempty"`
	KindLabel string   `json:"kind_label,omitempty"`
	Status    string   `json:"status"`
	Rows      int64    `json:"rows"`
	New       int64    `json:"new"`
	Replaced  int64    `json:"replaced"`
	Unchanged int64    `json:"unchanged"`
	SHA256    string   `json:"sha256,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
	Reason    string   `json:"reason,omitempty"`
	Problems  []string `json:"problems,omitempty"`
	More      string   `json:"more,omitempty"`
}

func impKinds() []impKindOption {
	var out []impKindOption
	for _, k := range analytics.Kinds() {
		out = append(out, impKindOption{Name: k.Name, Label: impKindLabel(k.Name)})
	}
	return out
}

// adminImportsPage shows the upload form and the import log.
func (s *Server) adminImportsPage(c echo.Context) error {
	return s.impRender(c, http.StatusOK, impBody{})
}

func (s *Server) impRender(c echo.Context, status int, b impBody) error {
	log, err := s.store.ImportLog(c.Request().Context(), impLogRows)
	if err != nil {
		return err
	}
	for _, e := range log {
		short := e.SHA256
		if len(short) > 12 {
			short = short[:12]
		}
		b.Log = append(b.Log, impLogRow{ImportLogEntry: e, KindLabel: impKindLabel(e.Kind), ShortSHA: short})
	}
	b.Kinds, b.Limit = impKinds(), s.cfg.UploadLimit
	return s.render(c, status, "admin_imports", "数据导入", b)
}

// impWantsJSON tells imports.js's requests, which ask for the report as JSON.
func impWantsJSON(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON)
}

// impFail answers a refused upload (no file was tried) in the form asked
// for; kind is the kind chosen, as far as the upload was read.
func (s *Server) impFail(c echo.Context, status int, msg, kind string) error {
	if impWantsJSON(c) {
		return c.JSON(status, impReport{Error: msg, Files: []impOutcome{}})
	}
	return s.impRender(c, status, impBody{Error: msg, Kind: kind})
}

// adminImportsUpload receives one or more files, stores them in a private
// temporary folder under their (sanitised) names, imports them in dependency
// order exactly as `xiaoneng import` does — each file whole or not at all,
// stopping at the first refused one — audits every file tried and answers the
// validation report. The route's own body limit is cfg.UploadLimit.
func (s *Server) adminImportsUpload(c echo.Context) error {
	up, err := impReceive(c)
	kind := ""
	if up != nil {
		defer os.RemoveAll(up.dir)
		kind = up.kind
	}
	switch {
	case errors.Is(err, echo.ErrStatusRequestEntityTooLarge):
		if impWantsJSON(c) {
			return c.JSON(http.StatusRequestEntityTooLarge, impReport{Error: "上传内容超过上限 " + s.cfg.UploadLimit, Files: []impOutcome{}})
		}
		return err
	case errors.Is(err, errImpNotMultipart):
		return s.impFail(c, http.StatusBadRequest, "请通过导入表单选择文件上传", kind)
	case errors.Is(err, errImpTooMany):
		return s.impFail(c, http.StatusUnprocessableEntity, fmt.Sprintf("一次最多上传 %d 个文件", impMaxFiles), kind)
	case isReadTimeout(err):
		return s.impFail(c, http.StatusRequestTimeout, "上传超时:文件未能在规定时间内传完,请检查网络后重试或分批上传", kind)
	case err != nil:
		return err
	}
	if len(up.files) == 0 {
		return s.impFail(c, http.StatusUnprocessableEntity, "请选择要导入的文件", kind)
	}
	if up.kind != "" {
		if _, ok := analytics.KindByName(up.kind); !ok {
			return s.impFail(c, http.StatusUnprocessableEntity, "未知的数据类型", kind)
		}
	}
	rep, err := s.impRun(c, up)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !rep.OK {
		status = http.StatusUnprocessableEntity
	}
	if impWantsJSON(c) {
		return c.JSON(status, rep)
	}
	return s.impRender(c, status, impBody{Report: &rep, Kind: up.kind})
}

// impRun imports the received files in import order and audits each file
// tried, refused ones included.
func (s *Server) impRun(c echo.Context, up *impUpload) (impReport, error) {
	ctx := c.Request().Context()
	actor := currentUser(c).Username
	byPath := map[string]impFile{}
	var paths []string
	for _, f := range up.files {
		byPath[f.path] = f
		paths = append(paths, f.path)
	}
	// ExpandPaths orders files as the CLI does: referenced kinds first.
	ordered, _, err := analytics.ExpandPaths(paths, up.kind)
	if err != nil {
		return impReport{}, err
	}
	rep := impReport{OK: true, Files: []impOutcome{}}
	imported := false
	for _, p := range ordered {
		f := byPath[p]
		if !rep.OK {
			rep.Files = append(rep.Files, impOutcome{File: f.name, Status: impSkipped,
				Reason: "未导入:前面的文件被拒绝,请修正后重新上传"})
			continue
		}
		o := impScrub(s.impOne(c, f, up.kind, actor), f, up.dir, s.store.Path())
		// A good import audits itself inside its transaction; a refused
		// one is recorded here with its reason.
		if o.Status == impImported {
			imported = true
		} else {
			rep.OK = false
			audit := map[string]any{"status": o.Status, "kind": o.Kind, "sha256": o.SHA256, "reason": o.Reason}
			if err := s.store.Audit(ctx, s.now(), actor, "import", "file:"+f.name, nil, audit); err != nil {
				return rep, err
			}
		}
		rep.Files = append(rep.Files, o)
	}
	if imported {
		s.invalidate()
	}
	return rep, nil
}

// impOne imports one file, turning a refusal into the report's lines.
func (s *Server) impOne(c echo.Context, f impFile, forced, actor string) impOutcome {
	o := impOutcome{File: f.name, Status: impRefused, SHA256: f.sha256, Kind: forced}
	if o.Kind == "" {
		if k := analytics.KindForFile(f.name); k != nil {
			o.Kind = k.Name
		}
	}
	o.KindLabel = impKindLabel(o.Kind)
	switch ext := strings.ToLower(filepath.Ext(f.name)); {
	case ext == ".xls":
		o.Reason = f.name + ": 旧版 Excel 工作簿(.xls)无法读取,请另存为 .xlsx(在 Excel 或 WPS 中打开后“另存为”)再上传"
		return o
	case ext != ".csv" && ext != ".xlsx" && ext != ".parquet":
		o.Reason = f.name + ": 只能导入 CSV、XLSX 或 Parquet 文件"
		return o
	case o.Kind == "":
		o.Reason = f.name + ": 无法从文件名判断数据类型;请在“数据类型”中选择,或按 cases-2019-03.csv、办件.xlsx 的方式命名文件"
		return o
	}
	res, err := s.store.ImportFile(c.Request().Context(), f.path, analytics.ImportOptions{
		Kind: forced, Name: f.name, Actor: actor, Now: s.now})
	o.Warnings = res.Warnings
	if res.SHA256 != "" {
		o.SHA256 = res.SHA256
	}
	if err != nil {
		var ie *analytics.ImportError
		if errors.As(err, &ie) {
			o.Reason = ie.Summary()
			for _, p := range ie.Problems {
				o.Problems = append(o.Problems, p.Format(ie.File))
			}
			// The CLI prints ie.Error(): the problems, then one line
			// counting those not listed.
			if ie.Total > len(ie.Problems) {
				o.More = strings.TrimPrefix(ie.Error(), strings.Join(o.Problems, "\n")+"\n")
			}
		} else {
			o.Reason = f.name + ": " + impFirstLine(err.Error())
		}
		return o
	}
	o.Status, o.Kind, o.KindLabel = impImported, res.Kind, impKindLabel(res.Kind)
	o.Rows, o.New, o.Replaced, o.Unchanged = res.Rows, res.New, res.Replaced, res.Unchanged
	return o
}

// impTempPath is an absolute path in the system's temporary folder, as a
// message from DuckDB or the operating system may quote it.
var impTempPath = regexp.MustCompile(regexp.QuoteMeta(filepath.Clean(os.TempDir())+string(os.PathSeparator)) + `[^\s'"]*`)

// impScrub rewrites the messages of one file's outcome so that they name
// the upload's own file name, never a server path: the file's place in the
// private upload folder becomes its name, the database file 数据库文件, and
// any other path in the temporary folder its base name.
func impScrub(o impOutcome, f impFile, dir, dbPath string) impOutcome {
	pairs := []string{f.path, f.name, dir + string(os.PathSeparator), "", dir, ""}
	if dbPath != "" {
		pairs = append(pairs, dbPath, "数据库文件", filepath.Dir(dbPath)+string(os.PathSeparator), "")
	}
	r := strings.NewReplacer(pairs...)
	clean := func(m string) string {
		return impTempPath.ReplaceAllStringFunc(r.Replace(m), filepath.Base)
	}
	o.Reason, o.More = clean(o.Reason), clean(o.More)
	for _, l := range [][]string{o.Problems, o.Warnings} {
		for i := range l {
			l[i] = clean(l[i])
		}
	}
	return o
}

// impUpload is a received upload: the files saved in dir, in the order sent,
// and the kind chosen ("" to infer it from each file name).
type impUpload struct {
	dir   string
	files []impFile
	kind  string
}

type impFile struct {
	name, path, sha256 string
}

var (
	errImpNotMultipart = errors.New("web: upload is not multipart/form-data")
	errImpTooMany      = errors.New("web: too many files in one upload")
)

// impReceive saves the upload's files into a private temporary folder (each
// in its own subfolder, so two files of the same name do not collide),
// streaming them to disk and hashing them on the way; the body is never
// parsed as a whole form (nothing before the handler reads it either).
func impReceive(c echo.Context) (*impUpload, error) {
	req := c.Request()
	if !strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		return nil, errImpNotMultipart
	}
	dir, err := os.MkdirTemp("", "xiaoneng-upload-")
	if err != nil {
		return nil, err
	}
	up := &impUpload{dir: dir}
	mr, err := req.MultipartReader()
	if err != nil {
		return up, errImpNotMultipart
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if err != nil {
			return up, err
		}
		if err := up.part(p); err != nil {
			return up, err
		}
	}
}

// part handles one part of a streamed upload: a file of the files field, the
// kind field, or anything else (the CSRF field), which is drained.
func (up *impUpload) part(p *multipart.Part) error {
	defer p.Close()
	switch {
	case p.FormName() == "files" && p.FileName() != "":
		return up.save(p.FileName(), p)
	case p.FormName() == "kind":
		b, err := io.ReadAll(io.LimitReader(p, 64))
		up.kind = strings.TrimSpace(string(b))
		return err
	}
	_, err := io.Copy(io.Discard, p)
	return err
}

// save writes one file under its sanitised base name.
func (up *impUpload) save(name string, r io.Reader) error {
	if len(up.files) >= impMaxFiles {
		return errImpTooMany
	}
	name = impCleanName(name)
	sub := filepath.Join(up.dir, fmt.Sprintf("%03d", len(up.files)))
	if err := os.Mkdir(sub, 0o700); err != nil {
		return err
	}
	path := filepath.Join(sub, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	up.files = append(up.files, impFile{name: name, path: path, sha256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// impCleanName keeps only the base name of an uploaded file: no folders (of
// either slash), no control characters, no leading dots (so never "." or
// ".." or a hidden file), at most 200 bytes; the extension is kept because
// it tells the format and the name tells the kind.
func impCleanName(n string) string {
	n = strings.ToValidUTF8(n, "")
	if i := strings.LastIndexAny(n, `/\`); i >= 0 {
		n = n[i+1:]
	}
	n = strings.Map(func(r rune) rune {
		if r < 0x20 || analytics.Invisible(r) { // controls, and direction marks that would reverse the name
			return -1
		}
		return r
	}, n)
	n = strings.TrimLeft(strings.TrimSpace(n), ".")
	if len(n) > 200 {
		ext := filepath.Ext(n)
		if len(ext) > 20 {
			ext = ""
		}
		stem := strings.TrimSuffix(n, ext)
		for len(stem)+len(ext) > 200 {
			_, size := utf8.DecodeLastRuneInString(stem)
			stem = stem[:len(stem)-size]
		}
		n = stem + ext
	}
	if n == "" {
		return "upload"
	}
	return n
}

// impFirstLine is the first line of an error message.
func impFirstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
