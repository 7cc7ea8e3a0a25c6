package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MCNBonus is one agency's monthly bonus: at most one per agency per month.
// It moves through the same states as a weekly bonus and is charged to the MCN pool.
type MCNBonus struct {
	ID              uint       `gorm:"primaryKey"`
	AgencyID        uint       `gorm:"not null;uniqueIndex:idx_mcn_bonus_agency_month,priority:1"`
	Month           string     `gorm:"size:7;not null;uniqueIndex:idx_mcn_bonus_agency_month,priority:2;index:idx_mcn_bonus_month_state,priority:1"`
	Quota           int        `gorm:"not null"`
	Delivered       int        `gorm:"not null"`
	State           BonusState `gorm:"size:16;not null;index:idx_mcn_bonus_month_state,priority:2"`
	AmountFen       int64      `gorm:"not null;check:chk_mcn_bonus_amount,amount_fen >= 0 AND amount_fen <= 500000000"`
	RuleFen         int64      `gorm:"not null;default:0"` // the rule's amount before pacing (0: not paced)
	ProposedAt      time.Time  `gorm:"not null"`
	FirstApproverID *uint
	FirstApprovedAt *time.Time
	DecidedByID     *uint
	DecidedAt       *time.Time
	Reason          string `gorm:"size:40"`
	Note            string `gorm:"size:500"`
	PayoutBatchID   *uint  `gorm:"index"`
	PaidAt          *time.Time
	UpdatedAt       time.Time
}

// TableName keeps the plural GORM would not guess.
func (MCNBonus) TableName() string { return "mcn_bonuses" }

// MonthResult reports what computing a month did.
type MonthResult struct {
	Month    string
	Agencies int // agencies that met their quota
	Created  int
	Updated  int
	Decided  int
	Removed  int
	TotalFen int64
	// Pacing (issue 17): as ComputeResult's.
	Paced     bool
	BudgetFen int64
	RuleFen   int64
	FactorPPM int64
	Policy    OverSubscriptionPolicy `json:",omitempty"`
}

