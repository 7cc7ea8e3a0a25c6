package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// ErrAppealNotAllowed means the bonus is not rejected or was appealed already.
var ErrAppealNotAllowed = errors.New("only a rejected week can be appealed, and only once")

// MaxAppealLength bounds an appeal message.
const MaxAppealLength = 1000

// AppealBonus lets a creator appeal their own rejected week, once.
func (s *Store) AppealBonus(ctx context.Context, a *Actor, bonusID uint, message string) error {
	if a.Role != RoleCreator || a.CreatorID == nil {
		return ErrForbidden
	}
	message = strings.TrimSpace(message)
	if message == "" || len([]rune(message)) > MaxAppealLength {
		return FieldErrors{"message": "explain the appeal in 1 to 1,000 characters"}
	}
	if msg := CheckText(message, true); msg != "" {
		return FieldErrors{"message": msg}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var b Bonus
		if err := tx.Where("id = ? AND creator_id = ?", bonusID, *a.CreatorID).First(&b).Error; err != nil {
			return notFound(err)
		}
		res := tx.Model(&Bonus{}).Where("id = ? AND state = ? AND appeal_state = ''", b.ID, BonusRejected).
			Updates(map[string]any{"appeal_state": AppealPending, "appeal_message": message, "appealed_at": s.now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrAppealNotAllowed
		}
		return appendAudit(tx, a, "bonus.appeal", "bonus", b.ID, nil, map[string]any{"message": message})
	})
}

// ErrOwnRejection refuses a reviewer deciding the appeal against their own
// rejection: a different reviewer must look at it.
var ErrOwnRejection = errors.New("the reviewer who rejected a bonus cannot decide its appeal")

// DecideAppeal upholds a rejection or overturns it (staff, not the reviewer who rejected it). An overturned
// bonus goes back to proposed and through the normal approval path.
func (s *Store) DecideAppeal(ctx context.Context, a *Actor, bonusID uint, overturn bool, note string) error {
	if !a.IsStaff() || a.UserID == 0 {
		return ErrForbidden
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > MaxNoteLength {
		return FieldErrors{"note": "note must be at most 500 characters"}
	}
	if msg := CheckText(note, true); msg != "" {
		return FieldErrors{"note": msg}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var current Bonus
		if err := tx.Select("id", "decided_by_id").First(&current, bonusID).Error; err != nil {
			return notFound(err)
		}
		if current.DecidedByID != nil && *current.DecidedByID == a.UserID {
			return ErrOwnRejection
		}
		updates := map[string]any{"appeal_state": AppealUpheld, "appeal_note": note, "appeal_decided_by_id": a.UserID, "appeal_decided_at": s.now().UTC()}
		action := "bonus.appeal_upheld"
		if overturn {
			updates["appeal_state"] = AppealOverturned
			updates["state"] = BonusProposed
			updates["decided_by_id"], updates["decided_at"] = nil, nil
			updates["first_approver_id"], updates["first_approved_at"] = nil, nil
			action = "bonus.appeal_overturned"
		}
		res := tx.Model(&Bonus{}).Where("id = ? AND state = ? AND appeal_state = ?", bonusID, BonusRejected, AppealPending).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return FieldErrors{"appeal": "this appeal has already been decided"}
		}
		var b Bonus
		if err := tx.Select("creator_id, week").First(&b, bonusID).Error; err != nil {
			return err
		}
		msg := M(NotifyAppealUpheld, "Period", b.Week)
		if overturn {
			msg = M(NotifyAppealOverturned, "Period", b.Week)
		}
		if err := notifyCreator(tx, b.CreatorID, msg, Target{Type: TargetMe}); err != nil {
			return err
		}
		return appendAudit(tx, a, action, "bonus", bonusID, nil, map[string]any{"note": note})
	})
}
