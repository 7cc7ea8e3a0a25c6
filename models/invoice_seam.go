package models

import (
	"maps"
	"slices"

	"gorm.io/gorm"
)

// Money owed to an agency waits for its VAT invoice (issue 15, point 8). The
// invoice records give invoiceHolds its body; the payout side asks it.

// What an agency invoices for.
const (
	PayableMCNBonus   = "mcn_bonus"  // a monthly MCN bonus; Period "2026-11"
	PayableSettlement = "settlement" // its creators' weekly bonuses of one week; Period "2026-W47"
)

// PayableRef names money owed to an agency that needs its invoice first.
type PayableRef struct {
	AgencyID uint
	Kind     string // PayableMCNBonus or PayableSettlement
	Period   string // month "2006-01" or ISO week "2006-W01"
}

// settlementGrossFen is what an agency that settles for its creators is owed
// for a week: every approved or paid weekly bonus of that week credited to it,
// except those paid (or being paid) to the creators directly, on a line of
// their own, before the agency chose to settle. Its invoice must be for exactly this.
func settlementGrossFen(tx *gorm.DB, agencyID uint, week string) (int64, error) {
	var sum int64
	err := settledBonuses(tx).Where("agency_id = ? AND week = ?", agencyID, week).
		Select("COALESCE(SUM(amount_fen), 0)").Scan(&sum).Error
	return sum, err
}

// settledBonuses are the weekly bonuses an agency settles for: approved or
// paid, and not on a line paying a creator directly.
func settledBonuses(tx *gorm.DB) *gorm.DB {
	return tx.Table("bonuses").Where("state IN ?", []BonusState{BonusApproved, BonusPaid}).
		Where("NOT EXISTS (SELECT 1 FROM payout_line_bonuses lb JOIN payout_lines l ON l.id = lb.line_id "+
			"WHERE lb.kind = ? AND lb.bonus_id = bonuses.id AND l.payee_kind = ?)", PayCreators, PayeeCreator)
}

// invoiceHolds says for each payable, with the gross about to be paid, why it
// cannot be paid yet: "" when a confirmed invoice of exactly that gross
// exists, else a message ID: HoldInvoiceUnconfirmed while one waits for
// staff, HoldInvoiceAmount when the confirmed one is for another amount (the
// gross changed since; the agency issues a new invoice), HoldInvoiceMissing
// when there is none. One query for all payables, never reading the PDFs.
func invoiceHolds(tx *gorm.DB, payables map[PayableRef]int64) (map[PayableRef]string, error) {
	if len(payables) == 0 {
		return map[PayableRef]string{}, nil
	}
	agencies, periods := map[uint]bool{}, map[string]bool{}
	for r := range payables {
		agencies[r.AgencyID], periods[r.Period] = true, true
	}
	var invoices []AgencyInvoice
	if err := tx.Select("agency_id, kind, period, amount_fen, state").
		Where("agency_id IN ? AND period IN ? AND state IN ?", slices.Sorted(maps.Keys(agencies)), slices.Sorted(maps.Keys(periods)), []string{InvoiceWaiting, InvoiceConfirmed}).
		Find(&invoices).Error; err != nil {
		return nil, err
	}
	return invoiceHoldsFrom(payables, invoices), nil
}
