package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The evaluator portal: an evaluator's own rounds and scoring sheet. The
// evaluator id always comes from the session, never from the request, so an
// evaluator can only ever reach their own sheet; other evaluators' scores
// are never read here.

type portalRound struct {
	Sheet      analytics.EvaluatorSheet
	StatusName string
}

type portalBody struct {
	Open, Past []portalRound
}

// portalRow is one line of the sheet as the form shows it: the value typed
// (kept when the form comes back with errors) and its error.
type portalRow struct {
	Field                      string // group.unit: the suffix of the score. and comment. fields
	UnitID, UnitName, Category string
	Value, Comment, Error      string
	Scored                     bool
}

type portalGroup struct {
	GroupID, GroupName string
	Rows               []portalRow
}

type portalSheetBody struct {
	Sheet        analytics.EvaluatorSheet
	StatusName   string
	Groups       []portalGroup
	ReadOnly     bool
	Notice       string // why the sheet is read-only
	Message      string // after a successful save or submission
	Error        string
	CommentBelow string
}

// errNotOnRoster answers an account whose evaluator id is no longer in the
// imported roster.
var errNotOnRoster = echo.NewHTTPError(http.StatusForbidden, "您的评议人编码不在当前评议人名单中,请联系效能办")

// evaluatorID is the session's evaluator; an evaluator account without one
// cannot score.
func evaluatorID(c echo.Context) (string, error) {
	u := currentUser(c)
	if u == nil || u.EvaluatorID == "" {
		return "", echo.NewHTTPError(http.StatusForbidden, "此账户未关联评议人,请联系效能办")
	}
	return u.EvaluatorID, nil
}

func (s *Server) portal(c echo.Context) error {
	ev, err := evaluatorID(c)
	if err != nil {
		return err
	}
	sheets, err := s.store.EvaluatorRounds(c.Request().Context(), ev, s.now())
	if errors.Is(err, analytics.ErrUnknownEvaluer) {
		return errNotOnRoster
	}
	if err != nil {
		return err
	}
	var b portalBody
	for _, sh := range sheets {
		r := portalRound{Sheet: localSheet(sh), StatusName: statusName(sh.Status)}
		if sh.Status == analytics.RoundOpen {
			b.Open = append(b.Open, r)
		} else {
			b.Past = append(b.Past, r)
		}
	}
	return s.render(c, http.StatusOK, "portal", "我的评议", b)
}

// sheetFor reads the session evaluator's sheet of the :round parameter; a
// round that is not valid or was never opened to evaluators is not found.
func (s *Server) sheetFor(c echo.Context) (analytics.EvaluatorSheet, string, error) {
	ev, err := evaluatorID(c)
	if err != nil {
		return analytics.EvaluatorSheet{}, "", err
	}
	round := c.Param("round")
	if _, err := analytics.ParseRound(round); err != nil {
		return analytics.EvaluatorSheet{}, ev, echo.NewHTTPError(http.StatusNotFound, "没有这个轮次")
	}
	sh, err := s.store.EvaluatorSheet(c.Request().Context(), round, ev, s.now())
	switch {
	case errors.Is(err, analytics.ErrRoundNotAccepting):
		return sh, ev, echo.NewHTTPError(http.StatusNotFound, "该轮次尚未开放评议")
	case errors.Is(err, analytics.ErrUnknownEvaluer):
		return sh, ev, errNotOnRoster
	}
	return sh, ev, err
}

// sheetBody lays a sheet out by work group; typed overrides the stored
// values with what the form sent, errs marks refused rows.
func (s *Server) sheetBody(sh analytics.EvaluatorSheet, typed url.Values, errs map[string]string) portalSheetBody {
	b := portalSheetBody{Sheet: localSheet(sh), StatusName: statusName(sh.Status), CommentBelow: fmt.Sprintf("%g", s.cfg.Scheme.Peer.CommentBelow)}
	for _, a := range sh.Assignments {
		f := a.GroupID + "." + a.UnitID
		row := portalRow{Field: f, UnitID: a.UnitID, UnitName: a.UnitName, Category: a.Category, Comment: a.Comment, Scored: a.Score != nil}
		if a.Score != nil {
			row.Value = strconv.FormatFloat(*a.Score, 'f', -1, 64)
		}
		if typed != nil {
			if v, ok := typed["score."+f]; ok && len(v) > 0 {
				row.Value = v[0]
				row.Scored = strings.TrimSpace(v[0]) != ""
			}
			if v, ok := typed["comment."+f]; ok && len(v) > 0 {
				row.Comment = v[0]
			}
		}
		row.Error = errs[f]
		if n := len(b.Groups); n == 0 || b.Groups[n-1].GroupID != a.GroupID {
			b.Groups = append(b.Groups, portalGroup{GroupID: a.GroupID, GroupName: a.GroupName})
		}
		g := &b.Groups[len(b.Groups)-1]
		g.Rows = append(g.Rows, row)
	}
	b.ReadOnly = !sh.Accepting
	switch {
	case !sh.SubmittedAt.IsZero():
		b.Notice = "您已于 " + sh.SubmittedAt.Local().Format("2006-01-02 15:04") + " 提交本轮评议,评分不能再修改。"
	case sh.Status == analytics.RoundOpen && !sh.Accepting:
		b.Notice = "本轮评议已于 " + sh.Deadline.Local().Format("2006-01-02 15:04") + " 截止,评分不能再修改。"
	case sh.Status != analytics.RoundOpen:
		b.Notice = "本轮评议" + statusName(sh.Status) + ",评分不能再修改。"
	}
	return b
}

