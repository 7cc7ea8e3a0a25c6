package models

import "gorm.io/gorm"

// OnStatement calls fn with the SQL and arguments of every SELECT the store
// runs (as OnQuery counts them); tests use it to EXPLAIN the statements a list
// really sends instead of copies of them.
func (s *Store) OnStatement(fn func(sql string, vars []any)) {
	for _, g := range []*gorm.DB{s.db, s.read} {
		cb := g.Callback()
		hook := func(db *gorm.DB) { fn(db.Statement.SQL.String(), db.Statement.Vars) }
		_ = cb.Query().After("gorm:query").Register("portal:statement_query", hook)
		_ = cb.Row().After("gorm:row").Register("portal:statement_row", hook)
		if s.db == s.read {
			return
		}
	}
}
