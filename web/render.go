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

// fieldErrors renders the models' field messages in the request's language
// for a view (FieldError, FormErrorSummary show them as they are).
func fieldErrors(c echo.Context, fe models.FieldErrors) views.FieldErrors {
	loc := i18n.From(c.Request().Context())
	out := make(views.FieldErrors, len(fe))
	for field, m := range fe {
		out[field] = loc.Msg(m)
	}
	return out
}

// trMsg renders a message of the models in the request's language; reason
// codes read as their default labels (see renderMsgIn for the admins' own).
func trMsg(c echo.Context, m models.Msg) string {
	return renderMsgIn(c.Request().Context(), m, nil)
}

// msgOfErr is the message a refusal from the models carries (see models.MsgOf).
func msgOfErr(err error) models.Msg {
	if m, ok := models.MsgOf(err); ok {
		return m
	}
	return models.Msg{ID: "err_invalid_value"}
}

// trErr renders the message a refusal from the models carries (a sentinel, a
// typed error, field errors); ok is false for an error that is a fault, not a
// refusal, which the handler returns for the error page and the log.
func trErr(c echo.Context, err error) (msg string, ok bool) {
	if fe, isFE := models.AsFieldErrors(err); isFE {
		return strings.Join(fieldMessages(c, fe), " "), true
	}
	if m, isMsg := models.MsgOf(err); isMsg {
		return trMsg(c, m), true
	}
	return "", false
}

// rowProblem renders one problem of a file's row: "column: message" when it
// is about a column that the message does not name itself, the column
// spelled as in the file's header.
func rowProblem(c echo.Context, p models.RowProblem) string {
	msg := trMsg(c, p.Msg)
	if _, named := p.Msg.Args["Column"]; p.Column == "" || named {
		return msg
	}
	return tr(c, "import_column_problem", "Column", p.Column, "Problem", msg)
}

// rowProblems renders a row's problems as one sentence part ("a; b").
func rowProblems(c echo.Context, ps []models.RowProblem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = rowProblem(c, p)
	}
	return strings.Join(parts, tr(c, "list_separator"))
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
