package models

import (
	"gorm.io/gorm"
)

// The what-if preview against the week's budget (issue 17, point 4): for the
// last computed week, its budget, the pro-rata factor each rule's total would
// need, and the week the creator pool would run out at each rule's pace.

// WhatIfBudget is the last computed week's budget against both rules.
type WhatIfBudget struct {
	Week      string
	Budgeted  bool  // the week has a budget, fixed or would-be
	Fixed     bool  // fixed at its first compute (else what it would get under the plan now)
	BudgetFen int64 // the week's budget
	PlanSet   bool
	PlanEnd   string // the programme's last week ("" without a plan)
	PoolLeft  int64  // the creator pool's money not yet committed
	Current   PaceOutlook
	Proposed  PaceOutlook
}

// PaceOutlook is one rule's weekly total against the week's budget and the pool.
type PaceOutlook struct {
	TotalFen       int64
	FactorPPM      int64  // budget ÷ total in millionths; PPM when the total fits (no factor needed)
	RunOut         string // the week the pool would run out if every week cost TotalFen ("" : never, the total is 0)
	RunOutAfterEnd bool   // that week falls after the programme's last week
}

// NeedsFactor reports whether the total is over the budget, so pro rata would scale it.
func (p PaceOutlook) NeedsFactor() bool { return p.FactorPPM < PPM }

// FactorNeeded is budget ÷ total in millionths, rounded down; PPM (×1) when
// the total fits or there is no budget.
func FactorNeeded(budgetFen, totalFen int64, budgeted bool) int64 {
	if !budgeted || totalFen <= budgetFen {
		return PPM
	}
	return budgetFen * PPM / totalFen
}

// maxRunOutWeeks bounds the run-out arithmetic (a century of weeks).
const maxRunOutWeeks = 5200

// RunOutWeek is the week the pool runs out if every week from the one after
// last costs weeklyFen: the week whose spending takes the last of leftFen
// (the week after last when nothing is left). ok is false when weeklyFen is
// 0 (the pool never runs out) or it lies beyond a century.
func RunOutWeek(last WeekLabel, leftFen, weeklyFen int64) (week WeekLabel, ok bool) {
	if weeklyFen <= 0 {
		return WeekLabel{}, false
	}
	n := max(int64(1), (max(leftFen, 0)+weeklyFen-1)/weeklyFen)
	if n > maxRunOutWeeks {
		return WeekLabel{}, false
	}
	return WeekOf(last.Start().AddDate(0, 0, 7*int(n))), true
}

// whatIfBudget reads the last computed week's budget (or, when it has none
// and the plan is set, what it would get) and sets both rules' outlook.
func whatIfBudget(db *gorm.DB, week WeekLabel, currentFen, proposedFen int64) (*WhatIfBudget, error) {
	out := &WhatIfBudget{Week: week.String()}
	plan, err := pacingPlan(db)
	if err != nil {
		return nil, err
	}
	var pool Pool
	if err := db.Where("name = ?", PoolCreators).First(&pool).Error; err != nil {
		return nil, err
	}
	out.PoolLeft, out.PlanSet = pool.LeftFen(), plan.IsSet()
	if out.PlanSet {
		out.PlanEnd = plan.CreatorsEnd
	}
	b, err := periodBudget(db, PoolCreators, week.String())
	if err != nil {
		return nil, err
	}
	switch {
	case b != nil:
		out.Budgeted, out.Fixed, out.BudgetFen = true, true, b.BudgetFen
	case out.PlanSet:
		planned, ok, err := plannedBudget(db, plan, PoolCreators, week.String())
		if err != nil {
			return nil, err
		}
		out.BudgetFen, out.Budgeted = planned.BudgetFen, ok
	}
	end, endErr := ParseWeek(out.PlanEnd)
	outlook := func(total int64) PaceOutlook {
		o := PaceOutlook{TotalFen: total, FactorPPM: FactorNeeded(out.BudgetFen, total, out.Budgeted)}
		if w, ok := RunOutWeek(week, out.PoolLeft, total); ok {
			o.RunOut = w.String()
			o.RunOutAfterEnd = out.PlanSet && endErr == nil && w.Start().After(end.Start())
		} else if total > 0 {
			o.RunOutAfterEnd = out.PlanSet // beyond a century
		}
		return o
	}
	out.Current, out.Proposed = outlook(currentFen), outlook(proposedFen)
	return out, nil
}
