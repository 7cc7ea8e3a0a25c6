package models

import (
	"context"

	"gorm.io/gorm"
)

// BudgetPanel is where one week's (creator pool) or month's (MCN pool)
// budget stands, as the review queue shows it (issue 17): the budget fixed
// at its first compute, what approvals charged to it, what still waits for a
// decision, and the policy and factor of its last compute.
type BudgetPanel struct {
	Pool   string
	Period string // "" when nothing is computed yet
	// Budget is the period's budget; nil when it has none (no programme
	// period, or the period lies outside it or was computed before it was set).
	Budget       *PeriodBudget
	PlanSet      bool  // the programme's period is set
	WaitingFen   int64 // proposed and awaiting a second approval
	WaitingCount int64
}

// LeftFen is what approvals may still charge to the period's budget.
func (p BudgetPanel) LeftFen() int64 {
	if p.Budget == nil {
		return 0
	}
	return p.Budget.LeftFen()
}

// OverFen is by how much what waits exceeds what is left (0: it fits). Under
// the warn-only policy this is what the queue warns of; approvals stop at the budget.
func (p BudgetPanel) OverFen() int64 {
	if p.Budget == nil {
		return 0
	}
	return max(0, p.WaitingFen-p.LeftFen())
}

// BudgetPanelOf reads the panel of a week (PoolCreators) or month (PoolMCN);
// an empty period means the newest computed one. The waiting sum is one
// grouped query on the bonuses' (week, state, amount) index, so a week of
// 60,000 proposals in a table of millions reads only that week's waiting rows.
//
// It is memoised like the other counts (every queue page shows it; its sum is
// 15–25 ms on PostgreSQL at programme scale): approvals commit through s.tx,
// which forgets it.
func (s *Store) BudgetPanelOf(ctx context.Context, pool, period string) (BudgetPanel, error) {
	return counted(ctx, s, "budget_panel:"+pool+":"+period, func(ctx context.Context) (BudgetPanel, error) {
		return s.budgetPanelOf(ctx, pool, period)
	})
}

func (s *Store) budgetPanelOf(ctx context.Context, pool, period string) (BudgetPanel, error) {
	db := s.r(ctx)
	table, col := periodTable(pool)
	p := BudgetPanel{Pool: pool, Period: period}
	if p.Period == "" {
		var newest *string
		if err := db.Table(table).Select("MAX(" + col + ")").Scan(&newest).Error; err != nil {
			return p, err
		}
		if newest == nil {
			return p, nil
		}
		p.Period = *newest
	}
	plan, err := pacingPlan(db)
	if err != nil {
		return p, err
	}
	p.PlanSet = plan.IsSet()
	if p.Budget, err = periodBudget(db, pool, p.Period); err != nil {
		return p, err
	}
	p.WaitingCount, p.WaitingFen, err = waitingIn(db, table, col, p.Period)
	return p, err
}

// waitingIn sums a period's proposals still waiting for a decision, by state
// (the index on (period, state, amount) answers it without the table).
func waitingIn(db *gorm.DB, table, col, period string) (count, fen int64, err error) {
	var rows []struct {
		State BonusState
		N     int64
		Fen   int64
	}
	err = db.Table(table).Select("state, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen").
		Where(col+" = ? AND state IN ?", period, []BonusState{BonusProposed, BonusAwaitingSecond}).Group("state").Scan(&rows).Error
	for _, r := range rows {
		count += r.N
		fen += r.Fen
	}
	return count, fen, err
}
