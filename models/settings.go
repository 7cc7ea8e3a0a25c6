package models

import (
	"context"
	"encoding/hex"
	"errors"

	"gorm.io/gorm"
)

// Setting is one programme-wide key/value setting.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"type:text;not null"`
}

// sessionSecretKey is where versions before the secret moved to the
// environment or a key file kept it.
const sessionSecretKey = "session_secret"

// LegacySessionSecret returns a session secret an older version stored in
// the database, or nil when there is none.
func (s *Store) LegacySessionSecret(ctx context.Context) ([]byte, error) {
	var st Setting
	err := s.db.WithContext(ctx).Where("key = ?", sessionSecretKey).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(st.Value)
}

// DropLegacySessionSecret removes the stored session secret once it lives
// outside the database, so a database copy cannot forge sessions.
func (s *Store) DropLegacySessionSecret(ctx context.Context) error {
	return s.db.WithContext(ctx).Where("key = ?", sessionSecretKey).Delete(&Setting{}).Error
}
