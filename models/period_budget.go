package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// PeriodBudget is what one week (creator pool) or month (MCN pool) may
// spend, fixed when the period is first computed (issue 17). Committed is
// what approvals charged to it, moved by the same conditional update as the
// pool's, so concurrent approvals never take a period above its budget; the
// database refuses it too.
type PeriodBudget struct {
	ID            uint                   `gorm:"primaryKey"`
	Pool          string                 `gorm:"size:16;not null;uniqueIndex:idx_period_budget,priority:1"`
	Period        string                 `gorm:"size:8;not null;uniqueIndex:idx_period_budget,priority:2"`
	BudgetFen     int64                  `gorm:"not null;check:chk_period_budget,budget_fen >= 0"`
	WeightPercent int64                  `gorm:"not null;default:100"`
	CommittedFen  int64                  `gorm:"not null;default:0;check:chk_period_committed,committed_fen <= budget_fen"`
	RuleFen       int64                  `gorm:"not null;default:0"` // the waiting proposals as the rule gives them, at the last compute
	ProposedFen   int64                  `gorm:"not null;default:0"` // the waiting proposals after pacing, at the last compute
	Policy        OverSubscriptionPolicy `gorm:"size:16;not null;default:''"`
	FactorPPM     int64                  `gorm:"not null;default:1000000"` // the pro-rata factor of the last compute, in millionths
	FixedAt       time.Time              `gorm:"not null"`
	UpdatedAt     time.Time              `gorm:"not null"`
}

// LeftFen is what approvals may still charge to the period.
func (b PeriodBudget) LeftFen() int64 { return b.BudgetFen - b.CommittedFen }

// FactorText is the factor written by ppm as a decimal with four places ("0.8123").
func FactorText(ppm int64) string {
	return fmt.Sprintf("%d.%04d", ppm/1_000_000, (ppm%1_000_000)/100)
}

// PPM is one in millionths: a factor of 1.
const PPM = 1_000_000

// Pacing is what pacing did to one proposal; it is kept in the bonus's
// breakdown, and shown with it to reviewers and to the creator.
type Pacing struct {
	Policy    OverSubscriptionPolicy `json:"policy"`
	BudgetFen int64                  `json:"budget_fen"` // the week's budget
	RuleFen   int64                  `json:"rule_fen"`   // what the rule gives
	FactorPPM int64                  `json:"factor_ppm"` // budget ÷ total in millionths (PPM: not scaled)
	FinalFen  int64                  `json:"final_fen"`  // what is proposed
	Unfunded  bool                   `json:"unfunded,omitempty"`
	// The period's waiting proposals under the rule, and what its budget had
	// left for them once its decided bonuses were counted (the pacing engineer's addition).
	PeriodRuleFen int64 `json:"period_rule_fen"`
	AvailableFen  int64 `json:"available_fen"`
}

// ErrPeriodBudgetShort means an approval would take a week or month above
// its budget (the error returned is a PeriodBudgetShortError).
var ErrPeriodBudgetShort = sentinel("err_period_budget_short", "the period's budget cannot cover this amount")

// PeriodBudgetShortError is ErrPeriodBudgetShort with the period and amounts.
type PeriodBudgetShortError struct {
	Period            string
	AskedFen, LeftFen int64
}

func (e PeriodBudgetShortError) Error() string {
	return fmt.Sprintf("%s: %s: %s asked, %s left", ErrPeriodBudgetShort, e.Period, FormatYuan(e.AskedFen), FormatYuan(e.LeftFen))
}

// Unwrap makes errors.Is(err, ErrPeriodBudgetShort) hold.
func (e PeriodBudgetShortError) Unwrap() error { return ErrPeriodBudgetShort }

// Msg says which period, how much was asked and how much of its budget is left.
func (e PeriodBudgetShortError) Msg() Msg {
	return M("err_period_budget_left", "Period", e.Period, "Asked", FormatYuan(e.AskedFen), "Left", FormatYuan(e.LeftFen))
}

