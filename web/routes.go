package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Route is one route of the service with the roles allowed on it (nil:
// public). The role × route test walks this table.
type Route struct {
	Method, Path string
	Roles        []string
	Handler      echo.HandlerFunc
	Middleware   []echo.MiddlewareFunc
}

// Routes lists every route of the server (for tests and documentation).
func (s *Server) Routes() []Route { return s.routes() }

// routes is the one list of every route; handlers live in one file per page
// or page group.
func (s *Server) routes() []Route {
	loginLimit := middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: s.cfg.LoginRate, Burst: s.cfg.LoginBurst}),
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			return echo.NewHTTPError(http.StatusTooManyRequests, "登录尝试过于频繁,请稍后再试")
		},
	})
	get, post := http.MethodGet, http.MethodPost
	return []Route{
		// Public: login, health, static files.
		{Method: get, Path: "/login", Roles: public, Handler: s.loginForm},
		{Method: post, Path: "/login", Roles: public, Handler: s.login, Middleware: []echo.MiddlewareFunc{loginLimit}},
		{Method: get, Path: "/healthz", Roles: public, Handler: s.healthz},
		{Method: get, Path: "/static/:name", Roles: public, Handler: s.asset},

		// Every account.
		{Method: get, Path: "/", Roles: anyRole, Handler: s.home},
		{Method: post, Path: "/logout", Roles: anyRole, Handler: s.logout},
		{Method: get, Path: "/account", Roles: anyRole, Handler: s.accountPage},
		{Method: post, Path: "/account/password", Roles: anyRole, Handler: s.changePassword},

		// --- rounds and evaluator portal (rounds.go, portal.go) ---

		// --- leadership dashboard, exports, what-if (dashboard.go, unit.go, counties.go, alerts.go, annual.go, export.go, whatif.go) ---

		// --- JSON API and meeting-room screen (api.go, openapi.go, screen.go) ---

		// --- admin: imports, users, audit, reports (imports.go, users.go, audit.go, reports.go) ---
	}
}
