package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// seedDemoRisk shapes last week's demo performance so its proposals carry
// every risk flag the risk engineer's detectors raise — a sudden spike, a
// high refund rate, an odd average order value, three identical weeks and a
// first-week cap — then computes the week again (issue 16).
func (s *Store) seedDemoRisk(ctx context.Context) error {
	last := WeekOf(s.now()).Prev()
	db := s.db.WithContext(ctx)
	rows, err := loadWeekPerformance(db, last.String())
	if err != nil {
		return err
	}
	var proposed []uint
	if err := db.Model(&Bonus{}).Where("week = ? AND state = ?", last.String(), BonusProposed).Order("creator_id").
		Pluck("creator_id", &proposed).Error; err != nil {
		return err
	}
	// Candidates: modest proposals (no star near the cap) with orders, by creator id.
	byArea := map[uint]int{}
	var cands []weekPerformance
	for _, r := range rows {
		if _, ok := slices.BinarySearch(proposed, r.CreatorID); ok && r.Orders > 0 && r.GMVFen < 10_000_000 {
			cands = append(cands, r)
			byArea[r.PrimarySubjectID]++
		}
	}
	bigArea := uint(0)
	for area, n := range byArea {
		if n > byArea[bigArea] || n == byArea[bigArea] && area < bigArea {
			bigArea = area
		}
	}
	used := map[uint]bool{}
	pick := func(ok func(r weekPerformance) bool) (weekPerformance, error) {
		for _, r := range cands {
			if !used[r.CreatorID] && ok(r) {
				used[r.CreatorID] = true
				return r, nil
			}
		}
		return weekPerformance{}, fmt.Errorf("demo risk: no creator left to flag in %s", last)
	}
	var history map[uint][]int64
	if history, err = demoGMVHistory(s, ctx, last); err != nil {
		return err
	}
	now := s.now().UTC()
	var changed []WeeklyPerformance
	set := func(c uint, f Figures) {
		changed = append(changed, WeeklyPerformance{CreatorID: c, Week: last.String(), Videos: f.Videos, LiveSessions: f.LiveSessions,
			Views: f.Views, Orders: f.Orders, GMVFen: f.GMVFen, RefundedOrders: f.RefundedOrders, RefundedGMVFen: f.RefundedGMVFen,
			CreatedAt: now, UpdatedAt: now})
	}
	// A sudden spike: eight times the creator's median of the weeks before.
	spike, err := pick(func(r weekPerformance) bool {
		return len(history[r.CreatorID]) >= 4 && median(history[r.CreatorID]) > 100_000
	})
	if err != nil {
		return err
	}
	gmv := median(history[spike.CreatorID])*8 + 12_300
	set(spike.CreatorID, Figures{Videos: max(spike.Videos, 1), LiveSessions: spike.LiveSessions, Views: spike.Views, Orders: gmv / 15_000, GMVFen: gmv})
	// A high refund rate: 18 of 40 orders taken back.
	refund, err := pick(func(weekPerformance) bool { return true })
	if err != nil {
		return err
	}
	set(refund.CreatorID, Figures{Videos: max(refund.Videos, 1), LiveSessions: refund.LiveSessions, Views: refund.Views, Orders: 40, GMVFen: 600_000,
		RefundedOrders: 18, RefundedGMVFen: 270_000})
	// An odd average order value: one order of ¥25,000 where the area sells at about ¥150.
	odd, err := pick(func(r weekPerformance) bool { return r.PrimarySubjectID == bigArea })
	if err != nil {
		return err
	}
	set(odd.CreatorID, Figures{Videos: max(odd.Videos, 1), LiveSessions: odd.LiveSessions, Views: odd.Views, Orders: 1, GMVFen: 2_500_000})
	// Three creators reporting exactly the same week.
	for range 3 {
		same, err := pick(func(weekPerformance) bool { return true })
		if err != nil {
			return err
		}
		set(same.CreatorID, Figures{Videos: 3, Views: 88_888, Orders: 66, GMVFen: 999_900})
	}
	// A creator qualified last week who reaches the cap at once.
	var fresh Creator
	if err := db.Where("state = ?", StatePending).Order("id").First(&fresh).Error; err != nil {
		return fmt.Errorf("demo risk: no pending creator to qualify: %w", err)
	}
	r1 := &Actor{Email: "reviewer1@demo.test", Role: RoleReviewer}
	if _, err := s.DecideCreator(ctx, r1, Decision{CreatorID: fresh.ID, Action: ActionQualify}); err != nil {
		return err
	}
	if err := db.Model(&Creator{}).Where("id = ?", fresh.ID).Update("qualified_at", last.Start().Add(26*time.Hour).UTC()).Error; err != nil {
		return err
	}
	set(fresh.ID, Figures{Videos: 45, LiveSessions: 2, Views: 13_500_000, Orders: 8_200, GMVFen: 123_000_000})
	// The demo feed's figures, kept as revisions like any upload (a seed writes no audit entry for them).
	if err := s.tx(ctx, func(tx *gorm.DB) error { _, err := upsertPerformance(tx, SystemActor(), "demo", changed); return err }); err != nil {
		return fmt.Errorf("demo risk performance: %w", err)
	}
	var rev User
	if err := db.Where("email = ?", "reviewer1@demo.test").First(&rev).Error; err != nil {
		return err
	}
	_, err = s.ComputeWeek(ctx, ActorFor(&rev, ""), last.String())
	return err
}

// demoGMVHistory is each creator's net GMV of the eight weeks before week.
func demoGMVHistory(s *Store, ctx context.Context, week WeekLabel) (map[uint][]int64, error) {
	var weeks []string
	for w := week.Prev(); len(weeks) < spikeHistoryWeeks; w = w.Prev() {
		weeks = append(weeks, w.String())
	}
	var rows []WeeklyPerformance
	if err := s.r(ctx).Where("week IN ?", weeks).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[uint][]int64{}
	for _, r := range rows {
		out[r.CreatorID] = append(out[r.CreatorID], r.Figures().NetGMVFen())
	}
	return out, nil
}
