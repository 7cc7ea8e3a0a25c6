package models

import "gorm.io/gorm"

// migratePagesIndex is the step that gives an MCN manager's creators list
// (issue 18, point 4) an index in its own order: one agency's creators newest
// enrolled first, ties by id, so its first page and every page after a
// cursor read 50 index entries instead of sorting all of the agency's rows.
// Plain SQL, the same on SQLite and PostgreSQL.
func migratePagesIndex(tx *gorm.DB) error {
	return tx.Exec("CREATE INDEX IF NOT EXISTS idx_creators_agency_enrolled ON creators (agency_id, enrolled_at, id)").Error
}
