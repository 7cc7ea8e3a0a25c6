package models

import (
	"time"

	"gorm.io/gorm"
)

// bonusAdjustmentV24 is an adjustment of a decided weekly bonus as the step
// adds it (issue 16): what the rule now gives minus what was approved.
type bonusAdjustmentV24 struct {
	ID              uint   `gorm:"primaryKey"`
	BonusID         uint   `gorm:"not null;uniqueIndex:idx_adjustment_bonus_revision,priority:1"`
	RevisionID      uint   `gorm:"not null;uniqueIndex:idx_adjustment_bonus_revision,priority:2"`
	CreatorID       uint   `gorm:"not null;index"`
	AgencyID        *uint  `gorm:"index"`
	Week            string `gorm:"size:8;not null;index"`
	AmountFen       int64  `gorm:"not null"`
	BaseFen         int64  `gorm:"not null"`
	NewAmountFen    int64  `gorm:"not null"`
	FromFigures     string `gorm:"type:text;not null"`
	ToFigures       string `gorm:"type:text;not null"`
	Reason          string `gorm:"size:40;not null"`
	State           string `gorm:"size:16;not null;index"`
	FirstApproverID *uint
	FirstApprovedAt *time.Time
	DecidedByID     *uint
	DecidedAt       *time.Time
	RejectReason    string `gorm:"size:64;not null;default:''"`
	Note            string `gorm:"size:500;not null;default:''"`
	SettledFen      int64  `gorm:"not null;default:0"`
	SettledLineID   *uint
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (bonusAdjustmentV24) TableName() string { return "bonus_adjustments" }

// payoutLineAdjustmentV24 is how much of one adjustment one payout line settled.
type payoutLineAdjustmentV24 struct {
	LineID       uint  `gorm:"primaryKey;autoIncrement:false"`
	AdjustmentID uint  `gorm:"primaryKey;autoIncrement:false;index"`
	AmountFen    int64 `gorm:"not null"`
}

func (payoutLineAdjustmentV24) TableName() string { return "payout_line_adjustments" }

// migrateBonusAdjustments adds adjustments of decided weekly bonuses (a
// clawback or a top-up, decided like a bonus) and what each payout line
// settled of them (issue 16).
func migrateBonusAdjustments(tx *gorm.DB) error {
	return tx.AutoMigrate(&bonusAdjustmentV24{}, &payoutLineAdjustmentV24{})
}
