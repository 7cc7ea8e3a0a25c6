package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// UserInvitation invites a person to an admin, reviewer or MCN manager account.
// The account is made when they set their own password through the link sent
// to their email, so nobody else ever chooses or learns it. Only the token's
// hash is stored.
type UserInvitation struct {
	ID          uint      `gorm:"primaryKey"`
	Email       string    `gorm:"size:254;not null;index"`
	Role        Role      `gorm:"size:20;not null"`
	AgencyID    *uint     `gorm:"index"`
	TokenHash   string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	CreatedByID uint `gorm:"not null"`
	CreatedAt   time.Time
}

// NewInvitation asks for an account to be offered to Email.
type NewInvitation struct {
	Email    string
	Role     Role  // admin, reviewer or mcn_manager; creators are invited when they are enrolled
	AgencyID *uint // the agency of an MCN manager
}

func (n *NewInvitation) validate() FieldErrors {
	fe := FieldErrors{}
	n.Email = NormalizeEmail(n.Email)
	if msg := ValidateEmail(n.Email); !msg.IsZero() {
		fe["email"] = msg
	}
	switch {
	case !n.Role.Valid() || n.Role == RoleCreator: // a creator's account comes with their enrolment
		fe["role"] = Msg{ID: "err_role_unknown"}
	case n.Role == RoleMCNManager && n.AgencyID == nil:
		fe["agency"] = Msg{ID: "err_manager_needs_agency"}
	case n.Role != RoleMCNManager && n.AgencyID != nil:
		fe["agency"] = Msg{ID: "err_only_managers_in_agency"}
	}
	return fe
}

// InviteUser offers an account to a person (admins only): it records an
// invitation, valid for InvitationTTL, and returns the link to email them.
// Open invitations to the same address stop working, so inviting again
// re-sends. An address that already has an account is refused.
func (s *Store) InviteUser(ctx context.Context, a *Actor, n NewInvitation) (*OneTimeLink, error) {
	if a == nil || a.Role != RoleAdmin {
		return nil, ErrForbidden
	}
	if fe := n.validate(); len(fe) > 0 {
		return nil, fe
	}
	token, hash, err := newToken()
	if err != nil {
		return nil, err
	}
	var link *OneTimeLink
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if n.AgencyID != nil {
			if err := tx.Select("id").First(&Agency{}, *n.AgencyID).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return FieldErrors{"agency": Msg{ID: "err_no_such_agency"}}
				}
				return err
			}
		}
		var taken int64
		if err := tx.Model(&User{}).Where("email = ?", n.Email).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return fieldErr("email", EmailTakenError{Email: n.Email})
		}
		now := s.now().UTC()
		if err := tx.Model(&UserInvitation{}).Where("email = ? AND used_at IS NULL AND expires_at > ?", n.Email, now).
			Update("expires_at", now).Error; err != nil {
			return err
		}
		inv := UserInvitation{Email: n.Email, Role: n.Role, AgencyID: n.AgencyID, TokenHash: hash, ExpiresAt: now.Add(InvitationTTL), CreatedByID: a.UserID}
		if err := tx.Create(&inv).Error; err != nil {
			return err
		}
		link = &OneTimeLink{Email: n.Email, Token: token, ExpiresAt: inv.ExpiresAt}
		after := map[string]any{"email": n.Email, "role": n.Role, "expires_at": inv.ExpiresAt, "invitation_id": inv.ID}
		if n.AgencyID != nil {
			// On the agency, so its page's history shows who invited its managers.
			return appendAudit(tx, a, "user.invite", "agency", *n.AgencyID, nil, after)
		}
		return appendAudit(tx, a, "user.invite", "user_invitation", inv.ID, nil, after)
	})
	if err != nil {
		return nil, err
	}
	return link, nil
}

// OpenUserInvitations lists invitations not yet accepted and not expired,
// newest first: of one agency's managers, or all when agencyID is nil.
func (s *Store) OpenUserInvitations(ctx context.Context, agencyID *uint) ([]UserInvitation, error) {
	q := s.r(ctx).Where("used_at IS NULL AND expires_at > ?", s.now().UTC())
	if agencyID != nil {
		q = q.Where("agency_id = ?", *agencyID)
	}
	var out []UserInvitation
	err := q.Order("created_at DESC, id DESC").Limit(200).Find(&out).Error
	return out, err
}

// acceptUserInvitation makes the account a user invitation is for; u receives it.
func acceptUserInvitation(tx *gorm.DB, tokenHash, passwordHash, ip string, u *User) error {
	var inv UserInvitation
	if err := tx.Where("token_hash = ?", tokenHash).First(&inv).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrInvitationInvalid
		}
		return err
	}
	now := nowOf(tx).UTC()
	res := tx.Model(&UserInvitation{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", inv.ID, now).Update("used_at", now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrInvitationInvalid
	}
	*u = User{Email: inv.Email, PasswordHash: passwordHash, Role: inv.Role, AgencyID: inv.AgencyID, SessionVersion: 1}
	if err := tx.Create(u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return FieldErrors{"password": Msg{ID: "err_account_exists"}}
		}
		return err
	}
	after := userAudit(u)
	after["invitation_id"] = inv.ID
	return appendAudit(tx, &Actor{UserID: u.ID, Email: u.Email, Role: u.Role, AgencyID: u.AgencyID, IP: ip}, "invitation.accept", "user", u.ID, nil, after)
}
