package models

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
)

// AdjustmentState is where an adjustment is in its review.
type AdjustmentState = BonusState

// Why an adjustment was proposed; each is the catalogue ID of its explanation.
const (
	AdjustRefunds        = "adjust_reason_refunds"         // down: refunds reported after the bonus was decided
	AdjustCorrectionDown = "adjust_reason_correction_down" // down: the figures were corrected downwards
	AdjustTopUp          = "adjust_reason_topup"           // up: a late upload or a correction upwards
)

// BonusAdjustment is a correction of a decided weekly bonus: what the rule
// gives for the week's current figures minus what was approved so far (the
// bonus and its earlier approved adjustments). Negative is a clawback,
// positive a top-up. It is decided like a bonus (proposed, awaiting_second,
// approved, rejected) and, approved, nets against the payee's next payout
// line(s): SettledFen is how much of it lines have settled so far.
type BonusAdjustment struct {
	ID uint `gorm:"primaryKey"`
	// BonusID and RevisionID: one adjustment per bonus per revision of the week's figures, ever.
	BonusID         uint       `gorm:"not null;uniqueIndex:idx_adjustment_bonus_revision,priority:1"`
	RevisionID      uint       `gorm:"not null;uniqueIndex:idx_adjustment_bonus_revision,priority:2"`
	CreatorID       uint       `gorm:"not null;index"`
	AgencyID        *uint      `gorm:"index"`
	Week            string     `gorm:"size:8;not null;index"`
	AmountFen       int64      `gorm:"not null"`           // signed: NewAmountFen - BaseFen
	BaseFen         int64      `gorm:"not null"`           // approved so far when proposed: the bonus plus earlier approved adjustments
	NewAmountFen    int64      `gorm:"not null"`           // what the rule gives for ToFigures
	FromFigures     string     `gorm:"type:text;not null"` // Figures (JSON) the bonus or the last approved adjustment was computed from
	ToFigures       string     `gorm:"type:text;not null"` // the week's current Figures (JSON)
	Reason          string     `gorm:"size:40;not null"`   // one of the Adjust… codes
	State           BonusState `gorm:"size:16;not null;index"`
	FirstApproverID *uint
	FirstApprovedAt *time.Time
	DecidedByID     *uint
	DecidedAt       *time.Time
	RejectReason    string `gorm:"size:64;not null;default:''"`
	Note            string `gorm:"size:500;not null;default:''"`
	SettledFen      int64  `gorm:"not null;default:0"`
	SettledLineID   *uint  // the payout line that settled the last of it
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName names the table.
func (BonusAdjustment) TableName() string { return "bonus_adjustments" }

// PayoutLineAdjustment is how much of one approved adjustment one payout line
// settled (negative: taken off the line's gross; positive: added to it).
type PayoutLineAdjustment struct {
	LineID       uint  `gorm:"primaryKey;autoIncrement:false"`
	AdjustmentID uint  `gorm:"primaryKey;autoIncrement:false;index"`
	AmountFen    int64 `gorm:"not null"`
}

// TableName names the table.
func (PayoutLineAdjustment) TableName() string { return "payout_line_adjustments" }

// Figures decodes both sets of figures.
func (j BonusAdjustment) Figures() (from, to Figures) {
	_ = json.Unmarshal([]byte(j.FromFigures), &from)
	_ = json.Unmarshal([]byte(j.ToFigures), &to)
	return from, to
}

// Clawback reports whether the adjustment takes money back.
func (j BonusAdjustment) Clawback() bool { return j.AmountFen < 0 }

// OutstandingFen is what of an approved adjustment is still to be netted.
func (j BonusAdjustment) OutstandingFen() int64 { return j.AmountFen - j.SettledFen }

// ReasonMsg is why the adjustment was proposed, as a message.
func (j BonusAdjustment) ReasonMsg() Msg { return Msg{ID: j.Reason} }

func (j *BonusAdjustment) audit() map[string]any {
	m := map[string]any{"state": j.State, "amount_fen": j.AmountFen, "bonus_id": j.BonusID, "revision_id": j.RevisionID}
	if j.RejectReason != "" {
		m["reason"] = j.RejectReason
	}
	if j.Note != "" {
		m["note"] = j.Note
	}
	return m
}

// adjustmentReason names why a bonus moves from one set of figures to another.
func adjustmentReason(delta int64, from, to Figures) string {
	switch {
	case delta > 0:
		return AdjustTopUp
	case to.RefundedGMVFen > from.RefundedGMVFen || to.RefundedOrders > from.RefundedOrders:
		return AdjustRefunds
	}
	return AdjustCorrectionDown
}

// adjustWeek is proposeAdjustments. Only approved and paid bonuses are
// adjusted: a rejected bonus was never money, and a bonus awaiting its
// second approval is not yet decided money — the week is adjusted at its
// first recompute after the approval completes. For each, the figures the
// money was last computed from (the last approved adjustment's, else the
// bonus's) are compared with the week's current ones; when they differ and
// the rule now gives another amount than was approved so far, an adjustment
// of the difference is proposed, once per revision of the figures. A newer
// revision replaces an adjustment still waiting (proposed, or awaiting its
// second approval: that first approval was for figures no longer current);
// figures back at what was approved withdraw it.
func adjustWeek(tx *gorm.DB, a *Actor, week WeekLabel, rule BonusRule, version uint, rows []weekPerformance, decided []Bonus, now time.Time, target func(b *Bonus, ruleFen int64) int64) (int, error) {
	var money []Bonus
	for _, b := range decided {
		if b.State == BonusApproved || b.State == BonusPaid {
			money = append(money, b)
		}
	}
	if len(money) == 0 {
		return 0, nil
	}
	perf := make(map[uint]*weekPerformance, len(rows))
	for i := range rows {
		perf[rows[i].CreatorID] = &rows[i]
	}
	creatorIDs := make([]uint, len(money))
	bonusIDs := make([]uint, len(money))
	for i, b := range money {
		creatorIDs[i], bonusIDs[i] = b.CreatorID, b.ID
	}
	revs, err := latestRevisions(tx, week.String(), creatorIDs)
	if err != nil {
		return 0, err
	}
	byBonus := map[uint][]BonusAdjustment{}
	for _, part := range chunks(bonusIDs, 500) {
		var adj []BonusAdjustment
		if err := tx.Where("bonus_id IN ?", part).Order("id").Find(&adj).Error; err != nil {
			return 0, err
		}
		for _, j := range adj {
			byBonus[j.BonusID] = append(byBonus[j.BonusID], j)
		}
	}
	proposed := 0
	for _, b := range money {
		var bd Breakdown
		if json.Unmarshal([]byte(b.Breakdown), &bd) != nil || bd.Figures == nil {
			continue // computed before bonuses kept their figures: nothing to compare with
		}
		p, ok := perf[b.CreatorID]
		if !ok {
			continue
		}
		base, from := b.AmountFen, *bd.Figures
		var waiting *BonusAdjustment
		seen := false
		rev := revs[b.CreatorID]
		for i := range byBonus[b.ID] {
			j := &byBonus[b.ID][i]
			switch j.State {
			case BonusApproved:
				base += j.AmountFen
				_, from = j.Figures()
			case BonusProposed, BonusAwaitingSecond:
				waiting = j
			}
			if j.RevisionID == rev {
				seen = true
			}
		}
		if seen {
			continue // exactly once per revision
		}
		to := p.Figures()
		newFen := int64(0)
		c := Creator{State: StateQualified, QualifiedAt: &time.Time{}}
		if ok, _ := Eligible(c, p.WeeklyPerformance, week); ok {
			newFen = target(&b, rule.Compute(p.WeeklyPerformance).AmountFen)
		}
		delta := newFen - base
		if to == from || delta == 0 {
			if waiting != nil { // the figures came back to what was approved
				res := tx.Where("id = ? AND state = ?", waiting.ID, waiting.State).Delete(&BonusAdjustment{})
				if res.Error != nil {
					return 0, res.Error
				}
				if res.RowsAffected == 1 {
					if err := appendAudit(tx, a, "adjustment.withdraw", "adjustment", waiting.ID, waiting.audit(), nil); err != nil {
						return 0, err
					}
				}
			}
			continue
		}
		j := BonusAdjustment{BonusID: b.ID, RevisionID: rev, CreatorID: b.CreatorID, AgencyID: b.AgencyID, Week: week.String(),
			AmountFen: delta, BaseFen: base, NewAmountFen: newFen, FromFigures: toJSON(from), ToFigures: toJSON(to),
			Reason: adjustmentReason(delta, from, to), State: BonusProposed, CreatedAt: now, UpdatedAt: now}
		if waiting != nil {
			before := waiting.audit()
			res := tx.Model(&BonusAdjustment{}).Where("id = ? AND state = ?", waiting.ID, waiting.State).Updates(map[string]any{
				"revision_id": rev, "amount_fen": delta, "base_fen": base, "new_amount_fen": newFen, "from_figures": j.FromFigures,
				"to_figures": j.ToFigures, "reason": j.Reason, "state": BonusProposed, "first_approver_id": nil, "first_approved_at": nil,
				"updated_at": now})
			if res.Error != nil {
				return 0, res.Error
			}
			if res.RowsAffected == 1 {
				j.ID = waiting.ID
				proposed++
				if err := appendAudit(tx, a, "adjustment.replace", "adjustment", j.ID, before, j.audit()); err != nil {
					return 0, err
				}
				continue
			}
		}
		if err := tx.Create(&j).Error; err != nil {
			return 0, err
		}
		proposed++
		if err := appendAudit(tx, a, "adjustment.propose", "adjustment", j.ID, nil, j.audit()); err != nil {
			return 0, err
		}
	}
	return proposed, nil
}

// ApproveAdjustments approves adjustments for the acting reviewer, all in one
// transaction, like bonuses: at or above the four-eyes threshold by absolute
// amount, or for a top-up that takes the week across it (needsFourEyes), a
// first approval only records the approver and a different reviewer
// completes it. Completing an approval charges the creator pool for a top-up
// or gives a clawback back to it, in the same transaction, by a conditional
// update of the adjustment's state, so double clicks and racing reviewers
// move the pool once. The creator is told.
func (s *Store) ApproveAdjustments(ctx context.Context, a *Actor, ids []uint) (*DecisionReport, error) {
	if err := checkBulk(a, ids); err != nil {
		return nil, err
	}
	rep := &DecisionReport{}
	ids = dedupe(ids)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, PoolCreators); err != nil {
			return err
		}
		_, fourEyesFen, err := weeklyBonuses.limits(tx)
		if err != nil {
			return err
		}
		rows, names, err := loadAdjustments(tx, ids)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		var approved []uint
		for _, id := range ids {
			j, ok := rows[id]
			if !ok {
				rep.add(Outcome{BonusID: id, Result: "refused", Reason: RefusedNoSuchBonus})
				continue
			}
			o, err := approveAdjustment(tx, a, j, names[j.CreatorID], fourEyesFen, now)
			if err != nil {
				return err
			}
			if o.Result == "approved" {
				rep.ApprovedFen += j.AmountFen
				approved = append(approved, id)
			}
			rep.add(o)
		}
		// The impact figures (issue 19) in one upsert after the loop, keys sorted.
		if err := creditImpactAdjustments(tx, approved); err != nil {
			return err
		}
		rep.PoolLeftFen, err = poolLeft(tx, PoolCreators)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func absFen(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// needsFourEyes reports whether an adjustment needs a second reviewer: at or
// above the threshold by absolute amount, or a top-up that takes the week's
// approved money from below the threshold to at or above it (else one
// reviewer could approve a bonus just under it and then the rest alone).
func needsFourEyes(j *BonusAdjustment, fourEyesFen int64) bool {
	return absFen(j.AmountFen) >= fourEyesFen || (j.AmountFen > 0 && j.BaseFen < fourEyesFen && j.NewAmountFen >= fourEyesFen)
}

func approveAdjustment(tx *gorm.DB, a *Actor, j *BonusAdjustment, name string, fourEyesFen int64, now time.Time) (Outcome, error) {
	o := Outcome{BonusID: j.ID, Name: name, Result: "refused", AmountFen: j.AmountFen}
	before := j.audit()
	update := func(from BonusState, values map[string]any) (bool, error) {
		res := tx.Model(&BonusAdjustment{}).Where("id = ? AND state = ?", j.ID, from).Updates(values)
		return res.RowsAffected == 1, res.Error
	}
	switch {
	case j.State == BonusProposed && needsFourEyes(j, fourEyesFen):
		ok, err := update(BonusProposed, map[string]any{"state": BonusAwaitingSecond, "first_approver_id": a.UserID, "first_approved_at": now, "updated_at": now})
		if err != nil || !ok {
			o.Reason = RefusedDecidedMeanwhile
			return o, err
		}
		j.State = BonusAwaitingSecond
		o.Result = "awaiting_second"
		return o, appendAudit(tx, a, "adjustment.first_approval", "adjustment", j.ID, before, j.audit())
	case j.State == BonusAwaitingSecond && j.FirstApproverID != nil && *j.FirstApproverID == a.UserID:
		o.Reason = RefusedSameReviewer
		return o, appendAuditTallied(tx, a, "adjustment.approve_refused", "adjustment", j.ID, map[string]any{"reason": "same reviewer", "amount_fen": j.AmountFen})
	case j.State == BonusProposed || j.State == BonusAwaitingSecond:
		ok, err := update(j.State, map[string]any{"state": BonusApproved, "decided_by_id": a.UserID, "decided_at": now, "updated_at": now})
		if err != nil {
			return o, err
		}
		if !ok {
			o.Reason = RefusedDecidedMeanwhile
			return o, nil
		}
		// The state moved first and only once: only this approval moves the pool.
		if j.AmountFen > 0 {
			if left, err := chargePool(tx, PoolCreators, j.AmountFen); err != nil {
				if errors.Is(err, ErrPoolExhausted) {
					// Undo the state change: the transaction goes on with the other adjustments.
					if _, err := update(BonusApproved, map[string]any{"state": j.State, "decided_by_id": nil, "decided_at": nil}); err != nil {
						return o, err
					}
					o.Reason, o.LimitFen = RefusedPoolShort, left
					return o, appendAuditTallied(tx, a, "adjustment.approve_refused", "adjustment", j.ID,
						map[string]any{"reason": "pool cannot cover", "left_fen": left, "amount_fen": j.AmountFen})
				}
				return o, err
			}
			// A top-up is spent in its week: it charges the week's budget too (issue 17).
			if _, err := chargePeriod(tx, PoolCreators, j.Week, j.AmountFen); err != nil {
				if short := (PeriodBudgetShortError{}); errors.As(err, &short) {
					left := short.LeftFen
					if err := releasePool(tx, PoolCreators, j.AmountFen); err != nil {
						return o, err
					}
					if _, err := update(BonusApproved, map[string]any{"state": j.State, "decided_by_id": nil, "decided_at": nil}); err != nil {
						return o, err
					}
					o.Reason, o.LimitFen, o.Period = RefusedPeriodBudget, left, j.Week
					return o, appendAuditTallied(tx, a, "adjustment.approve_refused", "adjustment", j.ID,
						map[string]any{"reason": "period budget cannot cover", "period": j.Week, "left_fen": left, "amount_fen": j.AmountFen})
				}
				return o, err
			}
		} else {
			if err := releasePool(tx, PoolCreators, -j.AmountFen); err != nil {
				return o, err
			}
			if err := releaseWeekBudget(tx, j.Week, -j.AmountFen); err != nil {
				return o, err
			}
		}
		j.State = BonusApproved
		o.Result = "approved"
		if err := notifyCreator(tx, j.CreatorID, M(NotifyAdjustmentApproved, "Amount", Fen(j.AmountFen), "Period", j.Week, "Why", Word(j.Reason)), Target{Type: TargetMe}); err != nil {
			return o, err
		}
		return o, appendAudit(tx, a, "adjustment.approve", "adjustment", j.ID, before, j.audit())
	default:
		o.Reason, o.State = RefusedAlreadyDecided, j.State
		return o, nil
	}
}

// RejectAdjustments rejects adjustments still waiting, with a reason code of
// weekly bonuses and a note; the creator is told. Nothing moves.
func (s *Store) RejectAdjustments(ctx context.Context, a *Actor, ids []uint, reason, note string) (*DecisionReport, error) {
	if err := checkBulk(a, ids); err != nil {
		return nil, err
	}
	reason, note, err := checkRejection(reason, note)
	if err != nil {
		return nil, err
	}
	rep := &DecisionReport{}
	ids = dedupe(ids)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		rc, err := activeReason(tx, reason, ReasonForBonus)
		if err != nil {
			return err
		}
		rows, names, err := loadAdjustments(tx, ids)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		for _, id := range ids {
			j, ok := rows[id]
			if !ok {
				rep.add(Outcome{BonusID: id, Result: "refused", Reason: RefusedNoSuchBonus})
				continue
			}
			o := Outcome{BonusID: id, Name: names[j.CreatorID], Result: "refused", AmountFen: j.AmountFen}
			if j.State != BonusProposed && j.State != BonusAwaitingSecond {
				o.Reason, o.State = RefusedAlreadyDecided, j.State
				rep.add(o)
				continue
			}
			before := j.audit()
			res := tx.Model(&BonusAdjustment{}).Where("id = ? AND state = ?", id, j.State).
				Updates(map[string]any{"state": BonusRejected, "reject_reason": reason, "note": note, "decided_by_id": a.UserID, "decided_at": now, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				o.Reason = RefusedDecidedMeanwhile
				rep.add(o)
				continue
			}
			j.State, j.RejectReason, j.Note = BonusRejected, reason, note
			if err := notifyCreator(tx, j.CreatorID, M(NotifyAdjustmentRejected, "Amount", Fen(j.AmountFen), "Period", j.Week, "Reason", Reason(rc.Code)), Target{Type: TargetMe}); err != nil {
				return err
			}
			if err := appendAudit(tx, a, "adjustment.reject", "adjustment", id, before, j.audit()); err != nil {
				return err
			}
			o.Result = "rejected"
			rep.add(o)
		}
		rep.PoolLeftFen, err = poolLeft(tx, PoolCreators)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func loadAdjustments(tx *gorm.DB, ids []uint) (map[uint]*BonusAdjustment, map[uint]string, error) {
	out := make(map[uint]*BonusAdjustment, len(ids))
	names := map[uint]string{}
	for _, part := range chunks(ids, 500) {
		var rows []BonusAdjustment
		if err := tx.Where("id IN ?", part).Find(&rows).Error; err != nil {
			return nil, nil, err
		}
		var creators []uint
		for i := range rows {
			out[rows[i].ID] = &rows[i]
			creators = append(creators, rows[i].CreatorID)
		}
		if len(creators) > 0 {
			var cs []Creator
			if err := tx.Select("id, display_name").Where("id IN ?", dedupe(creators)).Find(&cs).Error; err != nil {
				return nil, nil, err
			}
			for _, c := range cs {
				names[c.ID] = c.DisplayName
			}
		}
	}
	return out, names, nil
}

// releaseWeekBudget gives a clawback back to its week's budget, never more
// than the week has committed (its bonus may have been approved before the
// week had a budget). A week without a budget is left alone.
func releaseWeekBudget(tx *gorm.DB, week string, amount int64) error {
	b, err := periodBudget(tx, PoolCreators, week)
	if err != nil || b == nil {
		return err
	}
	if amount = min(amount, b.CommittedFen); amount <= 0 {
		return nil
	}
	return releasePeriod(tx, PoolCreators, week, amount)
}
