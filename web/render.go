package web

import (
	"bytes"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// meta builds the layout's PageMeta for this request.
func (s *Server) meta(c echo.Context, title, active string) views.PageMeta {
	m := views.PageMeta{Title: title, Active: active, Flash: s.takeFlashes(c),
		Lang: string(i18n.From(c.Request().Context()).Lang), Path: c.Request().URL.RequestURI()}
	if tok, ok := c.Get("csrf").(string); ok {
		m.CSRF = tok
	}
	if u := CurrentUser(c); u != nil {
		m.User = &views.UserView{Email: u.Email, Role: string(u.Role), RoleLabel: i18n.T(c.Request().Context(), "role_"+string(u.Role))}
		m.Nav = s.nav[u.Role]
		if u.Agency != nil {
			m.User.Agency = u.Agency.Name
		}
		n, err := s.store.UnreadCount(c.Request().Context(), u.ID)
		if err != nil {
			s.log.Error("unread count", "err", err)
		}
		m.Unread = n
	}
	return m
}

// fieldErrors hands the models' field messages to a view, which shows them in
// the page's language (FieldError, FormErrorSummary).
func fieldErrors(fe models.FieldErrors) views.FieldErrors { return views.FieldErrors(fe) }

// trText translates a message the models wrote in English (see i18n.Localizer.Text).
func trText(c echo.Context, english string) string {
	return i18n.From(c.Request().Context()).Text(english)
}

// trRowMessage translates a file row's "column: message; column: message"
// report part by part; column names stay as the file spells them.
func trRowMessage(c echo.Context, msg string) string {
	loc := i18n.From(c.Request().Context())
	parts := strings.Split(msg, "; ")
	for i, p := range parts {
		if col, text, ok := strings.Cut(p, ": "); ok {
			parts[i] = col + ": " + loc.Text(text)
		} else {
			parts[i] = loc.Text(p)
		}
	}
	return strings.Join(parts, "; ")
}

// tr translates a message into the request's language (see views/i18n).
func tr(c echo.Context, id string, pairs ...any) string {
	return i18n.T(c.Request().Context(), id, pairs...)
}

// render writes a component with status. It renders into a buffer first so a
// failure becomes a clean error page rather than half a page.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// columnLabels heads a downloaded file's columns in the reader's language; in
// English they keep the column names the importers and the API use.
func columnLabels(c echo.Context, columns []string) []string {
	out := make([]string, len(columns))
	for i, col := range columns {
		out[i] = tr(c, "column_"+col)
	}
	return out
}
