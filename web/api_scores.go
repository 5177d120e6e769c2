package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The logged-in evaluator's sheets in the JSON API. The evaluator id always
// comes from the account, never from the request, so an evaluator can only
// ever read or change their own scores.

// apiEvaluatorID is the evaluator of the request's account (the role check
// has already required an evaluator account).
func apiEvaluatorID(c echo.Context) (string, error) {
	u := currentUser(c)
	if u == nil || u.EvaluatorID == "" {
		return "", echo.NewHTTPError(http.StatusForbidden, "此账户未关联评议人")
	}
	return u.EvaluatorID, nil
}

// apiSheetError words the store's peer-entry errors as HTTP errors.
func apiSheetError(c echo.Context, err error, reading bool) error {
	var bad analytics.EntryErrors
	switch {
	case errors.As(err, &bad):
		return c.JSON(http.StatusUnprocessableEntity, apiEntryErrors{Error: "部分评分未通过校验,未保存任何内容", Entries: bad})
	case errors.Is(err, analytics.ErrNotAssigned):
		return echo.NewHTTPError(http.StatusForbidden, "只能评议本人所在工作组中分配的单位(不含本单位)")
	case errors.Is(err, analytics.ErrUnknownEvaluer):
		return echo.NewHTTPError(http.StatusForbidden, "此账户关联的评议人不存在")
	case errors.Is(err, analytics.ErrRoundNotAccepting) && reading:
		return echo.NewHTTPError(http.StatusNotFound, "该轮次未向评议人开放")
	case errors.Is(err, analytics.ErrRoundNotAccepting):
		return echo.NewHTTPError(http.StatusConflict, "该轮次当前不接受评分(未开放、已关闭或已过截止时间)")
	case errors.Is(err, analytics.ErrAlreadySubmitted):
		return echo.NewHTTPError(http.StatusConflict, "评分表已提交,不能再修改")
	case errors.Is(err, analytics.ErrIncomplete):
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "还有单位未评分,请全部评分后再提交")
	}
	return err
}

// apiEntryErrors is the 422 answer listing every refused entry.
type apiEntryErrors struct {
	Error   string                `json:"error"`
	Entries analytics.EntryErrors `json:"entries"`
}

// withCommentBelow fills the sheet's comment threshold from the scheme the
// server checks entries with.
func (s *Server) withCommentBelow(sh analytics.EvaluatorSheet) analytics.EvaluatorSheet {
	sh.CommentBelow = s.cfg.Scheme.Peer.CommentBelow
	if sh.Assignments == nil {
		sh.Assignments = []analytics.Assignment{}
	}
	return sh
}

// apiAssignments lists the rounds opened to the evaluator with their sheets
// and progress, newest first.
func (s *Server) apiAssignments(c echo.Context) error {
	id, err := apiEvaluatorID(c)
	if err != nil {
		return err
	}
	shs, err := s.store.EvaluatorRounds(c.Request().Context(), id, s.now())
	if err != nil {
		return apiSheetError(c, err, true)
	}
	out := struct {
		Rounds []analytics.EvaluatorSheet `json:"rounds"`
	}{Rounds: make([]analytics.EvaluatorSheet, 0, len(shs))}
	for _, sh := range shs {
		out.Rounds = append(out.Rounds, s.withCommentBelow(sh))
	}
	return c.JSON(http.StatusOK, out)
}

// apiSheet is the evaluator's own sheet of a round.
func (s *Server) apiSheet(c echo.Context) error {
	id, err := apiEvaluatorID(c)
	if err != nil {
		return err
	}
	round := c.Param("round")
	if err := apiRoundParam(round); err != nil {
		return err
	}
	sh, err := s.store.EvaluatorSheet(c.Request().Context(), round, id, s.now())
	if err != nil {
		return apiSheetError(c, err, true)
	}
	return c.JSON(http.StatusOK, s.withCommentBelow(sh))
}

// apiSaveBody is the body of PUT /api/v1/scores/:round.
type apiSaveBody struct {
	Entries []analytics.PeerEntry `json:"entries"`
}

// apiSaveDraft saves some entries of the evaluator's sheet as a draft;
// nothing is written when any entry is refused.
func (s *Server) apiSaveDraft(c echo.Context) error {
	id, err := apiEvaluatorID(c)
	if err != nil {
		return err
	}
	round := c.Param("round")
	if err := apiRoundParam(round); err != nil {
		return err
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	var body apiSaveBody
	if err := dec.Decode(&body); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest,
			fmt.Sprintf("请求体应为 JSON:{\"entries\":[{\"unit_id\",\"group_id\",\"score\",\"comment\"}]}(%s)", jsonProblem(err)))
	}
	if len(body.Entries) == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "entries 不能为空")
	}
	u := currentUser(c)
	sh, err := s.store.SaveDraft(c.Request().Context(), round, id, body.Entries, s.cfg.Scheme.Peer.CommentBelow, u.Username, s.now())
	if err != nil {
		return apiSheetError(c, err, false)
	}
	s.invalidate()
	return c.JSON(http.StatusOK, s.withCommentBelow(sh))
}

// apiSubmit submits the evaluator's sheet; it is read-only afterwards.
func (s *Server) apiSubmit(c echo.Context) error {
	id, err := apiEvaluatorID(c)
	if err != nil {
		return err
	}
	round := c.Param("round")
	if err := apiRoundParam(round); err != nil {
		return err
	}
	u := currentUser(c)
	sh, err := s.store.SubmitSheet(c.Request().Context(), round, id, s.cfg.Scheme.Peer.CommentBelow, u.Username, s.now())
	if err != nil {
		return apiSheetError(c, err, false)
	}
	s.invalidate()
	return c.JSON(http.StatusOK, s.withCommentBelow(sh))
}

// jsonProblem words a JSON decoding error briefly (type and field, no input
// echoed back beyond the field name).
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Sprintf("字段 %s 类型错误", te.Field)
	case errors.As(err, &se):
		return fmt.Sprintf("第 %d 字节处语法错误", se.Offset)
	}
	return "格式错误"
}
