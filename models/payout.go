package models

import "time"

// Payout batch states.
const (
	BatchOpen     = "open"     // made, not yet exported: can still be dropped
	BatchExported = "exported" // downloaded for the bank: frozen
	BatchPaid     = "paid"     // every line paid
	BatchPartial  = "partial"  // some lines paid from the bank's result file
)

// PayoutBatch is a set of approved bonuses sent to the bank together.
type PayoutBatch struct {
	ID          uint   `gorm:"primaryKey"`
	CreatedByID uint   `gorm:"not null"`
	State       string `gorm:"size:10;not null;index"`
	Count       int    `gorm:"not null"`
	TotalFen    int64  `gorm:"not null"`
	Checksum    string `gorm:"size:64;not null"`
	CreatedAt   time.Time
	ExportedAt  *time.Time
	PaidAt      *time.Time
}
