package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// requireFreshPassword sends a user who has not entered their password in
// the last 15 minutes to confirm it before a sensitive action.
func (s *Server) requireFreshPassword(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.passwordIsFresh(c) {
			return next(c)
		}
		return s.askPassword(c, "")
	}
}

// askPassword redirects to the confirmation page, then back to where the user was.
func (s *Server) askPassword(c echo.Context, back string) error {
	if back == "" {
		back = safeNext(refererPath(c))
	}
	if back == "" {
		back = "/dashboard"
	}
	return s.redirectWithFlash(c, "/reauth?next="+url.QueryEscape(back), "info", tr(c, "flash_confirm_password"))
}

// refererPath is the local path of the page a form was posted from.
func refererPath(c echo.Context) string {
	u, err := url.Parse(c.Request().Referer())
	if err != nil || (u.Host != "" && u.Host != c.Request().Host) {
		return ""
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

func (s *Server) reauthForm(c echo.Context) error {
	return render(c, http.StatusOK, views.ReauthPage(s.meta(c, tr(c, "reauth_title"), ""), safeNext(c.QueryParam("next")), ""))
}

func (s *Server) reauth(c echo.Context) error {
	next := safeNext(c.FormValue("next"))
	if next == "" {
		next = "/dashboard"
	}
	err := s.store.CheckPassword(c.Request().Context(), actor(c), c.FormValue("password"))
	if msg := throttledMessage(c, err); msg != "" {
		return render(c, http.StatusTooManyRequests, views.ReauthPage(s.meta(c, tr(c, "reauth_title"), ""), next, msg))
	}
	if errors.Is(err, models.ErrBadCredentials) {
		return render(c, http.StatusUnauthorized, views.ReauthPage(s.meta(c, tr(c, "reauth_title"), ""), next, tr(c, "password_wrong")))
	}
	if err != nil {
		return err
	}
	sess := s.session(c)
	sess.Values[keyPassword] = s.now().Unix()
	if err := s.saveSession(c, sess); err != nil {
		return err
	}
	return s.redirectWithFlash(c, next, "success", tr(c, "flash_password_confirmed"))
}

func (s *Server) passwordForm(c echo.Context) error {
	return render(c, http.StatusOK, views.PasswordPage(s.meta(c, tr(c, "change_password_title"), ""), nil))
}

func (s *Server) passwordChange(c echo.Context) error {
	next := c.FormValue("password")
	var err error
	if next != c.FormValue("password_confirm") {
		err = models.FieldErrors{"password_confirm": models.Msg{ID: "err_new_passwords_differ"}}
	} else {
		err = s.store.ChangePassword(c.Request().Context(), actor(c), c.FormValue("current"), next)
	}
	if msg := throttledMessage(c, err); msg != "" {
		return render(c, http.StatusTooManyRequests, views.PasswordPage(s.meta(c, tr(c, "change_password_title"), ""), views.FieldErrors{"current": msg}))
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return render(c, http.StatusUnprocessableEntity, views.PasswordPage(s.meta(c, tr(c, "change_password_title"), ""), fieldErrors(c, fe)))
	}
	if err != nil {
		return err
	}
	sess := s.session(c)
	sess.Values = map[any]any{}
	sess.AddFlash("success|" + tr(c, "flash_password_changed"))
	if err := s.saveSession(c, sess); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) userDisabled(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	disable := c.FormValue("disabled") == "1"
	err = s.store.SetUserDisabled(c.Request().Context(), actor(c), id, disable)
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/settings/users", "error", trMsg(c, fe["user"]))
	}
	if err != nil {
		return err
	}
	msg := tr(c, "flash_user_enabled")
	if disable {
		msg = tr(c, "flash_user_disabled")
	}
	return s.redirectWithFlash(c, "/settings/users", "success", msg)
}

func (s *Server) userReset(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	link, err := s.store.CreatePasswordReset(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	// The link goes to the user's own email: the admin who asked for it never sees it.
	if err := s.mailOneLink(c, resetLink, link); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/settings/users")
}

func (s *Server) resetForm(c echo.Context) error {
	email, err := s.store.LookupPasswordReset(c.Request().Context(), c.Param("token"))
	if err != nil {
		return httpError(http.StatusNotFound, "err_reset_link_invalid")
	}
	return render(c, http.StatusOK, views.ResetPage(s.meta(c, tr(c, "reset_title"), ""), c.Param("token"), email, nil))
}

func (s *Server) resetUse(c echo.Context) error {
	token := c.Param("token")
	email, err := s.store.LookupPasswordReset(c.Request().Context(), token)
	if err != nil {
		return httpError(http.StatusNotFound, "err_reset_link_invalid")
	}
	password := c.FormValue("password")
	if password != c.FormValue("password_confirm") {
		err = models.FieldErrors{"password_confirm": models.Msg{ID: "passwords_differ"}}
	} else {
		err = s.store.UsePasswordReset(c.Request().Context(), token, password, c.RealIP())
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return render(c, http.StatusUnprocessableEntity, views.ResetPage(s.meta(c, tr(c, "reset_title"), ""), token, email, fieldErrors(c, fe)))
	}
	if errors.Is(err, models.ErrInvitationInvalid) {
		return httpError(http.StatusNotFound, "err_reset_link_invalid")
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/login", "success", tr(c, "flash_password_set", "Email", email))
}
