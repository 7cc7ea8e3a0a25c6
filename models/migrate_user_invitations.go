package models

import (
	"time"

	"gorm.io/gorm"
)

// userInvitationV1 is the user_invitations table as issue 12 made it.
type userInvitationV1 struct {
	ID          uint      `gorm:"primaryKey"`
	Email       string    `gorm:"size:254;not null;index"`
	Role        string    `gorm:"size:20;not null"`
	AgencyID    *uint     `gorm:"index"`
	TokenHash   string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	CreatedByID uint `gorm:"not null"`
	CreatedAt   time.Time
}

func (userInvitationV1) TableName() string { return "user_invitations" }

// migrateUserInvitations adds the invitations to staff and manager accounts,
// which replace passwords chosen by whoever made the account.
func migrateUserInvitations(tx *gorm.DB) error {
	return tx.AutoMigrate(&userInvitationV1{})
}
