package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// taxRuleVersionV1 is the tax_rule_versions table as it was first made (issue 15).
type taxRuleVersionV1 struct {
	Version     uint      `gorm:"primaryKey"`
	Rule        string    `gorm:"type:text;not null"`
	InForceFrom time.Time `gorm:"not null"`
	ChangeID    *uint
	CreatedByID *uint
	CreatedAt   time.Time
}

func (taxRuleVersionV1) TableName() string { return "tax_rule_versions" }

// taxRuleV1 is the default rule as the step wrote it: China's withholding for
// labour remuneration (¥800 deducted up to ¥4,000, else 20 %; 20 % / 30 % −
// ¥2,000 / 40 % − ¥7,000 above ¥20,000 and ¥50,000 of taxable income).
const taxRuleV1 = `{"deduction_fen":80000,"threshold_fen":400000,"taxable_bp":8000,"brackets":[` +
	`{"up_to_fen":2000000,"rate_bp":2000,"quick_deduction_fen":0},` +
	`{"up_to_fen":5000000,"rate_bp":3000,"quick_deduction_fen":200000},` +
	`{"up_to_fen":0,"rate_bp":4000,"quick_deduction_fen":700000}]}`

// migrateTaxRule makes the tax rule's versions and stores version 1, the
// default rule, so existing databases withhold by it (it is the version for
// any payment before a later one came into force).
func migrateTaxRule(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&taxRuleVersionV1{}); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&taxRuleVersionV1{Version: 1, Rule: taxRuleV1, InForceFrom: now, CreatedAt: now}).Error
}
