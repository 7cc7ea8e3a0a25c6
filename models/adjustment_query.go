package models

import (
	"context"

	"gorm.io/gorm"
)

// AdjustmentFilter narrows the adjustments in the queue.
type AdjustmentFilter struct {
	Week  string
	State BonusState
}

// AdjustmentRow is an adjustment as the queue and /me show it.
type AdjustmentRow struct {
	BonusAdjustment
	DisplayName string
	AccountID   string
	AgencyName  string
}

// AdjustmentTotals counts the adjustments matching a filter and sums them (signed).
type AdjustmentTotals struct {
	Count  int64
	SumFen int64
}

// ListAdjustments lists adjustments for staff, waiting ones first, newest
// first within a state.
func (s *Store) ListAdjustments(ctx context.Context, a *Actor, f AdjustmentFilter, page Page) ([]AdjustmentRow, AdjustmentTotals, error) {
	var tot AdjustmentTotals
	if !a.IsStaff() {
		return nil, tot, ErrNotFound
	}
	q := s.r(ctx).Table("bonus_adjustments AS j").
		Joins("JOIN creators c ON c.id = j.creator_id").
		Joins("LEFT JOIN agencies ag ON ag.id = j.agency_id")
	if f.Week != "" {
		q = q.Where("j.week = ?", f.Week)
	}
	if f.State != "" {
		q = q.Where("j.state = ?", f.State)
	}
	if err := q.Session(&gorm.Session{}).Select("COUNT(*) AS count, COALESCE(SUM(j.amount_fen), 0) AS sum_fen").Scan(&tot).Error; err != nil {
		return nil, tot, err
	}
	var rows []AdjustmentRow
	err := q.Session(&gorm.Session{}).Select("j.*, c.display_name, c.account_id, COALESCE(ag.name, '') AS agency_name").
		Order("CASE j.state WHEN 'proposed' THEN 0 WHEN 'awaiting_second' THEN 1 ELSE 2 END, j.id DESC").
		Limit(page.Size).Offset(page.Offset()).Scan(&rows).Error
	return rows, tot, err
}

// CreatorAdjustments lists a creator's adjustments (oldest first); a creator
// sees only their own, staff anyone's.
func (s *Store) CreatorAdjustments(ctx context.Context, a *Actor, creatorID uint) ([]AdjustmentRow, error) {
	if !a.IsStaff() && (a.CreatorID == nil || *a.CreatorID != creatorID) {
		return nil, ErrNotFound
	}
	var rows []AdjustmentRow
	err := s.r(ctx).Table("bonus_adjustments AS j").Select("j.*, c.display_name, c.account_id, '' AS agency_name").
		Joins("JOIN creators c ON c.id = j.creator_id").Where("j.creator_id = ?", creatorID).Order("j.id").Scan(&rows).Error
	return rows, err
}

// LineNetting is what a payout line paid a creator: its gross (bonuses plus
// adjustments), what of one adjustment it netted, tax and net.
type LineNetting struct {
	LineID    uint
	Ref       string
	AdjustFen int64 // what of this adjustment the line settled
	GrossFen  int64
	TaxFen    int64
	NetFen    int64
}

// CreatorNettedLines lists the payout lines that settled a creator's
// adjustments, keyed by adjustment id, with the line's figures.
func (s *Store) CreatorNettedLines(ctx context.Context, a *Actor, creatorID uint) (map[uint][]LineNetting, error) {
	if !a.IsStaff() && (a.CreatorID == nil || *a.CreatorID != creatorID) {
		return nil, ErrNotFound
	}
	var rows []struct {
		AdjustmentID uint
		LineID       uint
		Ref          string
		AmountFen    int64
		GrossFen     int64
		TaxFen       int64
		NetFen       int64
	}
	err := s.r(ctx).Table("payout_line_adjustments AS la").
		Select("la.adjustment_id, la.line_id, l.ref, la.amount_fen, l.gross_fen, l.tax_fen, l.net_fen").
		Joins("JOIN payout_lines l ON l.id = la.line_id").
		Joins("JOIN bonus_adjustments j ON j.id = la.adjustment_id").
		Where("j.creator_id = ?", creatorID).Order("la.line_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[uint][]LineNetting{}
	for _, r := range rows {
		out[r.AdjustmentID] = append(out[r.AdjustmentID], LineNetting{LineID: r.LineID, Ref: r.Ref, AdjustFen: r.AmountFen,
			GrossFen: r.GrossFen, TaxFen: r.TaxFen, NetFen: r.NetFen})
	}
	return out, nil
}
