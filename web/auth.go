package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// Context keys.
const (
	ctxUser   = "xn_user"   // *analytics.User of the request, when logged in
	ctxBearer = "xn_bearer" // true when authenticated by an API bearer token
	ctxCSRF   = "xn_csrf"   // the CSRF token for forms and fetch calls
	ctxToken  = "xn_token"  // the session token (for logout)
)

// sessionCookie is the login cookie's name.
const sessionCookie = "xn_session"

// sessionCacheTTL bounds how long a looked-up session is trusted without
// rereading the database; logout, password resets and disabling through the
// web clear it at once.
const sessionCacheTTL = 10 * time.Second

type cachedUser struct {
	user    analytics.User
	expires time.Time // of the session
	fetched time.Time
}

// sessionCache keeps recently seen sessions and tokens, so a busy dashboard
// does not read the sessions table on every request.
type sessionCache struct {
	mu sync.Mutex
	m  map[string]cachedUser
}

func newSessionCache() *sessionCache { return &sessionCache{m: map[string]cachedUser{}} }

func (sc *sessionCache) get(key string, now time.Time) (analytics.User, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	cu, ok := sc.m[key]
	if !ok || now.Sub(cu.fetched) > sessionCacheTTL || (!cu.expires.IsZero() && !now.Before(cu.expires)) {
		delete(sc.m, key)
		return analytics.User{}, false
	}
	return cu.user, true
}

func (sc *sessionCache) put(key string, u analytics.User, exp, now time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.m) > 10000 {
		clear(sc.m)
	}
	sc.m[key] = cachedUser{user: u, expires: exp, fetched: now}
}

func (sc *sessionCache) forget(key string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.m, key)
}

func (sc *sessionCache) forgetUser(username string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for k, v := range sc.m {
		if v.user.Username == username {
			delete(sc.m, k)
		}
	}
}

// authenticate finds the request's account: from a bearer token on /api
// routes, else from the session cookie. It never refuses; require does.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		now := s.now()
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); strings.HasPrefix(c.Path(), "/api/") && h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || tok == "" {
				return echo.NewHTTPError(http.StatusUnauthorized, "Authorization 头须为 Bearer 令牌")
			}
			key := "t:" + analytics.TokenHash(tok)
			u, hit := s.sess.get(key, now)
			if !hit {
				var err error
				u, err = s.store.APIToken(ctx, tok)
				if err != nil {
					return echo.NewHTTPError(http.StatusUnauthorized, "令牌无效或已吊销")
				}
				s.sess.put(key, u, time.Time{}, now)
			}
			c.Set(ctxUser, &u)
			c.Set(ctxBearer, true)
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			key := "s:" + analytics.TokenHash(ck.Value)
			u, hit := s.sess.get(key, now)
			if !hit {
				var exp time.Time
				u, exp, err = s.store.Session(ctx, ck.Value, now)
				if err == nil {
					s.sess.put(key, u, exp, now)
					hit = true
				} else if !errors.Is(err, analytics.ErrNoSession) {
					return err
				}
			}
			if hit {
				c.Set(ctxUser, &u)
				c.Set(ctxToken, ck.Value)
			}
		}
		return next(c)
	}
}

// currentUser is the logged-in account of the request, or nil.
func currentUser(c echo.Context) *analytics.User {
	u, _ := c.Get(ctxUser).(*analytics.User)
	return u
}

// isAPI tells JSON routes, which answer 401/403 in JSON instead of redirecting.
func isAPI(c echo.Context) bool {
	return strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Request().URL.Path, "/api/")
}

// require wraps a handler with its role check (authorize applies it to every
// route before the CSRF check): roles nil means public; an
// anonymous request to a page is sent to the login page, to the API gets 401;
// a logged-in account without the role gets 403.
func (s *Server) require(roles []string, h echo.HandlerFunc) echo.HandlerFunc {
	if roles == nil {
		return h
	}
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			if isAPI(c) || c.Request().Method != http.MethodGet {
				return echo.NewHTTPError(http.StatusUnauthorized, "请先登录")
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		if !slices.Contains(roles, u.Role) {
			return echo.NewHTTPError(http.StatusForbidden, "无权访问此页面")
		}
		return h(c)
	}
}

// Role sets for the route table.
var (
	public       []string
	anyRole      = []string{analytics.RoleAdmin, analytics.RoleLeader, analytics.RoleEvaluator}
	adminOnly    = []string{analytics.RoleAdmin}
	leaders      = []string{analytics.RoleAdmin, analytics.RoleLeader}
	evaluatorOnl = []string{analytics.RoleEvaluator}
)

// homeOf is where each role lands after login.
func homeOf(role string) string {
	switch role {
	case analytics.RoleAdmin:
		return "/admin/rounds"
	case analytics.RoleEvaluator:
		return "/portal"
	default:
		return "/dashboard"
	}
}

type loginPage struct {
	Next, Username, Error string
}

func (s *Server) loginForm(c echo.Context) error {
	if u := currentUser(c); u != nil {
		return c.Redirect(http.StatusSeeOther, homeOf(u.Role))
	}
	return s.render(c, http.StatusOK, "login", "登录", loginPage{Next: safeNext(c.QueryParam("next"))})
}

func (s *Server) login(c echo.Context) error {
	name := strings.TrimSpace(c.FormValue("username"))
	pw := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	ctx := c.Request().Context()
	now := s.now()
	u, err := s.store.Authenticate(ctx, name, pw, c.RealIP(), now)
	if err != nil {
		msg := "用户名或密码错误"
		status := http.StatusUnauthorized
		switch {
		case errors.Is(err, analytics.ErrLockedOut):
			msg = lockoutMessage(err)
			status = http.StatusTooManyRequests
		case errors.Is(err, analytics.ErrDisabled):
			msg = "账户已停用,请联系效能办"
			status = http.StatusForbidden
		case !errors.Is(err, analytics.ErrBadPassword):
			return err
		}
		return s.render(c, status, "login", "登录", loginPage{Next: next, Username: name, Error: msg})
	}
	token, _, err := s.store.CreateSession(ctx, u.Username, now, s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	// MaxAge, not Expires: the browser's clock need not agree with ours.
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(s.cfg.SessionTTL.Seconds()),
		HttpOnly: true, Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode})
	if next == "" {
		next = homeOf(u.Role)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// lockoutMessage tells a throttled login how long to wait, rounded up to
// whole seconds below a minute and to whole minutes above.
func lockoutMessage(err error) string {
	w := analytics.LockoutWait(err)
	wait := fmt.Sprintf("%d 秒", int((w+time.Second-1)/time.Second))
	if w > time.Minute-time.Second {
		wait = fmt.Sprintf("%d 分钟", int((w+time.Minute-1)/time.Minute))
	}
	return "登录失败次数过多,请 " + wait + "后再试"
}

func (s *Server) logout(c echo.Context) error {
	if tok, ok := c.Get(ctxToken).(string); ok {
		s.sess.forget("s:" + analytics.TokenHash(tok))
		if err := s.store.DeleteSession(c.Request().Context(), tok); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, homeOf(currentUser(c).Role))
}

func (s *Server) healthz(c echo.Context) error {
	if err := s.store.DB().PingContext(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
