package models

import (
	"fmt"
	"sort"
	"strings"
)

// Msg is a message meant for a person, as data: a catalogue ID and its
// arguments. models never builds the sentence; it is rendered where it is
// shown, in the reader's language (views/i18n).
type Msg struct {
	ID   string         `json:"id"`
	Args map[string]any `json:"args,omitempty"`
}

// M builds a Msg from its ID and alternating argument names and values:
// M("pool_cannot_cover", "Asked", FormatYuan(a), "Left", FormatYuan(l)).
func M(id string, kv ...any) Msg {
	m := Msg{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			name, _ := kv[i].(string)
			m.Args[name] = kv[i+1]
		}
	}
	return m
}

// String is the ID with its arguments, for logs and test failures (never for people).
func (m Msg) String() string {
	if len(m.Args) == 0 {
		return m.ID
	}
	keys := make([]string, 0, len(m.Args))
	for k := range m.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(m.ID)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, m.Args[k])
	}
	return b.String()
}

// Word is an argument that is itself a catalogue ID (a state, a content type,
// a reason code): the renderer translates it too, so "the bonus is already
// {{.State}}" reads in one language.
type Word string
