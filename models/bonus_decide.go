package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Outcome is what happened to one bonus in a (bulk) decision.
type Outcome struct {
	BonusID uint
	Result  string // "approved", "awaiting_second", "rejected" or "refused"
	Message string // why it was refused
}

// DecisionReport lists every bonus of a decision and where the pool stands:
// a bulk decision never drops a row silently.
type DecisionReport struct {
	Outcomes    []Outcome
	Approved    int
	Awaiting    int
	Rejected    int
	Refused     int
	ApprovedFen int64
	PoolLeftFen int64
}

func (r *DecisionReport) add(o Outcome) {
	r.Outcomes = append(r.Outcomes, o)
	switch o.Result {
	case "approved":
		r.Approved++
	case "awaiting_second":
		r.Awaiting++
	case "rejected":
		r.Rejected++
	default:
		r.Refused++
	}
}

// MaxBulk is the most bonuses one request may decide.
const MaxBulk = 5000

// ApproveBonuses approves bonuses for the acting reviewer, all in one
// transaction. At or above the four-eyes threshold a first approval only
// records the approver; a different reviewer completes it. Completing an
// approval charges the creator pool in the same transaction; what the pool
// cannot cover is refused with what is left. Each state change is a
// conditional update, so double clicks and racing reviewers approve once.
func (s *Store) ApproveBonuses(ctx context.Context, a *Actor, ids []uint) (*DecisionReport, error) {
	if !a.IsStaff() || a.UserID == 0 {
		return nil, ErrForbidden
	}
	if len(ids) == 0 {
		return nil, FieldErrors{"ids": "select at least one bonus"}
	}
	if len(ids) > MaxBulk {
		return nil, FieldErrors{"ids": fmt.Sprintf("at most %d bonuses at once", MaxBulk)}
	}
	rep := &DecisionReport{}
	ids = dedupe(ids)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, PoolCreators); err != nil {
			return err
		}
		rule, _, err := currentRule(tx)
		if err != nil {
			return err
		}
		bonuses, err := loadBonuses(tx, ids)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, id := range ids {
			b, ok := bonuses[id]
			if !ok {
				rep.add(Outcome{BonusID: id, Result: "refused", Message: "no such bonus"})
				continue
			}
			o, err := approveOne(tx, a, b, rule, now)
			if err != nil {
				return err
			}
			if o.Result == "approved" {
				rep.ApprovedFen += b.AmountFen
			}
			rep.add(o)
		}
		p := Pool{}
		if err := tx.Where("name = ?", PoolCreators).First(&p).Error; err != nil {
			return err
		}
		rep.PoolLeftFen = p.LeftFen()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func approveOne(tx *gorm.DB, a *Actor, b *Bonus, rule BonusRule, now time.Time) (Outcome, error) {
	o := Outcome{BonusID: b.ID, Result: "refused"}
	if b.AmountFen > min(rule.WeeklyCapFen, ProgrammeMaxWeeklyFen) {
		o.Message = fmt.Sprintf("%s is above the weekly cap of %s; recompute the week", FormatYuan(b.AmountFen), FormatYuan(rule.WeeklyCapFen))
		return o, appendAudit(tx, a, "bonus.approve_refused", "bonus", b.ID, nil, map[string]any{"reason": "over cap", "amount_fen": b.AmountFen})
	}
	needsTwo := b.AmountFen >= rule.FourEyesFen
	before := bonusAudit(b)
	switch {
	case b.State == BonusProposed && needsTwo:
		res := tx.Model(&Bonus{}).Where("id = ? AND state = ?", b.ID, BonusProposed).
			Updates(map[string]any{"state": BonusAwaitingSecond, "first_approver_id": a.UserID, "first_approved_at": now})
		if res.Error != nil {
			return o, res.Error
		}
		if res.RowsAffected != 1 {
			o.Message = "someone else decided it meanwhile"
			return o, nil
		}
		b.State = BonusAwaitingSecond
		o.Result = "awaiting_second"
		return o, appendAudit(tx, a, "bonus.first_approval", "bonus", b.ID, before, bonusAudit(b))
	case b.State == BonusAwaitingSecond && b.FirstApproverID != nil && *b.FirstApproverID == a.UserID:
		o.Message = "needs a second approval by a different reviewer"
		return o, appendAudit(tx, a, "bonus.approve_refused", "bonus", b.ID, nil, map[string]any{"reason": "same reviewer"})
	case b.State == BonusProposed || b.State == BonusAwaitingSecond:
		if _, err := chargePool(tx, PoolCreators, b.AmountFen); err != nil {
			if errors.Is(err, ErrPoolExhausted) {
				o.Message = err.Error()
				return o, appendAudit(tx, a, "bonus.approve_refused", "bonus", b.ID, nil, map[string]any{"reason": err.Error()})
			}
			return o, err
		}
		res := tx.Model(&Bonus{}).Where("id = ? AND state = ?", b.ID, b.State).
			Updates(map[string]any{"state": BonusApproved, "decided_by_id": a.UserID, "decided_at": now})
		if res.Error != nil {
			return o, res.Error
		}
		if res.RowsAffected != 1 {
			// Lost a race after charging: give the money back within this transaction.
			if err := releasePool(tx, PoolCreators, b.AmountFen); err != nil {
				return o, err
			}
			o.Message = "someone else decided it meanwhile"
			return o, nil
		}
		b.State = BonusApproved
		o.Result = "approved"
		return o, appendAudit(tx, a, "bonus.approve", "bonus", b.ID, before, bonusAudit(b))
	default:
		o.Message = fmt.Sprintf("it is already %s", strings.ReplaceAll(string(b.State), "_", " "))
		return o, nil
	}
}

