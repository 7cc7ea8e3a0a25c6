package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// renderMsg renders a message of the models in the request's language (see renderMsgIn).
func renderMsg(c echo.Context, m models.Msg) string {
	return renderMsgIn(c.Request().Context(), m, nil)
}

// renderMsgIn renders a message in ctx's language. Arguments that are
// themselves catalogue IDs (models.Word) are translated first, amounts
// (models.Fen) read ¥12,345.67, and reason codes (models.Reason) read as
// their label among reasons (the code itself when it is not there).
func renderMsgIn(ctx context.Context, m models.Msg, reasons []models.ReasonCode) string {
	loc := i18n.From(ctx)
	if len(m.Args) == 0 {
		return loc.T(m.ID)
	}
	pairs := make([]any, 0, 2*len(m.Args))
	for name, v := range m.Args {
		switch a := v.(type) {
		case models.Word:
			v = loc.T(string(a))
		case models.Fen:
			v = models.FormatYuan(int64(a))
		case models.Reason:
			v = reasonLabel(ctx, reasons, string(a))
		}
		pairs = append(pairs, name, v)
	}
	return loc.T(m.ID, pairs...)
}

// msgHasReason reports whether a message names a reason code (whose label
// must be looked up to render it).
func msgHasReason(m models.Msg) bool {
	for _, v := range m.Args {
		if _, ok := v.(models.Reason); ok {
			return true
		}
	}
	return false
}
