package models

import (
	"time"

	"gorm.io/gorm"
)

// agencyInvoiceV18 is the agency_invoices table as issue 15 made it: an
// agency's VAT invoice for one payable (a monthly bonus or a settlement week),
// its PDF kept as a blob (BLOB on SQLite, BYTEA on PostgreSQL), and at most
// one invoice per payable waiting for staff (a partial unique index).
type agencyInvoiceV18 struct {
	ID           uint   `gorm:"primaryKey"`
	AgencyID     uint   `gorm:"not null;index:idx_agency_invoice_payable,priority:1;uniqueIndex:idx_agency_invoice_waiting,priority:1,where:state = 'waiting'"`
	Kind         string `gorm:"size:12;not null;index:idx_agency_invoice_payable,priority:2;uniqueIndex:idx_agency_invoice_waiting,priority:2"`
	Period       string `gorm:"size:8;not null;index:idx_agency_invoice_payable,priority:3;uniqueIndex:idx_agency_invoice_waiting,priority:3"`
	Code         string `gorm:"size:12;not null"`
	Number       string `gorm:"size:20;not null;index"`
	IssuedOn     string `gorm:"size:10;not null"`
	AmountFen    int64  `gorm:"not null;check:chk_agency_invoice_amount,amount_fen > 0"`
	Filename     string `gorm:"size:255;not null"`
	PDF          []byte `gorm:"not null"`
	PDFSize      int    `gorm:"not null"`
	State        string `gorm:"size:10;not null;index:idx_agency_invoice_state,priority:1"`
	RejectReason string `gorm:"size:500;not null"`
	RecordedByID uint   `gorm:"not null"`
	CreatedAt    time.Time
	DecidedByID  *uint
	DecidedAt    *time.Time
}

func (agencyInvoiceV18) TableName() string { return "agency_invoices" }

// migrateAgencyInvoices adds the agencies' invoices (issue 15): money owed to
// an agency is paid only against its confirmed invoice.
func migrateAgencyInvoices(tx *gorm.DB) error { return tx.AutoMigrate(&agencyInvoiceV18{}) }
