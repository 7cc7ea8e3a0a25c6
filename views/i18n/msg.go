package i18n

import "github.com/jd/creator-portal/models"

// Msg renders a message the models return as data (a catalogue ID and its
// arguments) in this language. An argument that is a models.Word is a
// catalogue ID itself and is translated first; one that is a models.Msg is
// rendered in turn, so "line 3: {{.Problem}}" reads in one language.
func (l *Localizer) Msg(m models.Msg) string {
	if len(m.Args) == 0 {
		return l.T(m.ID)
	}
	pairs := make([]any, 0, 2*len(m.Args))
	for k, v := range m.Args {
		pairs = append(pairs, k, l.arg(v))
	}
	return l.T(m.ID, pairs...)
}

// arg renders one argument of a message.
func (l *Localizer) arg(v any) any {
	switch a := v.(type) {
	case models.Word:
		return l.T(string(a))
	case models.Msg:
		return l.Msg(a)
	case []models.Msg:
		return l.List(a)
	}
	return v
}

// List renders several messages as one sentence part: "a; b" (in Chinese "a；b").
func (l *Localizer) List(ms []models.Msg) string {
	out := ""
	for i, m := range ms {
		if i > 0 {
			out += l.T("list_separator")
		}
		out += l.Msg(m)
	}
	return out
}