// chargePeriod charges amount to a period's budget if it fits, in one
// conditional update, and reports whether the period has a budget (one
// without — no plan, or computed before the plan — is not limited). A
// refusal is a PeriodBudgetShortError with what is left. The budget is read
// only when the update changed nothing: an approval that fits costs one query.
func chargePeriod(tx *gorm.DB, pool, period string, amount int64) (budgeted bool, err error) {
	res := tx.Model(&PeriodBudget{}).Where("pool = ? AND period = ? AND committed_fen + ? <= budget_fen", pool, period, amount).
		Updates(map[string]any{"committed_fen": gorm.Expr("committed_fen + ?", amount), "updated_at": nowOf(tx).UTC()})
	if res.Error != nil || res.RowsAffected == 1 {
		return res.Error == nil, res.Error
	}
	b, err := periodBudget(tx, pool, period)
	if err != nil || b == nil {
		return false, err
	}
	return true, PeriodBudgetShortError{Period: period, AskedFen: amount, LeftFen: b.LeftFen()}
}

// releasePeriod gives an amount back to a period's budget (an approval lost
// to a race, or a clawback approved).
func releasePeriod(tx *gorm.DB, pool, period string, amount int64) error {
	return tx.Model(&PeriodBudget{}).Where("pool = ? AND period = ?", pool, period).
		Updates(map[string]any{"committed_fen": gorm.Expr("committed_fen - ?", amount), "updated_at": nowOf(tx).UTC()}).Error
}

// periodTable names the bonuses of a pool's periods and their period column.
func periodTable(pool string) (table, column string) {
	if pool == PoolMCN {
		return "mcn_bonuses", "month"
	}
	return "bonuses", "week"
}

