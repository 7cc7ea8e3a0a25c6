package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// EnrolResult is a newly enrolled creator and, when an email was given, the
// invitation to email them.
type EnrolResult struct {
	Creator    *Creator
	Invitation *OneTimeLink
}

// enrolmentAgency decides which agency a new creator belongs to: a manager's
// own agency always; staff may pick one or none (an independent creator).
func enrolmentAgency(a *Actor, requested *uint) (*uint, error) {
	switch {
	case a.Role == RoleMCNManager && a.AgencyID != nil:
		id := *a.AgencyID
		return &id, nil
	case a.IsStaff():
		return requested, nil
	default:
		return nil, ErrForbidden
	}
}

// EnrolCreator enrols one creator. If the JD account is already held, the
// returned field error says by whom (own agency or another) and nothing is created.
func (s *Store) EnrolCreator(ctx context.Context, a *Actor, agencyID *uint, e Enrolment) (*EnrolResult, error) {
	agency, err := enrolmentAgency(a, agencyID)
	if err != nil {
		return nil, err
	}
	areas, err := s.SubjectAreas(ctx)
	if err != nil {
		return nil, err
	}
	v, fe := e.Validate(NewSubjectIndex(areas, s.inputWords()...))
	if len(fe) > 0 {
		return nil, fe
	}
	var res *EnrolResult
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if agency != nil {
			if err := tx.Select("id").First(&Agency{}, *agency).Error; err != nil {
				return FieldErrors{"agency": Msg{ID: "err_no_such_agency"}}
			}
		}
		if err := checkEnrolable(tx, agency, v); err != nil {
			return err
		}
		var err error
		res, err = insertCreator(tx, a, agency, v)
		return err
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Lost a race with a concurrent enrolment of the same account: report who holds it now.
		err = s.tx(ctx, func(tx *gorm.DB) error { return checkEnrolable(tx, agency, v) })
		if err == nil {
			err = fieldErr("account_id", CreatorTakenError{AccountID: v.AccountID})
		}
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// checkEnrolable refuses an account already held and an email already in use.
func checkEnrolable(tx *gorm.DB, agency *uint, v validEnrolment) error {
	var holder Creator
	err := tx.Select("id, agency_id").Where("account_key = ?", AccountKey(v.AccountID)).First(&holder).Error
	switch {
	case err == nil:
		if sameAgency(holder.AgencyID, agency) {
			return fieldErr("account_id", AlreadyEnrolledError{AccountID: v.AccountID})
		}
		return fieldErr("account_id", CreatorTakenError{AccountID: v.AccountID})
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return err
	}
	if v.ContactEmail != "" {
		var n int64
		if err := tx.Model(&User{}).Where("email = ?", v.ContactEmail).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"contact_email": Msg{ID: "err_contact_email_in_use"}}
		}
	}
	return nil
}

func sameAgency(x, y *uint) bool {
	if x == nil || y == nil {
		return x == nil && y == nil
	}
	return *x == *y
}

func insertCreator(tx *gorm.DB, a *Actor, agency *uint, v validEnrolment) (*EnrolResult, error) {
	now := nowOf(tx).UTC()
	c := &Creator{
		DisplayName: v.DisplayName, AccountID: v.AccountID, PrimarySubjectID: v.SubjectIDs[0],
		ContentType: v.ContentType, Followers: v.Followers, ContactEmail: v.ContactEmail, ContactPhone: v.ContactPhone,
		AgencyID: agency, State: StatePending, EnrolledAt: now, StateChangedAt: now,
	}
	if len(v.SubjectIDs) > 1 {
		c.Subject2ID = &v.SubjectIDs[1]
	}
	if len(v.SubjectIDs) > 2 {
		c.Subject3ID = &v.SubjectIDs[2]
	}
	if a.UserID != 0 {
		id := a.UserID
		c.EnrolledByID = &id
	}
	if err := tx.Create(c).Error; err != nil {
		return nil, err
	}
	if err := appendAudit(tx, a, "creator.enrol", "creator", c.ID, nil, creatorAudit(c)); err != nil {
		return nil, err
	}
	res := &EnrolResult{Creator: c}
	if c.ContactEmail != "" {
		link, err := createInvitation(tx, a, c)
		if err != nil {
			return nil, err
		}
		res.Invitation = link
	}
	return res, nil
}
