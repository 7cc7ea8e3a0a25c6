package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// BonusFilter narrows the bonus queue.
type BonusFilter struct {
	Week        string
	SubjectID   uint
	AgencyID    uint
	AgencyName  string // agencies whose name starts with it, when no AgencyID
	State       BonusState
	AppealState string
	MinFen      int64
	MaxFen      int64 // 0 = no upper bound
	Search      string
	Sort        string // amount, gmv, name, waiting, risk
	Desc        bool
	Risk        string // "", RiskAny, RiskNone or a RiskKind (bonus_risk_query.go)
	// Funded leaves out ¥0 proposals (issue 17: pacing by rank proposes the
	// unfunded at ¥0): approving everything matching never lists them.
	Funded bool
}

// BonusSorts maps sort keys to columns.
// A sort of several columns lists them with commas ("risk": most flags, then largest amount).
var BonusSorts = map[string]string{"amount": "b.amount_fen", "gmv": "b.gmv_fen", "name": "c.display_name", "waiting": "b.proposed_at",
	"risk": "b.risk_count,b.amount_fen"}

// BonusRow is a bonus with what the queue shows of its creator and agency.
type BonusRow struct {
	Bonus
	DisplayName string
	AccountID   string
	AgencyName  string
}

// BonusTotals are the count and sum of everything a filter matches.
type BonusTotals struct {
	Count  int64
	SumFen int64
}

// scopeBonuses limits bonuses to the actor's tenant, in SQL.
func scopeBonuses(q *gorm.DB, a *Actor) *gorm.DB {
	switch {
	case a.IsStaff():
		return q
	case a.Role == RoleMCNManager && a.AgencyID != nil:
		return q.Where("b.agency_id = ?", *a.AgencyID)
	case a.Role == RoleCreator && a.CreatorID != nil:
		return q.Where("b.creator_id = ?", *a.CreatorID)
	default:
		return q.Where("1 = 0")
	}
}

func (s *Store) bonusQuery(ctx context.Context, a *Actor, f BonusFilter) *gorm.DB {
	q := scopeBonuses(s.r(ctx).Table("bonuses AS b"), a)
	// Join creators only when a creator column is searched or sorted: counting a
	// week of 100k proposals must not touch the creators table.
	if strings.TrimSpace(f.Search) != "" || f.Sort == "name" {
		q = q.Joins("JOIN creators c ON c.id = b.creator_id")
	}
	if f.Week != "" {
		q = q.Where("b.week = ?", f.Week)
	}
	if f.State != "" {
		q = q.Where("b.state = ?", f.State)
	}
	if f.AppealState != "" {
		q = q.Where("b.appeal_state = ?", f.AppealState)
	}
	if f.SubjectID != 0 {
		q = q.Where("b.subject_id = ?", f.SubjectID)
	}
	if f.AgencyID != 0 && a.IsStaff() {
		q = q.Where("b.agency_id = ?", f.AgencyID)
	} else if f.AgencyName != "" && a.IsStaff() {
		q = q.Where("b.agency_id IN (?)", agenciesNamed(s.r(ctx), f.AgencyName))
	}
	if f.Funded {
		q = q.Where("b.amount_fen > 0")
	}
	if f.MinFen > 0 {
		q = q.Where("b.amount_fen >= ?", f.MinFen)
	}
	if f.MaxFen > 0 {
		q = q.Where("b.amount_fen <= ?", f.MaxFen)
	}
	if f.Search = strings.TrimSpace(f.Search); f.Search != "" {
		q = searchCreators(q, "c", f.Search)
	}
	return filterRisk(q, f)
}

