package web

import (
	"strings"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// inputWords are what people may type in the enrolment form and CSV for the
// programme's subject areas and the content types, in every language the
// pages speak: the names the pages show, and for content types the words the
// catalogue lists (input_words_content_*, "|"-separated).
func inputWords() models.InputWords {
	w := models.InputWords{Subjects: map[string]string{}, Content: map[string]models.ContentType{}}
	for _, l := range i18n.Langs {
		loc := i18n.For(l)
		for _, a := range models.DefaultSubjectAreas {
			w.Subjects[loc.T("subject_"+a.Code)] = a.Code
		}
		for _, ct := range models.ContentTypes {
			w.Content[loc.T("content_"+string(ct))] = ct
			for _, word := range strings.Split(loc.T("input_words_content_"+string(ct)), "|") {
				if word = strings.TrimSpace(word); word != "" {
					w.Content[word] = ct
				}
			}
		}
	}
	return w
}
