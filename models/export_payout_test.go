package models

import "gorm.io/gorm"

// MonthPaidBefore exposes monthPaidBefore: the month sums handed to withholdingFen.
func MonthPaidBefore(tx *gorm.DB, p PayeeRef, month string) (int64, int64, error) {
	return monthPaidBefore(tx, p, month)
}
