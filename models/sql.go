package models

import "strings"

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePrefix escapes s for a LIKE pattern that matches values starting with s.
func likePrefix(s string) string { return likeEscaper.Replace(s) + "%" }

// likeContains escapes s for a LIKE pattern that matches values containing s.
func likeContains(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// likeEscape is appended to LIKE clauses so both SQLite and PostgreSQL honour the backslash escapes.
const likeEscape = ` ESCAPE '\'`
