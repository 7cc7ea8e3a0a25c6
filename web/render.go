package web

import (
	"bytes"
	"github.com/jd/creator-portal/views/i18n"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
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

// trErrors translates the models' field messages into the request's language.
func trErrors(c echo.Context, fe models.FieldErrors) views.FieldErrors {
	loc := i18n.From(c.Request().Context())
	out := make(views.FieldErrors, len(fe))
	for k, msg := range fe {
		out[k] = loc.Text(msg)
	}
	return out
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

// fieldErrors converts model field errors for a view.

// columnLabels heads a downloaded file's columns in the reader's language; in
// English they keep the column names the importers and the API use.
func columnLabels(c echo.Context, columns []string) []string {
	out := make([]string, len(columns))
	for i, col := range columns {
		out[i] = tr(c, "column_"+col)
	}
	return out
}
