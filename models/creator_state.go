package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// CreatorAction is a staff decision that moves a creator between states.
type CreatorAction string

// The staff decisions on a creator.
const (
	ActionQualify   CreatorAction = "qualify"
	ActionReject    CreatorAction = "reject"
	ActionSuspend   CreatorAction = "suspend"
	ActionReinstate CreatorAction = "reinstate"
)

// Transition is one allowed change of a creator's state.
type Transition struct {
	From        CreatorState
	To          CreatorState
	NeedsReason bool
}

// CreatorTransitions is the whole state machine: anything not listed is refused.
var CreatorTransitions = map[CreatorAction]Transition{
	ActionQualify:   {From: StatePending, To: StateQualified},
	ActionReject:    {From: StatePending, To: StateRejected, NeedsReason: true},
	ActionSuspend:   {From: StateQualified, To: StateSuspended, NeedsReason: true},
	ActionReinstate: {From: StateSuspended, To: StateQualified},
}

// ActionsFrom lists the actions allowed from a state, in a stable order.
func ActionsFrom(st CreatorState) []CreatorAction {
	var out []CreatorAction
	for _, act := range []CreatorAction{ActionQualify, ActionReject, ActionSuspend, ActionReinstate} {
		if CreatorTransitions[act].From == st {
			out = append(out, act)
		}
	}
	return out
}

// Decision is a staff decision on one creator.
type Decision struct {
	CreatorID uint
	Action    CreatorAction
	Reason    string // a reason code; required when the transition needs one
	Note      string
}

// MaxNoteLength bounds free-text notes on decisions.
const MaxNoteLength = 500

// DecideCreator applies a staff decision as one audited state transition.
// The update is conditional on the current state, so two reviewers racing on
// the same creator cannot both succeed.
func (s *Store) DecideCreator(ctx context.Context, a *Actor, d Decision) (*Creator, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	tr, ok := CreatorTransitions[d.Action]
	if !ok {
		return nil, FieldErrors{"action": M("err_action_unknown", "Value", string(d.Action))}
	}
	d.Reason, d.Note = strings.TrimSpace(d.Reason), strings.TrimSpace(d.Note)
	if len([]rune(d.Note)) > MaxNoteLength {
		return nil, FieldErrors{"note": M("err_note_too_long", "N", MaxNoteLength)}
	}
	if msg := CheckText(d.Note, true); !msg.IsZero() {
		return nil, FieldErrors{"note": msg}
	}
	if tr.NeedsReason && d.Reason == "" {
		return nil, FieldErrors{"reason": Msg{ID: "err_decision_reason_required"}}
	}
	if !tr.NeedsReason {
		d.Reason = ""
	}
	var c Creator
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if d.Reason != "" {
			var n int64
			if err := tx.Model(&ReasonCode{}).Where("code = ? AND kind = ? AND active = ?", d.Reason, ReasonForCreator, true).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return FieldErrors{"reason": M("err_reason_unknown", "Code", d.Reason)}
			}
		}
		if err := tx.First(&c, d.CreatorID).Error; err != nil {
			return notFound(err)
		}
		if c.State != tr.From {
			return TransitionError{Name: c.DisplayName, State: c.State, Action: d.Action}
		}
		before := creatorAudit(&c)
		now := s.now().UTC()
		updates := map[string]any{"state": tr.To, "state_reason": d.Reason, "state_note": d.Note, "state_changed_at": now}
		if d.Action == ActionQualify {
			updates["qualified_at"] = now
			updates["qualified_agency_id"] = c.AgencyID
		}
		res := tx.Model(&Creator{}).Where("id = ? AND state = ?", c.ID, tr.From).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return TransitionError{Name: c.DisplayName, State: c.State, Action: d.Action} // changed meanwhile
		}
		if err := tx.First(&c, c.ID).Error; err != nil {
			return err
		}
		if err := notifyDecision(tx, &c, d); err != nil {
			return err
		}
		return appendAudit(tx, a, "creator."+string(d.Action), "creator", c.ID, before, creatorAudit(&c))
	})
	if err != nil {
		return nil, err
	}
	s.ranks.invalidate() // who is qualified decides who is ranked
	return &c, nil
}

// notifyDecision tells the creator and their agency's managers, and the
// managers when this qualification completes the month's quota.
func notifyDecision(tx *gorm.DB, c *Creator, d Decision) error {
	msg := M(NotifyCreatorState, "Name", c.DisplayName, "State", CreatorStateWord(c.State))
	if d.Reason != "" {
		var n int64
		if err := tx.Model(&ReasonCode{}).Where("code = ?", d.Reason).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			msg = M(NotifyCreatorStateReason, "Name", c.DisplayName, "State", CreatorStateWord(c.State), "Reason", Reason(d.Reason))
		}
	}
	if err := notifyCreator(tx, c.ID, msg, Target{Type: TargetMe}); err != nil {
		return err
	}
	if err := notifyAgency(tx, c.AgencyID, msg, Target{Type: TargetCreator, ID: c.ID}); err != nil {
		return err
	}
	if d.Action != ActionQualify || c.AgencyID == nil || c.QualifiedAt == nil {
		return nil
	}
	month := MonthOf(*c.QualifiedAt)
	book, err := loadQuotaBook(tx, []uint{*c.AgencyID})
	if err != nil {
		return err
	}
	var delivered int64
	if err := tx.Model(&Creator{}).Where("qualified_agency_id = ? AND qualified_at >= ? AND qualified_at < ?", *c.AgencyID, month.Start().UTC(), month.End().UTC()).
		Count(&delivered).Error; err != nil {
		return err
	}
	if quota := book.For(*c.AgencyID, month); int(delivered) == quota {
		return notifyAgency(tx, c.AgencyID, M(NotifyQuotaMet, "Quota", quota, "Month", month.String()), Target{Type: TargetDashboard})
	}
	return nil
}
