package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/reports"
)

// The round lifecycle for the efficiency office: create, open with a
// deadline, watch participation, close, compute (always a new version),
// review against the published version, publish, reopen with a reason.
// Every transition is a store call that audits old and new state.

// datetimeLocal is the format of an <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

type roundRow struct {
	analytics.RoundState
	StatusName string
}

type roundsBody struct {
	Rounds  []roundRow
	Round   string // the create form's value
	Error   string
	Suggest string // the next round name, as the create form's placeholder
}

// progressRow is one evaluator's progress with their class in words.
type progressRow struct {
	analytics.EvaluatorProgress
	ClassName string
}

// classProgress is participation within one evaluator class: Missing are
// those whose scores would not count (neither submitted nor stored).
type classProgress struct {
	Class, Name      string
	Total, Submitted int
	Missing          []progressRow
}

// groupProgress is participation within one work group.
type groupProgress struct {
	analytics.WorkGroup
	Total, Submitted int
	Missing          []progressRow
}

type runRow struct {
	analytics.ScoreRun
	Published bool
}

// reviewRow compares a unit in the newest computed version with the
// published one.
type reviewRow struct {
	UnitID, Name, Category         string
	OldScore, NewScore, ScoreDelta *float64
	OldRank, NewRank               *int
	Changed                        bool
}

type roundBody struct {
	State         analytics.RoundState
	StatusName    string
	Error         string
	Message       string
	CanOpen       bool
	CanClose      bool
	CanCompute    bool
	CanPublish    bool
	CanReopen     bool
	DefaultDue    string // datetime-local value: a week from now
	Managed       bool   // opened to evaluators: participation is meaningful
	Evaluators    []progressRow
	Classes       []classProgress
	Groups        []groupProgress
	Submitted     int // evaluators who submitted
	StoredOnly    int // not submitted, but complete stored scores count
	Runs          []runRow
	ReviewVersion int // the newest computed version
	ReviewAgainst int // the published version it is compared with (0: none)
	Review        []reviewRow
	Unpublished   bool // a version newer than the published one exists
	// Gate is the publish gate of the newest version, shown before
	// publishing it (first publication or correction); nil otherwise.
	Gate         *analytics.PublishGate
	CanCorrect   bool // published, and a newer version exists
	Reason       string
	Publications []analytics.Publication // oldest first
}

var classNames = []struct{ class, name string }{
	{"leader", "牵头市领导"},
	{"lead_head", "牵头部门主要负责人"},
	{"member_head", "责任部门主要负责人"},
}

func className(c string) string {
	for _, x := range classNames {
		if x.class == c {
			return x.name
		}
	}
	return c
}

func (s *Server) adminRounds(c echo.Context) error {
	return s.renderRounds(c, http.StatusOK, roundsBody{})
}

func (s *Server) renderRounds(c echo.Context, status int, b roundsBody) error {
	all, err := s.rounds(c.Request().Context())
	if err != nil {
		return err
	}
	for i := len(all) - 1; i >= 0; i-- {
		b.Rounds = append(b.Rounds, roundRow{RoundState: localState(all[i]), StatusName: statusName(all[i].Status)})
	}
	b.Suggest = nextRound(all, s.now())
	return s.render(c, status, "admin_rounds", "轮次管理", b)
}

// nextRound proposes the round after the newest one known (or the current
// bimonth).
func nextRound(all []analytics.RoundState, now time.Time) string {
	cur := now.Format("2006") + "-B" + string(rune('1'+(int(now.Month())-1)/2))
	if len(all) == 0 {
		return cur
	}
	last := all[len(all)-1].Round
	p, err := analytics.ParseRound(last)
	if err != nil {
		return cur
	}
	n := p.End.AddDate(0, 0, 1)
	return n.Format("2006") + "-B" + string(rune('1'+(int(n.Month())-1)/2))
}

func localState(r analytics.RoundState) analytics.RoundState {
	if !r.Deadline.IsZero() {
		r.Deadline = r.Deadline.Local()
	}
	if !r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.UpdatedAt.Local()
	}
	if !r.LatestComputedAt.IsZero() {
		r.LatestComputedAt = r.LatestComputedAt.Local()
	}
	return r
}

