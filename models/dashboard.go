package models

import (
	"context"
	"fmt"
	"time"
)

// WeeklySpend sums approved and paid weekly bonuses per week for the given
// weeks, in one grouped query.
func (s *Store) WeeklySpend(ctx context.Context, weeks []WeekLabel) (map[string]int64, error) {
	return counted(ctx, s, fmt.Sprint("weekly spend ", weeks), func(ctx context.Context) (map[string]int64, error) { return s.weeklySpend(ctx, weeks) })
}

func (s *Store) weeklySpend(ctx context.Context, weeks []WeekLabel) (map[string]int64, error) {
	out := map[string]int64{}
	if len(weeks) == 0 {
		return out, nil
	}
	labels := make([]string, len(weeks))
	for i, w := range weeks {
		labels[i] = w.String()
	}
	var rows []struct {
		Week string
		Sum  int64
	}
	err := s.r(ctx).Model(&Bonus{}).Select("week, SUM(amount_fen) AS sum").
		Where("week IN ? AND state IN ?", labels, []BonusState{BonusApproved, BonusPaid}).Group("week").Scan(&rows).Error
	for _, r := range rows {
		out[r.Week] = r.Sum
	}
	return out, err
}

// Pending is how many bonuses wait for a decision and how much they come to.
type Pending struct {
	Weekly    BonusTotals
	Monthly   BonusTotals
	Appeals   int64
	SecondEye int64 // waiting for a second reviewer
}

// PendingApprovals counts what waits for reviewers.
func (s *Store) PendingApprovals(ctx context.Context) (Pending, error) {
	return counted(ctx, s, "pending approvals", func(ctx context.Context) (Pending, error) { return s.pendingApprovals(ctx) })
}

func (s *Store) pendingApprovals(ctx context.Context) (Pending, error) {
	var p Pending
	waiting := []BonusState{BonusProposed, BonusAwaitingSecond}
	db := s.r(ctx)
	if err := db.Model(&Bonus{}).Select("COUNT(*) AS count, COALESCE(SUM(amount_fen), 0) AS sum_fen").Where("state IN ?", waiting).Scan(&p.Weekly).Error; err != nil {
		return p, err
	}
	if err := db.Model(&MCNBonus{}).Select("COUNT(*) AS count, COALESCE(SUM(amount_fen), 0) AS sum_fen").Where("state IN ?", waiting).Scan(&p.Monthly).Error; err != nil {
		return p, err
	}
	if err := db.Model(&Bonus{}).Where("appeal_state = ?", AppealPending).Count(&p.Appeals).Error; err != nil {
		return p, err
	}
	return p, db.Model(&Bonus{}).Where("state = ?", BonusAwaitingSecond).Count(&p.SecondEye).Error
}

// Attainment is how agencies stand against their quota this month.
type Attainment struct {
	Month    string
	Agencies int
	Met      int
	Buckets  [5]int // 0–24%, 25–49%, 50–74%, 75–99%, met
}

// QuotaAttainment buckets every agency by how much of this month's quota it has delivered.
func (s *Store) QuotaAttainment(ctx context.Context, now time.Time) (Attainment, error) {
	return counted(ctx, s, "attainment "+MonthOf(now).String(), func(ctx context.Context) (Attainment, error) { return s.quotaAttainment(ctx, now) })
}

func (s *Store) quotaAttainment(ctx context.Context, now time.Time) (Attainment, error) {
	month := MonthOf(now)
	out := Attainment{Month: month.String()}
	db := s.r(ctx)
	var ids []uint
	if err := db.Model(&Agency{}).Pluck("id", &ids).Error; err != nil {
		return out, err
	}
	book, err := loadQuotaBook(db, nil)
	if err != nil {
		return out, err
	}
	var delivered []struct {
		AgencyID uint `gorm:"column:qualified_agency_id"`
		N        int
	}
	if err := db.Model(&Creator{}).Select("qualified_agency_id, COUNT(*) AS n").
		Where("qualified_agency_id IS NOT NULL AND qualified_at >= ? AND qualified_at < ?", month.Start().UTC(), month.End().UTC()).
		Group("qualified_agency_id").Scan(&delivered).Error; err != nil {
		return out, err
	}
	got := map[uint]int{}
	for _, d := range delivered {
		got[d.AgencyID] = d.N
	}
	for _, id := range ids {
		quota := book.For(id, month)
		n := got[id]
		out.Agencies++
		if n >= quota {
			out.Met++
			out.Buckets[4]++
			continue
		}
		out.Buckets[min(3, n*4/max(quota, 1))]++
	}
	return out, nil
}
