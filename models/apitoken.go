package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIToken lets a system push performance data. Only a hash of the secret is
// stored; the secret is shown once, when made.
type APIToken struct {
	ID          uint   `gorm:"primaryKey"`
	Name        string `gorm:"size:80;not null"`
	Hint        string `gorm:"size:16;not null"` // the first characters, to tell tokens apart
	TokenHash   string `gorm:"size:64;not null;uniqueIndex"`
	CreatedByID uint
	CreatedAt   time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
}

const apiTokenPrefix = "cip_"

// CreateAPIToken makes a token (admin only) and returns its secret, shown once.
func (s *Store) CreateAPIToken(ctx context.Context, a *Actor, name string) (string, *APIToken, error) {
	if a.Role != RoleAdmin {
		return "", nil, ErrForbidden
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 80 {
		return "", nil, FieldErrors{"name": M("err_token_name", "N", 80)}
	}
	if msg := CheckText(name, false); !msg.IsZero() {
		return "", nil, FieldErrors{"name": msg}
	}
	raw, _, err := newToken()
	if err != nil {
		return "", nil, err
	}
	secret := apiTokenPrefix + raw
	t := &APIToken{Name: name, Hint: secret[:10], TokenHash: hashToken(secret), CreatedByID: a.UserID}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "api_token.create", "api_token", t.ID, nil, map[string]any{"name": name, "hint": t.Hint})
	})
	return secret, t, err
}

// RevokeAPIToken stops a token from working (admin only).
func (s *Store) RevokeAPIToken(ctx context.Context, a *Actor, id uint) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", s.now().UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return appendAudit(tx, a, "api_token.revoke", "api_token", id, nil, nil)
	})
}

// ListAPITokens lists tokens, newest first (admin only).
func (s *Store) ListAPITokens(ctx context.Context, a *Actor) ([]APIToken, error) {
	if a.Role != RoleAdmin {
		return nil, ErrForbidden
	}
	var out []APIToken
	return out, s.r(ctx).Order("id DESC").Find(&out).Error
}

// AuthenticateAPIToken returns the actor for a valid, unrevoked token secret.
func (s *Store) AuthenticateAPIToken(ctx context.Context, secret, ip string) (*Actor, error) {
	if !strings.HasPrefix(secret, apiTokenPrefix) {
		return nil, ErrNotFound
	}
	var t APIToken
	if err := s.r(ctx).Where("token_hash = ? AND revoked_at IS NULL", hashToken(secret)).First(&t).Error; err != nil {
		return nil, ErrNotFound
	}
	// Record use at most once a minute so a busy feed does not turn every call into a write.
	if t.LastUsedAt == nil || s.now().Sub(*t.LastUsedAt) > time.Minute {
		_ = s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", s.now().UTC()).Error
	}
	// No role: an API token may only push performance data, never act as a person.
	return &Actor{Email: "api:" + t.Name, IP: ip}, nil
}