// RejectBonuses rejects proposed or half-approved bonuses with a reason code.
func (s *Store) RejectBonuses(ctx context.Context, a *Actor, ids []uint, reason, note string) (*DecisionReport, error) {
	if !a.IsStaff() || a.UserID == 0 {
		return nil, ErrForbidden
	}
	reason, note = strings.TrimSpace(reason), strings.TrimSpace(note)
	switch {
	case len(ids) == 0:
		return nil, FieldErrors{"ids": "select at least one bonus"}
	case len(ids) > MaxBulk:
		return nil, FieldErrors{"ids": fmt.Sprintf("at most %d bonuses at once", MaxBulk)}
	case reason == "":
		return nil, FieldErrors{"reason": "choose a reason code for the rejection"}
	case len([]rune(note)) > MaxNoteLength:
		return nil, FieldErrors{"note": fmt.Sprintf("note must be at most %d characters", MaxNoteLength)}
	}
	rep := &DecisionReport{}
	ids = dedupe(ids)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, PoolCreators); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&ReasonCode{}).Where("code = ? AND kind = ? AND active = ?", reason, ReasonForBonus, true).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return FieldErrors{"reason": fmt.Sprintf("unknown reason code %q", reason)}
		}
		bonuses, err := loadBonuses(tx, ids)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, id := range ids {
			b, ok := bonuses[id]
			if !ok {
				rep.add(Outcome{BonusID: id, Result: "refused", Message: "no such bonus"})
				continue
			}
			if b.State != BonusProposed && b.State != BonusAwaitingSecond {
				rep.add(Outcome{BonusID: id, Result: "refused", Message: fmt.Sprintf("it is already %s", strings.ReplaceAll(string(b.State), "_", " "))})
				continue
			}
			before := bonusAudit(b)
			res := tx.Model(&Bonus{}).Where("id = ? AND state = ?", id, b.State).
				Updates(map[string]any{"state": BonusRejected, "reason": reason, "note": note, "decided_by_id": a.UserID, "decided_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				rep.add(Outcome{BonusID: id, Result: "refused", Message: "someone else decided it meanwhile"})
				continue
			}
			b.State, b.Reason, b.Note = BonusRejected, reason, note
			if err := appendAudit(tx, a, "bonus.reject", "bonus", id, before, bonusAudit(b)); err != nil {
				return err
			}
			rep.add(Outcome{BonusID: id, Result: "rejected"})
		}
		p := Pool{}
		if err := tx.Where("name = ?", PoolCreators).First(&p).Error; err != nil {
			return err
		}
		rep.PoolLeftFen = p.LeftFen()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func loadBonuses(tx *gorm.DB, ids []uint) (map[uint]*Bonus, error) {
	out := make(map[uint]*Bonus, len(ids))
	for start := 0; start < len(ids); start += 500 {
		var bs []Bonus
		if err := tx.Where("id IN ?", ids[start:min(start+500, len(ids))]).Find(&bs).Error; err != nil {
			return nil, err
		}
		for i := range bs {
			out[bs[i].ID] = &bs[i]
		}
	}
	return out, nil
}

// dedupe returns the ids once each, in ascending order, so every transaction
// touches rows in the same order.
func dedupe(ids []uint) []uint {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
