package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// DetectRiskForTest runs the detector of one kind on a week whose proposals
// are the given creators' (one fen each), with the thresholds given, and
// keeps the flags of proposed creators as flagProposals does.
func (s *Store) DetectRiskForTest(ctx context.Context, kind RiskKind, week WeekLabel, proposed []uint, t RiskThresholds) (map[uint][]RiskFlag, error) {
	detect := map[RiskKind]riskDetector{RiskSharedContent: detectSharedContent, RiskSharedContact: detectSharedContact}[kind]
	w := &riskWeek{Week: week, T: t, Capped: map[uint]bool{}}
	for _, id := range proposed {
		w.Proposals = append(w.Proposals, Bonus{CreatorID: id, AmountFen: 1})
	}
	var out map[uint][]RiskFlag
	err := s.tx(ctx, func(tx *gorm.DB) error {
		found, err := detect(tx, w)
		if err != nil {
			return err
		}
		out = map[uint][]RiskFlag{}
		for _, id := range proposed {
			if fs := found[id]; len(fs) > 0 {
				out[id] = fs
			}
		}
		return nil
	})
	return out, err
}

// SeedContactsForBench gives every creator a contact phone and email and a
// bank-card payee (encrypted), every 1,000th sharing the one before's, so
// the shared-contact detector works at scale.
func (s *Store) SeedContactsForBench(ctx context.Context) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE creators SET contact_phone = CAST(13800000000 + id - CASE WHEN id % 1000 = 0 THEN 1 ELSE 0 END AS TEXT), " +
			"contact_email = 'c' || CAST(id AS TEXT) || '@bench.test'").Error; err != nil {
			return err
		}
		c, err := payeeCipherOf(tx)
		if err != nil {
			return err
		}
		var ids []uint
		if err := tx.Model(&Creator{}).Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		ps := make([]Payee, 0, len(ids))
		for _, id := range ids {
			n := id
			if id%1000 == 0 {
				n = id - 1
			}
			account := fmt.Sprintf("6222%015d", n)
			enc, err := c.seal(account, payeeAAD(PayeeCreator, id, "account"))
			if err != nil {
				return err
			}
			ps = append(ps, Payee{Kind: PayeeCreator, OwnerID: id, Name: "bench", Method: PayByBank, IDNumberEnc: "x", IDNumberMasked: "x",
				AccountEnc: enc, AccountMasked: MaskAccount(PayByBank, account), Bank: "b", Branch: "b"})
		}
		return tx.CreateInBatches(&ps, 1000).Error
	})
}
