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
//
// A paced bonus (issue 17) is compared with the new rule amount scaled by
// that bonus's own pacing (its final amount over its rule amount: 1 when
// funded in full by rank, 0 when unfunded), not with the unpaced rule
// amount: else every paced bonus would be offered a top-up to the rule.
func proposeAdjustments(tx *gorm.DB, a *Actor, week WeekLabel, rule BonusRule, version uint, rows []weekPerformance, decided []Bonus, now time.Time) (int, error) {
	return adjustWeek(tx, a, week, rule, version, rows, decided, now, pacedTarget)
}

// pacedTarget is what a decided bonus should now be when the rule gives ruleFen.
func pacedTarget(b *Bonus, ruleFen int64) int64 {
	if b.RuleFen <= 0 {
		return ruleFen // not paced
	}
	return mulDiv(ruleFen, b.AmountFen, b.RuleFen)
}
