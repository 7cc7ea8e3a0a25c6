package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// SeedPayable makes everyone who is owed money payable, for the demo, the
// scale seed and tests (the portal's own work: the system actor only):
//   - every creator and agency without payee details gets generated ones with
//     valid check digits, verified; details that exist, verified or not, stay
//     as they are;
//   - every open agency payable without a confirmed invoice of its gross gets
//     one (a generated e-invoice number and a one-page PDF).
//
// It returns how many payees and invoices it added.
func (s *Store) SeedPayable(ctx context.Context, a *Actor) (payees, invoices int, err error) {
	if a == nil || a.Role != RoleAdmin || a.UserID != 0 {
		return 0, 0, ErrForbidden
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		c, err := payeeCipherOf(tx)
		if err != nil {
			return err
		}
		now := nowOf(tx)
		for _, kind := range []string{PayeeCreator, PayeeAgency} {
			table, name := "creators", "display_name"
			if kind == PayeeAgency {
				table, name = "agencies", "name"
			}
			var owners []struct {
				ID   uint
				Name string
			}
			if err := tx.Table(table).Select("id, "+name+" AS name").
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
				payees++
			}
		}
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
				number := fmt.Sprintf("26%018d", uint64(id)*1_000_000+uint64(invoices+1))
				inv := AgencyInvoice{AgencyID: id, Kind: r.Kind, Period: r.Period, Number: number, IssuedOn: day(now), AmountFen: gross,
					Filename: "fapiao-" + r.Period + ".pdf", PDF: demoInvoicePDF(number, gross), State: InvoiceConfirmed, DecidedAt: &now, CreatedAt: now}
				inv.PDFSize = len(inv.PDF)
				if err := tx.Create(&inv).Error; err != nil {
					return err
				}
				invoices++
			}
		}
		return appendAudit(tx, a, "payable.seed", "payee", 0, nil, map[string]any{"payees": payees, "invoices": invoices})
	})
	return payees, invoices, err
}

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
