package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// InvitationTTL is how long an invitation link stays valid.
const InvitationTTL = 7 * 24 * time.Hour

// CreatorInvitation lets a creator set a password. Only a hash of the token is
// stored, so a database leak does not hand out sign-ins.
type CreatorInvitation struct {
	ID          uint      `gorm:"primaryKey"`
	CreatorID   uint      `gorm:"not null;index"`
	Creator     *Creator  `gorm:"constraint:OnDelete:CASCADE"`
	Email       string    `gorm:"size:254;not null"`
	TokenHash   string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	CreatedByID *uint
	CreatedAt   time.Time
}

// OneTimeLink is a link just made for one person: an invitation or a password
// reset. The token exists only here (the database keeps its hash), so the
// caller passes it on once, to Email and to no one else, after the
// transaction that made it has committed.
type OneTimeLink struct {
	Email     string
	Language  string // the recipient's page language when known, else ""
	Token     string
	ExpiresAt time.Time
}

func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// createInvitation replaces any open invitation of the creator with a new one
// and returns its link.
func createInvitation(tx *gorm.DB, a *Actor, c *Creator) (*OneTimeLink, error) {
	token, hash, err := newToken()
	if err != nil {
		return nil, err
	}
	now := nowOf(tx).UTC()
	if err := tx.Model(&CreatorInvitation{}).Where("creator_id = ? AND used_at IS NULL AND expires_at > ?", c.ID, now).
		Update("expires_at", now).Error; err != nil {
		return nil, err
	}
	inv := CreatorInvitation{CreatorID: c.ID, Email: c.ContactEmail, TokenHash: hash, ExpiresAt: now.Add(InvitationTTL)}
	if a != nil && a.UserID != 0 {
		id := a.UserID
		inv.CreatedByID = &id
	}
	if err := tx.Create(&inv).Error; err != nil {
		return nil, err
	}
	link := &OneTimeLink{Email: c.ContactEmail, Token: token, ExpiresAt: inv.ExpiresAt}
	return link, appendAudit(tx, a, "invitation.create", "creator", c.ID, nil, map[string]any{"email": c.ContactEmail, "expires_at": inv.ExpiresAt})
}

// ReissueInvitation makes a fresh invitation link for a creator who has not
// signed up yet; earlier links stop working.
func (s *Store) ReissueInvitation(ctx context.Context, a *Actor, creatorID uint) (*OneTimeLink, error) {
	var link *OneTimeLink
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := scopedCreator(tx, a, creatorID)
		if err != nil {
			return err
		}
		if c.ContactEmail == "" {
			return FieldErrors{"contact_email": Msg{ID: "err_no_email_to_invite"}}
		}
		var n int64
		if err := tx.Model(&User{}).Where("creator_id = ?", c.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"contact_email": Msg{ID: "err_password_already_set"}}
		}
		link, err = createInvitation(tx, a, c)
		return err
	})
	return link, err
}

// OpenInvitation is what the invitation page shows.
type OpenInvitation struct {
	Email       string
	DisplayName string // the creator's name; the email for a staff or manager account
	Role        Role
}

// LookupInvitation finds a usable invitation, a creator's or a user's, by its token.
func (s *Store) LookupInvitation(ctx context.Context, token string) (*OpenInvitation, error) {
	hash := hashToken(token)
	now := s.now()
	var inv CreatorInvitation
	err := s.r(ctx).Preload("Creator").Where("token_hash = ?", hash).First(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		var ui UserInvitation
		if err := s.r(ctx).Where("token_hash = ?", hash).First(&ui).Error; err != nil || ui.UsedAt != nil || !now.Before(ui.ExpiresAt) {
			return nil, ErrInvitationInvalid
		}
		return &OpenInvitation{Email: ui.Email, DisplayName: ui.Email, Role: ui.Role}, nil
	}
	if err != nil || inv.UsedAt != nil || !now.Before(inv.ExpiresAt) || inv.Creator == nil {
		return nil, ErrInvitationInvalid
	}
	return &OpenInvitation{Email: inv.Email, DisplayName: inv.Creator.DisplayName, Role: RoleCreator}, nil
}

// AcceptInvitation sets the invitee's password and creates their account: a
// creator's, or the staff or manager account a user invitation is for. It can
// succeed once per invitation: the used_at update is conditional.
func (s *Store) AcceptInvitation(ctx context.Context, token, password, ip string) (*User, error) {
	if msg := ValidatePassword(password); !msg.IsZero() {
		return nil, FieldErrors{"password": msg}
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return nil, err
	}
	var u User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var inv CreatorInvitation
		err := tx.Where("token_hash = ?", hashToken(token)).First(&inv).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return acceptUserInvitation(tx, hashToken(token), hash, ip, &u)
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		res := tx.Model(&CreatorInvitation{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", inv.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrInvitationInvalid
		}
		cid := inv.CreatorID
		u = User{Email: inv.Email, PasswordHash: hash, Role: RoleCreator, CreatorID: &cid, SessionVersion: 1}
		if err := tx.Create(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"password": Msg{ID: "err_account_exists"}}
			}
			return err
		}
		return appendAudit(tx, &Actor{UserID: u.ID, Email: u.Email, Role: u.Role, IP: ip}, "invitation.accept", "creator", cid, nil, map[string]any{"user_id": u.ID})
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
