package models

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Figures are a week's performance as the rule and the risk checks read
// them; a revision keeps them before and after, a bonus the ones it was computed from.
type Figures struct {
	Videos         int64 `json:"videos"`
	LiveSessions   int64 `json:"live_sessions"`
	Views          int64 `json:"views"`
	Orders         int64 `json:"orders"`
	GMVFen         int64 `json:"gmv_fen"`
	RefundedOrders int64 `json:"refunded_orders"`
	RefundedGMVFen int64 `json:"refunded_gmv_fen"`
}

// Figures returns the row's figures.
func (p WeeklyPerformance) Figures() Figures {
	return Figures{Videos: p.Videos, LiveSessions: p.LiveSessions, Views: p.Views, Orders: p.Orders, GMVFen: p.GMVFen,
		RefundedOrders: p.RefundedOrders, RefundedGMVFen: p.RefundedGMVFen}
}

// NetGMVFen is GMV less refunds, never below zero.
func (f Figures) NetGMVFen() int64 { return max(f.GMVFen-f.RefundedGMVFen, 0) }

// PerformanceRevision is one change of a (creator, week)'s figures: what they
// were (nil for the first upload), what they became, from where and by whom.
type PerformanceRevision struct {
	ID         uint   `gorm:"primaryKey"`
	CreatorID  uint   `gorm:"not null;index:idx_perf_rev_creator_week,priority:1"`
	Week       string `gorm:"size:8;not null;index:idx_perf_rev_creator_week,priority:2;index:idx_perf_rev_week"`
	Source     string `gorm:"size:200;not null"` // "api:<token name>", "file:<file name>", "cli:<file>", "demo"
	ActorID    *uint
	ActorEmail string `gorm:"size:254;not null;default:''"`
	Before     string `gorm:"type:text"` // Figures as JSON; empty for the first upload of the week
	After      string `gorm:"type:text;not null"`
	CreatedAt  time.Time
}

// Figures decodes the revision's before (ok false for a first upload) and after.
func (r PerformanceRevision) Figures() (before Figures, hadBefore bool, after Figures) {
	if r.Before != "" {
		hadBefore = json.Unmarshal([]byte(r.Before), &before) == nil
	}
	_ = json.Unmarshal([]byte(r.After), &after)
	return before, hadBefore, after
}

// PerformanceContent is one video or live session a creator claims for a
// week, with its own figures (issue 16: the same content claimed twice is a risk).
type PerformanceContent struct {
	ID        uint   `gorm:"primaryKey"`
	CreatorID uint   `gorm:"not null;uniqueIndex:idx_content_creator_week_item,priority:1"`
	Week      string `gorm:"size:8;not null;uniqueIndex:idx_content_creator_week_item,priority:2;index:idx_content_week_item,priority:1"`
	ContentID string `gorm:"size:64;not null;uniqueIndex:idx_content_creator_week_item,priority:3;index:idx_content_week_item,priority:2"`
	Kind      string `gorm:"size:8;not null"` // video or live
	Views     int64  `gorm:"not null"`
	Orders    int64  `gorm:"not null"`
	GMVFen    int64  `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// recordRevisions keeps a revision for every row whose figures are new or
// changed against before (rows with the same figures keep none), in the
// ingest's transaction, and returns them with their ids.
func recordRevisions(tx *gorm.DB, a *Actor, source string, before map[weekKey]WeeklyPerformance, rows []WeeklyPerformance) ([]PerformanceRevision, error) {
	now := nowOf(tx).UTC()
	var revs []PerformanceRevision
	for _, r := range rows {
		rev := PerformanceRevision{CreatorID: r.CreatorID, Week: r.Week, Source: source, After: toJSON(r.Figures()), CreatedAt: now}
		if a != nil {
			rev.ActorEmail = a.Email
			if a.UserID != 0 {
				id := a.UserID
				rev.ActorID = &id
			}
		}
		if old, ok := before[weekKey{r.CreatorID, r.Week}]; ok {
			if old.Figures() == r.Figures() {
				continue
			}
			rev.Before = toJSON(old.Figures())
		}
		revs = append(revs, rev)
	}
	if len(revs) == 0 {
		return nil, nil
	}
	return revs, tx.CreateInBatches(&revs, 500).Error
}

// latestRevisions returns, for a week, each creator's newest revision id
// (only creators listed; all of the week's when creatorIDs is nil).
func latestRevisions(tx *gorm.DB, week string, creatorIDs []uint) (map[uint]uint, error) {
	out := map[uint]uint{}
	type row struct {
		CreatorID uint
		ID        uint
	}
	read := func(q *gorm.DB) error {
		var rows []row
		if err := q.Model(&PerformanceRevision{}).Select("creator_id, MAX(id) AS id").Where("week = ?", week).
			Group("creator_id").Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out[r.CreatorID] = r.ID
		}
		return nil
	}
	if creatorIDs == nil {
		return out, read(tx)
	}
	for _, part := range chunks(creatorIDs, 500) {
		if err := read(tx.Where("creator_id IN ?", part)); err != nil {
			return nil, err
		}
	}
	return out, nil
}