// ListBonuses returns a page of the bonuses the actor may see and the count
// and total of everything the filter matches.
func (s *Store) ListBonuses(ctx context.Context, a *Actor, f BonusFilter, page Page) ([]BonusRow, BonusTotals, error) {
	totals, err := counted(ctx, s, fmt.Sprintf("bonuses %s %+v", a.scopeKey(), f), func(ctx context.Context) (BonusTotals, error) {
		var t BonusTotals
		return t, s.bonusQuery(ctx, a, f).Select("COUNT(*) AS count, COALESCE(SUM(b.amount_fen), 0) AS sum_fen").Scan(&t).Error
	})
	if err != nil {
		return nil, totals, err
	}
	// The page's ids first, from the bonuses' indexes alone; then only those rows
	// with their creator and agency. Joining first would read every matching row.
	q, reversed, err := bonusOrder(f).read(s.bonusQuery(ctx, a, f), page, totals.Count)
	if err != nil {
		return nil, totals, err
	}
	var ids []uint
	if err := q.Pluck("b.id", &ids).Error; err != nil {
		return nil, totals, err
	}
	if reversed {
		slices.Reverse(ids)
	}
	if len(ids) == 0 {
		return nil, totals, nil
	}
	var rows []BonusRow
	// Each row's creator and agency by its key (a join would let PostgreSQL hash
	// the whole creators table for 50 rows when it is small enough).
	err = s.r(ctx).Table("bonuses AS b").Where("b.id IN ?", ids).
		Select("b.*, (SELECT c.display_name FROM creators c WHERE c.id = b.creator_id) AS display_name, " +
			"(SELECT c.account_id FROM creators c WHERE c.id = b.creator_id) AS account_id, " +
			"COALESCE((SELECT ag.name FROM agencies ag WHERE ag.id = b.agency_id), '') AS agency_name").Scan(&rows).Error
	pos := make(map[uint]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(rows, func(x, y BonusRow) int { return pos[x.ID] - pos[y.ID] })
	return rows, totals, err
}

// bonusOrder is the order the queue is read in (largest amount first unless a
// known sort is asked for), ties broken by id.
func bonusOrder(f BonusFilter) seekSort {
	col, ok := BonusSorts[f.Sort]
	if !ok {
		col, f.Desc = "b.amount_fen", true
	}
	return seekSort{Cols: strings.Split(col, ","), ID: "b.id", Desc: f.Desc}
}

// BonusCursor is the cursor of a row of the queue in f's order, for the link
// to the page after (or before) it.
func BonusCursor(r BonusRow, f BonusFilter) string {
	o := bonusOrder(f)
	vals := make([]any, len(o.Cols))
	for i, col := range o.Cols {
		switch col {
		case "b.gmv_fen":
			vals[i] = r.GMVFen
		case "c.display_name":
			vals[i] = r.DisplayName
		case "b.proposed_at":
			vals[i] = r.ProposedAt
		case "b.risk_count":
			vals[i] = r.RiskCount
		default:
			vals[i] = r.AmountFen
		}
	}
	return o.cursor(r.ID, vals...)
}

// BonusIDs returns the ids of everything a filter matches, up to limit, for
// "select all matching" actions.
func (s *Store) BonusIDs(ctx context.Context, a *Actor, f BonusFilter, limit int) ([]uint, error) {
	var ids []uint
	err := s.bonusQuery(ctx, a, f).Order("b.id").Limit(limit).Pluck("b.id", &ids).Error
	return ids, err
}

// GetBonus loads one bonus the actor may see, with its creator.
func (s *Store) GetBonus(ctx context.Context, a *Actor, id uint) (*BonusRow, error) {
	var row BonusRow
	err := s.bonusQuery(ctx, a, BonusFilter{}).Joins("JOIN creators c ON c.id = b.creator_id").Where("b.id = ?", id).
		Select("b.*, c.display_name, c.account_id, COALESCE(ag.name, '') AS agency_name").
		Joins("LEFT JOIN agencies ag ON ag.id = b.agency_id").Take(&row).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &row, nil
}

// WeekSummary is one computed week's totals by state.
type WeekSummary struct {
	Week     string
	State    BonusState
	Count    int64
	TotalFen int64
}

// ComputedWeeks lists the weeks that have bonuses, newest first, up to limit.
// It hops from week to week down the index (one lookup per week) instead of
// reading a year of bonuses to find the distinct weeks.
func (s *Store) ComputedWeeks(ctx context.Context, limit int) ([]string, error) {
	var weeks []string
	err := s.r(ctx).Raw(`WITH RECURSIVE w(week) AS (
			SELECT MAX(week) FROM bonuses
			UNION ALL
			SELECT (SELECT MAX(b.week) FROM bonuses b WHERE b.week < w.week) FROM w WHERE w.week IS NOT NULL)
		SELECT week FROM w WHERE week IS NOT NULL LIMIT ?`, limit).Scan(&weeks).Error
	return weeks, err
}

// CreatorWeek is one week of a creator's performance and bonus, for /me.
type CreatorWeek struct {
	Week        WeeklyPerformance
	Bonus       *Bonus
	HasBonus    bool
	Explanation Breakdown
	NotComputed bool // ended while the creator qualified, but nobody's bonus for it is computed yet
}

// CreatorWeeks lists a creator's weeks with their bonuses, newest first.
func (s *Store) CreatorWeeks(ctx context.Context, a *Actor, creatorID uint, limit int) ([]CreatorWeek, error) {
	creator, err := s.GetCreator(ctx, a, creatorID)
	if err != nil {
		return nil, err
	}
	perf, err := s.PerformanceOf(ctx, creatorID, limit)
	if err != nil {
		return nil, err
	}
	var bonuses []Bonus
	if err := s.r(ctx).Where("creator_id = ?", creatorID).Order("week DESC").Limit(limit).Find(&bonuses).Error; err != nil {
		return nil, err
	}
	byWeek := map[string]*Bonus{}
	for i := range bonuses {
		byWeek[bonuses[i].Week] = &bonuses[i]
	}
	computed := map[string]bool{}
	if len(perf) > 0 { // perf is newest first
		if computed, err = weeksWithRows(s.r(ctx), "bonuses", perf[len(perf)-1].Week, perf[0].Week); err != nil {
			return nil, err
		}
	}
	now := s.now()
	out := make([]CreatorWeek, len(perf))
	for i, p := range perf {
		out[i] = CreatorWeek{Week: p}
		if b, ok := byWeek[p.Week]; ok {
			out[i].Bonus, out[i].HasBonus, out[i].Explanation = b, true, b.Explain()
		} else {
			out[i].NotComputed = notComputed(*creator, p, computed, now)
		}
	}
	return out, nil
}

// CreatorTotals are a creator's year-to-date bonus sums (CST year).
type CreatorTotals struct {
	ApprovedFen int64 // approved, including paid
	PaidFen     int64
}

// CreatorYearTotals sums a creator's bonuses for the CST year containing now.
func (s *Store) CreatorYearTotals(ctx context.Context, creatorID uint, now time.Time) (CreatorTotals, error) {
	year := now.In(CST).Year()
	from, to := WeekOf(time.Date(year, 1, 4, 0, 0, 0, 0, CST)).String(), WeekOf(time.Date(year, 12, 28, 0, 0, 0, 0, CST)).String()
	var t CreatorTotals
	err := s.r(ctx).Model(&Bonus{}).Where("creator_id = ? AND week BETWEEN ? AND ?", creatorID, from, to).
		Select("COALESCE(SUM(CASE WHEN state IN ('approved','paid') THEN amount_fen ELSE 0 END), 0) AS approved_fen, " +
			"COALESCE(SUM(CASE WHEN state = 'paid' THEN amount_fen ELSE 0 END), 0) AS paid_fen").Scan(&t).Error
	return t, err
}

// AnyNeedsFourEyes reports whether any of the weekly (or monthly) bonuses is at
// or above its four-eyes threshold, so the handler can ask for the password first.
func (s *Store) AnyNeedsFourEyes(ctx context.Context, monthly bool, ids []uint) (bool, error) {
	kind := weeklyBonuses
	if monthly {
		kind = monthlyBonuses
	}
	_, threshold, err := kind.limits(s.r(ctx))
	if err != nil {
		return false, err
	}
	for start := 0; start < len(ids); start += 500 {
		var n int64
		if err := s.r(ctx).Table(kind.table).Where("id IN ? AND amount_fen >= ? AND state IN ?", ids[start:min(start+500, len(ids))], threshold,
			[]BonusState{BonusProposed, BonusAwaitingSecond}).Count(&n).Error; err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}
