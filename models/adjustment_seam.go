package models

import (
	"time"

	"gorm.io/gorm"
)

// Adjustments (issue 16, point 5): when the figures of a week with a decided
// bonus change, recomputing the week proposes what the rule now gives minus
// what was approved. ComputeWeek hands this seam the week's performance and
// its decided bonuses; the adjustments engineer owns the body.

// proposeAdjustments proposes adjustments for decided bonuses whose figures
// changed since they were decided (at most one per revision) and returns how
// many it proposed (new or replacing a newer revision's). See adjustWeek.
func proposeAdjustments(tx *gorm.DB, a *Actor, week WeekLabel, rule BonusRule, version uint, rows []weekPerformance, decided []Bonus, now time.Time) (int, error) {
	return adjustWeek(tx, a, week, rule, version, rows, decided, now)
}
