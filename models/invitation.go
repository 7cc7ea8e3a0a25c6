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
// and returns the new token.
func createInvitation(tx *gorm.DB, a *Actor, c *Creator) (string, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	if err := tx.Model(&CreatorInvitation{}).Where("creator_id = ? AND used_at IS NULL AND expires_at > ?", c.ID, now).
		Update("expires_at", now).Error; err != nil {
		return "", err
	}
	inv := CreatorInvitation{CreatorID: c.ID, Email: c.ContactEmail, TokenHash: hash, ExpiresAt: now.Add(InvitationTTL)}
	if a != nil && a.UserID != 0 {
		id := a.UserID
		inv.CreatedByID = &id
	}
	if err := tx.Create(&inv).Error; err != nil {
		return "", err
	}
	return token, appendAudit(tx, a, "invitation.create", "creator", c.ID, nil, map[string]any{"email": c.ContactEmail, "expires_at": inv.ExpiresAt})
}

// ReissueInvitation makes a fresh invitation link for a creator who has not
// signed up yet; earlier links stop working.
func (s *Store) ReissueInvitation(ctx context.Context, a *Actor, creatorID uint) (string, error) {
	var token string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := scopedCreator(tx, a, creatorID)
		if err != nil {
			return err
		}
		if c.ContactEmail == "" {
			return FieldErrors{"contact_email": "this creator has no email to invite"}
		}
		var n int64
		if err := tx.Model(&User{}).Where("creator_id = ?", c.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"contact_email": "this creator has already set a password"}
		}
		token, err = createInvitation(tx, a, c)
		return err
	})
	return token, err
}

// OpenInvitation is what the invitation page shows.
type OpenInvitation struct {
	Email       string
	DisplayName string
}

// LookupInvitation finds a usable invitation by its token.
func (s *Store) LookupInvitation(ctx context.Context, token string) (*OpenInvitation, error) {
	var inv CreatorInvitation
	err := s.r(ctx).Preload("Creator").Where("token_hash = ?", hashToken(token)).First(&inv).Error
	if err != nil || inv.UsedAt != nil || !time.Now().Before(inv.ExpiresAt) || inv.Creator == nil {
		return nil, ErrInvitationInvalid
	}
	return &OpenInvitation{Email: inv.Email, DisplayName: inv.Creator.DisplayName}, nil
}

// AcceptInvitation sets the creator's password and creates their account. It
// can succeed once per invitation: the used_at update is conditional.
func (s *Store) AcceptInvitation(ctx context.Context, token, password, ip string) (*User, error) {
	if msg := ValidatePassword(password); msg != "" {
		return nil, FieldErrors{"password": msg}
	}
	hash, err := hashPassword(password)
	if err != nil {
		return nil, err
	}
	var u User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var inv CreatorInvitation
		if err := tx.Where("token_hash = ?", hashToken(token)).First(&inv).Error; err != nil {
			return ErrInvitationInvalid
		}
		now := time.Now().UTC()
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
				return FieldErrors{"password": "an account already exists for this email or creator; sign in instead"}
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
