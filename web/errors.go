package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// pageMessage is the catalogue message an HTTP error's page shows instead of
// its status's own (httpError). Echo's errors carry English text ("Method Not
// Allowed"); the page never shows it.
type pageMessage struct {
	ID    string
	Pairs []any
}

// String is the message ID, for logs.
func (m pageMessage) String() string { return m.ID }

// httpError is an error answered with status and a page saying the catalogue
// message id (with placeholder pairs, as tr takes them).
func httpError(status int, id string, pairs ...any) *echo.HTTPError {
	return echo.NewHTTPError(status, pageMessage{ID: id, Pairs: pairs})
}

// statusIDs names the statuses the portal answers with a title and a message
// of their own in the catalogue: "status_<code>" and "error_<code>". Any
// other 4xx shows status_4xx/error_4xx, any 5xx status_500/error_500.
var statusIDs = map[int]bool{
	http.StatusBadRequest: true, http.StatusUnauthorized: true, http.StatusForbidden: true, http.StatusNotFound: true,
	http.StatusMethodNotAllowed: true, http.StatusConflict: true, http.StatusRequestEntityTooLarge: true,
	http.StatusUnsupportedMediaType: true, http.StatusUnprocessableEntity: true, http.StatusTooManyRequests: true,
	http.StatusInternalServerError: true,
}

// statusKey is the suffix of a status's catalogue IDs.
func statusKey(status int) string {
	switch {
	case statusIDs[status]:
		return strconv.Itoa(status)
	case status >= 500:
		return "500"
	}
	return "4xx"
}

// handleError is the one place errors become responses: 404 for missing or
// other tenants' records, the HTTP error's own status, else a logged 500. The
// page's title and message come from the catalogue by status (or the
// error's pageMessage), in the reader's language.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	var own *pageMessage
	var he *echo.HTTPError
	switch {
	case errors.Is(err, models.ErrNotFound), errors.Is(err, models.ErrForbidden):
		status = http.StatusNotFound
		if CurrentUser(c) != nil {
			// Another tenant's id or an action the role may not take: answered as not found, but recorded.
			if aerr := s.store.AuditRefusal(c.Request().Context(), actor(c), c.Request().Method, loggedPath(c)); aerr != nil {
				s.log.Error("audit refusal", "err", aerr)
			}
		}
	case errors.Is(err, models.ErrBadCursor):
		// A page link that was edited or cut short: say so and offer the first page.
		status, own = http.StatusBadRequest, &pageMessage{ID: "err_bad_cursor"}
	case errors.As(err, &he):
		status = he.Code
		// A handler's own message (an expired link) shows; a bare 404 says no more
		// than "this page does not exist", whatever the handler knew.
		if m, ok := he.Message.(pageMessage); ok {
			own = &m
		}
	default:
		s.log.Error("request failed", "method", c.Request().Method, "path", loggedPath(c), "err", err)
	}
	if status >= 500 && he != nil {
		s.log.Error("request failed", "path", loggedPath(c), "err", err)
	}
	if isAPI(c) {
		// The API speaks to programs, in English (README, "The weekly bonus path").
		msg := i18n.For(i18n.EN).T("error_" + statusKey(status))
		if own != nil {
			msg = i18n.For(i18n.EN).T(own.ID, own.Pairs...)
		}
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	// An error raised before the language middleware ran (a refused CSRF
	// token, a body over the limit) still gets a page in the reader's language.
	if !i18n.InContext(c.Request().Context()) {
		s.localize(c)
	}
	msg := tr(c, "error_"+statusKey(status))
	if own != nil {
		msg = tr(c, own.ID, own.Pairs...)
	}
	if rerr := render(c, status, views.ErrorPage(s.meta(c, errorTitle(c, status), ""), status, msg)); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, msg)
	}
}

// errorTitle names an HTTP status in the page's language.
func errorTitle(c echo.Context, status int) string {
	return tr(c, "status_"+statusKey(status))
}
