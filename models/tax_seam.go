package models

import (
	"time"

	"gorm.io/gorm"
)

// withholdingFen is the individual income tax to withhold (issue 15, point 5)
// from a payment of grossFen to an individual payee who was already paid
// monthGrossBeforeFen, with monthWithheldBeforeFen withheld, in the same CST
// month, under the tax rule in force at `at`. Placeholder until the tax rule
// exists: nothing is withheld.
func withholdingFen(tx *gorm.DB, at time.Time, monthGrossBeforeFen, monthWithheldBeforeFen, grossFen int64) (int64, error) {
	return 0, nil
}
