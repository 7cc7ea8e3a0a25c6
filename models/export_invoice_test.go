package models

import "gorm.io/gorm"

// InvoiceHolds is invoiceHolds, for the external tests.
func InvoiceHolds(tx *gorm.DB, payables map[PayableRef]int64) (map[PayableRef]string, error) {
	return invoiceHolds(tx, payables)
}
