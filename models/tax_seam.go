package models

import (
	"time"

	"gorm.io/gorm"
)

// withholdingFen is the individual income tax to withhold (issue 15, point 5)
// from a payment of grossFen to an individual payee who was already paid
// monthGrossBeforeFen, with monthWithheldBeforeFen withheld, in the same CST
// month (TaxMonth), under the tax rule in force at `at`: the tax on the
// month's whole income less what was already withheld, never negative.
func withholdingFen(tx *gorm.DB, at time.Time, monthGrossBeforeFen, monthWithheldBeforeFen, grossFen int64) (int64, error) {
	rule, err := taxRuleAt(tx, at)
	if err != nil {
		return 0, err
	}
	return rule.TaxRule.WithholdFen(monthGrossBeforeFen, monthWithheldBeforeFen, grossFen), nil
}
