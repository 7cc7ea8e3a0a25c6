package web

import (
	"context"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// renderMsgIn renders a message in ctx's language with i18n's one renderer
// (i18n.Localizer.MsgWith). Reason codes read as their label among reasons,
// the labels admins keep (nil: the default reasons' labels).
func renderMsgIn(ctx context.Context, m models.Msg, reasons []models.ReasonCode) string {
	loc := i18n.From(ctx)
	if reasons == nil {
		return loc.Msg(m)
	}
	return loc.MsgWith(m, func(code string) string { return reasonLabel(ctx, reasons, code) })
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
