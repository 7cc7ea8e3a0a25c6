package models

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// settingsChangeV1 is the settings_changes table as it was first made.
type settingsChangeV1 struct {
	ID              uint   `gorm:"primaryKey"`
	Kind            string `gorm:"size:32;not null"`
	State           string `gorm:"size:16;not null;index:idx_settings_changes_state"`
	Proposed        string `gorm:"type:text;not null"`
	Replaces        string `gorm:"type:text;not null"`
	ProposedByID    uint   `gorm:"not null"`
	ProposedByEmail string `gorm:"size:254;not null"`
	DecidedByID     *uint
	DecidedByEmail  string `gorm:"size:254;not null;default:''"`
	Reason          string `gorm:"size:500;not null;default:''"`
	CreatedAt       time.Time
	DecidedAt       *time.Time
}

func (settingsChangeV1) TableName() string { return "settings_changes" }

// migrateSettingsChanges makes the proposals table and stores the programme's
// budgets: ¥1,000,000,000 for creators and ¥5,000,000 for MCN agencies, or a
// pool's present total where an existing programme already set it higher, so
// that no pool is left above its budget.
func migrateSettingsChanges(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&settingsChangeV1{}); err != nil {
		return err
	}
	budget := map[string]int64{"creators_fen": 100_000_000_000, "mcn_fen": 500_000_000}
	var pools []struct {
		Name     string
		TotalFen int64
	}
	if err := tx.Raw("SELECT name, total_fen FROM pools").Scan(&pools).Error; err != nil {
		return err
	}
	for _, p := range pools {
		key := map[string]string{"creators": "creators_fen", "mcn": "mcn_fen"}[p.Name]
		if key != "" && p.TotalFen > budget[key] {
			budget[key] = p.TotalFen
		}
	}
	value, err := json.Marshal(budget)
	if err != nil {
		return err
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&settingV1{Key: "programme_budget", Value: string(value)}).Error
}