func (s *Server) portalRound(c echo.Context) error {
	sh, _, err := s.sheetFor(c)
	if err != nil {
		return err
	}
	b := s.sheetBody(sh, nil, nil)
	switch {
	case c.QueryParam("saved") != "":
		b.Message = "草稿已保存。"
	case c.QueryParam("submitted") != "":
		b.Message = "评议已提交,感谢您的参与。"
	}
	return s.render(c, http.StatusOK, "portal_round", sh.Round+" 评议", b)
}

// formEntries reads the sheet's score.<group>.<unit> and comment.<group>.<unit>
// fields. A field naming no assignment of this sheet (a forged own or
// out-of-group unit) is passed on as an entry, for the store to refuse.
// Rows whose score is not a number come back in errs.
func formEntries(sh analytics.EvaluatorSheet, form url.Values) (entries []analytics.PeerEntry, errs map[string]string) {
	errs = map[string]string{}
	known := map[string]bool{}
	for _, a := range sh.Assignments {
		f := a.GroupID + "." + a.UnitID
		known[f] = true
		v, hasScore := form["score."+f]
		cm, hasComment := form["comment."+f]
		if !hasScore && !hasComment {
			continue
		}
		e := analytics.PeerEntry{UnitID: a.UnitID, GroupID: a.GroupID}
		if hasComment && len(cm) > 0 {
			e.Comment = cm[0]
		}
		if hasScore && len(v) > 0 && strings.TrimSpace(v[0]) != "" {
			x, err := strconv.ParseFloat(strings.TrimSpace(v[0]), 64)
			if err != nil {
				errs[f] = "请输入 0 到 100 之间的数字"
				continue
			}
			e.Score = &x
		} else if !hasScore {
			e.Score = keepScore(sh, a) // only the comment was sent
		}
		entries = append(entries, e)
	}
	for k := range form {
		name, rest, ok := strings.Cut(k, ".")
		if !ok || (name != "score" && name != "comment") || known[rest] {
			continue
		}
		group, unit, _ := strings.Cut(rest, ".")
		entries = append(entries, analytics.PeerEntry{GroupID: group, UnitID: unit})
	}
	return entries, errs
}

func keepScore(sh analytics.EvaluatorSheet, a analytics.Assignment) *float64 {
	for _, x := range sh.Assignments {
		if x.GroupID == a.GroupID && x.UnitID == a.UnitID {
			return x.Score
		}
	}
	return nil
}

