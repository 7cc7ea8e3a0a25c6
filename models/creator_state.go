package models

import (
	"context"
	"errors"
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
	tr, err := checkDecision(a, &d)
	if err != nil {
		return nil, err
	}
	var c *Creator
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := checkReasonCode(tx, d.Reason); err != nil {
			return err
		}
		var err error
		c, err = decideCreator(tx, a, tr, d)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.forgetRanks() // who is qualified decides who is ranked
	return c, nil
}

// checkDecision checks who decides and the decision's own fields (not the
// reason code, which needs the database); it cleans d in place.
func checkDecision(a *Actor, d *Decision) (Transition, error) {
	if !a.IsStaff() {
		return Transition{}, ErrForbidden
	}
	tr, ok := CreatorTransitions[d.Action]
	if !ok {
		return tr, FieldErrors{"action": M("err_action_unknown", "Value", string(d.Action))}
	}
	d.Reason, d.Note = strings.TrimSpace(d.Reason), strings.TrimSpace(d.Note)
	if len([]rune(d.Note)) > MaxNoteLength {
		return tr, FieldErrors{"note": M("err_note_too_long", "N", MaxNoteLength)}
	}
	if msg := CheckText(d.Note, true); !msg.IsZero() {
		return tr, FieldErrors{"note": msg}
	}
	if tr.NeedsReason && d.Reason == "" {
		return tr, FieldErrors{"reason": Msg{ID: "err_decision_reason_required"}}
	}
	if !tr.NeedsReason {
		d.Reason = ""
	}
	return tr, nil
}

// checkReasonCode refuses a creator reason code that is unknown or retired ("" passes).
func checkReasonCode(tx *gorm.DB, code string) error {
	if code == "" {
		return nil
	}
	var n int64
	if err := tx.Model(&ReasonCode{}).Where("code = ? AND kind = ? AND active = ?", code, ReasonForCreator, true).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return FieldErrors{"reason": M("err_reason_unknown", "Code", code)}
	}
	return nil
}

// decideCreator moves one creator in tx (d already checked), notifies and audits.
func decideCreator(tx *gorm.DB, a *Actor, tr Transition, d Decision) (*Creator, error) {
	var c Creator
	if err := tx.First(&c, d.CreatorID).Error; err != nil {
		return nil, notFound(err)
	}
	if c.State != tr.From {
		return nil, TransitionError{Name: c.DisplayName, State: c.State, Action: d.Action}
	}
	before := creatorAudit(&c)
	now := nowOf(tx).UTC()
	updates := map[string]any{"state": tr.To, "state_reason": d.Reason, "state_note": d.Note, "state_changed_at": now}
	if d.Action == ActionQualify {
		updates["qualified_at"] = now
		updates["qualified_agency_id"] = c.AgencyID
	}
	res := tx.Model(&Creator{}).Where("id = ? AND state = ?", c.ID, tr.From).Updates(updates)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, TransitionError{Name: c.DisplayName, State: c.State, Action: d.Action} // changed meanwhile
	}
	if err := refreshUpliftOn(tx, d.Action, c.ID); err != nil {
		return nil, err
	}
	if err := tx.First(&c, c.ID).Error; err != nil {
		return nil, err
	}
	if err := creditImpactQualified(tx, c.ID, c.QualifiedAt); err != nil {
		return nil, err
	}
	if err := notifyDecision(tx, &c, d); err != nil {
		return nil, err
	}
	if err := appendAudit(tx, a, "creator."+string(d.Action), "creator", c.ID, before, creatorAudit(&c)); err != nil {
		return nil, err
	}
	return &c, nil
}

// MaxBulkCreatorDecisions bounds one bulk decision (a few pages of the pending list).
const MaxBulkCreatorDecisions = 500

// BulkCreatorDecision is one staff decision (qualify or reject) on several
// pending creators, with one reason and note for all.
type BulkCreatorDecision struct {
	CreatorIDs []uint
	Action     CreatorAction
	Reason     string
	Note       string
}

// BulkCreatorResult counts what a bulk decision did.
type BulkCreatorResult struct {
	Decided int // moved, each audited and notified as a single decision would be
	Skipped int // not pending any more (decided meanwhile) or gone
}

// ErrNoneSelected means a bulk action was asked for with nothing selected.
var ErrNoneSelected = sentinel("err_none_selected", "no creator selected")

// DecideCreators qualifies or rejects the selected pending creators in one
// transaction. Creators that are not pending any more are skipped and
// counted, not an error for the batch; a bad reason or note refuses it all.
func (s *Store) DecideCreators(ctx context.Context, a *Actor, b BulkCreatorDecision) (BulkCreatorResult, error) {
	var out BulkCreatorResult
	if b.Action != ActionQualify && b.Action != ActionReject {
		if !a.IsStaff() {
			return out, ErrForbidden
		}
		return out, FieldErrors{"action": M("err_action_unknown", "Value", string(b.Action))}
	}
	d := Decision{Action: b.Action, Reason: b.Reason, Note: b.Note}
	tr, err := checkDecision(a, &d)
	if err != nil {
		return out, err
	}
	ids := map[uint]bool{}
	var unique []uint
	for _, id := range b.CreatorIDs {
		if id != 0 && !ids[id] {
			ids[id] = true
			unique = append(unique, id)
		}
	}
	if len(unique) == 0 {
		return out, fieldErr("ids", ErrNoneSelected)
	}
	if len(unique) > MaxBulkCreatorDecisions {
		return out, FieldErrors{"ids": M("err_too_many_selected", "N", MaxBulkCreatorDecisions)}
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := checkReasonCode(tx, d.Reason); err != nil {
			return err
		}
		out = BulkCreatorResult{}
		for _, id := range unique {
			one := d
			one.CreatorID = id
			_, err := decideCreator(tx, a, tr, one)
			switch {
			case err == nil:
				out.Decided++
			case errors.Is(err, ErrInvalidTransition) || errors.Is(err, ErrNotFound):
				out.Skipped++
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return BulkCreatorResult{}, err
	}
	s.forgetRanks()
	return out, nil
}

// NextPendingCreator is the pending creator after afterID in the pending
// list's order (newest enrolment first), wrapping round to the start; 0 when
// no other creator is pending. Staff only.
func (s *Store) NextPendingCreator(ctx context.Context, a *Actor, afterID uint) (uint, error) {
	if !a.IsStaff() {
		return 0, ErrForbidden
	}
	pending := func() *gorm.DB {
		return s.r(ctx).Model(&Creator{}).Where("state = ? AND id <> ?", StatePending, afterID).Order("enrolled_at DESC, id DESC").Limit(1)
	}
	var ids []uint
	var cur Creator
	err := s.r(ctx).Select("id, enrolled_at").Where("id = ?", afterID).Limit(1).Find(&cur).Error
	if err != nil {
		return 0, err
	}
	if cur.ID != 0 {
		if err := pending().Where("enrolled_at < ? OR (enrolled_at = ? AND id < ?)", cur.EnrolledAt, cur.EnrolledAt, cur.ID).Pluck("id", &ids).Error; err != nil {
			return 0, err
		}
	}
	if len(ids) == 0 {
		if err := pending().Pluck("id", &ids).Error; err != nil {
			return 0, err
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
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
