package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// ErrAppealNotAllowed means the bonus is not rejected or was appealed already.
var ErrAppealNotAllowed = sentinel("err_appeal_not_allowed", "only a rejected week can be appealed, and only once")

// ErrAppealNotPending means no appeal of the bonus waits for a decision.
var ErrAppealNotPending = sentinel("err_appeal_decided", "this appeal has already been decided")

// CanAppeal reports whether a may appeal the bonus now: its own creator, a
// rejected week, never appealed before. The one place this is decided:
// AppealBonus, /me and the bonus page all ask it.
func (b *Bonus) CanAppeal(a *Actor) bool {
	return a != nil && a.Role == RoleCreator && a.CreatorID != nil && *a.CreatorID == b.CreatorID &&
		b.State == BonusRejected && b.AppealState == ""
}

// CheckAppealDecider says whether a may decide the bonus's appeal: nil, or
// why not: ErrForbidden (not a signed-in member of staff), ErrAppealNotPending
// (no appeal waits), ErrOwnRejection (a rejected the bonus: a different
// reviewer must look). DecideAppeal and the bonus page both ask it.
func (b *Bonus) CheckAppealDecider(a *Actor) error {
	switch {
	case !a.IsStaff() || a.UserID == 0:
		return ErrForbidden
	case b.State != BonusRejected || b.AppealState != AppealPending:
		return ErrAppealNotPending
	case b.DecidedByID != nil && *b.DecidedByID == a.UserID:
		return ErrOwnRejection
	}
	return nil
}

// MaxAppealLength bounds an appeal message.
const MaxAppealLength = 1000

// AppealBonus lets a creator appeal their own rejected week, once.
func (s *Store) AppealBonus(ctx context.Context, a *Actor, bonusID uint, message string) error {
	if a.Role != RoleCreator || a.CreatorID == nil {
		return ErrForbidden
	}
	message = strings.TrimSpace(message)
	if message == "" || len([]rune(message)) > MaxAppealLength {
		return FieldErrors{"message": Msg{ID: "err_appeal_length"}}
	}
	if msg := CheckText(message, true); !msg.IsZero() {
		return FieldErrors{"message": msg}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var b Bonus
		if err := tx.Where("id = ? AND creator_id = ?", bonusID, *a.CreatorID).First(&b).Error; err != nil {
			return notFound(err)
		}
		if !b.CanAppeal(a) {
			return ErrAppealNotAllowed
		}
		// Written only if nothing changed since it was read (a second appeal racing this one).
		res := tx.Model(&Bonus{}).Where("id = ? AND state = ? AND appeal_state = ?", b.ID, b.State, b.AppealState).
			Updates(map[string]any{"appeal_state": AppealPending, "appeal_message": message, "appealed_at": s.now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrAppealNotAllowed
		}
		// Reviewers are told; the one who rejected the week may not decide its appeal, so is not.
		var names []string
		if err := tx.Model(&Creator{}).Where("id = ?", b.CreatorID).Pluck("display_name", &names).Error; err != nil {
			return err
		}
		name := ""
		if len(names) > 0 {
			name = names[0]
		}
		var rejecter uint
		if b.DecidedByID != nil {
			rejecter = *b.DecidedByID
		}
		if err := notifyStaffExcept(tx, rejecter, M(NotifyAppealArrived, "Name", name, "Period", b.Week), Target{Type: TargetBonus, ID: b.ID}); err != nil {
			return err
		}
		return appendAudit(tx, a, "bonus.appeal", "bonus", b.ID, nil, map[string]any{"message": message})
	})
}

// ErrOwnRejection refuses a reviewer deciding the appeal against their own
// rejection: a different reviewer must look at it.
var ErrOwnRejection = sentinel("appeal_own_rejection", "the reviewer who rejected a bonus cannot decide its appeal")

// DecideAppeal upholds a rejection or overturns it (staff, not the reviewer who rejected it). An overturned
// bonus goes back to proposed and through the normal approval path.
func (s *Store) DecideAppeal(ctx context.Context, a *Actor, bonusID uint, overturn bool, note string) error {
	if a == nil {
		return ErrForbidden
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > MaxNoteLength {
		return FieldErrors{"note": M("err_note_too_long", "N", MaxNoteLength)}
	}
	if msg := CheckText(note, true); !msg.IsZero() {
		return FieldErrors{"note": msg}
	}
	retrusted := false
	defer func() {
		if retrusted {
			s.forgetRanks()
		}
	}()
	return s.tx(ctx, func(tx *gorm.DB) error {
		var current Bonus
		if err := tx.Select("id", "state", "appeal_state", "decided_by_id").First(&current, bonusID).Error; err != nil {
			return notFound(err)
		}
		switch err := current.CheckAppealDecider(a); {
		case errors.Is(err, ErrAppealNotPending):
			return FieldErrors{"appeal": Msg{ID: "err_appeal_decided"}}
		case err != nil:
			return err
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
		// Written only if nothing changed since it was read (another reviewer deciding at the same time).
		res := tx.Model(&Bonus{}).Where("id = ? AND state = ? AND appeal_state = ?", bonusID, current.State, current.AppealState).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return FieldErrors{"appeal": Msg{ID: "err_appeal_decided"}}
		}
		var b Bonus
		if err := tx.Select("creator_id, week").First(&b, bonusID).Error; err != nil {
			return err
		}
		msg := M(NotifyAppealUpheld, "Period", b.Week)
		if overturn {
			msg = M(NotifyAppealOverturned, "Period", b.Week)
			// A week distrusted by the rejection counts towards the standings again (issue 16).
			ok, err := trustWeek(tx, a, b.CreatorID, b.Week)
			if err != nil {
				return err
			}
			retrusted = ok
		}
		if err := notifyCreator(tx, b.CreatorID, msg, Target{Type: TargetMe}); err != nil {
			return err
		}
		return appendAudit(tx, a, action, "bonus", bonusID, nil, map[string]any{"note": note})
	})
}
