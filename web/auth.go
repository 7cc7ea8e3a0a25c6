package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) healthz(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}

func (s *Server) home(c echo.Context) error {
	if CurrentUser(c) == nil {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}

func (s *Server) loginForm(c echo.Context) error {
	if CurrentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/dashboard")
	}
	return render(c, http.StatusOK, views.LoginPage(s.meta(c, tr(c, "sign_in_title"), ""), views.LoginView{Next: safeNext(c.QueryParam("next"))}))
}

// throttledMessage says how long to wait, or "" when err is not a throttle.
func throttledMessage(c echo.Context, err error) string {
	var t *models.ThrottledError
	if !errors.As(err, &t) {
		return ""
	}
	if t.Scope == "address" {
		return tr(c, "login_throttled", "Minutes", t.WaitMinutes())
	}
	return tr(c, "login_throttled_account", "Minutes", t.WaitMinutes())
}

func (s *Server) login(c echo.Context) error {
	ip := c.RealIP()
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	again := func(status int, msg string) error {
		return render(c, status, views.LoginPage(s.meta(c, tr(c, "sign_in_title"), ""), views.LoginView{Email: email, Next: next, Error: msg}))
	}
	if strings.TrimSpace(email) == "" || c.FormValue("password") == "" {
		return again(http.StatusUnprocessableEntity, tr(c, "login_missing"))
	}
	u, err := s.store.Authenticate(c.Request().Context(), email, c.FormValue("password"), ip)
	if msg := throttledMessage(c, err); msg != "" {
		return again(http.StatusTooManyRequests, msg)
	}
	if errors.Is(err, models.ErrBadCredentials) {
		return again(http.StatusUnauthorized, tr(c, "login_failed"))
	}
	if err != nil {
		return err
	}
	// A fresh session and a fresh CSRF token: nothing from before sign-in survives.
	if err := s.startSession(c, u); err != nil {
		return err
	}
	if next == "" {
		next = "/dashboard"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	if err := s.store.RecordLogout(c.Request().Context(), actor(c)); err != nil {
		return err
	}
	sess := s.session(c)
	sess.Values = map[any]any{}
	sess.Options.MaxAge = -1
	if err := s.saveSession(c, sess); err != nil {
		return err
	}
	s.newCSRFToken(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) inviteForm(c echo.Context) error {
	inv, err := s.store.LookupInvitation(c.Request().Context(), c.Param("token"))
	if err != nil {
		return httpError(http.StatusNotFound, "err_invitation_invalid")
	}
	return render(c, http.StatusOK, views.InvitePage(s.meta(c, tr(c, "set_password_title"), ""),
		views.InviteView{Token: c.Param("token"), Email: inv.Email, DisplayName: inv.DisplayName, ForCreator: inv.Role == models.RoleCreator}))
}

func (s *Server) acceptInvite(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	inv, err := s.store.LookupInvitation(ctx, token)
	if err != nil {
		return httpError(http.StatusNotFound, "err_invitation_invalid")
	}
	v := views.InviteView{Token: token, Email: inv.Email, DisplayName: inv.DisplayName, ForCreator: inv.Role == models.RoleCreator}
	password := c.FormValue("password")
	if password != c.FormValue("password_confirm") {
		v.Errors = views.FieldErrors{"password_confirm": tr(c, "passwords_differ")}
		return render(c, http.StatusUnprocessableEntity, views.InvitePage(s.meta(c, tr(c, "set_password_title"), ""), v))
	}
	_, err = s.store.AcceptInvitation(ctx, token, password, c.RealIP())
	if fe, ok := models.AsFieldErrors(err); ok {
		v.Errors = fieldErrors(c, fe)
		return render(c, http.StatusUnprocessableEntity, views.InvitePage(s.meta(c, tr(c, "set_password_title"), ""), v))
	}
	if errors.Is(err, models.ErrInvitationInvalid) {
		return httpError(http.StatusNotFound, "err_invitation_invalid")
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/login", "success", tr(c, "flash_password_set", "Email", inv.Email))
}
