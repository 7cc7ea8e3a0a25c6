package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration step 7, frozen as it shipped (commit eb1fb27).

type userV7 struct {
	ID             uint      `gorm:"primaryKey"`
	Email          string    `gorm:"size:254;not null;uniqueIndex"`
	PasswordHash   string    `gorm:"size:100;not null"`
	Role           string    `gorm:"size:20;not null;index"`
	AgencyID       *uint     `gorm:"index"`
	Agency         *agencyV1 // the foreign key fk_users_agency
	CreatorID      *uint     `gorm:"uniqueIndex"`
	SessionVersion int       `gorm:"not null;default:1"`
	Disabled       bool      `gorm:"not null;default:false"`
	Language       string    `gorm:"size:8;not null;default:''"`
	LastLoginAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (userV7) TableName() string { return "users" }

// migrateUserLanguage is migration step 7 (commit eb1fb27): each user's
// language for the pages ("" = from the browser).
func migrateUserLanguage(tx *gorm.DB) error { return tx.AutoMigrate(&userV7{}) }
