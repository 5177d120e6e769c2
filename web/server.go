// Package web is the xiaoneng web service: the leadership dashboard, the
// evaluators' scoring portal, the efficiency office's admin console and the
// JSON API, on one echo server with everything embedded in the binary.
// Handlers are thin: bind, validate, one store call, scoring or reports,
// render. routes.go lists every route with the roles allowed on it.
package web

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Config is the web service's configuration; zero fields take the defaults
// of DefaultConfig.
type Config struct {
	// Addr is the listen address, e.g. ":8080".
	Addr string
	// Scheme scores rounds computed through the web and is the base of what-if.
	Scheme scoring.Scheme
	// TLS marks cookies Secure and sends HSTS; set it when serving over
	// HTTPS directly or behind a TLS-terminating proxy.
	TLS bool
	// TrustProxy takes the client address from X-Forwarded-For (only behind
	// a reverse proxy that sets it); otherwise the socket address is used, so
	// the login rate limit cannot be dodged with a forged header.
	TrustProxy bool
	// SessionTTL is how long a login lasts.
	SessionTTL time.Duration
	// LoginRate and LoginBurst limit login attempts per client address.
	LoginRate  rate.Limit
	LoginBurst int
	// BodyLimit caps request bodies except uploads; UploadLimit caps imports.
	BodyLimit, UploadLimit string
	// RequestTimeout bounds a request's work (imports and reports excepted).
	RequestTimeout time.Duration
	// Office, City and ReportDir configure the 报告 page's bulletins.
	Office, City string
	ReportDir    string
	// BackupDir is where the 数据备份 page writes backups; empty means a
	// backups folder beside the database.
	BackupDir string
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time
}

// DefaultConfig is the configuration of `xiaoneng serve` without flags.
func DefaultConfig() Config {
	return Config{
		Addr:           ":8080",
		Scheme:         scoring.DefaultScheme(),
		SessionTTL:     8 * time.Hour,
		LoginRate:      rate.Limit(1),
		LoginBurst:     10,
		BodyLimit:      "2M",
		UploadLimit:    "1G",
		RequestTimeout: 30 * time.Second,
		Office:         "市机关效能建设领导小组办公室",
		City:           "示范市",
	}
}

func (c *Config) fill() {
	d := DefaultConfig()
	if c.Addr == "" {
		c.Addr = d.Addr
	}
	if c.Scheme.PeerPoints == 0 && c.Scheme.SatisfactionPoints == 0 {
		c.Scheme = d.Scheme
	}
	if c.SessionTTL == 0 {
		c.SessionTTL = d.SessionTTL
	}
	if c.LoginRate == 0 {
		c.LoginRate = d.LoginRate
	}
	if c.LoginBurst == 0 {
		c.LoginBurst = d.LoginBurst
	}
	if c.BodyLimit == "" {
		c.BodyLimit = d.BodyLimit
	}
	if c.UploadLimit == "" {
		c.UploadLimit = d.UploadLimit
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = d.RequestTimeout
	}
	if c.Office == "" {
		c.Office = d.Office
	}
	if c.City == "" {
		c.City = d.City
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Server is the web service over one store.
type Server struct {
	store *analytics.Store
	cfg   Config
	e     *echo.Echo
	pages *pages
	sess  *sessionCache
	// cache holds values that never change once computed (published score
	// runs by run id), so hot pages and the API do not reread them.
	cacheMu sync.Mutex
	cache   map[string]any
}

// NewServer builds the server and its routes; it does not listen.
func NewServer(store *analytics.Store, cfg Config) (*Server, error) {
	cfg.fill()
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, cfg: cfg, pages: p, sess: newSessionCache(), cache: map[string]any{}}
	s.e = s.build()
	return s, nil
}

// Handler is the server's http.Handler (tests drive it with httptest).
func (s *Server) Handler() http.Handler { return s.e }

// Echo exposes the echo instance (for the route listing in tests).
func (s *Server) Echo() *echo.Echo { return s.e }

// ListenAndServe serves on cfg.Addr until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context) error {
	hs := &http.Server{
		Addr:              s.cfg.Addr,
		Handler:           s.e,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := hs.Shutdown(sctx)
		if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
			return e
		}
		return err
	}
}

// csp allows only the server's own scripts, styles and images: chart options
// travel as JSON in <script type="application/json"> and static/charts.js
// draws them, so no inline script is ever needed.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) build() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	if s.cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.HTTPErrorHandler = s.errorHandler
	e.Pre(apiNoStore)
	e.Use(middleware.Recover())
	sec := middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: csp,
		ReferrerPolicy:        "same-origin",
	}
	e.Use(middleware.SecureWithConfig(sec))
	if s.cfg.TLS {
		// Behind a TLS-terminating proxy the request reaching us is plain
		// HTTP, so echo's Secure middleware would leave HSTS out.
		e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.Response().Header().Set(echo.HeaderStrictTransportSecurity, "max-age=31536000")
				return next(c)
			}
		})
	}
	// Both limits run before CSRF, which may parse a form body.
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   s.cfg.BodyLimit,
		Skipper: func(c echo.Context) bool { return isUpload(c) },
	}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   s.cfg.UploadLimit,
		Skipper: func(c echo.Context) bool { return !isUpload(c) },
	}))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
		Timeout: s.cfg.RequestTimeout,
		Skipper: func(c echo.Context) bool { return isUpload(c) || isLongRunning(c) },
	}))
	e.Use(s.authenticate)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		// The header first: an upload sending it is not parsed as a form
		// just to find the token.
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		CookieName:     "xn_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.TLS,
		CookieSameSite: http.SameSiteStrictMode,
		ContextKey:     ctxCSRF,
		// A bearer-token API call carries no cookie a browser could be
		// tricked into sending, so it needs no CSRF token.
		Skipper: func(c echo.Context) bool { return c.Get(ctxBearer) == true },
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "请求校验失败(CSRF),请刷新页面后重试")
		},
	}))
	for _, r := range s.routes() {
		h := s.require(r.Roles, r.Handler)
		e.Add(r.Method, r.Path, h, r.Middleware...)
	}
	return e
}

// isUpload tells the import upload route, which has its own larger body
// limit and no request timeout.
func isUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/admin/imports"
}

// isLongRunning tells the routes whose work may take longer than the
// request timeout (computing a round, generating reports).
func isLongRunning(c echo.Context) bool {
	p := c.Path()
	return c.Request().Method == http.MethodPost && (p == "/admin/rounds/:round/compute" || p == "/reports" || p == "/admin/backup")
}

func (s *Server) now() time.Time { return s.cfg.Now() }
