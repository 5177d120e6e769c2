package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// usrNameRE is what the web accepts as a new user name: it appears in the
// accounts' URLs, so it is kept to letters, digits and . _ - (the CLI may
// create others; they are still listed and managed here).
var usrNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// usrBody is what admin_users.html shows.
type usrBody struct {
	Users   []usrRow
	Roles   []usrRole
	Me      string
	Message string
	Error   string
	Form    usrForm // the add form, kept after a refusal
	Token   *usrToken
	// Password rules of analytics.CheckPassword and the login throttle, for the forms.
	MinLen, MaxBytes, MaxHanzi int
	ThrottleRule               string
}

type usrRole struct{ Value, Label string }

type usrForm struct {
	Username, DisplayName, Role, EvaluatorID string
}

// usrToken is a new API token, shown once.
type usrToken struct {
	Username, Name, Token string
}

// usrRow is one account as listed.
type usrRow struct {
	analytics.User
	Locked  bool
	Self    bool
	PathKey string // the user name escaped for the accounts' URLs
}

var usrRoles = []usrRole{
	{analytics.RoleAdmin, "效能办"}, {analytics.RoleLeader, "领导"}, {analytics.RoleEvaluator, "评议人"},
}

// usrMessages are the confirmations after a change (?done=…).
var usrMessages = map[string]string{
	"added": "账户已创建", "reset": "密码已重置,该账户的登录和 API 令牌已失效",
	"disabled": "账户已停用,其登录和 API 令牌立即失效", "enabled": "账户已启用",
}

// adminUsersPage lists the accounts with the forms to change them.
func (s *Server) adminUsersPage(c echo.Context) error {
	b := usrBody{Form: usrForm{Role: analytics.RoleEvaluator}}
	if m, ok := usrMessages[c.QueryParam("done")]; ok {
		b.Message = m + ":" + c.QueryParam("user")
	}
	return s.usrRender(c, http.StatusOK, b)
}

func (s *Server) usrRender(c echo.Context, status int, b usrBody) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	me := currentUser(c).Username
	now := s.now()
	for _, u := range users {
		b.Users = append(b.Users, usrRow{User: u, Self: u.Username == me,
			Locked: !u.LockedUntil.IsZero() && now.Before(u.LockedUntil), PathKey: url.PathEscape(u.Username)})
	}
	b.Roles, b.Me = usrRoles, me
	b.MinLen, b.MaxBytes, b.MaxHanzi = analytics.MinPasswordLen, analytics.MaxPasswordBytes, analytics.MaxPasswordBytes/3
	b.ThrottleRule = throttleRule
	return s.render(c, status, "admin_users", "账户", b)
}

// throttleRule words analytics' login throttle for the accounts page.
var throttleRule = fmt.Sprintf("同一地址连续 %d 次登录失败后,该地址须等待 %d 分钟再试,此后每失败一次等待加倍,最长 %d 分钟;"+
	"账户自上次成功登录以来累计失败 %d 次后,任何地址每失败一次,账户须等待 %d 秒,逐次加倍,最长 %d 秒。成功登录清零,重置密码或启用账户也清零。",
	analytics.AddressFreeFailures, int(analytics.AddressBaseDelay.Minutes()), int(analytics.AddressMaxDelay.Minutes()),
	analytics.AccountFreeFailures, int(analytics.AccountBaseDelay.Seconds()), int(analytics.AccountMaxDelay.Seconds()))

// usrDone redirects back to the list with a confirmation.
func usrDone(c echo.Context, what, username string) error {
	return c.Redirect(http.StatusSeeOther, "/admin/users?done="+what+"&user="+url.QueryEscape(username))
}

// usrFail shows the list again with an error.
func (s *Server) usrFail(c echo.Context, status int, msg string, f usrForm) error {
	if f.Role == "" {
		f.Role = analytics.RoleEvaluator
	}
	return s.usrRender(c, status, usrBody{Error: msg, Form: f})
}

// usrPasswordError words a password refusal; "" when the password is fine.
func usrPasswordError(pw, confirm string) string {
	if pw != confirm {
		return "两次输入的密码不一致"
	}
	if analytics.CheckPassword(pw) != nil {
		return fmt.Sprintf("密码至少 %d 个字符,且不超过 %d 字节(约 %d 个汉字)", analytics.MinPasswordLen, analytics.MaxPasswordBytes, analytics.MaxPasswordBytes/3)
	}
	return ""
}

