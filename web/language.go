package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/views/i18n"
)

// langCookie remembers the language chosen before (or without) signing in.
const langCookie = "lang"

// language picks the page language (the user's preference, else the cookie,
// else Accept-Language) and puts its localizer in the request context, where
// every component finds it.
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/static/") || c.Path() == "/healthz" || isAPI(c) {
			return next(c) // no page to translate
		}
		s.localize(c)
		return next(c)
	}
}

// localize puts the localizer of the request's language in its context.
func (s *Server) localize(c echo.Context) {
	pref, cookie := "", ""
	if u := CurrentUser(c); u != nil {
		pref = u.Language
	}
	if ck, err := c.Cookie(langCookie); err == nil {
		cookie = ck.Value
	}
	loc := i18n.For(i18n.Negotiate(pref, cookie, c.Request().Header.Get("Accept-Language")))
	c.SetRequest(c.Request().WithContext(i18n.With(c.Request().Context(), loc)))
}

// setLanguage switches the language from the header's switch: a cookie for
// everyone, and the preference of a signed-in user so it follows them.
func (s *Server) setLanguage(c echo.Context) error {
	lang := i18n.Lang(c.FormValue("lang"))
	if !lang.Valid() {
		return httpError(http.StatusBadRequest, "error_language_unknown")
	}
	if a := actor(c); a != nil && a.UserID != 0 {
		if err := s.store.SetLanguage(c.Request().Context(), a, string(lang)); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	back := safeNext(c.FormValue("back"))
	if back == "" {
		back = "/"
	}
	return c.Redirect(http.StatusSeeOther, back)
}
