package models

import (
	"gorm.io/gorm"
)

// rebuildImpactWeeks recomputes impact_weeks and impact_agency_weeks from the
// base tables: after a bulk load (SeedScale, the demo seed) and once when the
// tables are introduced. Rows loaded without a credit (CreditSubjectID 0) are
// credited under their creator's agency and subject area now; every row's
// "qualified" credit is brought in line with its creator's qualified_at. Then
// the trusted weekly rows are summed per (week, subject) and (week, agency),
// and approved (or paid) weekly bonuses and approved adjustments added.
func rebuildImpactWeeks(tx *gorm.DB) error {
	if err := creditUncreditedRows(tx); err != nil {
		return err
	}
	if err := refreshQualifiedCredit(tx); err != nil {
		return err
	}
	for _, t := range []struct{ table, column, credit string }{
		{"impact_weeks", "subject_id", "credit_subject_id"}, {"impact_agency_weeks", "agency_id", "credit_agency_id"},
	} {
		if err := tx.Exec("DELETE FROM " + t.table).Error; err != nil {
			return err
		}
		err := tx.Exec(`INSERT INTO `+t.table+` (week, `+t.column+`, creators, posted, qualified, qualified_posted, videos, live_sessions,
				views, orders, gmv_fen, refunded_gmv_fen, bonus_fen, bonuses)
			SELECT week, `+t.credit+`, COUNT(*),
				SUM(CASE WHEN videos + live_sessions > 0 THEN 1 ELSE 0 END),
				SUM(CASE WHEN credit_qualified = ? THEN 1 ELSE 0 END),
				SUM(CASE WHEN credit_qualified = ? AND videos + live_sessions > 0 THEN 1 ELSE 0 END),
				SUM(videos), SUM(live_sessions), SUM(views), SUM(orders), SUM(gmv_fen), SUM(refunded_gmv_fen), 0, 0
			FROM weekly_performances WHERE untrusted = ? GROUP BY week, `+t.credit, true, true, false).Error
		if err != nil {
			return err
		}
	}
	// Bonuses and adjustments: at most a row per (week, subject) and (week,
	// agency) each, added through the same upsert the hooks use.
	var money []struct {
		Week      string
		SubjectID uint
		AgencyID  *uint
		BonusFen  int64
		Bonuses   int64
	}
	if err := tx.Raw(`SELECT week, subject_id, agency_id, SUM(amount_fen) AS bonus_fen, COUNT(*) AS bonuses FROM bonuses
		WHERE state IN ? GROUP BY week, subject_id, agency_id`, []BonusState{BonusApproved, BonusPaid}).Scan(&money).Error; err != nil {
		return err
	}
	d := newImpactDeltas()
	for _, m := range money {
		d.add(m.Week, m.SubjectID, derefID(m.AgencyID), ImpactFigures{BonusFen: m.BonusFen, Bonuses: m.Bonuses}, 1)
	}
	money = money[:0]
	if err := tx.Raw(`SELECT b.week, b.subject_id, b.agency_id, SUM(j.amount_fen) AS bonus_fen, 0 AS bonuses
		FROM bonus_adjustments j JOIN bonuses b ON b.id = j.bonus_id
		WHERE j.state = ? GROUP BY b.week, b.subject_id, b.agency_id`, BonusApproved).Scan(&money).Error; err != nil {
		return err
	}
	for _, m := range money {
		d.add(m.Week, m.SubjectID, derefID(m.AgencyID), ImpactFigures{BonusFen: m.BonusFen}, 1)
	}
	return d.apply(tx)
}

// creditUncreditedRows credits rows that have no credit yet: a week with a
// weekly bonus under the agency and subject area the bonus copied when it was
// computed (who delivered that week, even if the creator moved since), any
// other under the creator's agency and primary subject area as they are now.
func creditUncreditedRows(tx *gorm.DB) error {
	if err := tx.Exec(`UPDATE weekly_performances SET
		credit_agency_id = COALESCE((SELECT b.agency_id FROM bonuses b WHERE b.creator_id = weekly_performances.creator_id AND b.week = weekly_performances.week), 0),
		credit_subject_id = (SELECT b.subject_id FROM bonuses b WHERE b.creator_id = weekly_performances.creator_id AND b.week = weekly_performances.week)
		WHERE credit_subject_id = 0 AND EXISTS (SELECT 1 FROM bonuses b WHERE b.creator_id = weekly_performances.creator_id AND b.week = weekly_performances.week)`).Error; err != nil {
		return err
	}
	return tx.Exec(`UPDATE weekly_performances SET
		credit_agency_id = COALESCE((SELECT c.agency_id FROM creators c WHERE c.id = weekly_performances.creator_id), 0),
		credit_subject_id = (SELECT c.primary_subject_id FROM creators c WHERE c.id = weekly_performances.creator_id)
		WHERE credit_subject_id = 0`).Error
}

// refreshQualifiedCredit sets each row's "qualified" credit from its
// creator's qualified_at: a row counts from the week the creator qualified in
// (qualified before the week's end). Creators are grouped by that week, so
// each update is one comparison of week labels over a chunk of creators
// (idx_perf_creator_week), whichever database.
func refreshQualifiedCredit(tx *gorm.DB) error {
	var creators []creditCreator
	if err := tx.Table("creators").Select("id, qualified_at").Where("qualified_at IS NOT NULL").Scan(&creators).Error; err != nil {
		return err
	}
	byWeek := map[string][]uint{}
	for _, c := range creators {
		w := WeekOf(*c.QualifiedAt).String()
		byWeek[w] = append(byWeek[w], c.ID)
	}
	for _, w := range sortedKeys(byWeek) {
		for _, part := range chunks(byWeek[w], 500) {
			if err := tx.Exec(`UPDATE weekly_performances SET credit_qualified = (week >= ?)
				WHERE creator_id IN ? AND credit_qualified <> (week >= ?)`, w, part, w).Error; err != nil {
				return err
			}
		}
	}
	return tx.Exec(`UPDATE weekly_performances SET credit_qualified = ?
		WHERE credit_qualified = ? AND creator_id IN (SELECT id FROM creators WHERE qualified_at IS NULL)`, false, true).Error
}
