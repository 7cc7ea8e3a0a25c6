package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// ErrNotRejected means only a rejected creator can be resubmitted (the error
// returned is a NotRejectedError naming the creator and its state).
var ErrNotRejected = sentinel("err_resubmit_not_rejected", "only a rejected creator can be resubmitted")

// NotRejectedError is ErrNotRejected with the creator and the state it is in.
type NotRejectedError struct {
	Name  string
	State CreatorState
}

func (e NotRejectedError) Error() string {
	return ErrNotRejected.Error() + ": " + e.Name + " is " + string(e.State)
}

// Unwrap makes errors.Is(err, ErrNotRejected) hold.
func (e NotRejectedError) Unwrap() error { return ErrNotRejected }

// Msg names the problem for a person.
func (e NotRejectedError) Msg() Msg {
	return M("err_resubmit_not_rejected", "Name", e.Name, "State", Word(e.State))
}

// Resubmission is an agency's request to review a rejected creator again,
// with the details corrected and a note for the reviewer. The JD account and
// the contact email stay as they are (the email may already carry an invitation).
type Resubmission struct {
	CreatorID    uint
	DisplayName  string
	Subjects     []string // codes or names, primary first
	ContentType  string
	Followers    string
	ContactPhone string
	Note         string // required: what changed since the rejection
}

// ResubmitCreator puts a rejected creator of the manager's own agency back to
// pending with corrected details, marked as a resubmission. The rejection
// stays in the creator's history (its audit entries); the resubmission is
// audited with the details before and after. Another agency's creator is
// ErrNotFound; a creator that is not rejected is a NotRejectedError.
func (s *Store) ResubmitCreator(ctx context.Context, a *Actor, r Resubmission) (*Creator, error) {
	if a.Role != RoleMCNManager || a.AgencyID == nil {
		return nil, ErrForbidden
	}
	areas, err := s.SubjectAreas(ctx)
	if err != nil {
		return nil, err
	}
	note := strings.TrimSpace(r.Note)
	var c *Creator
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = scopedCreator(tx, a, r.CreatorID); err != nil {
			return err
		}
		if c.State != StateRejected {
			return NotRejectedError{Name: c.DisplayName, State: c.State}
		}
		e := Enrolment{DisplayName: r.DisplayName, AccountID: c.AccountID, Subjects: r.Subjects, ContentType: r.ContentType,
			Followers: r.Followers, ContactEmail: c.ContactEmail, ContactPhone: r.ContactPhone}
		v, fe := e.Validate(NewSubjectIndex(areas, s.inputWords()...))
		delete(fe, "contact_email") // kept as it is, whatever rules came since
		switch n := len([]rune(note)); {
		case n == 0:
			fe["note"] = Msg{ID: "err_resubmit_note_required"}
		case n > MaxNoteLength:
			fe["note"] = M("err_note_too_long", "N", MaxNoteLength)
		default:
			if msg := CheckText(note, true); !msg.IsZero() {
				fe["note"] = msg
			}
		}
		if len(fe) > 0 {
			return fe
		}
		before := creatorAudit(c)
		now := nowOf(tx).UTC()
		updates := map[string]any{
			"display_name": v.DisplayName, "search_name": SearchKey(v.DisplayName), "primary_subject_id": v.SubjectIDs[0],
			"subject2_id": nil, "subject3_id": nil, "content_type": v.ContentType, "followers": v.Followers, "contact_phone": v.ContactPhone,
			"state": StatePending, "state_reason": "", "state_note": "", "state_changed_at": now,
			"resubmitted_at": now, "resubmit_note": note, "resubmitted_reason": c.StateReason,
		}
		if len(v.SubjectIDs) > 1 {
			updates["subject2_id"] = v.SubjectIDs[1]
		}
		if len(v.SubjectIDs) > 2 {
			updates["subject3_id"] = v.SubjectIDs[2]
		}
		res := tx.Model(&Creator{}).Where("id = ? AND state = ?", c.ID, StateRejected).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return NotRejectedError{Name: c.DisplayName, State: StatePending} // resubmitted meanwhile
		}
		if err := tx.First(c, c.ID).Error; err != nil {
			return err
		}
		after := creatorAudit(c)
		after["resubmit_note"] = note
		return appendAudit(tx, a, "creator.resubmit", "creator", c.ID, before, after)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
