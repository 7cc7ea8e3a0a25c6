package web

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

const (
	keyUserID   = "uid"
	keyVersion  = "ver"
	keyIssued   = "iat"  // sign-in time, unix seconds
	keySeen     = "seen" // last request, unix seconds
	keyPassword = "pwat" // when the password was last entered, unix seconds
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
	sess, _ := s.sessions.Get(c.Request(), s.sessionName)
	return sess
}

func (s *Server) saveSession(c echo.Context, sess *sessions.Session) error {
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return errors.New("could not save the session: " + err.Error())
	}
	return nil
}

// startSession replaces whatever session the browser had with a fresh one
// for u, and the CSRF token with a new one.
func (s *Server) startSession(c echo.Context, u *models.User) error {
	s.newCSRFToken(c)
	now := s.now().Unix()
	sess := s.session(c)
	sess.Values = map[any]any{keyUserID: u.ID, keyVersion: u.SessionVersion, keyIssued: now, keySeen: now, keyPassword: now}
	sess.Options.MaxAge = int(SessionMaxAge.Seconds())
	return s.saveSession(c, sess)
}

// loadUser resolves the session to an enabled user whose session version
// still matches and whose session has neither idled out nor grown too old;
// anything else is treated as signed out. Signing out, a password change or
// an admin disabling the user bump the version, so copied cookies die too.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/static/") || c.Path() == "/healthz" || isAPI(c) {
			return next(c)
		}
		sess := s.session(c)
		uid, _ := sess.Values[keyUserID].(uint)
		if uid == 0 {
			return next(c)
		}
		ver, _ := sess.Values[keyVersion].(int)
		issued, _ := sess.Values[keyIssued].(int64)
		seen, _ := sess.Values[keySeen].(int64)
		now := s.now()
		expired := now.Sub(time.Unix(issued, 0)) > SessionMaxAge || now.Sub(time.Unix(seen, 0)) > SessionIdle
		// The primary, even with read replicas: a sign-out everywhere or a
		// disabled account takes effect at once, and a new account is found.
		u, err := s.store.UserByID(models.WithPrimaryReads(c.Request().Context()), uid)
		switch {
		case err == nil && u.SessionVersion == ver && !expired:
			c.Set(ctxUser, u)
			if now.Sub(time.Unix(seen, 0)) > seenGranularity {
				sess.Values[keySeen] = now.Unix()
				if err := s.saveSession(c, sess); err != nil {
					return err
				}
			}
		case err == nil || errors.Is(err, models.ErrNotFound):
			sess.Values = map[any]any{}
			sess.Options.MaxAge = -1
			if err := s.saveSession(c, sess); err != nil {
				return err
			}
		default:
			return err
		}
		return next(c)
	}
}

// passwordIsFresh reports whether the password was entered within PasswordFresh.
func (s *Server) passwordIsFresh(c echo.Context) bool {
	at, _ := s.session(c).Values[keyPassword].(int64)
	return s.now().Sub(time.Unix(at, 0)) <= PasswordFresh
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

// Flashes live in the cookie, which holds at most 4 KB: keep a few short ones.
const (
	maxFlashes    = 3
	maxFlashBytes = 700
)

// addFlash queues a message for the next page. Unread older messages beyond
// a few are dropped, so a client that never follows redirects cannot grow
// the cookie past what browsers accept.
func (s *Server) addFlash(c echo.Context, kind, msg string) error {
	sess := s.session(c)
	if len(msg) > maxFlashBytes {
		cut := maxFlashBytes
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	queued := sess.Flashes()
	if len(queued) >= maxFlashes {
		queued = queued[len(queued)-maxFlashes+1:]
	}
	for _, q := range queued {
		sess.AddFlash(q)
	}
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
