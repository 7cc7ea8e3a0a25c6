package models

import (
	"strings"
	"sync/atomic"

	"golang.org/x/text/width"
)

// InputWords are the words people may type in forms and files for codes: the
// names of subject areas and the words for content types, in every language
// the portal speaks. They come from the catalogues (web gives them to the
// store), so models keeps no language of its own.
type InputWords struct {
	Subjects map[string]string      // word → subject-area code
	Content  map[string]ContentType // word → content type
}

// FoldWord is how typed words are compared: full-width letters and digits
// as half-width ones, lower case, surrounding spaces dropped and inner runs
// of spaces as one.
func FoldWord(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(width.Fold.String(s))), " ")
}

// inputWords holds the store's words; web sets them once when it starts.
type inputWords struct{ p atomic.Pointer[InputWords] }

// UseInputWords makes enrolment (form and CSV) accept w beside the codes.
func (s *Store) UseInputWords(w InputWords) { s.words.p.Store(&w) }

// inputWords are the words set by UseInputWords (none before).
func (s *Store) inputWords() []InputWords {
	if w := s.words.p.Load(); w != nil {
		return []InputWords{*w}
	}
	return nil
}
