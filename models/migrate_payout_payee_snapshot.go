package models

import (
	"time"

	"gorm.io/gorm"
)

// payoutLineV22 is a payout line once it keeps its payee as verified when the
// batch was made (name, bank, branch, the account encrypted and masked).
type payoutLineV22 struct {
	ID            uint   `gorm:"primaryKey"`
	BatchID       uint   `gorm:"not null;index"`
	Ref           string `gorm:"size:24;not null;uniqueIndex"`
	PayeeKind     string `gorm:"size:8;not null;index:idx_payout_line_payee_month,priority:1"`
	PayeeID       uint   `gorm:"not null;index:idx_payout_line_payee_month,priority:2"`
	Month         string `gorm:"size:7;not null;index:idx_payout_line_payee_month,priority:3"`
	GrossFen      int64  `gorm:"not null"`
	TaxFen        int64  `gorm:"not null"`
	NetFen        int64  `gorm:"not null"`
	Purpose       string `gorm:"size:120;not null"`
	PayeeName     string `gorm:"size:120;not null;default:''"`
	PayeeMethod   string `gorm:"size:8;not null;default:''"`
	PayeeBank     string `gorm:"size:80;not null;default:''"`
	PayeeBranch   string `gorm:"size:120;not null;default:''"`
	AccountEnc    string `gorm:"type:text;not null;default:''"`
	AccountMasked string `gorm:"size:64;not null;default:''"`
	PaidAt        *time.Time
	CreatedAt     time.Time
}

func (payoutLineV22) TableName() string { return "payout_lines" }

// migratePayoutPayeeSnapshot adds the payee snapshot to payout lines. Lines
// made before keep empty snapshots and their files read the payee's details
// as they are (what those batches did).
func migratePayoutPayeeSnapshot(tx *gorm.DB) error { return tx.AutoMigrate(&payoutLineV22{}) }
