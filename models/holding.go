package models

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Holding period (issue 16, point 4): a week's approved bonuses become
// payable only some days after the week ends, so most refunds arrive before
// money leaves. Monthly MCN bonuses are paid against an invoice and are not held.

// HoldHoldingPeriod is the hold of bonuses whose holding period has not ended
// (the message takes Date: when they become payable, a CST date).
const HoldHoldingPeriod = "hold_holding_period"

// holdingDaysKey is the settings row holding the holding period in days.
const holdingDaysKey = "payout_holding_days"

// DefaultHoldingDays is the holding period when no admin set one.
const DefaultHoldingDays = 15

// MaxHoldingDays bounds the holding period an admin may set.
const MaxHoldingDays = 90

// PayableFrom is when a week's approved bonuses become payable: the week's
// end (Sunday 24:00 CST) plus holdDays whole days, an instant in CST.
func PayableFrom(week WeekLabel, holdDays int) time.Time {
	return week.End().AddDate(0, 0, holdDays)
}

// PayableFromLabel is PayableFrom for a week label; ok is false for a label that is no week.
func PayableFromLabel(week string, holdDays int) (time.Time, bool) {
	w, err := ParseWeek(week)
	if err != nil {
		return time.Time{}, false
	}
	return PayableFrom(w, holdDays), true
}

// HoldingDays returns the holding period in days (DefaultHoldingDays unless an admin set it).
func (s *Store) HoldingDays(ctx context.Context) (int, error) { return holdingDays(s.r(ctx)) }

func holdingDays(tx *gorm.DB) (int, error) {
	var rows []Setting
	if err := tx.Where("key = ?", holdingDaysKey).Find(&rows).Error; err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return DefaultHoldingDays, nil
	}
	n, err := strconv.Atoi(rows[0].Value)
	if err != nil || n < 0 || n > MaxHoldingDays {
		return DefaultHoldingDays, nil // a value no one could have saved: the default
	}
	return n, nil
}

// SetHoldingDays saves the holding period (an admin, or the portal itself
// for seeding and tests), audited. Like the minimum payout it moves no
// money: it only makes approved money wait longer or shorter. Saving the
// value already in force changes and audits nothing.
func (s *Store) SetHoldingDays(ctx context.Context, a *Actor, days int) error {
	if a == nil || a.Role != RoleAdmin {
		return ErrForbidden
	}
	if days < 0 || days > MaxHoldingDays {
		return FieldErrors{"holding_days": M("err_holding_days_range", "Max", MaxHoldingDays)}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := holdingDays(tx)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Setting{}).Where("key = ?", holdingDaysKey).Count(&n).Error; err != nil {
			return err
		}
		if before == days && n > 0 {
			return nil
		}
		if err := tx.Save(&Setting{Key: holdingDaysKey, Value: strconv.Itoa(days)}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "settings.holding_days", "setting", 0, map[string]any{"days": before}, map[string]any{"days": days})
	})
}

// splitHeldByHoldingPeriod keeps the weekly bonuses payable at at and lists
// the others as held, one entry per payee and payable date.
func splitHeldByHoldingPeriod(kind string, bonuses []payoutBonus, days int, at time.Time) ([]payoutBonus, []HeldPayout) {
	if kind != PayCreators {
		return bonuses, nil
	}
	type key struct {
		p    PayeeRef
		from time.Time
	}
	var keep []payoutBonus
	var held []HeldPayout
	idx := map[key]int{}
	for _, b := range bonuses {
		from, ok := PayableFromLabel(b.Period, days)
		if !ok || !at.Before(from) {
			keep = append(keep, b)
			continue
		}
		k := key{payeeOf(kind, b), from}
		i, seen := idx[k]
		if !seen {
			i = len(held)
			idx[k] = i
			f := from
			held = append(held, HeldPayout{Payee: k.p, Reason: HoldHoldingPeriod, PayableFrom: &f})
		}
		h := &held[i]
		h.BonusIDs = append(h.BonusIDs, b.ID)
		h.GrossFen += b.AmountFen
		h.NetFen += b.AmountFen
		if len(h.Periods) == 0 || h.Periods[len(h.Periods)-1] != b.Period {
			h.Periods = append(h.Periods, b.Period)
		}
	}
	return keep, held
}
