package models

import (
	"time"

	"gorm.io/gorm"
)

// payoutBatchV13 is the payout_batches table once a batch remembers how many
// lines of its latest bank result are still unresolved (issue 14).
type payoutBatchV13 struct {
	ID             uint   `gorm:"primaryKey"`
	Kind           string `gorm:"size:8;not null;default:creator"`
	CreatedByID    uint   `gorm:"not null"`
	State          string `gorm:"size:10;not null;index"`
	Count          int    `gorm:"not null"`
	TotalFen       int64  `gorm:"not null"`
	Checksum       string `gorm:"size:64;not null"`
	OpenMismatches int    `gorm:"not null;default:0"`
	CreatedAt      time.Time
	ExportedAt     *time.Time
	PaidAt         *time.Time
}

func (payoutBatchV13) TableName() string { return "payout_batches" }

// migratePayoutMismatches adds payout_batches.open_mismatches: the lines of
// the batch's latest bank result that paid nothing and are not simply paid
// already. While it is above zero the whole batch cannot be marked paid.
// Batches from before the step start at zero (their results were not kept).
func migratePayoutMismatches(tx *gorm.DB) error { return tx.AutoMigrate(&payoutBatchV13{}) }
