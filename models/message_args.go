package models

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Fen is an amount of money as a message argument: the renderer shows it as
// ¥12,345.67 (models keep money as fen, formatted where it is shown).
type Fen int64

// Reason is a reason code as a message argument: the renderer shows the
// reason's label in the reader's language (admins keep the labels).
type Reason string

// encodeArgs writes a message's arguments as JSON for storage. Typed
// arguments keep their type through the database as one-key objects
// ({"fen": 28000}, {"word": "word_creator_rejected"}, {"reason": "content_policy"});
// strings and whole numbers are stored as they are.
func encodeArgs(args map[string]any) (string, error) {
	if len(args) == 0 {
		return "", nil
	}
	out := make(map[string]any, len(args))
	for k, v := range args {
		switch v := v.(type) {
		case Fen:
			out[k] = map[string]int64{"fen": int64(v)}
		case Word:
			out[k] = map[string]string{"word": string(v)}
		case Reason:
			out[k] = map[string]string{"reason": string(v)}
		case string, int, int64, uint, uint64, int32:
			out[k] = v
		default:
			return "", fmt.Errorf("message argument %s: %T cannot be stored", k, v)
		}
	}
	b, err := json.Marshal(out) // maps marshal with sorted keys: the same arguments store the same text
	return string(b), err
}

// decodeArgs reads arguments stored by encodeArgs back into their types.
func decodeArgs(s string) (map[string]any, error) {
	if s == "" {
		return nil, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		v = bytes.TrimSpace(v)
		switch {
		case len(v) > 0 && v[0] == '{':
			var typed struct {
				Fen    *int64  `json:"fen"`
				Word   *string `json:"word"`
				Reason *string `json:"reason"`
			}
			if err := json.Unmarshal(v, &typed); err != nil {
				return nil, fmt.Errorf("message argument %s: %w", k, err)
			}
			switch {
			case typed.Fen != nil:
				out[k] = Fen(*typed.Fen)
			case typed.Word != nil:
				out[k] = Word(*typed.Word)
			case typed.Reason != nil:
				out[k] = Reason(*typed.Reason)
			default:
				return nil, fmt.Errorf("message argument %s: unknown type %s", k, v)
			}
		case len(v) > 0 && v[0] == '"':
			var str string
			if err := json.Unmarshal(v, &str); err != nil {
				return nil, fmt.Errorf("message argument %s: %w", k, err)
			}
			out[k] = str
		default:
			var n int64
			if err := json.Unmarshal(v, &n); err != nil {
				return nil, fmt.Errorf("message argument %s: %w", k, err)
			}
			out[k] = n
		}
	}
	return out, nil
}
