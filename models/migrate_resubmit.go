package models

import (
	"time"

	"gorm.io/gorm"
)

// creatorResubmissionV1 is the creators table's new columns as this step adds them.
type creatorResubmissionV1 struct {
	ResubmittedAt     *time.Time
	ResubmitNote      string `gorm:"size:500;not null;default:''"`
	ResubmittedReason string `gorm:"size:40;not null;default:''"`
}

func (creatorResubmissionV1) TableName() string { return "creators" }

// migrateCreatorResubmission adds to creators when the agency last
// resubmitted a rejected creator, its note, and the reason of the rejection it
// answers (issue 14). Columns are added from a frozen struct so they read as
// AutoMigrate of Creator makes them; existing rows are never resubmissions.
func migrateCreatorResubmission(tx *gorm.DB) error {
	for _, col := range []string{"ResubmittedAt", "ResubmitNote", "ResubmittedReason"} {
		if tx.Migrator().HasColumn(&creatorResubmissionV1{}, col) {
			continue
		}
		if err := tx.Migrator().AddColumn(&creatorResubmissionV1{}, col); err != nil {
			return err
		}
	}
	return nil
}
