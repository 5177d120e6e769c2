package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// audPageSize is how many audit entries one page shows.
const audPageSize = 100

// audActionLabels words the audited actions in Chinese.
var audActionLabels = map[string]string{
	"import": "数据导入", "user.add": "新建账户", "user.reset": "重置密码", "user.disable": "停用/启用账户",
	"user.lockout": "登录失败锁定", "user.token": "创建 API 令牌", "round.create": "创建轮次", "round.open": "开启评议",
	"round.close": "结束评议", "round.compute": "计算结果", "round.publish": "发布结果", "round.reopen": "重新开启",
	"task.deduction.confirm": "确认督办扣分", "task.deduction.dismiss": "督办不予扣分",
	"peer.draft": "保存评议草稿", "peer.submit": "提交评议", "backup": "数据备份",
}

// audPrefixes are the action prefixes offered in the filter.
var audPrefixes = []audOption{
	{"round.", "轮次(round.)"}, {"peer.", "评议打分(peer.)"}, {"user.", "账户(user.)"}, {"import", "数据导入(import)"},
	{"task.deduction", "督办扣分(task.deduction)"},
}

type audOption struct{ Value, Label string }

// audBody is what admin_audit.html shows.
type audBody struct {
	Actor, Action, Subject string
	Options                []audOption
	Entries                []audRow
	Page                   int
	Prev, Next             string // links to the neighbouring pages, "" when none
}

// audRow is one entry as shown: the old and new values as indented JSON.
type audRow struct {
	analytics.AuditEntry
	Label    string
	Old, New string
}

// adminAuditPage shows the audit log, newest first, a page at a time,
// filtered by actor, action prefix and subject substring.
func (s *Server) adminAuditPage(c echo.Context) error {
	b := audBody{Actor: strings.TrimSpace(c.QueryParam("actor")), Action: strings.TrimSpace(c.QueryParam("action")),
		Subject: strings.TrimSpace(c.QueryParam("subject")), Options: audPrefixes, Page: 1}
	if p, err := strconv.Atoi(c.QueryParam("page")); err == nil && p > 1 && p <= 1_000_000 {
		b.Page = p
	}
	// One more than a page tells whether a next page exists.
	es, err := s.store.AuditLog(c.Request().Context(), analytics.AuditFilter{Actor: b.Actor, ActionPrefix: b.Action,
		Subject: b.Subject, Limit: audPageSize + 1, Offset: (b.Page - 1) * audPageSize})
	if err != nil {
		return err
	}
	if len(es) > audPageSize {
		es = es[:audPageSize]
		b.Next = b.link(b.Page + 1)
	}
	if b.Page > 1 {
		b.Prev = b.link(b.Page - 1)
	}
	for _, e := range es {
		b.Entries = append(b.Entries, audRow{AuditEntry: e, Label: audActionLabels[e.Action], Old: audJSON(e.Old), New: audJSON(e.New)})
	}
	return s.render(c, http.StatusOK, "admin_audit", "审计日志", b)
}

// link is the URL of another page with the same filters.
func (b audBody) link(page int) string {
	v := url.Values{}
	for k, x := range map[string]string{"actor": b.Actor, "action": b.Action, "subject": b.Subject} {
		if x != "" {
			v.Set(k, x)
		}
	}
	v.Set("page", strconv.Itoa(page))
	return "/admin/audit?" + v.Encode()
}

// audJSON indents a stored value for reading. It is re-encoded without
// json's HTML escaping so that a name reads as it was written; the page
// template escapes it for HTML.
func audJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return string(raw)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return string(raw)
	}
	return strings.TrimSpace(out.String())
}
