package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// addPeriodBudget writes a budget row directly (the compute that fixes them
// is another part's).
func addPeriodBudget(t *testing.T, w *world, pool, period string, budget, committed int64) {
	t.Helper()
	now := time.Now().UTC()
	if err := w.raw.Create(&models.PeriodBudget{Pool: pool, Period: period, BudgetFen: budget, WeightPercent: 100, CommittedFen: committed,
		Policy: models.PolicyProRata, FactorPPM: models.PPM, FixedAt: now, UpdatedAt: now}).Error; err != nil {
		t.Fatal(err)
	}
}

func TestBurnDownReadsBudgetRowsAndTheBonusesOfEndedWeeksWithoutOne(t *testing.T) {
	w := newWorld(t)
	plan := models.PacingPlan{CreatorsStart: "2026-W01", CreatorsEnd: "2026-W10", MCNStart: "2026-01", MCNEnd: "2026-06", Policy: models.PolicyProRata}
	if err := w.s.SetPacingPlan(ctx, models.SystemActor(), plan); err != nil {
		t.Fatal(err)
	}
	// W01 has no budget row: its approved and paid bonuses count, not the rejected one.
	c1, c2, c3 := w.enrol(t, w.mcnA, "bd-1"), w.enrol(t, w.mcnA, "bd-2"), w.enrol(t, w.mcnA, "bd-3")
	for _, b := range []struct {
		c      *models.Creator
		week   string
		state  models.BonusState
		amount int64
	}{{c1, "2026-W01", models.BonusApproved, 100_000}, {c2, "2026-W01", models.BonusPaid, 50_000}, {c3, "2026-W01", models.BonusRejected, 70_000},
		{c1, "2026-W02", models.BonusApproved, 999}} {
		if err := w.raw.Create(&models.Bonus{CreatorID: b.c.ID, Week: b.week, SubjectID: b.c.PrimarySubjectID, State: b.state, AmountFen: b.amount,
			RuleVersion: 1, Breakdown: "{}", ProposedAt: time.Now().UTC()}).Error; err != nil {
			t.Fatal(err)
		}
	}
	// W02 and W03 have budget rows: theirs is the figure.
	addPeriodBudget(t, w, models.PoolCreators, "2026-W02", 500_000, 300_000)
	addPeriodBudget(t, w, models.PoolCreators, "2026-W03", 500_000, 150_000)
	now := time.Date(2026, 1, 19, 0, 0, 0, 0, models.CST) // Monday of 2026-W04
	b, err := w.s.BurnDown(ctx, models.PoolCreators, now)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Set || len(b.Periods) != 10 || b.TotalFen != models.DefaultCreatorPoolFen {
		t.Fatalf("burn-down: %+v", b)
	}
	got := []int64{b.Periods[0].CommittedFen, b.Periods[1].CommittedFen, b.Periods[2].CommittedFen, b.Periods[2].CumCommittedFen}
	if got[0] != 150_000 || got[1] != 300_000 || got[2] != 150_000 || got[3] != 600_000 {
		t.Errorf("committed W01, W02, W03, cumulative: %v", got)
	}
	if b.PaceOver != 3 || b.PaceFen != 200_000 || b.Periods[9].PlanFen != models.DefaultCreatorPoolFen || b.Periods[0].PlanFen != models.DefaultCreatorPoolFen/10 {
		t.Errorf("pace %d over %d, plan %d", b.PaceFen, b.PaceOver, b.Periods[9].PlanFen)
	}
	if b.Early || b.Never {
		t.Errorf("a ¥1bn pool at ¥2,000 a week lasts: %+v", b)
	}
	m, err := w.s.BurnDown(ctx, models.PoolMCN, now)
	if err != nil || !m.Set || len(m.Periods) != 6 || !m.Never {
		t.Errorf("MCN pool with nothing committed: %+v %v", m, err)
	}
	// Without a period there is nothing to draw.
	w2 := newWorld(t)
	if none, err := w2.s.BurnDown(ctx, models.PoolCreators, now); err != nil || none.Set {
		t.Errorf("no plan: %+v %v", none, err)
	}
}
