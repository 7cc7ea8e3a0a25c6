package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// english renders a message of the models for the command line, which speaks English.
func english(m models.Msg) string { return i18n.For(i18n.EN).Msg(m) }

// cliError renders a refusal from the models (field errors, a sentinel, a
// value that cannot be read) in English for the command line; other errors
// keep their own text. The wrapping text is kept: "file.csv: the file is empty".
func cliError(err error) error {
	if err == nil {
		return nil
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		parts := make([]string, 0, len(fe))
		for _, f := range sortedFields(fe) {
			parts = append(parts, f+": "+english(fe[f]))
		}
		return errors.New(strings.Replace(err.Error(), fe.Error(), strings.Join(parts, "; "), 1))
	}
	var me interface {
		error
		Msg() models.Msg
	}
	if errors.As(err, &me) {
		return errors.New(strings.Replace(err.Error(), me.Error(), english(me.Msg()), 1))
	}
	return err
}

func sortedFields(fe models.FieldErrors) []string {
	out := make([]string, 0, len(fe))
	for f := range fe {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// rowProblemText renders one problem of a file's row for the command line.
func rowProblemText(p models.RowProblem) string {
	msg := english(p.Msg)
	if _, named := p.Msg.Args["Column"]; p.Column != "" && !named {
		return fmt.Sprintf("%s: %s", p.Column, msg)
	}
	return msg
}