// ComputeMonth proposes the monthly bonus to every agency that met its quota
// in a month that has ended. Like weeks, recomputing updates only waiting
// proposals and never duplicates.
func (s *Store) ComputeMonth(ctx context.Context, a *Actor, label string, now time.Time) (*MonthResult, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	month, err := ParseMonth(label)
	if err != nil {
		return nil, FieldErrors{"month": msgOf(err)}
	}
	if !month.HasEnded(now) {
		return nil, FieldErrors{"month": M("err_month_not_ended", "Month", month.String(), "End", FormatCST(month.End()))}
	}
	res := &MonthResult{Month: month.String()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, PoolMCN); err != nil {
			return err
		}
		rule, err := mcnRule(tx)
		if err != nil {
			return err
		}
		plan, err := pacingPlan(tx)
		if err != nil {
			return err
		}
		// A period outside the plan is refused unless it was budgeted before the plan changed.
		budget, err := fixPeriodBudget(tx, plan, PoolMCN, month.String())
		if err != nil {
			return err
		}
		book, err := loadQuotaBook(tx, nil)
		if err != nil {
			return err
		}
		var delivered []struct {
			AgencyID uint `gorm:"column:qualified_agency_id"`
			N        int
		}
		if err := tx.Model(&Creator{}).Select("qualified_agency_id, COUNT(*) AS n").
			Where("qualified_agency_id IS NOT NULL AND qualified_at >= ? AND qualified_at < ?", month.Start().UTC(), month.End().UTC()).
			Group("qualified_agency_id").Scan(&delivered).Error; err != nil {
			return err
		}
		var existing []MCNBonus
		if err := tx.Select("id, agency_id, state, amount_fen").Where("month = ?", month.String()).Find(&existing).Error; err != nil {
			return err
		}
		stateOf := map[uint]BonusState{}
		var held int64 // what the month's decided bonuses hold
		for _, b := range existing {
			stateOf[b.AgencyID] = b.State
			switch b.State {
			case BonusApproved, BonusPaid, BonusAwaitingSecond:
				held += b.AmountFen
			}
		}
		met := map[uint]bool{}
		stamp := s.now().UTC()
		var write []MCNBonus
		var pace []PaceProposal
		for _, d := range delivered {
			quota := book.For(d.AgencyID, month)
			amount, ok := rule.Amount(quota, d.N)
			if !ok || amount <= 0 {
				continue
			}
			met[d.AgencyID] = true
			res.Agencies++
			switch st, seen := stateOf[d.AgencyID]; {
			case !seen:
				res.Created++
			case st == BonusProposed:
				res.Updated++
			default:
				res.Decided++
				continue
			}
			write = append(write, MCNBonus{AgencyID: d.AgencyID, Month: month.String(), Quota: quota, Delivered: d.N, State: BonusProposed, AmountFen: amount, ProposedAt: stamp, UpdatedAt: stamp})
			pace = append(pace, PaceProposal{OwnerID: d.AgencyID, RuleFen: amount, RankBy: int64(d.N)})
		}
		if budget != nil {
			out := Pace(plan.Policy, budget.BudgetFen-held, pace)
			for i := range write {
				write[i].RuleFen, write[i].AmountFen = pace[i].RuleFen, out.FinalFen[i]
			}
			res.Paced, res.BudgetFen, res.RuleFen, res.FactorPPM, res.Policy = true, budget.BudgetFen, out.RuleFen, out.FactorPPM, plan.Policy
			if err := tx.Model(&PeriodBudget{}).Where("id = ?", budget.ID).Updates(map[string]any{
				"rule_fen": out.RuleFen, "proposed_fen": out.TotalFen, "policy": plan.Policy, "factor_ppm": out.FactorPPM,
				"updated_at": stamp}).Error; err != nil {
				return err
			}
		}
		for i := range write {
			b := write[i]
			res.TotalFen += b.AmountFen
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "agency_id"}, {Name: "month"}},
				DoUpdates: clause.AssignmentColumns([]string{"quota", "delivered", "amount_fen", "rule_fen", "updated_at"}),
				Where:     clause.Where{Exprs: []clause.Expression{clause.Eq{Column: clause.Column{Table: "mcn_bonuses", Name: "state"}, Value: BonusProposed}}},
			}).Create(&b).Error; err != nil {
				return err
			}
		}
		for _, b := range existing {
			if b.State == BonusProposed && !met[b.AgencyID] {
				del := tx.Where("id = ? AND state = ?", b.ID, BonusProposed).Delete(&MCNBonus{})
				if del.Error != nil {
					return del.Error
				}
				res.Removed += int(del.RowsAffected)
			}
		}
		return appendAudit(tx, a, "mcn_bonus.compute", "month", 0, nil, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// MCNBonusRow is an MCN bonus with its agency's name.
type MCNBonusRow struct {
	MCNBonus
	AgencyName string
}

// ListMCNBonuses lists MCN bonuses (staff: all; managers: their own), newest month first.
func (s *Store) ListMCNBonuses(ctx context.Context, a *Actor, month string, state BonusState, page Page) ([]MCNBonusRow, BonusTotals, error) {
	q := s.r(ctx).Table("mcn_bonuses AS b").Joins("JOIN agencies ag ON ag.id = b.agency_id")
	switch {
	case a.IsStaff():
	case a.Role == RoleMCNManager && a.AgencyID != nil:
		q = q.Where("b.agency_id = ?", *a.AgencyID)
	default:
		return nil, BonusTotals{}, ErrNotFound
	}
	if month != "" {
		q = q.Where("b.month = ?", month)
	}
	if state != "" {
		q = q.Where("b.state = ?", state)
	}
	var totals BonusTotals
	if err := q.Session(&gorm.Session{}).Select("COUNT(*) AS count, COALESCE(SUM(b.amount_fen), 0) AS sum_fen").Scan(&totals).Error; err != nil {
		return nil, totals, err
	}
	q, reversed, err := mcnBonusOrder.read(q.Select("b.*, ag.name AS agency_name"), page, totals.Count)
	if err != nil {
		return nil, totals, err
	}
	var rows []MCNBonusRow
	err = q.Scan(&rows).Error
	if reversed {
		slices.Reverse(rows)
	}
	return rows, totals, err
}

// mcnBonusOrder is the MCN bonus list's order: newest month first, then the
// largest amount, ties by id.
var mcnBonusOrder = seekSort{Cols: []string{"b.month", "b.amount_fen"}, ID: "b.id", Desc: true}

// MCNBonusCursor is the cursor of a row of the MCN bonus list, for the link
// to the page after (or before) it.
func MCNBonusCursor(r MCNBonusRow) string { return mcnBonusOrder.cursor(r.ID, r.Month, r.AmountFen) }
