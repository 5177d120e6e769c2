package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Route is one route of the service with the roles allowed on it (nil:
// public), checked before the CSRF check or any read of the body. The role ×
// route test walks this table.
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
		{Method: get, Path: "/favicon.ico", Roles: public, Handler: s.favicon},

		// Every account.
		{Method: get, Path: "/", Roles: anyRole, Handler: s.home},
		{Method: post, Path: "/logout", Roles: anyRole, Handler: s.logout},
		{Method: get, Path: "/account", Roles: anyRole, Handler: s.accountPage},
		{Method: post, Path: "/account/password", Roles: anyRole, Handler: s.changePassword},

		// --- rounds and evaluator portal (rounds.go, portal.go) ---
		{Method: get, Path: "/admin/rounds", Roles: adminOnly, Handler: s.adminRounds},
		{Method: post, Path: "/admin/rounds", Roles: adminOnly, Handler: s.createRound},
		{Method: get, Path: "/admin/rounds/:round", Roles: adminOnly, Handler: s.adminRound},
		{Method: post, Path: "/admin/rounds/:round/open", Roles: adminOnly, Handler: s.roundAction("open")},
		{Method: post, Path: "/admin/rounds/:round/close", Roles: adminOnly, Handler: s.roundAction("close")},
		{Method: post, Path: "/admin/rounds/:round/compute", Roles: adminOnly, Handler: s.roundAction("compute")},
		{Method: post, Path: "/admin/rounds/:round/publish", Roles: adminOnly, Handler: s.roundAction("publish")},
		{Method: post, Path: "/admin/rounds/:round/correct", Roles: adminOnly, Handler: s.roundAction("correct")},
		{Method: get, Path: "/admin/rounds/:round/qa-annex", Roles: adminOnly, Handler: s.roundQAAnnex},
		{Method: post, Path: "/admin/rounds/:round/reopen", Roles: adminOnly, Handler: s.roundAction("reopen")},
		{Method: get, Path: "/portal", Roles: evaluatorOnl, Handler: s.portal},
		{Method: get, Path: "/portal/:round", Roles: evaluatorOnl, Handler: s.portalRound},
		{Method: post, Path: "/portal/:round", Roles: evaluatorOnl, Handler: s.portalSave},
		{Method: post, Path: "/portal/:round/submit", Roles: evaluatorOnl, Handler: s.portalSubmit},

		// --- leadership dashboard, exports, what-if (dashboard.go, unit.go, counties.go, alerts.go, annual.go, export.go, whatif.go) ---
		{Method: get, Path: "/dashboard", Roles: leaders, Handler: s.dashboard},
		{Method: get, Path: "/units/:unit", Roles: leaders, Handler: s.unitPageHandler},
		{Method: get, Path: "/counties", Roles: leaders, Handler: s.countiesPage},
		{Method: get, Path: "/alerts", Roles: leaders, Handler: s.alertsPageHandler},
		{Method: get, Path: "/annual", Roles: leaders, Handler: s.annualPageHandler},
		{Method: get, Path: "/export/:table", Roles: leaders, Handler: s.export},
		{Method: get, Path: "/whatif", Roles: leaders, Handler: s.whatIfPageHandler},
		{Method: get, Path: "/api/v1/whatif", Roles: leaders, Handler: s.apiWhatIf},

		// --- JSON API and meeting-room screen (api.go, openapi.go, screen.go) ---
		{Method: get, Path: "/api/v1/openapi.json", Roles: public, Handler: s.apiOpenAPI},
		{Method: get, Path: "/api/v1/rankings", Roles: leaders, Handler: s.apiRankings},
		{Method: get, Path: "/api/v1/rankings/:round", Roles: leaders, Handler: s.apiRanking},
		{Method: get, Path: "/api/v1/units", Roles: leaders, Handler: s.apiUnits},
		{Method: get, Path: "/api/v1/units/:unit", Roles: leaders, Handler: s.apiUnitDetail},
		{Method: get, Path: "/api/v1/indicators", Roles: leaders, Handler: s.apiIndicators},
		{Method: get, Path: "/api/v1/projects", Roles: leaders, Handler: s.apiProjects},
		{Method: get, Path: "/api/v1/interviews", Roles: leaders, Handler: s.apiInterviews},
		{Method: get, Path: "/api/v1/alerts", Roles: leaders, Handler: s.apiAlerts},
		{Method: get, Path: "/api/v1/assignments", Roles: evaluatorOnl, Handler: s.apiAssignments},
		{Method: get, Path: "/api/v1/scores/:round", Roles: evaluatorOnl, Handler: s.apiSheet},
		{Method: http.MethodPut, Path: "/api/v1/scores/:round", Roles: evaluatorOnl, Handler: s.apiSaveDraft},
		{Method: post, Path: "/api/v1/scores/:round/submit", Roles: evaluatorOnl, Handler: s.apiSubmit},
		{Method: get, Path: "/screen", Roles: leaders, Handler: s.screenPage},

		// --- admin: imports, users, audit, reports (imports.go, users.go, audit.go, reports.go) ---
		{Method: get, Path: "/admin/imports", Roles: adminOnly, Handler: s.adminImportsPage},
		// The upload skips the server-wide body limit and timeout; it has its
		// own limit, read deadline and per-account count of uploads.
		{Method: post, Path: "/admin/imports", Roles: adminOnly, Handler: s.adminImportsUpload,
			Middleware: []echo.MiddlewareFunc{middleware.BodyLimit(s.cfg.UploadLimit), s.uploadGuard}},
		{Method: get, Path: "/admin/users", Roles: adminOnly, Handler: s.adminUsersPage},
		{Method: post, Path: "/admin/users", Roles: adminOnly, Handler: s.adminUsersAdd},
		{Method: post, Path: "/admin/users/:username/reset", Roles: adminOnly, Handler: s.adminUserReset},
		{Method: post, Path: "/admin/users/:username/disable", Roles: adminOnly, Handler: s.adminUserDisable},
		{Method: post, Path: "/admin/users/:username/enable", Roles: adminOnly, Handler: s.adminUserEnable},
		{Method: post, Path: "/admin/users/:username/token", Roles: adminOnly, Handler: s.adminUserToken},
		{Method: get, Path: "/admin/audit", Roles: adminOnly, Handler: s.adminAuditPage},
		{Method: get, Path: "/admin/backup", Roles: adminOnly, Handler: s.adminBackupPage},
		{Method: post, Path: "/admin/backup", Roles: adminOnly, Handler: s.adminBackupRun},
		{Method: get, Path: "/reports", Roles: leaders, Handler: s.reportsPage},
		{Method: post, Path: "/reports", Roles: leaders, Handler: s.reportsGenerate},
		{Method: get, Path: "/reports/files/:name", Roles: leaders, Handler: s.reportsFile},

		// --- 督办扣分 (issue 7) (task_deductions.go) ---
		{Method: get, Path: "/admin/task-deductions", Roles: adminOnly, Handler: s.adminTaskDeductions},
		{Method: post, Path: "/admin/task-deductions/confirm", Roles: adminOnly, Handler: s.adminTaskDeductionConfirm},
		{Method: post, Path: "/admin/task-deductions/dismiss", Roles: adminOnly, Handler: s.adminTaskDeductionDismiss},

		// --- 督办台账 and 目标任务 (issue 7) (tasks.go, targets.go) ---
		{Method: get, Path: "/tasks", Roles: leaders, Handler: s.tasksPageHandler},
		{Method: get, Path: "/tasks/:task", Roles: leaders, Handler: s.taskPageHandler},
		{Method: get, Path: "/targets", Roles: leaders, Handler: s.targetsPageHandler},
	}
}
