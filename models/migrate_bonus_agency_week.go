package models

import "gorm.io/gorm"

// migrateBonusAgencyWeekIndex widens the agency index of weekly bonuses to
// (agency, week, state, amount) (issue 18): every decision sums the agency's
// week for its managers' notification, and by agency alone that read a year
// of the agency's bonuses (2,600 rows at programme scale) while holding the pool.
func migrateBonusAgencyWeekIndex(tx *gorm.DB) error {
	for _, q := range []string{
		"DROP INDEX IF EXISTS idx_bonus_agency_week",
		"CREATE INDEX IF NOT EXISTS idx_bonus_agency_week ON bonuses (agency_id, week, state, amount_fen)",
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
