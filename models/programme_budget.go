package models

import (
	"context"
	"encoding/json"
	"errors"

	"gorm.io/gorm"
)

// ProgrammeBudget is what JD puts behind the programme: no pool may ever be
// set above its budget. It changes only through a settings change proposal
// that a second admin approves.
type ProgrammeBudget struct {
	CreatorsFen int64 `json:"creators_fen"`
	MCNFen      int64 `json:"mcn_fen"`
}

// DefaultProgrammeBudget is the programme as announced: ¥1,000,000,000 for
// creators and ¥5,000,000 for MCN agencies.
var DefaultProgrammeBudget = ProgrammeBudget{CreatorsFen: DefaultCreatorPoolFen, MCNFen: DefaultMCNPoolFen}

// MaxProgrammeBudgetFen bounds a budget (¥1,000,000,000,000) so that sums of
// money stay far from the limits of int64.
const MaxProgrammeBudgetFen = 100_000_000_000_000

const programmeBudgetKey = "programme_budget"

// For returns the budget behind a pool.
func (b ProgrammeBudget) For(pool string) int64 {
	if pool == PoolMCN {
		return b.MCNFen
	}
	return b.CreatorsFen
}

// Validate names every problem with the budget on its own.
func (b ProgrammeBudget) Validate() FieldErrors {
	fe := FieldErrors{}
	for field, v := range map[string]int64{"creators_budget": b.CreatorsFen, "mcn_budget": b.MCNFen} {
		if v <= 0 || v > MaxProgrammeBudgetFen {
			fe[field] = M("err_budget_range", "Max", FormatYuan(MaxProgrammeBudgetFen))
		}
	}
	return fe
}

// ProgrammeBudgetNow returns the budget in force.
func (s *Store) ProgrammeBudgetNow(ctx context.Context) (ProgrammeBudget, error) {
	return programmeBudget(s.r(ctx))
}

func programmeBudget(tx *gorm.DB) (ProgrammeBudget, error) {
	var st Setting
	err := tx.Where("key = ?", programmeBudgetKey).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultProgrammeBudget, nil
	}
	if err != nil {
		return ProgrammeBudget{}, err
	}
	var b ProgrammeBudget
	return b, json.Unmarshal([]byte(st.Value), &b)
}

// checkBudgetCoversPools refuses a budget below what a pool already holds:
// the pools must always fit inside the budget.
func checkBudgetCoversPools(tx *gorm.DB, b ProgrammeBudget) (FieldErrors, error) {
	fe := b.Validate()
	var pools []Pool
	if err := tx.Find(&pools).Error; err != nil {
		return nil, err
	}
	for _, p := range pools {
		field := "creators_budget"
		if p.Name == PoolMCN {
			field = "mcn_budget"
		}
		if _, bad := fe[field]; !bad && b.For(p.Name) < p.TotalFen {
			fe[field] = M("err_budget_below_pool", "Amount", FormatYuan(p.TotalFen))
		}
	}
	return fe, nil
}

// checkPoolTotal names what is wrong with a new total for a pool, given the
// pool as it stands and the programme's budget.
func checkPoolTotal(tx *gorm.DB, name string, totalFen int64) (FieldErrors, error) {
	var p Pool
	if err := tx.Where("name = ?", name).First(&p).Error; err != nil {
		return nil, notFound(err)
	}
	budget, err := programmeBudget(tx)
	if err != nil {
		return nil, err
	}
	switch {
	case totalFen < p.CommittedFen:
		return FieldErrors{"pool_total": M("err_pool_below_committed", "Amount", FormatYuan(p.CommittedFen))}, nil
	case totalFen > budget.For(name):
		return FieldErrors{"pool_total": M("err_pool_above_budget", "Total", FormatYuan(totalFen), "Budget", FormatYuan(budget.For(name)))}, nil
	}
	return nil, nil
}
