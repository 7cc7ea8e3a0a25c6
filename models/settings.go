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
	if s.driver != "sqlite" {
		return s.db.WithContext(ctx).Where("key = ?", sessionSecretKey).Delete(&Setting{}).Error
	}
	// secure_delete overwrites the freed bytes, so the file does not keep the secret in a free page.
	return s.db.WithContext(ctx).Connection(func(tx *gorm.DB) error {
		if err := tx.Exec("PRAGMA secure_delete = ON").Error; err != nil {
			return err
		}
		defer tx.Exec("PRAGMA secure_delete = OFF")
		if err := tx.Where("key = ?", sessionSecretKey).Delete(&Setting{}).Error; err != nil {
			return err
		}
		return tx.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	})
}
