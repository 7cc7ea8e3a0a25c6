package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ResetTTL is how long a password reset link works.
const ResetTTL = 24 * time.Hour

// PasswordReset lets a user set a new password once. Only the token's hash is stored.
type PasswordReset struct {
	ID          uint      `gorm:"primaryKey"`
	UserID      uint      `gorm:"not null;index"`
	TokenHash   string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	CreatedByID uint
	CreatedAt   time.Time
}

// CreatePasswordReset makes a single-use reset link for a user (admin only),
// to be emailed to the user alone; earlier open links of that user stop working.
func (s *Store) CreatePasswordReset(ctx context.Context, a *Actor, userID uint) (*OneTimeLink, error) {
	if a.Role != RoleAdmin {
		return nil, ErrForbidden
	}
	token, hash, err := newToken()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var u User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Select("id", "email", "language").First(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Model(&PasswordReset{}).Where("user_id = ? AND used_at IS NULL AND expires_at > ?", userID, now).Update("expires_at", now).Error; err != nil {
			return err
		}
		if err := tx.Create(&PasswordReset{UserID: userID, TokenHash: hash, ExpiresAt: now.Add(ResetTTL), CreatedByID: a.UserID}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "user.reset_link", "user", userID, nil, map[string]any{"expires_at": now.Add(ResetTTL)})
	})
	if err != nil {
		return nil, err
	}
	return &OneTimeLink{Email: u.Email, Language: u.Language, Token: token, ExpiresAt: now.Add(ResetTTL)}, nil
}

// LookupPasswordReset returns the email a usable reset link is for.
func (s *Store) LookupPasswordReset(ctx context.Context, token string) (string, error) {
	var r PasswordReset
	if err := s.r(ctx).Where("token_hash = ?", hashToken(token)).First(&r).Error; err != nil || r.UsedAt != nil || !s.now().Before(r.ExpiresAt) {
		return "", ErrInvitationInvalid
	}
	var u User
	if err := s.r(ctx).Select("email").First(&u, r.UserID).Error; err != nil {
		return "", ErrInvitationInvalid
	}
	return u.Email, nil
}

// UsePasswordReset sets the new password once and ends the user's sessions.
func (s *Store) UsePasswordReset(ctx context.Context, token, password, ip string) error {
	if msg := ValidatePassword(password); !msg.IsZero() {
		return FieldErrors{"password": msg}
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var r PasswordReset
		if err := tx.Where("token_hash = ?", hashToken(token)).First(&r).Error; err != nil {
			return ErrInvitationInvalid
		}
		now := s.now().UTC()
		res := tx.Model(&PasswordReset{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", r.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrInvitationInvalid
		}
		if err := tx.Model(&User{}).Where("id = ?", r.UserID).
			Updates(map[string]any{"password_hash": hash, "session_version": gorm.Expr("session_version + 1")}).Error; err != nil {
			return err
		}
		return appendAudit(tx, &Actor{UserID: r.UserID, IP: ip}, "auth.password_reset", "user", r.UserID, nil, nil)
	})
}
