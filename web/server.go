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
	// BodyReadTimeout bounds how long a request body may take to arrive;
	// UploadReadTimeout replaces it for an admin's upload (a 1 GB upload
	// within 30 minutes needs about 0.6 MB/s).
	BodyReadTimeout, UploadReadTimeout time.Duration
	// UploadsPerAccount is how many uploads one account may have in
	// progress at once; beyond it the upload is answered 429.
	UploadsPerAccount int
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
		Addr:              ":8080",
		Scheme:            scoring.DefaultScheme(),
		SessionTTL:        8 * time.Hour,
		LoginRate:         rate.Limit(1),
		LoginBurst:        10,
		BodyLimit:         "2M",
		UploadLimit:       "1G",
		RequestTimeout:    30 * time.Second,
		BodyReadTimeout:   time.Minute,
		UploadReadTimeout: 30 * time.Minute,
		UploadsPerAccount: 2,
		Office:            "市机关效能建设领导小组办公室",
		City:              "示范市",
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
	if c.BodyReadTimeout == 0 {
		c.BodyReadTimeout = d.BodyReadTimeout
	}
	if c.UploadReadTimeout == 0 {
		c.UploadReadTimeout = d.UploadReadTimeout
	}
	if c.UploadsPerAccount == 0 {
		c.UploadsPerAccount = d.UploadsPerAccount
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
	uploads *uploadSlots
}

// NewServer builds the server and its routes; it does not listen.
func NewServer(store *analytics.Store, cfg Config) (*Server, error) {
	cfg.fill()
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, cfg: cfg, pages: p, sess: newSessionCache(), cache: map[string]any{},
		uploads: newUploadSlots(cfg.UploadsPerAccount)}
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
	// Nothing below reads a body before authorize has checked the account
	// and its role, and the upload's CSRF token is read from its header
	// only, so a refused upload is answered from the headers alone.
	e.Use(s.readDeadline)
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
	routes := s.routes()
	roles := map[string][]string{}
	for _, r := range routes {
		roles[r.Method+" "+r.Path] = r.Roles
	}
	e.Use(s.authorize(roles))
	e.Use(s.csrf(false), s.csrf(true))
	for _, r := range routes {
		e.Add(r.Method, r.Path, r.Handler, r.Middleware...)
	}
	return e
}

// csrf is the CSRF check of the upload route (upload true), which takes the
// token from the X-CSRF-Token header only and never parses the multipart
// body to find it, or of every other route, which also accept the _csrf
// form field. A browser's own Sec-Fetch-Site: same-origin passes without a
// token (echo's fetch-metadata check), so the plain import form still posts.
func (s *Server) csrf(upload bool) echo.MiddlewareFunc {
	lookup, msg := "header:X-CSRF-Token,form:_csrf", "请求校验失败(CSRF),请刷新页面后重试"
	if upload {
		lookup, msg = "header:X-CSRF-Token", "请求校验失败(CSRF):请刷新数据导入页面后重新上传"
	}
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    lookup,
		CookieName:     "xn_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.TLS,
		CookieSameSite: http.SameSiteStrictMode,
		ContextKey:     ctxCSRF,
		// A bearer-token API call carries no cookie a browser could be
		// tricked into sending, so it needs no CSRF token; each of the two
		// checks leaves the other's routes alone.
		Skipper: func(c echo.Context) bool { return c.Get(ctxBearer) == true || isUpload(c) != upload },
		ErrorHandler: func(err error, c echo.Context) error {
			if upload {
				closeUnread(c)
			}
			return echo.NewHTTPError(http.StatusForbidden, msg)
		},
	})
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
