package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting is one programme-wide key/value setting.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"type:text;not null"`
}

const sessionSecretKey = "session_secret"

// SessionSecret returns the stored session signing secret, creating one the
// first time. created reports whether it was just made.
func (s *Store) SessionSecret(ctx context.Context) (secret []byte, created bool, err error) {
	var st Setting
	err = s.r(ctx).Where("key = ?", sessionSecretKey).First(&st).Error
	if err == nil {
		b, derr := hex.DecodeString(st.Value)
		return b, false, derr
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, err
	}
	b := make([]byte, 64)
	if _, err := rand.Read(b); err != nil {
		return nil, false, err
	}
	// Two servers starting at once must agree on one secret: insert if absent, then read back.
	err = s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Setting{Key: sessionSecretKey, Value: hex.EncodeToString(b)}).Error
	if err != nil {
		return nil, false, err
	}
	if err := s.db.WithContext(ctx).Where("key = ?", sessionSecretKey).First(&st).Error; err != nil {
		return nil, false, err
	}
	got, err := hex.DecodeString(st.Value)
	return got, true, err
}
