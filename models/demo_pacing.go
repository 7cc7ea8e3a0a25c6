package models

import (
	"context"
	"fmt"
	"time"
)

// DemoCreatorPoolFen is the demo's creator pool: the first tranche of the
// ¥1,000,000,000 programme budget, sized to the demo's 200 creators so that
// pacing shows (its last computed week proposes more than its budget).
const DemoCreatorPoolFen = 1_000_000_000 // ¥10,000,000

// seedDemoPacing sets the demo programme's period before any week is
// computed (issue 17): a year from the demo's first week of performance,
// over-subscribed weeks scaled pro rata.
func (s *Store) seedDemoPacing(ctx context.Context, now time.Time) error {
	first := WeekOf(now).Prev()
	for range DemoWeeks - 1 {
		first = first.Prev()
	}
	sys := SystemActor()
	if err := s.SetPoolTotal(ctx, sys, PoolCreators, DemoCreatorPoolFen); err != nil {
		return err
	}
	return s.SetPacingPlan(ctx, sys, YearPlanFrom(first, PolicyProRata))
}

// YearPlanFrom is a year's plan from a first week: 52 weeks for the creator
// pool, the 12 months from that week's month for the MCN pool, and 1.5×
// for the weeks and months of 11.11 and 618, JD's shopping festivals.
func YearPlanFrom(first WeekLabel, policy OverSubscriptionPolicy) PacingPlan {
	last := first
	for range 51 {
		last = WeekOf(last.End())
	}
	firstMonth := MonthOf(first.Start())
	lastMonth := firstMonth
	for range 11 {
		lastMonth = lastMonth.Next()
	}
	plan := PacingPlan{CreatorsStart: first.String(), CreatorsEnd: last.String(), MCNStart: firstMonth.String(), MCNEnd: lastMonth.String(),
		Policy: policy, Weights: []PeriodWeight{}}
	for year := first.Start().Year(); year <= last.End().Year(); year++ {
		for _, festival := range []time.Time{time.Date(year, time.June, 18, 12, 0, 0, 0, CST), time.Date(year, time.November, 11, 12, 0, 0, 0, CST)} {
			if week := WeekOf(festival).String(); plan.Contains(PoolCreators, week) {
				plan.Weights = append(plan.Weights, PeriodWeight{Period: week, Percent: 150})
			}
			if month := MonthOf(festival).String(); plan.Contains(PoolMCN, month) {
				plan.Weights = append(plan.Weights, PeriodWeight{Period: month, Percent: 150})
			}
		}
	}
	return plan
}

// seedDemoPacedStar gives creator1@demo.test, the demo's showcase creator, a
// week in last week's computed (and pro-rata paced) proposals when the demo's
// draw left them without one, so their /me shows what pacing did.
func (s *Store) seedDemoPacedStar(ctx context.Context, now time.Time) error {
	var u User
	if err := s.r(ctx).Where("email = ?", "creator1@demo.test").First(&u).Error; err != nil || u.CreatorID == nil {
		return fmt.Errorf("demo pacing: creator1: %v", err)
	}
	last := WeekOf(now).Prev()
	var n int64
	if err := s.r(ctx).Model(&WeeklyPerformance{}).Where("creator_id = ? AND week = ?", *u.CreatorID, last.String()).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	var c Creator
	if err := s.r(ctx).First(&c, *u.CreatorID).Error; err != nil {
		return err
	}
	row := PerformanceInput{AccountID: c.AccountID, Week: last.String(), Videos: "9", LiveSessions: "0", Views: "12400000",
		Orders: "8200", GMVFen: "123000000"}
	if _, probs, err := s.IngestPerformance(ctx, SystemActor(), "demo", []PerformanceInput{row}); err != nil || len(probs) > 0 {
		return fmt.Errorf("demo pacing: creator1's last week: %v %v", err, probs)
	}
	var rev User
	if err := s.r(ctx).Where("email = ?", "reviewer1@demo.test").First(&rev).Error; err != nil {
		return err
	}
	_, err := s.ComputeWeek(ctx, ActorFor(&rev, ""), last.String())
	return err
}
