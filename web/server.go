// Package web is the portal's HTTP layer: routes, handlers and middleware.
// Handlers parse, authorise, call models and render views; rules live in models.
package web

import (
	"crypto/rand"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/web/mail"
)

// Config is what the server needs beyond the store.
type Config struct {
	SessionSecret  []byte       // at least 32 bytes; signs and encrypts the session cookie
	SecureCookies  bool         // set Secure on cookies (behind HTTPS)
	TrustedProxies []*net.IPNet // proxies whose X-Forwarded-For is believed; none by default
	Static         fs.FS        // the embedded static files
	Logger         *slog.Logger
	Now            func() time.Time // the clock of sessions and every rule a handler applies; the store's clock when nil
	Mail           mail.Config      // how invitation and reset links reach their owners' email
	// PrimaryAfterWrite is how long a browser's reads go to the primary after
	// its own write, with read replicas (DefaultPrimaryAfterWrite when 0).
	PrimaryAfterWrite time.Duration
}

// Server holds the portal's dependencies and its Echo instance.
type Server struct {
	store    *models.Store
	sessions *sessions.CookieStore
	// sessionName is the session cookie's name.
	sessionName string
	now         func() time.Time
	nav         map[models.Role][]views.NavItem // each role's main navigation, from the route table
	log         *slog.Logger
	cfg         Config
	echo        *echo.Echo
}

// Session lifetimes: a session ends 12 hours after sign-in whatever happens,
// and after 30 minutes without a request. Sensitive actions want the password
// again when it was last entered more than 15 minutes ago.
const (
	SessionMaxAge   = 12 * time.Hour
	SessionIdle     = 30 * time.Minute
	PasswordFresh   = 15 * time.Minute
	seenGranularity = time.Minute // "last seen" is rewritten at most this often
)

// New builds the server with every route registered.
func New(store *models.Store, cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{
		store: store,
		log:   cfg.Logger,
		cfg:   cfg,
		now:   cfg.Now,
	}
	if s.now == nil {
		s.now = store.Now // one clock: a test sets it once, with models.WithClock
	}
	s.sessions = newSessionStore(cfg.SessionSecret, cfg.SecureCookies)
	s.sessionName = "portal_session"
	if cfg.SecureCookies {
		// The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and for path /.
		s.sessionName = "__Host-portal_session"
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	if len(cfg.TrustedProxies) > 0 {
		var opts []echo.TrustOption
		for _, n := range cfg.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	} else {
		// The peer address only: X-Forwarded-For from a client must not fool the audit log or the throttle.
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.Use(middleware.Recover())
	e.Use(s.requestLog)
	hsts := 0
	if cfg.SecureCookies {
		hsts = 365 * 24 * 3600 // served over HTTPS only: browsers should never try plain HTTP again
	}
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		HSTSMaxAge:            hsts,
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ReferrerPolicy:        "same-origin",
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	}))
	e.Use(middleware.BodyLimit("12M"))
	e.Use(noStore)
	e.Use(ignoreQueryCSRF)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:" + csrfField + ",header:X-CSRF-Token",
		CookieName:     csrfCookieName(cfg.SecureCookies),
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   cfg.SecureCookies,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return httpError(http.StatusForbidden, "error_csrf")
		},
		// The API authenticates with a bearer token and sets no cookies, so CSRF does not apply to it.
		Skipper: func(c echo.Context) bool { return c.Path() == "/healthz" || c.Path() == "/static/*" || isAPI(c) },
	}))
	e.Use(s.primaryAfterWrite)
	e.Use(s.loadUser)
	e.Use(s.language)
	s.echo = e
	s.register()
	store.UseInputWords(inputWords())
	s.nav = map[models.Role][]views.NavItem{}
	for _, role := range models.Roles {
		s.nav[role] = navFor(s.routeTable(), role)
	}
	return s
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// Handler returns the http.Handler serving the portal.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.log.Info("request", "method", c.Request().Method, "path", loggedPath(c),
			"status", c.Response().Status, "ms", time.Since(start).Milliseconds(), "ip", c.RealIP())
		return nil
	}
}

// noStore keeps every page and download out of browser and proxy caches:
// they hold one person's data (static files are the exception).
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		}
		return next(c)
	}
}

// ignoreQueryCSRF drops a CSRF token from the query string before the CSRF
// check reads the form (Go's form includes the query): a token belongs in the
// form body or the X-CSRF-Token header, never in a URL that logs, Referer
// headers and browser history keep.
func ignoreQueryCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if strings.Contains(r.URL.RawQuery, "csrf") {
			if q := r.URL.Query(); q.Has(csrfField) {
				q.Del(csrfField)
				r.URL.RawQuery = q.Encode()
			}
		}
		return next(c)
	}
}

// csrfField is the form field that carries the CSRF token.
const csrfField = "_csrf"

// newCSRFToken gives the browser a new CSRF token (at sign-in and sign-out),
// so a token learnt before sign-in is worth nothing after it.
func (s *Server) newCSRFToken(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name:     csrfCookieName(s.cfg.SecureCookies),
		Value:    rand.Text(),
		Path:     "/",
		MaxAge:   86400,
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
}

func csrfCookieName(secure bool) string {
	if secure {
		return "__Host-csrf"
	}
	return "_csrf"
}
