package models

import "gorm.io/gorm"

// bonusRiskV24 is the bonuses table's risk columns as the risk-flag step adds
// them (issue 16): how many flags a proposal carries and which kinds (one bit
// per kind, in RiskKinds order), so the queue filters and sorts by risk from
// the bonuses' own index.
type bonusRiskV24 struct {
	RiskCount int   `gorm:"not null;default:0"`
	RiskMask  int64 `gorm:"not null;default:0"`
}

func (bonusRiskV24) TableName() string { return "bonuses" }

// bonusRiskFlagV24 is one risk flag of a bonus, with the figures that raised it.
type bonusRiskFlagV24 struct {
	ID      uint   `gorm:"primaryKey"`
	BonusID uint   `gorm:"not null;index:idx_risk_flag_week_kind,priority:3;index:idx_risk_flag_bonus"`
	Week    string `gorm:"size:8;not null;index:idx_risk_flag_week_kind,priority:1"`
	Kind    string `gorm:"size:24;not null;index:idx_risk_flag_week_kind,priority:2"`
	Args    string `gorm:"type:text;not null"`
}

func (bonusRiskFlagV24) TableName() string { return "bonus_risk_flags" }

// migrateRiskFlags keeps the risk flags found at compute time: a row per flag
// and, on the bonus, their count and kinds, indexed by (week, risk count,
// amount) so "sort by risk" within a week walks an index, and by (state,
// risk count) so the dashboard reads only flagged proposals still waiting. Bonuses computed
// before carry no flags until their week is computed again.
func migrateRiskFlags(tx *gorm.DB) error {
	for _, col := range []string{"RiskCount", "RiskMask"} {
		if !tx.Migrator().HasColumn(&bonusRiskV24{}, col) {
			if err := tx.Migrator().AddColumn(&bonusRiskV24{}, col); err != nil {
				return err
			}
		}
	}
	for _, ddl := range []string{
		"CREATE INDEX IF NOT EXISTS idx_bonus_week_risk ON bonuses (week, risk_count, amount_fen, id)",
		"CREATE INDEX IF NOT EXISTS idx_bonus_state_risk ON bonuses (state, risk_count)", // the dashboard's waiting proposals by flag
		// The spike detector reads eight weeks of every creator's GMV, refunds and views at each compute:
		// from this index alone, without a lookup of each row in the table.
		"CREATE INDEX IF NOT EXISTS idx_perf_week_figures ON weekly_performances (week, creator_id, gmv_fen, refunded_gmv_fen, views)",
	} {
		if err := tx.Exec(ddl).Error; err != nil {
			return err
		}
	}
	return tx.AutoMigrate(&bonusRiskFlagV24{})
}
