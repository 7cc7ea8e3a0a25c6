package i18n

import "github.com/jd/creator-portal/models"

// Msg renders a message the models return as data (a catalogue ID and its
// arguments) in this language; reason codes read as their default label (see
// MsgWith).
func (l *Localizer) Msg(m models.Msg) string { return l.MsgWith(m, nil) }

// MsgWith renders a message in this language. An argument that is a
// models.Word is a catalogue ID itself and is translated first; a models.Fen
// reads ¥12,345.67; a models.Reason is named by reason (the caller knows the
// labels admins keep), or, when reason is nil, by its default label
// (ReasonLabel); one that is a models.Msg is rendered in turn, so "line 3:
// {{.Problem}}" reads in one language. This is the portal's one renderer of
// messages: web/ calls it.
func (l *Localizer) MsgWith(m models.Msg, reason func(code string) string) string {
	if len(m.Args) == 0 {
		return l.T(m.ID)
	}
	pairs := make([]any, 0, 2*len(m.Args))
	for k, v := range m.Args {
		pairs = append(pairs, k, l.arg(v, reason))
	}
	return l.T(m.ID, pairs...)
}

// arg renders one argument of a message.
func (l *Localizer) arg(v any, reason func(string) string) any {
	switch a := v.(type) {
	case models.Word:
		return l.T(string(a))
	case models.Fen:
		return models.FormatYuan(int64(a))
	case models.Reason:
		if reason != nil {
			return reason(string(a))
		}
		return l.ReasonLabel(string(a), models.DefaultReasonLabel(string(a)))
	case models.Msg:
		return l.MsgWith(a, reason)
	case []models.Msg:
		return l.list(a, reason)
	}
	return v
}

// List renders several messages as one sentence part: "a; b" (in Chinese "a；b").
func (l *Localizer) List(ms []models.Msg) string { return l.list(ms, nil) }

func (l *Localizer) list(ms []models.Msg, reason func(string) string) string {
	out := ""
	for i, m := range ms {
		if i > 0 {
			out += l.T("list_separator")
		}
		out += l.MsgWith(m, reason)
	}
	return out
}

// ReasonLabel is a reason code's label as a reader sees it. The labels are
// the programme's data, kept by admins; the default reasons' labels are
// translated, by code ("reason_label_<code>"), as long as they keep their
// default wording (README, "Languages"); an admin's own wording shows as
// written. A code without a label shows as the code.
func (l *Localizer) ReasonLabel(code, label string) string {
	if d := models.DefaultReasonLabel(code); d != "" && label == d {
		return l.T("reason_label_" + code)
	}
	if label == "" {
		return code
	}
	return label
}
