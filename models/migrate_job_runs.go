package models

import (
	"time"

	"gorm.io/gorm"
)

// jobRunV29 is the job_runs table as step 29 makes it (issue 18): the last
// slot each scheduled job was claimed for, so several servers run it once.
type jobRunV29 struct {
	Job   string    `gorm:"primaryKey;size:40"`
	Slot  time.Time `gorm:"not null"`
	RanAt time.Time `gorm:"not null"`
	Host  string    `gorm:"size:100;not null;default:''"`
}

func (jobRunV29) TableName() string { return "job_runs" }

// migrateJobRuns adds the record of scheduled jobs' slots (empty: every job
// claims its next slot on first start).
func migrateJobRuns(tx *gorm.DB) error { return tx.AutoMigrate(&jobRunV29{}) }
