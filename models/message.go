package models

import (
	"errors"
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

// IsZero reports whether m is no message at all (a check that found nothing wrong).
func (m Msg) IsZero() bool { return m.ID == "" }

// Msg returns m itself, so a Msg can stand wherever an error's message is asked for.
func (m Msg) Msg() Msg { return m }

// MsgOf returns the message for a person that err carries (a sentinel, a
// typed error, a field error with one field), and false when it has none:
// such an error is a fault to log, not a refusal to explain.
func MsgOf(err error) (Msg, bool) {
	var me interface{ Msg() Msg }
	if err != nil && errors.As(err, &me) {
		return me.Msg(), true
	}
	return Msg{}, false
}

// MsgError is an error that is only a message for a person: a value that
// cannot be read (a week, an amount), a file that cannot be used. Its text is
// the message's ID and arguments, for logs.
type MsgError struct{ Message Msg }

func (e *MsgError) Error() string { return e.Message.String() }

// Msg is the message for a person.
func (e *MsgError) Msg() Msg { return e.Message }

// errMsg is a MsgError with the message M(id, kv...).
func errMsg(id string, kv ...any) error { return &MsgError{Message: M(id, kv...)} }

// msgOf is MsgOf for an error the models made themselves: a fault without a
// message (which would be a bug) still reads as "this value is not valid".
func msgOf(err error) Msg {
	if m, ok := MsgOf(err); ok {
		return m
	}
	return Msg{ID: "err_invalid_value"}
}
