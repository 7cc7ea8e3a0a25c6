package models

import "gorm.io/gorm"

// distrustWeek marks a (creator, week) untrusted and takes its figures out of
// the creator's year totals, in the caller's transaction (a weekly bonus
// rejected for a reason that distrusts performance). An untrusted or missing
// week is left alone. It reports whether it changed anything.
func distrustWeek(tx *gorm.DB, a *Actor, creatorID uint, week string) (bool, error) {
	return setWeekTrust(tx, a, creatorID, week, false)
}

// trustWeek undoes distrustWeek (an appeal overturned the rejection): the
// week's current figures count towards the year totals again.
func trustWeek(tx *gorm.DB, a *Actor, creatorID uint, week string) (bool, error) {
	return setWeekTrust(tx, a, creatorID, week, true)
}

func setWeekTrust(tx *gorm.DB, a *Actor, creatorID uint, week string, trusted bool) (bool, error) {
	// The same lock as ingest: the totals move by this row's figures, which an ingest must not change meanwhile.
	if err := advisoryLock(tx, lockKeyPerformanceIngest); err != nil {
		return false, err
	}
	var p WeeklyPerformance
	err := tx.Where("creator_id = ? AND week = ? AND untrusted = ?", creatorID, week, trusted).Limit(1).Find(&p).Error
	if err != nil || p.ID == 0 {
		return false, err
	}
	res := tx.Model(&WeeklyPerformance{}).Where("id = ? AND untrusted = ?", p.ID, trusted).Update("untrusted", !trusted)
	if res.Error != nil || res.RowsAffected != 1 {
		return false, res.Error
	}
	sign := int64(1)
	action := "performance.trust"
	if !trusted {
		sign, action = -1, "performance.distrust"
	}
	d := CreatorYearTotal{CreatorID: creatorID, Year: weekYear(week), GMVFen: sign * p.GMVFen, Views: sign * p.Views, Weeks: sign}
	if err := addYearTotals(tx, map[yearKey]CreatorYearTotal{{creatorID, d.Year}: d}); err != nil {
		return false, err
	}
	if err := creditImpactTrust(tx, p, sign); err != nil {
		return false, err
	}
	if err := upliftOnTrust(tx, p, sign); err != nil {
		return false, err
	}
	return true, appendAudit(tx, a, action, "creator", creatorID,
		map[string]any{"week": week, "untrusted": trusted}, map[string]any{"week": week, "untrusted": !trusted, "gmv_fen": p.GMVFen, "views": p.Views})
}
