package models

import (
	"time"

	"gorm.io/gorm"
)

// periodBudgetV28 is the period_budgets table as the pacing step makes it
// (issue 17): a week's or month's budget, fixed when it is first computed.
type periodBudgetV28 struct {
	ID            uint      `gorm:"primaryKey"`
	Pool          string    `gorm:"size:16;not null;uniqueIndex:idx_period_budget,priority:1"`
	Period        string    `gorm:"size:8;not null;uniqueIndex:idx_period_budget,priority:2"`
	BudgetFen     int64     `gorm:"not null;check:chk_period_budget,budget_fen >= 0"`
	WeightPercent int64     `gorm:"not null;default:100"`
	CommittedFen  int64     `gorm:"not null;default:0;check:chk_period_committed,committed_fen <= budget_fen"`
	RuleFen       int64     `gorm:"not null;default:0"`
	ProposedFen   int64     `gorm:"not null;default:0"`
	Policy        string    `gorm:"size:16;not null;default:''"`
	FactorPPM     int64     `gorm:"not null;default:1000000"`
	FixedAt       time.Time `gorm:"not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

func (periodBudgetV28) TableName() string { return "period_budgets" }

// bonusRuleFenV28 and mcnBonusRuleFenV28 are the bonuses' new column: what
// the rule gave before pacing scaled it (0: computed without pacing, the
// amount is the rule's).
type bonusRuleFenV28 struct {
	RuleFen int64 `gorm:"not null;default:0"`
}

func (bonusRuleFenV28) TableName() string { return "bonuses" }

type mcnBonusRuleFenV28 struct {
	RuleFen int64 `gorm:"not null;default:0"`
}

func (mcnBonusRuleFenV28) TableName() string { return "mcn_bonuses" }

// migratePacing adds the budgets of weeks and months and the bonuses' rule
// amount. Nothing is backfilled: weeks computed before have no budget, and
// pacing starts once admins set the programme's period.
func migratePacing(tx *gorm.DB) error {
	for _, m := range []any{&bonusRuleFenV28{}, &mcnBonusRuleFenV28{}} {
		if !tx.Migrator().HasColumn(m, "RuleFen") {
			if err := tx.Migrator().AddColumn(m, "RuleFen"); err != nil {
				return err
			}
		}
	}
	return tx.AutoMigrate(&periodBudgetV28{})
}