// periodBudget reads a period's budget; nil when it has none.
func periodBudget(tx *gorm.DB, pool, period string) (*PeriodBudget, error) {
	var b PeriodBudget
	err := tx.Where("pool = ? AND period = ?", pool, period).First(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// PeriodBudgetOf reads a week's or month's budget (staff pages); nil when it has none.
func (s *Store) PeriodBudgetOf(ctx context.Context, pool, period string) (*PeriodBudget, error) {
	return periodBudget(s.r(ctx), pool, period)
}

// fixPeriodBudget returns the budget of a period being computed, fixing it
// when the period is first computed under a set plan (nil: no plan, nothing
// is paced). A new budget is what is left of the pool (its total less what is
// committed and what other budgeted periods still reserve for their waiting
// proposals) times the period's weight over the weights of the periods from
// this one to the plan's end: what a period does not spend rolls forward. It
// starts committed with what the period already has approved or paid (and,
// for a week, its approved adjustments), and is
// never below that.
func fixPeriodBudget(tx *gorm.DB, plan PacingPlan, pool, period string) (*PeriodBudget, error) {
	if !plan.IsSet() {
		return nil, nil
	}
	if b, err := periodBudget(tx, pool, period); err != nil || b != nil {
		return b, err
	}
	planned, ok, err := plannedBudget(tx, plan, pool, period)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, periodOutside(plan, pool, period)
	}
	now := nowOf(tx).UTC()
	b := PeriodBudget{Pool: pool, Period: period, WeightPercent: planned.WeightPercent, CommittedFen: planned.CommittedFen,
		BudgetFen: planned.BudgetFen, Policy: plan.Policy, FactorPPM: PPM, FixedAt: now, UpdatedAt: now}
	if err := tx.Create(&b).Error; err != nil {
		return nil, err
	}
	return &b, nil
}

// plannedPeriod is the budget a period without one would get now.
type plannedPeriod struct {
	BudgetFen, WeightPercent int64
	CommittedFen             int64 // what the period spent before it had a budget
}

// plannedBudget is what a period without a budget gets when it is computed
// now: what is left in the pool for it and the periods after it (the pool's
// total, less what is committed, less what the other budgeted periods still
// hold for their waiting proposals, plus what this period itself spent
// before it had a budget), times the period's weight over the weights of the
// periods from it to the plan's end, so what earlier periods did not spend
// rolls forward; never below what it spent. Read-only (the what-if uses it
// too); ok is false for a period outside the plan.
func plannedBudget(tx *gorm.DB, plan PacingPlan, pool, period string) (plannedPeriod, bool, error) {
	periods := plan.Periods(pool)
	at := slices.IndexFunc(periods, func(pw PeriodWeight) bool { return pw.Period == period })
	if at < 0 {
		return plannedPeriod{}, false, nil
	}
	var rest int64
	for _, pw := range periods[at:] {
		rest += pw.Percent
	}
	var p Pool
	if err := tx.Where("name = ?", pool).First(&p).Error; err != nil {
		return plannedPeriod{}, false, notFound(err)
	}
	reserved, err := reservedByOtherPeriods(tx, pool, period)
	if err != nil {
		return plannedPeriod{}, false, err
	}
	spent, err := spentBeforeBudget(tx, pool, period)
	if err != nil {
		return plannedPeriod{}, false, err
	}
	left := max(p.TotalFen-p.CommittedFen-reserved+spent, 0)
	out := plannedPeriod{WeightPercent: periods[at].Percent, CommittedFen: spent}
	out.BudgetFen = max(mulDiv(left, out.WeightPercent, rest), spent)
	return out, true, nil
}

// spentBeforeBudget is what a period's approved and paid bonuses hold (for
// weeks, with approved top-ups less clawbacks): what it spent before it had a budget.
func spentBeforeBudget(tx *gorm.DB, pool, period string) (int64, error) {
	table, key := periodTable(pool)
	var committed int64
	if err := tx.Table(table).Where(key+" = ? AND state IN ?", period, []BonusState{BonusApproved, BonusPaid}).
		Select("COALESCE(SUM(amount_fen), 0)").Scan(&committed).Error; err != nil {
		return 0, err
	}
	if pool == PoolCreators {
		var adjusted int64
		if err := tx.Model(&BonusAdjustment{}).Where("week = ? AND state = ?", period, BonusApproved).
			Select("COALESCE(SUM(amount_fen), 0)").Scan(&adjusted).Error; err != nil {
			return 0, err
		}
		committed = max(committed+adjusted, 0)
	}
	return committed, nil
}

// reservedByOtherPeriods is what the pool's other budgeted periods still
// hold for their waiting proposals (proposed or awaiting a second approval):
// for each, those proposals' total, at most what its budget has left.
func reservedByOtherPeriods(tx *gorm.DB, pool, period string) (int64, error) {
	var budgets []PeriodBudget
	if err := tx.Where("pool = ? AND period <> ?", pool, period).Find(&budgets).Error; err != nil {
		return 0, err
	}
	if len(budgets) == 0 {
		return 0, nil
	}
	labels := make([]string, len(budgets))
	for i, b := range budgets {
		labels[i] = b.Period
	}
	table, key := periodTable(pool)
	var sums []struct {
		Period string
		Fen    int64
	}
	if err := tx.Table(table).Select(key+" AS period, COALESCE(SUM(amount_fen), 0) AS fen").
		Where(key+" IN ? AND state IN ?", labels, []BonusState{BonusProposed, BonusAwaitingSecond}).
		Group(key).Scan(&sums).Error; err != nil {
		return 0, err
	}
	waiting := make(map[string]int64, len(sums))
	for _, s := range sums {
		waiting[s.Period] = s.Fen
	}
	var reserved int64
	for _, b := range budgets {
		reserved += max(min(b.LeftFen(), waiting[b.Period]), 0)
	}
	return reserved, nil
}

// periodOutside refuses to compute a week or month outside the plan's
// period, naming it and the period.
func periodOutside(plan PacingPlan, pool, period string) error {
	if pool == PoolMCN {
		return FieldErrors{"month": M("err_month_outside_period", "Month", period, "Start", plan.MCNStart, "End", plan.MCNEnd)}
	}
	return FieldErrors{"week": M("err_week_outside_period", "Week", period, "Start", plan.CreatorsStart, "End", plan.CreatorsEnd)}
}
