package models

import "gorm.io/gorm"

// distrustingBonusReasonsV24 are the default weekly-bonus reason codes whose
// rejection says the week's figures themselves are not to be believed (fake
// views or orders). "Performance could not be verified" is not one: it means
// the proof was missing (say, links to the videos), not that the figures are false.
var distrustingBonusReasonsV24 = []string{"suspected_fake_traffic"}

// migrateDistrustReasons marks the default weekly-bonus reasons that distrust
// a week's performance (issue 16): a week rejected for one of them leaves the
// leaderboard's year-to-date figures. Admins may change the mark afterwards;
// other codes keep theirs.
func migrateDistrustReasons(tx *gorm.DB) error {
	return tx.Exec("UPDATE reason_codes SET distrusts_performance = ? WHERE kind = ? AND code IN ?",
		true, "bonus", distrustingBonusReasonsV24).Error
}
