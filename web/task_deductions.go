package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The 督办扣分 page: the tasks overdue as of the page's as-of day (by default
// the earlier of today and the last day of imported data, asof.go) as
// suggested deductions of their lead units, each confirmed or dismissed by
// an admin (analytics.ConfirmTaskDeduction, DismissTaskDeduction); nothing is
// deducted without that click.

// tddBody is what task_deductions.html shows.
type tddBody struct {
	AsOf        time.Time
	AsOfView    asOfView
	Round       string  // the round a confirmation as of AsOf counts in
	Points      string  // the default points, as shown in each form
	Max         float64 // analytics.MaxTaskDeductionPoints
	Suggestions []analytics.TaskDeductionSuggestion
	Decisions   []tddDecision
	Message     string
	Error       string
}

// tddDecision is one decision as listed.
type tddDecision struct {
	analytics.TaskDeductionDecision
	Confirmed bool
	Label     string
	Points    string
}

// tddMessages are the confirmations after a decision (?done=…&task=…).
var tddMessages = map[string]string{
	analytics.DecisionConfirmed: "已确认扣分,扣分已写入扣分表:督办事项 ",
	analytics.DecisionDismissed: "已记录不予扣分:督办事项 ",
}

// adminTaskDeductions lists the suggestions as of now and the decisions made.
func (s *Server) adminTaskDeductions(c echo.Context) error {
	b := tddBody{}
	if m, ok := tddMessages[c.QueryParam("done")]; ok {
		b.Message = m + c.QueryParam("task")
	}
	return s.tddRender(c, http.StatusOK, b)
}

func (s *Server) tddRender(c echo.Context, status int, b tddBody) error {
	ctx := c.Request().Context()
	now := s.now()
	a, view, err := s.resolveAsOf(c, "/admin/task-deductions")
	if err != nil {
		return err
	}
	sg, err := s.store.SuggestedTaskDeductions(ctx, a.Day, analytics.DefaultTaskDeductionPoints)
	if err != nil {
		return err
	}
	ds, err := s.store.TaskDeductionDecisions(ctx)
	if err != nil {
		return err
	}
	b.AsOf, b.AsOfView, b.Round, b.Suggestions = a.Day, view, analytics.RoundOfDay(a.Day), sg
	b.Points = tddPoints(analytics.DefaultTaskDeductionPoints)
	b.Max = analytics.MaxTaskDeductionPoints
	for _, d := range ds {
		d.DecidedAt = d.DecidedAt.In(now.Location())
		r := tddDecision{TaskDeductionDecision: d, Confirmed: d.Decision == analytics.DecisionConfirmed, Label: "不予扣分"}
		if r.Confirmed {
			r.Label, r.Points = "确认扣分", tddPoints(d.Points)
		}
		b.Decisions = append(b.Decisions, r)
	}
	return s.render(c, status, "task_deductions", "督办扣分", b)
}

func tddPoints(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// tddDone redirects back to the page, as of the same day, with a confirmation.
func tddDone(c echo.Context, decision, task string) error {
	q := url.Values{"done": {decision}, "task": {task}}
	if v := asOfParam(c); v != "" {
		q.Set("as_of", v)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/task-deductions?"+q.Encode())
}

// tddFail words a refused decision and shows the page again; other errors
// go to the error handler.
func (s *Server) tddFail(c echo.Context, task string, err error) error {
	var status int
	var msg string
	switch {
	case errors.Is(err, analytics.ErrTaskDeductionPoints):
		status, msg = http.StatusUnprocessableEntity, fmt.Sprintf("扣分须大于 0、不超过 %s 分,最多两位小数", tddPoints(analytics.MaxTaskDeductionPoints))
	case errors.Is(err, analytics.ErrDismissReason):
		status, msg = http.StatusUnprocessableEntity, fmt.Sprintf("不予扣分须填写理由(不超过 %d 字)", analytics.MaxDismissReason)
	case errors.Is(err, analytics.ErrTaskDecided):
		status, msg = http.StatusConflict, "督办事项 "+task+" 已作出决定,未重复处理"
	case errors.Is(err, analytics.ErrTaskNotSuggested):
		status, msg = http.StatusConflict, "督办事项 "+task+" 当前不是超期待定事项(可能已办结、已延期或不存在),未作处理"
	default:
		return err
	}
	return s.tddRender(c, status, tddBody{Error: msg})
}

// adminTaskDeductionConfirm deducts the entered points for one overdue task.
func (s *Server) adminTaskDeductionConfirm(c echo.Context) error {
	task := strings.TrimSpace(c.FormValue("task_id"))
	if task == "" {
		return s.tddRender(c, http.StatusUnprocessableEntity, tddBody{Error: "请选择督办事项"})
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(c.FormValue("points")), 64)
	if err != nil || math.IsNaN(p) {
		return s.tddFail(c, task, analytics.ErrTaskDeductionPoints)
	}
	a, _, err := s.resolveAsOf(c, "/admin/task-deductions")
	if err != nil {
		return err
	}
	if _, err := s.store.ConfirmTaskDeduction(c.Request().Context(), currentUser(c).Username, a.Day, task, p); err != nil {
		return s.tddFail(c, task, err)
	}
	s.invalidate()
	return tddDone(c, analytics.DecisionConfirmed, task)
}

// adminTaskDeductionDismiss records that one overdue task is not deducted.
func (s *Server) adminTaskDeductionDismiss(c echo.Context) error {
	task := strings.TrimSpace(c.FormValue("task_id"))
	if task == "" {
		return s.tddRender(c, http.StatusUnprocessableEntity, tddBody{Error: "请选择督办事项"})
	}
	a, _, err := s.resolveAsOf(c, "/admin/task-deductions")
	if err != nil {
		return err
	}
	if _, err := s.store.DismissTaskDeduction(c.Request().Context(), currentUser(c).Username, a.Day, task, c.FormValue("reason")); err != nil {
		return s.tddFail(c, task, err)
	}
	s.invalidate()
	return tddDone(c, analytics.DecisionDismissed, task)
}
