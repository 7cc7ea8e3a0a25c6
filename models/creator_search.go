package models

import (
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// SearchKey folds a name for search: case and surrounding space do not matter.
func SearchKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// BeforeSave keeps the search key in step with the display name and the
// account key with the account ID.
func (c *Creator) BeforeSave(*gorm.DB) error {
	c.SearchName = SearchKey(c.DisplayName)
	c.AccountKey = AccountKey(c.AccountID)
	return nil
}

// prefixRange is a condition on col matching values that start with the bound
// prefix, written as a byte-order range so that a plain b-tree index serves it
// on both databases (PostgreSQL compares in the "C" collation of its index).
// A LIKE '%…%' over 100k names was the slowest search in the portal.
func prefixRange(tx *gorm.DB, col string) string {
	if tx.Dialector.Name() == "postgres" {
		col += ` COLLATE "C"`
	}
	return col + " >= ? AND " + col + " < ?"
}

// prefixBounds are the arguments of prefixRange for prefix p.
func prefixBounds(p string) (string, string) { return p, p + string(utf8.MaxRune) }

// searchCreators matches creators (table alias t) whose name starts with term
// or whose account ID is term; both are index lookups.
func searchCreators(q *gorm.DB, t, term string) *gorm.DB {
	lo, hi := prefixBounds(SearchKey(term))
	cond := prefixRange(q, t+".search_name")
	if accountIDPattern.MatchString(term) {
		return q.Where("(("+cond+") OR "+t+".account_key = ?)", lo, hi, AccountKey(term))
	}
	return q.Where(cond, lo, hi)
}
