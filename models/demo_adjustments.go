package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// seedDemoAdjustments shows issue 16's corrections in the demo: the paid week
// of creator1@demo.test corrected downwards by refunds and recomputed, its
// clawback waiting for review; and another creator's clawback already
// approved, netted by a batch of their next payable week.
func (s *Store) seedDemoAdjustments(ctx context.Context) error {
	var paidWeek string
	if err := s.r(ctx).Model(&Bonus{}).Where("state = ?", BonusPaid).Select("MIN(week)").Scan(&paidWeek).Error; err != nil || paidWeek == "" {
		return err
	}
	week, err := ParseWeek(paidWeek)
	if err != nil {
		return err
	}
	var rev1, rev2 User
	if err := s.r(ctx).Where("email = ?", "reviewer1@demo.test").First(&rev1).Error; err != nil {
		return err
	}
	if err := s.r(ctx).Where("email = ?", "reviewer2@demo.test").First(&rev2).Error; err != nil {
		return err
	}
	r1, r2 := ActorFor(&rev1, ""), ActorFor(&rev2, "")
	var logins []User
	if err := s.r(ctx).Where("role = ? AND creator_id IS NOT NULL", RoleCreator).Order("email").Find(&logins).Error; err != nil {
		return err
	}
	// creator1's oldest paid week (paid now if it waits payable for a batch)
	// is corrected and waits for review; another creator (with a login when
	// one fits) whose next week is payable directly has a clawback of the
	// oldest paid week approved and netted.
	var waiting, netted *Bonus
	next := WeekOf(week.End())
	for _, u := range logins {
		if u.Email == "creator1@demo.test" {
			if waiting, err = s.demoPaidBonus(ctx, r1, *u.CreatorID); err != nil {
				return err
			}
			continue
		}
		var b Bonus
		if err := s.r(ctx).Where("creator_id = ? AND week = ? AND state = ?", *u.CreatorID, week.String(), BonusPaid).First(&b).Error; err != nil {
			continue
		}
		if netted == nil && s.demoPaysDirectly(ctx, *u.CreatorID, next) {
			netted = &b
		}
	}
	if netted == nil { // no creator with a login fits: any creator does
		var bs []Bonus
		if err := s.r(ctx).Where("week = ? AND state = ?", week.String(), BonusPaid).Order("id").Find(&bs).Error; err != nil {
			return err
		}
		for i := range bs {
			if (waiting == nil || bs[i].CreatorID != waiting.CreatorID) && s.demoPaysDirectly(ctx, bs[i].CreatorID, next) {
				netted = &bs[i]
				break
			}
		}
	}
	// Refunds arrive after the week was paid: most of its GMV comes back.
	for _, b := range []*Bonus{waiting, netted} {
		if b == nil {
			continue
		}
		err := s.tx(ctx, func(tx *gorm.DB) error {
			var p WeeklyPerformance
			if err := tx.Where("creator_id = ? AND week = ?", b.CreatorID, b.Week).First(&p).Error; err != nil {
				return err
			}
			p.RefundedGMVFen, p.RefundedOrders = p.GMVFen*4/5, p.Orders*4/5
			_, err := upsertPerformance(tx, &Actor{Email: "demo-feed"}, "demo", []WeeklyPerformance{p})
			return err
		})
		if err != nil {
			return err
		}
	}
	weeks := map[string]bool{}
	for _, b := range []*Bonus{waiting, netted} {
		if b != nil && !weeks[b.Week] {
			weeks[b.Week] = true
			if _, err := s.ComputeWeek(ctx, r1, b.Week); err != nil {
				return err
			}
		}
	}
	if netted == nil {
		return nil
	}
	var j BonusAdjustment
	if err := s.r(ctx).Where("bonus_id = ? AND state = ?", netted.ID, BonusProposed).First(&j).Error; err != nil {
		return nil // the refunds left the amount as it was: nothing to net
	}
	for _, r := range []*Actor{r1, r2} { // four eyes when the clawback is large
		if _, err := s.ApproveAdjustments(ctx, r, []uint{j.ID}); err != nil {
			return err
		}
	}
	var later Bonus
	if err := s.r(ctx).Where("creator_id = ? AND week = ? AND state = ? AND payout_batch_id IS NULL", netted.CreatorID, next.String(), BonusApproved).
		First(&later).Error; err != nil {
		return err
	}
	if _, err := s.SeedPayees(ctx, SystemActor()); err != nil {
		return err
	}
	if _, _, err := s.CreatePayoutBatch(ctx, r1, PayCreators, []uint{later.ID}); err != nil {
		return fmt.Errorf("demo netting batch: %w", err)
	}
	return nil
}

// demoPaysDirectly reports whether a creator has an approved, payable bonus
// of week in no batch, paid to the creator (not through an agency).
func (s *Store) demoPaysDirectly(ctx context.Context, creatorID uint, week WeekLabel) bool {
	var b payoutBonus
	err := s.r(ctx).Table("bonuses AS b").Select("b.id, b.creator_id, b.agency_id, b.week AS period, b.amount_fen, COALESCE(a.settlement, '') AS settlement").
		Joins("LEFT JOIN agencies a ON a.id = b.agency_id").
		Where("b.creator_id = ? AND b.week = ? AND b.state = ? AND b.payout_batch_id IS NULL", creatorID, week.String(), BonusApproved).Scan(&b).Error
	if err != nil || b.ID == 0 || payeeOf(PayCreators, b).Kind != PayeeCreator {
		return false
	}
	ref := PayeeRef{Kind: PayeeCreator, ID: creatorID}
	if payees, err := payeesForPayout(s.r(ctx), []PayeeRef{ref}); err != nil || payees[ref].Hold != "" {
		return false
	}
	days, err := holdingDays(s.r(ctx))
	return err == nil && !s.now().Before(PayableFrom(week, days))
}

// demoPaidBonus returns a creator's oldest paid bonus; without one it pays
// their oldest approved bonus that is payable now (nil when none is).
func (s *Store) demoPaidBonus(ctx context.Context, r *Actor, creatorID uint) (*Bonus, error) {
	var b Bonus
	if err := s.r(ctx).Where("creator_id = ? AND state = ?", creatorID, BonusPaid).Order("week").First(&b).Error; err == nil {
		return &b, nil
	}
	var approved []Bonus
	if err := s.r(ctx).Where("creator_id = ? AND state = ? AND payout_batch_id IS NULL", creatorID, BonusApproved).Order("week").Find(&approved).Error; err != nil {
		return nil, err
	}
	for _, a := range approved {
		w, err := ParseWeek(a.Week)
		if err != nil || !s.demoPaysDirectly(ctx, creatorID, w) {
			continue
		}
		batch, _, err := s.CreatePayoutBatch(ctx, r, PayCreators, []uint{a.ID})
		if err != nil {
			return nil, err
		}
		if _, _, err := s.FreezePayoutBatch(ctx, r, batch.ID); err != nil {
			return nil, err
		}
		if _, err := s.MarkBatchPaid(ctx, r, batch.ID); err != nil {
			return nil, err
		}
		a.State = BonusPaid
		return &a, nil
	}
	return nil, nil
}
