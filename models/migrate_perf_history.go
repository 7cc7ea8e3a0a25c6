package models

import (
	"time"

	"gorm.io/gorm"
)

// weeklyPerformanceRefundsV23 is the weekly_performances table's new columns
// as step 23 adds them (issue 16).
type weeklyPerformanceRefundsV23 struct {
	RefundedOrders int64 `gorm:"not null;default:0"`
	RefundedGMVFen int64 `gorm:"not null;default:0"`
	Untrusted      bool  `gorm:"not null;default:false"`
}

func (weeklyPerformanceRefundsV23) TableName() string { return "weekly_performances" }

// reasonDistrustsV23 marks reason codes whose rejection says the week's
// performance itself is not to be believed.
type reasonDistrustsV23 struct {
	DistrustsPerformance bool `gorm:"not null;default:false"`
}

func (reasonDistrustsV23) TableName() string { return "reason_codes" }

// performanceRevisionV23 is one change of a (creator, week)'s figures.
type performanceRevisionV23 struct {
	ID         uint   `gorm:"primaryKey"`
	CreatorID  uint   `gorm:"not null;index:idx_perf_rev_creator_week,priority:1"`
	Week       string `gorm:"size:8;not null;index:idx_perf_rev_creator_week,priority:2;index:idx_perf_rev_week"`
	Source     string `gorm:"size:200;not null"`
	ActorID    *uint
	ActorEmail string `gorm:"size:254;not null;default:''"`
	Before     string `gorm:"type:text"`
	After      string `gorm:"type:text;not null"`
	CreatedAt  time.Time
}

func (performanceRevisionV23) TableName() string { return "performance_revisions" }

// performanceContentV23 is one video or live session a creator claims for a week.
type performanceContentV23 struct {
	ID        uint   `gorm:"primaryKey"`
	CreatorID uint   `gorm:"not null;uniqueIndex:idx_content_creator_week_item,priority:1"`
	Week      string `gorm:"size:8;not null;uniqueIndex:idx_content_creator_week_item,priority:2;index:idx_content_week_item,priority:1"`
	ContentID string `gorm:"size:64;not null;uniqueIndex:idx_content_creator_week_item,priority:3;index:idx_content_week_item,priority:2"`
	Kind      string `gorm:"size:8;not null"`
	Views     int64  `gorm:"not null"`
	Orders    int64  `gorm:"not null"`
	GMVFen    int64  `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (performanceContentV23) TableName() string { return "performance_contents" }

// migratePerformanceHistory adds refunds to weekly performance, a revision
// per change of a week's figures, the week's content items, and reason
// codes that distrust a week's performance (issue 16). Existing weeks have
// no refunds, no history and are trusted.
func migratePerformanceHistory(tx *gorm.DB) error {
	for _, col := range []string{"RefundedOrders", "RefundedGMVFen", "Untrusted"} {
		if !tx.Migrator().HasColumn(&weeklyPerformanceRefundsV23{}, col) {
			if err := tx.Migrator().AddColumn(&weeklyPerformanceRefundsV23{}, col); err != nil {
				return err
			}
		}
	}
	if !tx.Migrator().HasColumn(&reasonDistrustsV23{}, "DistrustsPerformance") {
		if err := tx.Migrator().AddColumn(&reasonDistrustsV23{}, "DistrustsPerformance"); err != nil {
			return err
		}
	}
	return tx.AutoMigrate(&performanceRevisionV23{}, &performanceContentV23{})
}
