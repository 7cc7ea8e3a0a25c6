package models

import (
	"slices"

	"gorm.io/gorm"
)

// The payout side of issue 15 asks who is paid through this seam; the payee
// records (payee.go) answer.

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

// Why a payout line is held for its payee (message IDs).
const (
	HoldPayeeMissing    = "hold_payee_missing"
	HoldPayeeUnverified = "hold_payee_unverified"
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

// payeesForPayout returns the payee of every ref: its details with the
// account decrypted when verified; Hold says why a payee cannot be paid (no
// details, or details not verified since they last changed; their account
// is then left empty). One query per kind of payee.
func payeesForPayout(tx *gorm.DB, refs []PayeeRef) (map[PayeeRef]PayoutPayee, error) {
	out := make(map[PayeeRef]PayoutPayee, len(refs))
	ids := map[string][]uint{}
	for _, r := range refs {
		out[r] = PayoutPayee{Hold: HoldPayeeMissing}
		ids[r.Kind] = append(ids[r.Kind], r.ID)
	}
	var c *payeeCipher
	for _, kind := range []string{PayeeCreator, PayeeAgency} {
		if len(ids[kind]) == 0 {
			continue
		}
		var rows []Payee
		for chunk := range slices.Chunk(ids[kind], 500) {
			var part []Payee
			if err := tx.Where("kind = ? AND owner_id IN ?", kind, chunk).Find(&part).Error; err != nil {
				return nil, err
			}
			rows = append(rows, part...)
		}
		for _, p := range rows {
			pp := PayoutPayee{Name: p.Name, Method: p.Method, Bank: p.Bank, Branch: p.Branch, Masked: p.AccountMasked}
			if !p.Verified {
				pp.Hold = HoldPayeeUnverified
			} else {
				if c == nil {
					var err error
					if c, err = payeeCipherOf(tx); err != nil {
						return nil, err
					}
				}
				account, err := c.open(p.AccountEnc, payeeAAD(p.Kind, p.OwnerID, "account"))
				if err != nil {
					return nil, err
				}
				pp.Account = account
			}
			out[PayeeRef{Kind: kind, ID: p.OwnerID}] = pp
		}
	}
	return out, nil
}
