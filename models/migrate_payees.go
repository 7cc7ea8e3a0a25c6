package models

import (
	"time"

	"gorm.io/gorm"
)

// payeeV18 is the payees table as issue 15 made it: who is paid, with the ID
// number and account encrypted (and masked copies for pages), and whether a
// reviewer verified the current revision.
type payeeV18 struct {
	ID             uint   `gorm:"primaryKey"`
	Kind           string `gorm:"size:8;not null;uniqueIndex:idx_payees_owner,priority:1"`
	OwnerID        uint   `gorm:"not null;uniqueIndex:idx_payees_owner,priority:2"`
	Name           string `gorm:"size:120;not null"`
	Method         string `gorm:"size:8;not null"`
	IDNumberEnc    string `gorm:"type:text;not null"`
	IDNumberMasked string `gorm:"size:24;not null"`
	AccountEnc     string `gorm:"type:text;not null"`
	AccountMasked  string `gorm:"size:64;not null"`
	Bank           string `gorm:"size:80;not null;default:''"`
	Branch         string `gorm:"size:120;not null;default:''"`
	Revision       int    `gorm:"not null;default:1"`
	Verified       bool   `gorm:"not null;default:false;index:idx_payees_verified,priority:1"`
	VerifiedAt     *time.Time
	VerifiedByID   *uint
	VerifyNote     string `gorm:"size:500;not null;default:''"`
	CreatedAt      time.Time
	UpdatedAt      time.Time `gorm:"index:idx_payees_verified,priority:2"`
}

func (payeeV18) TableName() string { return "payees" }

// migratePayees creates the payees table (issue 15).
func migratePayees(tx *gorm.DB) error { return tx.AutoMigrate(&payeeV18{}) }
