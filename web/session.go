package web

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

const (
	sessionName = "portal_session"
	keyUserID   = "uid"
	keyVersion  = "ver"
	ctxUser     = "portal.user"
)

// newSessionStore builds a cookie store that signs and encrypts with keys
// derived from the secret. gorilla/sessions defaults (no HttpOnly,
// SameSite unset, 30-day MaxAge) are replaced with safe ones.
func newSessionStore(secret []byte, secure bool) *sessions.CookieStore {
	hashKey := sha256.Sum256(append([]byte("portal-session-sign:"), secret...))
	blockKey := sha256.Sum256(append([]byte("portal-session-encrypt:"), secret...))
	st := sessions.NewCookieStore(hashKey[:], blockKey[:])
	st.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(SessionMaxAge.Seconds()),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	st.MaxAge(st.Options.MaxAge)
	return st
}

func (s *Server) session(c echo.Context) *sessions.Session {
	// Get returns a new session along with a decode error for a bad cookie; a new session is what we want then.
	sess, _ := s.sessions.Get(c.Request(), sessionName)
	return sess
}

func (s *Server) saveSession(c echo.Context, sess *sessions.Session) error {
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return errors.New("could not save the session: " + err.Error())
	}
	return nil
}

// loadUser resolves the session to an enabled user whose session version
// still matches; anything else is treated as signed out.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/static/") || c.Path() == "/healthz" || isAPI(c) {
			return next(c)
		}
		sess := s.session(c)
		uid, _ := sess.Values[keyUserID].(uint)
		ver, _ := sess.Values[keyVersion].(int)
		if uid != 0 {
			u, err := s.store.UserByID(c.Request().Context(), uid)
			switch {
			case err == nil && u.SessionVersion == ver:
				c.Set(ctxUser, u)
			case err == nil || errors.Is(err, models.ErrNotFound):
				sess.Options.MaxAge = -1
				if err := s.saveSession(c, sess); err != nil {
					return err
				}
			default:
				return err
			}
		}
		return next(c)
	}
}

// CurrentUser is the signed-in user, or nil.
func CurrentUser(c echo.Context) *models.User {
	u, _ := c.Get(ctxUser).(*models.User)
	return u
}

// actor is the signed-in user as the models see them.
func actor(c echo.Context) *models.Actor {
	u := CurrentUser(c)
	if u == nil {
		return &models.Actor{IP: c.RealIP()}
	}
	return models.ActorFor(u, c.RealIP())
}

// addFlash queues a message for the next page.
func (s *Server) addFlash(c echo.Context, kind, msg string) error {
	sess := s.session(c)
	sess.AddFlash(kind + "|" + msg)
	return s.saveSession(c, sess)
}

func (s *Server) takeFlashes(c echo.Context) []views.Flash {
	sess := s.session(c)
	raw := sess.Flashes()
	if len(raw) == 0 {
		return nil
	}
	var out []views.Flash
	for _, r := range raw {
		str, _ := r.(string)
		kind, msg, ok := strings.Cut(str, "|")
		if !ok {
			continue
		}
		out = append(out, views.Flash{Kind: kind, Message: msg})
	}
	if err := s.saveSession(c, sess); err != nil {
		s.log.Error("save session after flashes", "err", err)
	}
	return out
}

// redirectWithFlash is the end of a successful form post: flash, then 303.
func (s *Server) redirectWithFlash(c echo.Context, to, kind, msg string) error {
	if err := s.addFlash(c, kind, msg); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}
