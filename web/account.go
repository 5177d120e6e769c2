package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

type accountBody struct {
	Message, Error string
}

func (s *Server) accountPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "account", "我的账户", accountBody{})
}

// changePassword lets any account change its own password after giving the
// current one; its other sessions end.
func (s *Server) changePassword(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	now := s.now()
	if _, err := s.store.Authenticate(ctx, u.Username, c.FormValue("current"), c.RealIP(), now); err != nil {
		if errors.Is(err, analytics.ErrLockedOut) {
			return s.render(c, http.StatusTooManyRequests, "account", "我的账户", accountBody{Error: lockoutMessage(err)})
		}
		return s.render(c, http.StatusUnprocessableEntity, "account", "我的账户", accountBody{Error: "当前密码不正确"})
	}
	pw := c.FormValue("password")
	if pw != c.FormValue("confirm") {
		return s.render(c, http.StatusUnprocessableEntity, "account", "我的账户", accountBody{Error: "两次输入的新密码不一致"})
	}
	if err := analytics.CheckPassword(pw); err != nil {
		return s.render(c, http.StatusUnprocessableEntity, "account", "我的账户", accountBody{Error: "新密码至少 8 个字符,且不超过 72 字节"})
	}
	if err := s.store.SetPassword(ctx, u.Username, pw, u.Username, now); err != nil {
		return err
	}
	s.sess.forgetUser(u.Username)
	return c.Redirect(http.StatusSeeOther, "/login")
}
