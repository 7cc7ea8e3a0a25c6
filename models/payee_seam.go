package models

import "gorm.io/gorm"

// The payout side of issue 15 asks who is paid through this seam. The payee
// records (details, encryption, verification) give payeesForPayout its body.

// Who a payout line pays.
const (
	PayeeCreator = "creator"
	PayeeAgency  = "agency"
)

// How a payee is paid.
const (
	PayByBank   = "bank"
	PayByAlipay = "alipay"
)

// PayeeRef names the payee of a payout line: a creator paid directly, or an
// agency (its monthly bonus, or its creators' money settled through it).
type PayeeRef struct {
	Kind string // PayeeCreator or PayeeAgency
	ID   uint   // creators.id or agencies.id
}

// PayoutPayee is what a payout line needs of its payee.
type PayoutPayee struct {
	Name    string // legal or company name, as the bank holds it
	Method  string // PayByBank or PayByAlipay
	Account string // full account number or Alipay account: only ever written to a frozen payout file
	Bank    string
	Branch  string
	Masked  string // the account as screens show it
	// Hold is empty when the payee can be paid, else the message ID saying
	// why not: "hold_payee_missing" (no details) or "hold_payee_unverified".
	Hold string
}

// payeesForPayout returns the payee of every ref. Placeholder until payee
// records exist: every payee is payable under its display name.
func payeesForPayout(tx *gorm.DB, refs []PayeeRef) (map[PayeeRef]PayoutPayee, error) {
	out := make(map[PayeeRef]PayoutPayee, len(refs))
	for _, r := range refs {
		out[r] = PayoutPayee{}
	}
	return out, nil
}