func (s *Server) createRound(c echo.Context) error {
	round := strings.ToUpper(strings.TrimSpace(c.FormValue("round")))
	if _, err := analytics.ParseRound(round); err != nil {
		return s.renderRounds(c, http.StatusUnprocessableEntity, roundsBody{Round: round, Error: "轮次格式应为“年份-B序号”,如 2020-B1(B1 至 B6 对应单月份起的双月)"})
	}
	_, err := s.store.CreateRound(c.Request().Context(), round, currentUser(c).Username, s.now())
	s.invalidate()
	if errors.Is(err, analytics.ErrRoundState) {
		return s.renderRounds(c, http.StatusUnprocessableEntity, roundsBody{Round: round, Error: "轮次 " + round + " 已经存在,不能重复创建"})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rounds/"+url.PathEscape(round)+"?done=create")
}

// adminRoundParam is the :round parameter, or a 404 for anything not a round.
func adminRoundParam(c echo.Context) (string, error) {
	round := c.Param("round")
	if _, err := analytics.ParseRound(round); err != nil {
		return "", echo.NewHTTPError(http.StatusNotFound, "没有这个轮次")
	}
	return round, nil
}

func (s *Server) adminRound(c echo.Context) error {
	round, err := adminRoundParam(c)
	if err != nil {
		return err
	}
	b := roundBody{}
	switch {
	case c.QueryParam("done") != "":
		b.Message = doneMessage(c.QueryParam("done"))
	}
	return s.renderRound(c, http.StatusOK, round, b)
}

func doneMessage(action string) string {
	switch action {
	case "open":
		return "已开放评议。"
	case "close":
		return "评议已截止。"
	case "compute":
		return "已计算出新的版本(未发布)。"
	case "publish":
		return "已发布,领导看到的即为此版本。"
	case "correct":
		return "已发布更正版,领导看到的即为此版本;轮次通报将注明更正说明。"
	case "reopen":
		return "已重新开放评议,评议人可修改后重新提交。"
	case "create":
		return "轮次已创建。"
	}
	return ""
}

// canCompute: scores are final only once scoring is over (or the round was
// never managed and its scores were imported).
func canCompute(st string) bool {
	return st == "" || st == analytics.RoundClosed || st == analytics.RoundPublished
}

func (s *Server) renderRound(c echo.Context, status int, round string, b roundBody) error {
	ctx := c.Request().Context()
	st, err := s.store.Round(ctx, round)
	if err != nil {
		return err
	}
	if st.Status == "" && st.LatestVersion == 0 {
		return echo.NewHTTPError(http.StatusNotFound, "没有这个轮次")
	}
	b.State = localState(st)
	b.StatusName = statusName(st.Status)
	b.CanOpen = st.Status == analytics.RoundDraft
	b.CanClose = st.Status == analytics.RoundOpen
	b.CanCompute = canCompute(st.Status)
	b.CanPublish = (st.Status == analytics.RoundClosed || st.Status == "") && st.LatestVersion > 0
	b.CanReopen = st.Status == analytics.RoundClosed || st.Status == analytics.RoundPublished
	b.CanCorrect = st.Status == analytics.RoundPublished && st.LatestVersion > st.PublishedVersion
	if b.CanPublish || b.CanCorrect {
		g, err := s.store.PublishGate(ctx, round, st.LatestVersion)
		if err != nil {
			return err
		}
		b.Gate = &g
	}
	if b.Publications, err = s.store.Publications(ctx, round); err != nil {
		return err
	}
	for i := range b.Publications {
		b.Publications[i].PublishedAt = b.Publications[i].PublishedAt.Local()
	}
	b.DefaultDue = s.now().Local().Add(7 * 24 * time.Hour).Format(datetimeLocal)
	b.Managed = st.Status != "" && st.Status != analytics.RoundDraft
	if b.Managed {
		p, err := s.store.RoundProgress(ctx, round)
		if err != nil {
			return err
		}
		for _, e := range p.Evaluators {
			if !e.SubmittedAt.IsZero() {
				e.SubmittedAt = e.SubmittedAt.Local()
			}
			b.Evaluators = append(b.Evaluators, progressRow{e, className(e.Class)})
		}
		b.Classes, b.Groups = participation(p, b.Evaluators)
		for _, e := range b.Evaluators {
			switch {
			case e.Submitted():
				b.Submitted++
			case e.Counted():
				b.StoredOnly++
			}
		}
	}
	runs, err := s.store.ScoreRuns(ctx, round)
	if err != nil {
		return err
	}
	for _, r := range runs {
		r.ComputedAt = r.ComputedAt.Local()
		b.Runs = append(b.Runs, runRow{ScoreRun: r, Published: r.Version == st.PublishedVersion})
	}
	if st.LatestVersion > 0 {
		if err := s.review(c, &b, st); err != nil {
			return err
		}
	}
	return s.render(c, status, "admin_round", round+" 轮次", b)
}

// participation counts the evaluators whose scores count by class and by
// work group, and lists those whose do not.
func participation(p analytics.RoundProgress, evs []progressRow) ([]classProgress, []groupProgress) {
	var classes []classProgress
	for _, cn := range classNames {
		classes = append(classes, classProgress{Class: cn.class, Name: cn.name})
	}
	groups := make([]groupProgress, len(p.Groups))
	gi := map[string]int{}
	for i, g := range p.Groups {
		groups[i].WorkGroup = g
		gi[g.GroupID] = i
	}
	for _, e := range evs {
		k := slices.IndexFunc(classes, func(c classProgress) bool { return c.Class == e.Class })
		if k < 0 {
			classes = append(classes, classProgress{Class: e.Class, Name: e.Class})
			k = len(classes) - 1
		}
		classes[k].Total++
		if e.Counted() {
			classes[k].Submitted++
		} else {
			classes[k].Missing = append(classes[k].Missing, e)
		}
		for _, g := range e.GroupIDs {
			i, ok := gi[g]
			if !ok {
				continue
			}
			groups[i].Total++
			if e.Counted() {
				groups[i].Submitted++
			} else {
				groups[i].Missing = append(groups[i].Missing, e)
			}
		}
	}
	return classes, groups
}

// review compares the newest computed version with the published one
// (or lists it alone when nothing is published).
func (s *Server) review(c echo.Context, b *roundBody, st analytics.RoundState) error {
	ctx := c.Request().Context()
	latest, err := s.store.RankingVersion(ctx, st.Round, st.LatestVersion)
	if err != nil {
		return err
	}
	b.ReviewVersion = latest.Version
	b.Unpublished = st.PublishedVersion != 0 && st.LatestVersion > st.PublishedVersion
	old := map[string]analytics.UnitRanking{}
	if st.PublishedVersion != 0 && st.PublishedVersion != st.LatestVersion {
		pub, err := s.published(ctx, st.Round)
		if err != nil {
			return err
		}
		b.ReviewAgainst = pub.Version
		for _, u := range pub.Units {
			old[u.UnitID] = u
		}
	}
	for _, u := range latest.Units {
		r := reviewRow{UnitID: u.UnitID, Name: u.Name, Category: u.Category, NewScore: u.Score, NewRank: u.Rank}
		if o, ok := old[u.UnitID]; ok {
			r.OldScore, r.OldRank = o.Score, o.Rank
			if o.Score != nil && u.Score != nil {
				d := math.Round((*u.Score-*o.Score)*100) / 100
				r.ScoreDelta = &d
			}
			r.Changed = !sameOpt(o.Score, u.Score) || !sameOptInt(o.Rank, u.Rank)
		}
		b.Review = append(b.Review, r)
	}
	return nil
}

func sameOpt(a, b *float64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func sameOptInt(a, b *int) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// roundAction runs one lifecycle transition; a transition the round's state
// does not allow, or a bad input, answers the round page with a Chinese
// message and 422.
func (s *Server) roundAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		round, err := adminRoundParam(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		actor, now := currentUser(c).Username, s.now()
		refuse := func(msg string) error {
			return s.renderRound(c, http.StatusUnprocessableEntity, round, roundBody{Error: msg})
		}
		st, err := s.store.Round(ctx, round)
		if err != nil {
			return err
		}
		if st.Status == "" && st.LatestVersion == 0 {
			return echo.NewHTTPError(http.StatusNotFound, "没有这个轮次")
		}
		switch action {
		case "open", "reopen":
			due, perr := time.ParseInLocation(datetimeLocal, strings.TrimSpace(c.FormValue("deadline")), time.Local)
			if perr != nil {
				return refuse("请填写截止时间")
			}
			if !due.After(now) {
				return refuse("截止时间须晚于当前时间")
			}
			if action == "open" {
				_, err = s.store.OpenRound(ctx, round, due, actor, now)
			} else {
				reason := strings.TrimSpace(c.FormValue("reason"))
				if reason == "" {
					return refuse("重新开放须填写原因")
				}
				if len([]rune(reason)) > 500 {
					return refuse("原因不能超过 500 字")
				}
				_, err = s.store.ReopenRound(ctx, round, reason, due, actor, now)
			}
		case "close":
			_, err = s.store.CloseRound(ctx, round, actor, now)
		case "compute":
			if !canCompute(st.Status) {
				return refuse("本轮为“" + statusName(st.Status) + "”状态,须先截止评议再计算")
			}
			_, err = s.store.ScoreRound(ctx, round, s.cfg.Scheme, actor, now)
		case "publish", "correct":
			// publish takes a closed (or never managed) round, correct a
			// published one: the page shows the form that fits.
			if (action == "correct") != (st.Status == analytics.RoundPublished) {
				err = analytics.ErrRoundState
				break
			}
			reason := strings.TrimSpace(c.FormValue("reason"))
			version := 0 // the newest, when the form names none
			if v := c.FormValue("version"); v != "" {
				n, verr := strconv.Atoi(v)
				if verr != nil || n < 1 {
					return refuse("版本号无效")
				}
				version = n
			}
			_, err = s.store.Publish(ctx, round, analytics.PublishOptions{Version: version, Reason: reason}, actor, now)
			if msg := publishRefusal(err); msg != "" {
				return s.renderRound(c, http.StatusUnprocessableEntity, round, roundBody{Error: msg, Reason: reason})
			}
		}
		s.invalidate()
		if errors.Is(err, analytics.ErrRoundState) {
			return refuse("本轮当前为“" + statusName(st.Status) + "”状态,不能" + actionName(action) + "(" + allowedHint(action) + ")")
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/rounds/"+url.PathEscape(round)+"?done="+action)
	}
}

// publishRefusal words a refused publication; "" for other errors.
func publishRefusal(err error) string {
	var ge *analytics.GateError
	switch {
	case errors.As(err, &ge):
		return ge.Error() + "。如确需发布,须填写理由。"
	case errors.Is(err, analytics.ErrReasonRequired):
		return "发布更正版须填写更正理由。"
	case errors.Is(err, analytics.ErrReasonTooLong):
		return fmt.Sprintf("理由不能超过 %d 字。", analytics.MaxPublishReason)
	case errors.Is(err, analytics.ErrNoSuchVersion):
		return "没有这个计算版本。"
	}
	return ""
}

func actionName(a string) string {
	switch a {
	case "open":
		return "开放评议"
	case "close":
		return "截止评议"
	case "compute":
		return "计算"
	case "publish":
		return "发布"
	case "correct":
		return "发布更正版"
	case "reopen":
		return "重新开放"
	}
	return a
}

func allowedHint(a string) string {
	switch a {
	case "open":
		return "只有草稿状态的轮次可以开放"
	case "close":
		return "只有评议中的轮次可以截止"
	case "publish":
		return "须先截止评议并计算;已发布的轮次请发布更正版"
	case "correct":
		return "只有已发布且有更新计算版本的轮次可以发布更正版"
	case "reopen":
		return "只有已截止或已发布的轮次可以重新开放"
	}
	return ""
}

// roundQAAnnex renders the office-only QA annex of a round (评议质量附件):
// the evaluators by name. It is a download, as the generated reports are:
// its inline scripts are for opening it from a file.
func (s *Server) roundQAAnnex(c echo.Context) error {
	round, err := adminRoundParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	meta := reports.Meta{Office: s.cfg.Office, City: s.cfg.City, Date: reports.ChineseDate(s.now())}
	bld, err := reports.New(s.store, meta, s.cfg.Scheme)
	if err != nil {
		return err
	}
	d, err := bld.RoundQAAnnex(ctx, round)
	if errors.Is(err, analytics.ErrNotScored) {
		return echo.NewHTTPError(http.StatusNotFound, "该轮次尚未计算结果")
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+d.Name+`.html"`)
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, d.HTML)
}
