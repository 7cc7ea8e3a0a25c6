package models

import (
	"time"

	"gorm.io/gorm"
)

// agencyV17 is the agencies table once an agency chooses how its creators'
// money flows (issue 15).
type agencyV17 struct {
	ID           uint   `gorm:"primaryKey"`
	Name         string `gorm:"size:120;not null;uniqueIndex"`
	ContactName  string `gorm:"size:120"`
	ContactEmail string `gorm:"size:254"`
	ContactPhone string `gorm:"size:40"`
	Settlement   string `gorm:"size:8;not null;default:direct"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (agencyV17) TableName() string { return "agencies" }

// migrateAgencySettlement adds agencies.settlement; every existing agency
// keeps paying its creators directly, as before.
func migrateAgencySettlement(tx *gorm.DB) error { return tx.AutoMigrate(&agencyV17{}) }
