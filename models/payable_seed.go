package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// SeedPayees gives verified payee details to everyone owed money who has
// none, for the demo, the scale seed and tests (the portal's own work: the
// system actor only): creators with approved weekly bonuses, agencies with
// approved monthly bonuses or that settle for creators with approved bonuses.
// The details are generated with valid check digits; details that exist,
// verified or not, stay as they are. It returns how many it added.
func (s *Store) SeedPayees(ctx context.Context, a *Actor) (int, error) {
	if !isSystem(a) {
		return 0, ErrForbidden
	}
	added := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := payeeCipherOf(tx)
		if err != nil {
			return err
		}
		now := nowOf(tx)
		owed := map[string]*gorm.DB{
			PayeeCreator: tx.Table("bonuses").Select("creator_id").Where("state = ?", BonusApproved),
			PayeeAgency: tx.Table("agencies").Select("id").Where("id IN (?) OR (settlement = ? AND id IN (?))",
				tx.Table("mcn_bonuses").Select("agency_id").Where("state = ?", BonusApproved), SettleThroughAgency,
				tx.Table("bonuses").Select("agency_id").Where("state = ? AND agency_id IS NOT NULL", BonusApproved)),
		}
		for _, kind := range []string{PayeeCreator, PayeeAgency} {
			table, name := "creators", "display_name"
			if kind == PayeeAgency {
				table, name = "agencies", "name"
			}
			var owners []struct {
				ID   uint
				Name string
			}
			if err := tx.Table(table).Select("id, "+name+" AS name").Where("id IN (?)", owed[kind]).
				Where("id NOT IN (?)", tx.Table("payees").Select("owner_id").Where("kind = ?", kind)).
				Order("id").Scan(&owners).Error; err != nil {
				return err
			}
			for _, o := range owners {
				idNumber, account := seedPayeeNumbers(kind, o.ID)
				p := Payee{Kind: kind, OwnerID: o.ID, Name: o.Name, Method: PayByBank, Bank: "China Construction Bank", Branch: "Beijing Branch",
					IDNumberMasked: MaskIDNumber(idNumber), AccountMasked: MaskAccount(PayByBank, account), Revision: 1,
					Verified: true, VerifiedAt: &now, VerifyNote: "seeded"}
				if p.IDNumberEnc, err = c.seal(idNumber, payeeAAD(kind, o.ID, "id_number")); err != nil {
					return err
				}
				if p.AccountEnc, err = c.seal(account, payeeAAD(kind, o.ID, "account")); err != nil {
					return err
				}
				if err := tx.Create(&p).Error; err != nil {
					return err
				}
				added++
			}
		}
		if added == 0 {
			return nil
		}
		return appendAudit(tx, a, "payee.seed", "payee", 0, nil, map[string]any{"payees": added})
	})
	return added, err
}

// SeedInvoices gives every open agency payable without a confirmed invoice
// of its gross one (a generated e-invoice number and a one-page PDF), for the
// scale seed and tests (system actor only). It returns how many it added.
func (s *Store) SeedInvoices(ctx context.Context, a *Actor) (int, error) {
	if !isSystem(a) {
		return 0, ErrForbidden
	}
	added := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := nowOf(tx)
		var agencies []uint
		if err := tx.Table("agencies").Order("id").Pluck("id", &agencies).Error; err != nil {
			return err
		}
		for _, id := range agencies {
			open, err := openPayables(tx, id)
			if err != nil {
				return err
			}
			holds, err := invoiceHolds(tx, open)
			if err != nil {
				return err
			}
			for r, gross := range open {
				if holds[r] == "" || gross <= 0 {
					continue
				}
				number := fmt.Sprintf("26%018d", uint64(id)*1_000_000+uint64(added+1))
				inv := AgencyInvoice{AgencyID: id, Kind: r.Kind, Period: r.Period, Number: number, IssuedOn: day(now), AmountFen: gross,
					Filename: "fapiao-" + r.Period + ".pdf", PDF: demoInvoicePDF(number, gross), State: InvoiceConfirmed, DecidedAt: &now, CreatedAt: now}
				inv.PDFSize = len(inv.PDF)
				if err := tx.Create(&inv).Error; err != nil {
					return err
				}
				added++
			}
		}
		if added == 0 {
			return nil
		}
		return appendAudit(tx, a, "agency_invoice.seed", "agency_invoice", 0, nil, map[string]any{"invoices": added})
	})
	return added, err
}

// isSystem: the portal acting on its own (command line, seeding), never a signed-in user.
func isSystem(a *Actor) bool { return a != nil && a.Role == RoleAdmin && a.UserID == 0 }

// seedPayeeNumbers are a generated owner's ID number (resident ID for a
// creator, unified social credit code for an agency) and bank card, each with
// a valid check character, distinct per owner.
func seedPayeeNumbers(kind string, id uint) (idNumber, account string) {
	if kind == PayeeCreator {
		base := fmt.Sprintf("11010519900101%03d", id%1000)
		sum := 0
		for i := 0; i < 17; i++ {
			sum += int(base[i]-'0') * residentIDWeights[i]
		}
		idNumber = base + string(residentIDCheck[sum%11])
	} else {
		base := fmt.Sprintf("91110105MA%07d", id%10_000_000)
		sum := 0
		for i := 0; i < 17; i++ {
			sum += strings.IndexByte(usccChars, base[i]) * usccWeights[i]
		}
		idNumber = base + string(usccChars[(31-sum%31)%31])
	}
	prefix := "6222"
	if kind == PayeeAgency {
		prefix = "6217"
	}
	card := fmt.Sprintf("%s%014d", prefix, id)
	return idNumber, card + luhnDigit(card)
}

// luhnDigit is the check digit that makes digits+check pass the Luhn check.
func luhnDigit(digits string) string {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return fmt.Sprint((10 - sum%10) % 10)
}
