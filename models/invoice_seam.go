package models

import "gorm.io/gorm"

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
// for a week: every approved or paid weekly bonus of that week credited to it.
// Its invoice must be for exactly this.
func settlementGrossFen(tx *gorm.DB, agencyID uint, week string) (int64, error) {
	var sum int64
	err := tx.Table("bonuses").Where("agency_id = ? AND week = ? AND state IN ?", agencyID, week, []BonusState{BonusApproved, BonusPaid}).
		Select("COALESCE(SUM(amount_fen), 0)").Scan(&sum).Error
	return sum, err
}

// invoiceHolds says for each payable, with the gross about to be paid, why it
// cannot be paid yet: "" when a confirmed invoice of exactly that gross
// exists, else a message ID ("hold_invoice_missing", "hold_invoice_unconfirmed",
// "hold_invoice_amount"). Placeholder until invoices exist: nothing is held.
func invoiceHolds(tx *gorm.DB, payables map[PayableRef]int64) (map[PayableRef]string, error) {
	out := make(map[PayableRef]string, len(payables))
	for r := range payables {
		out[r] = ""
	}
	return out, nil
}