// adminUsersAdd creates an account.
func (s *Server) adminUsersAdd(c echo.Context) error {
	f := usrForm{Username: strings.TrimSpace(c.FormValue("username")), DisplayName: strings.TrimSpace(c.FormValue("display_name")),
		Role: c.FormValue("role"), EvaluatorID: strings.TrimSpace(c.FormValue("evaluator_id"))}
	bad := func(msg string) error { return s.usrFail(c, http.StatusUnprocessableEntity, msg, f) }
	if !usrNameRE.MatchString(f.Username) {
		return bad("用户名须为 1–64 个字母、数字、点、下划线或连字符,并以字母或数字开头")
	}
	if f.Role != analytics.RoleAdmin && f.Role != analytics.RoleLeader && f.Role != analytics.RoleEvaluator {
		return bad("请选择角色")
	}
	if f.Role != analytics.RoleEvaluator {
		f.EvaluatorID = "" // only evaluators are linked to an evaluator
	} else if f.EvaluatorID == "" {
		return bad("评议人账户须填写评议人编码(evaluators 表中的 evaluator_id)")
	}
	if msg := usrPasswordError(c.FormValue("password"), c.FormValue("confirm")); msg != "" {
		return bad(msg)
	}
	u := analytics.User{Username: f.Username, DisplayName: f.DisplayName, Role: f.Role, EvaluatorID: f.EvaluatorID}
	err := s.store.AddUser(c.Request().Context(), u, c.FormValue("password"), currentUser(c).Username, s.now())
	switch {
	case errors.Is(err, analytics.ErrUserExists):
		return s.usrFail(c, http.StatusConflict, "用户名已存在", f)
	case errors.Is(err, analytics.ErrUnknownEvaluer):
		return bad("评议人编码不存在,请先导入评议人名单")
	case err != nil:
		return err
	}
	s.invalidate()
	return usrDone(c, "added", f.Username)
}

// usrTarget reads the :username of an account route and checks it exists.
func (s *Server) usrTarget(c echo.Context) (analytics.User, error) {
	name := c.Param("username")
	if c.Request().URL.RawPath != "" {
		// echo matched the escaped path: the parameter is still escaped.
		n, err := url.PathUnescape(name)
		if err != nil {
			return analytics.User{}, echo.NewHTTPError(http.StatusNotFound, "账户不存在")
		}
		name = n
	}
	u, err := s.store.GetUser(c.Request().Context(), name)
	if errors.Is(err, analytics.ErrNoUser) {
		return u, echo.NewHTTPError(http.StatusNotFound, "账户不存在")
	}
	return u, err
}

// adminUserReset sets a new password; the account's sessions and tokens end
// at once (the session cache is cleared too).
func (s *Server) adminUserReset(c echo.Context) error {
	u, err := s.usrTarget(c)
	if err != nil {
		return err
	}
	pw := c.FormValue("password")
	if msg := usrPasswordError(pw, c.FormValue("confirm")); msg != "" {
		return s.usrFail(c, http.StatusUnprocessableEntity, u.Username+":"+msg, usrForm{})
	}
	if err := s.store.SetPassword(c.Request().Context(), u.Username, pw, currentUser(c).Username, s.now()); err != nil {
		return err
	}
	s.sess.forgetUser(u.Username)
	s.invalidate()
	return usrDone(c, "reset", u.Username)
}

// adminUserDisable disables an account (never the admin's own): its
// sessions and tokens stop working immediately.
func (s *Server) adminUserDisable(c echo.Context) error {
	return s.usrSetDisabled(c, true)
}

// adminUserEnable enables a disabled account again.
func (s *Server) adminUserEnable(c echo.Context) error {
	return s.usrSetDisabled(c, false)
}

func (s *Server) usrSetDisabled(c echo.Context, disabled bool) error {
	u, err := s.usrTarget(c)
	if err != nil {
		return err
	}
	if disabled && u.Username == currentUser(c).Username {
		return s.usrFail(c, http.StatusUnprocessableEntity, "不能停用自己的账户", usrForm{})
	}
	if err := s.store.SetDisabled(c.Request().Context(), u.Username, disabled, currentUser(c).Username, s.now()); err != nil {
		return err
	}
	s.sess.forgetUser(u.Username)
	s.invalidate()
	if disabled {
		return usrDone(c, "disabled", u.Username)
	}
	return usrDone(c, "enabled", u.Username)
}

// adminUserToken creates an API bearer token for an account and shows it
// once (only its hash is stored).
func (s *Server) adminUserToken(c echo.Context) error {
	u, err := s.usrTarget(c)
	if err != nil {
		return err
	}
	if u.Disabled {
		return s.usrFail(c, http.StatusUnprocessableEntity, u.Username+":已停用的账户不能创建令牌", usrForm{})
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" {
		name = "api"
	}
	if len([]rune(name)) > 64 {
		return s.usrFail(c, http.StatusUnprocessableEntity, "令牌名称最多 64 个字符", usrForm{})
	}
	tok, err := s.store.CreateAPIToken(c.Request().Context(), u.Username, name, currentUser(c).Username, s.now())
	if err != nil {
		return err
	}
	s.invalidate()
	return s.usrRender(c, http.StatusOK, usrBody{Form: usrForm{Role: analytics.RoleEvaluator},
		Token: &usrToken{Username: u.Username, Name: name, Token: tok}})
}
