package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
)

// Read-your-writes with read replicas (issue 18, point 5). A replica lags
// its primary by a moment, so the page a person sees right after their own
// change (the redirect after a POST) could miss it. After a successful
// non-GET request the server sets a short-lived cookie saying until when
// this browser's reads must see the primary; requests that write, and those
// within that window, read the primary (models.WithPrimaryReads). Without
// read replicas nothing of this happens and no cookie is set.

// DefaultPrimaryAfterWrite is how long reads stay on the primary after a
// person's write: a little more than the replica lag a fleet accepts.
const DefaultPrimaryAfterWrite = models.ReplicaLag

// primaryAfterWriteCookie names the cookie holding the window's end (Unix seconds, by the server's clock).
func (s *Server) primaryAfterWriteCookie() string {
	if s.cfg.SecureCookies {
		return "__Host-portal_fresh"
	}
	return "portal_fresh"
}

func (s *Server) primaryAfterWrite(next echo.HandlerFunc) echo.HandlerFunc {
	if s.store.ReadReplicas() == 0 {
		return next
	}
	window := s.cfg.PrimaryAfterWrite
	if window <= 0 {
		window = DefaultPrimaryAfterWrite
	}
	return func(c echo.Context) error {
		r := c.Request()
		writes := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
		if writes || s.withinPrimaryWindow(c, window) {
			c.SetRequest(r.WithContext(models.WithPrimaryReads(r.Context())))
		}
		if writes && !isAPI(c) { // API clients keep no cookies
			// Before the status line goes out, when it is known: a refused
			// request (4xx, 5xx) changed nothing worth reading back.
			c.Response().Before(func() {
				if c.Response().Status < http.StatusBadRequest {
					c.SetCookie(&http.Cookie{
						Name:     s.primaryAfterWriteCookie(),
						Value:    strconv.FormatInt(s.now().Add(window).Unix(), 10),
						Path:     "/",
						MaxAge:   int(window/time.Second) + 1,
						HttpOnly: true,
						Secure:   s.cfg.SecureCookies,
						SameSite: http.SameSiteLaxMode,
					})
				}
			})
		}
		return next(c)
	}
}

// withinPrimaryWindow reports whether the request's cookie says it is still
// within the window after a write. A forged cookie can only ask for a
// window's worth of primary reads, which a POST would give anyway.
func (s *Server) withinPrimaryWindow(c echo.Context, window time.Duration) bool {
	ck, err := c.Cookie(s.primaryAfterWriteCookie())
	if err != nil {
		return false
	}
	until, err := strconv.ParseInt(ck.Value, 10, 64)
	if err != nil {
		return false
	}
	now := s.now()
	return now.Unix() < until && time.Unix(until, 0).Sub(now) <= window+time.Second
}
