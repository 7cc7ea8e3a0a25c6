package models

import "gorm.io/gorm"

// performanceImportKindV24 is the performance_imports table's new column as
// step 24 adds it: what an uploaded file holds.
type performanceImportKindV24 struct {
	Kind string `gorm:"size:16;not null;default:''"`
}

func (performanceImportKindV24) TableName() string { return "performance_imports" }

// migrateContentImport lets the performance upload take a second kind of
// file, the week's content items (issue 16). Uploads made before hold
// weekly performance: their kind stays empty.
func migrateContentImport(tx *gorm.DB) error {
	if tx.Migrator().HasColumn(&performanceImportKindV24{}, "Kind") {
		return nil
	}
	return tx.Migrator().AddColumn(&performanceImportKindV24{}, "Kind")
}
