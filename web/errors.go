package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// handleError is the one place errors become responses: 404 for missing or
// other tenants' records, the HTTP error's own status, else a logged 500.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. The error has been logged."
	var he *echo.HTTPError
	switch {
	case errors.Is(err, models.ErrNotFound), errors.Is(err, models.ErrForbidden):
		status, msg = http.StatusNotFound, "This page does not exist."
		if CurrentUser(c) != nil {
			// Another tenant's id or an action the role may not take: answered as not found, but recorded.
			if aerr := s.store.AuditRefusal(c.Request().Context(), actor(c), c.Request().Method, c.Request().URL.Path); aerr != nil {
				s.log.Error("audit refusal", "err", aerr)
			}
		}
	case errors.As(err, &he):
		status = he.Code
		switch m := he.Message.(type) {
		case string:
			msg = m
		default:
			msg = http.StatusText(status)
		}
		switch status {
		case http.StatusNotFound:
			msg = "This page does not exist."
		case http.StatusRequestEntityTooLarge:
			msg = "What was sent is too large: forms take at most 1 MB and file uploads at most 10 MB."
		}
	default:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if status >= 500 && he != nil {
		s.log.Error("request failed", "path", c.Request().URL.Path, "err", err)
	}
	if isAPI(c) {
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if rerr := render(c, status, views.ErrorPage(s.meta(c, errorTitle(c, status), ""), status, msg)); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, msg)
	}
}

// errorTitle names an HTTP status in the page's language.
func errorTitle(c echo.Context, status int) string {
	switch status {
	case http.StatusNotFound, http.StatusForbidden, http.StatusBadRequest, http.StatusRequestEntityTooLarge,
		http.StatusTooManyRequests, http.StatusUnprocessableEntity, http.StatusMethodNotAllowed:
		return tr(c, "status_"+strconv.Itoa(status))
	}
	if status >= 500 {
		return tr(c, "status_500")
	}
	return http.StatusText(status)
}