// saveForm saves the posted values as a draft; on refusal it answers the
// form again (with what was typed and the errors) and done is false.
func (s *Server) saveForm(c echo.Context, sh analytics.EvaluatorSheet, ev string) (analytics.EvaluatorSheet, bool, error) {
	form, err := c.FormParams()
	if err != nil {
		return sh, false, echo.NewHTTPError(http.StatusBadRequest, "表单无法读取")
	}
	if !sh.Accepting {
		b := s.sheetBody(sh, nil, nil)
		b.Error = "评分未保存:" + b.Notice
		return sh, false, s.render(c, http.StatusConflict, "portal_round", sh.Round+" 评议", b)
	}
	entries, errs := formEntries(sh, form)
	if len(errs) == 0 && len(entries) > 0 {
		u := currentUser(c)
		var saved analytics.EvaluatorSheet
		saved, err = s.store.SaveDraft(c.Request().Context(), sh.Round, ev, entries, s.cfg.Scheme.Peer.CommentBelow, u.Username, s.now())
		s.invalidate()
		var ee analytics.EntryErrors
		switch {
		case err == nil:
			return saved, true, nil
		case errors.Is(err, analytics.ErrNotAssigned):
			return sh, false, echo.NewHTTPError(http.StatusForbidden, "只能为分配给您的单位评分(不含本单位),评分未保存")
		case errors.Is(err, analytics.ErrRoundNotAccepting), errors.Is(err, analytics.ErrAlreadySubmitted):
			return s.refuseClosed(c, sh, ev)
		case errors.As(err, &ee):
			for _, e := range ee {
				errs[e.GroupID+"."+e.UnitID] = e.Reason
			}
		default:
			return sh, false, err
		}
	}
	if len(errs) == 0 {
		return sh, true, nil // nothing to save
	}
	b := s.sheetBody(sh, form, errs)
	b.Error = fmt.Sprintf("有 %d 处填写有误,评分未保存,请修改后重试。", len(errs))
	return sh, false, s.render(c, http.StatusUnprocessableEntity, "portal_round", sh.Round+" 评议", b)
}

// refuseClosed answers a write that raced with a close, the deadline or a
// submission: the sheet, now read-only, with the reason.
func (s *Server) refuseClosed(c echo.Context, sh analytics.EvaluatorSheet, ev string) (analytics.EvaluatorSheet, bool, error) {
	now, err := s.store.EvaluatorSheet(c.Request().Context(), sh.Round, ev, s.now())
	if err != nil {
		return sh, false, err
	}
	b := s.sheetBody(now, nil, nil)
	b.Error = "评分未保存:" + b.Notice
	return now, false, s.render(c, http.StatusConflict, "portal_round", sh.Round+" 评议", b)
}

func (s *Server) portalSave(c echo.Context) error {
	sh, ev, err := s.sheetFor(c)
	if err != nil {
		return err
	}
	_, done, err := s.saveForm(c, sh, ev)
	if err != nil || !done {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/portal/"+url.PathEscape(sh.Round)+"?saved=1")
}

// portalSubmit saves what the form holds, then submits the sheet.
func (s *Server) portalSubmit(c echo.Context) error {
	sh, ev, err := s.sheetFor(c)
	if err != nil {
		return err
	}
	sh, done, err := s.saveForm(c, sh, ev)
	if err != nil || !done {
		return err
	}
	u := currentUser(c)
	_, err = s.store.SubmitSheet(c.Request().Context(), sh.Round, ev, s.cfg.Scheme.Peer.CommentBelow, u.Username, s.now())
	s.invalidate()
	var ee analytics.EntryErrors
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, "/portal/"+url.PathEscape(sh.Round)+"?submitted=1")
	case errors.Is(err, analytics.ErrIncomplete):
		b := s.sheetBody(sh, nil, nil)
		b.Error = fmt.Sprintf("还有 %d 个单位未评分,请全部评分后再提交(已保存为草稿)。", sh.Total-sh.Done)
		return s.render(c, http.StatusUnprocessableEntity, "portal_round", sh.Round+" 评议", b)
	case errors.Is(err, analytics.ErrRoundNotAccepting), errors.Is(err, analytics.ErrAlreadySubmitted):
		_, _, err = s.refuseClosed(c, sh, ev)
		return err
	case errors.As(err, &ee):
		errs := map[string]string{}
		for _, e := range ee {
			errs[e.GroupID+"."+e.UnitID] = e.Reason
		}
		b := s.sheetBody(sh, nil, errs)
		b.Error = fmt.Sprintf("有 %d 处评分不符合要求,未提交。", len(errs))
		return s.render(c, http.StatusUnprocessableEntity, "portal_round", sh.Round+" 评议", b)
	}
	return err
}

// localSheet shows a sheet's times in the server's zone (the database
// gives them back in UTC).
func localSheet(sh analytics.EvaluatorSheet) analytics.EvaluatorSheet {
	if !sh.Deadline.IsZero() {
		sh.Deadline = sh.Deadline.Local()
	}
	if !sh.SubmittedAt.IsZero() {
		sh.SubmittedAt = sh.SubmittedAt.Local()
	}
	return sh
}

// statusName words a round's lifecycle status.
func statusName(st string) string {
	switch st {
	case analytics.RoundDraft:
		return "草稿"
	case analytics.RoundOpen:
		return "评议中"
	case analytics.RoundClosed:
		return "已截止"
	case analytics.RoundPublished:
		return "已发布"
	}
	return "未纳入网上评议"
}
