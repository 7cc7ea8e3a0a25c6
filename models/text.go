package models

import (
	"fmt"
	"unicode/utf8"
)

// CheckText returns a message naming what is wrong with text a person typed
// (a name, a note, a reason, a contact field), or the zero Msg when it is fine. It
// refuses what would make the text lie about itself where it is shown or
// exported: NUL and other control characters; the bidirectional overrides,
// embeddings, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E,
// U+200F, U+061C) that can make "gnp.exe" read as "exe.png" or reverse an
// amount; and zero-width characters (U+200B–U+200D, U+2060, U+FEFF) that make
// two names look the same. Multi-line text (notes, appeal messages) may hold
// tabs and line breaks; single-line text may not. Every model that stores
// typed text checks it here.
func CheckText(s string, multiline bool) Msg {
	if !utf8.ValidString(s) {
		return Msg{ID: "err_text_not_utf8"}
	}
	for _, r := range s {
		switch {
		case r == 0:
			return Msg{ID: "err_text_nul"}
		case r == '\t' || r == '\n' || r == '\r':
			if !multiline {
				return textMsg("err_text_control", r)
			}
		case r < 0x20 || (r >= 0x7F && r <= 0x9F) || r == 0x2028 || r == 0x2029:
			return textMsg("err_text_control", r)
		case r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069):
			return textMsg("err_text_bidi", r)
		case (r >= 0x200B && r <= 0x200D) || r == 0x2060 || r == 0xFEFF:
			return textMsg("err_text_zero_width", r)
		}
	}
	return Msg{}
}

// textMsg is a CheckText message naming the character by its code point (U+XXXX).
func textMsg(id string, r rune) Msg {
	return M(id, "Char", fmt.Sprintf("U+%04X", r))
}

// checkTexts adds a field error for each single-line field whose text
// CheckText refuses, unless the field has an error already.
func checkTexts(fe FieldErrors, fields map[string]string) {
	for field, s := range fields {
		if _, has := fe[field]; has {
			continue
		}
		if msg := CheckText(s, false); !msg.IsZero() {
			fe[field] = msg
		}
	}
}
