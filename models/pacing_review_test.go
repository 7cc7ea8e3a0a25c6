package models_test

import (
	"testing"

	"github.com/jd/creator-portal/models"
)

// A top-up approved in a paced week is spent in that week: a recompute
// paces the waiting proposals within what the budget has left after it, so
// approving every one of them fits and the week ends exactly at its budget.
func TestRecomputeAfterATopUpKeepsTheWeekWithinItsBudget(t *testing.T) {
	t.Parallel()
	ws := planWeeks()
	w := newWorld(t)
	w.setPool(t, 100_000) // ¥100 a week
	w.setPlan(t, models.PolicyProRata)
	cs := w.videoCreators(t, ws[0], "jd_cr_tup0", []int64{3, 2, 1}, []int64{0, 0, 0})
	w.compute(t, ws[0])
	a := w.bonusOf(t, cs[0].ID, ws[0])
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{a.ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	w.perf(t, ws[0], cs[0].AccountID, 4, 0, 0, 0) // one more video: a top-up of ¥16.66
	w.compute(t, ws[0])
	adj := w.adjustmentsOf(t, a.ID)
	if len(adj) != 1 || adj[0].AmountFen != 1_666 {
		t.Fatalf("adjustments %+v", adj)
	}
	if rep, err := w.s.ApproveAdjustments(ctx, w.rev1, []uint{adj[0].ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve top-up: %+v %v", rep, err)
	}
	w.compute(t, ws[0])
	b, c := w.bonusOf(t, cs[1].ID, ws[0]), w.bonusOf(t, cs[2].ID, ws[0])
	budget := w.budgetOf(t, ws[0])
	if b.AmountFen+c.AmountFen != budget.LeftFen() {
		t.Fatalf("waiting %d + %d, the week has %d left of %d", b.AmountFen, c.AmountFen, budget.LeftFen(), budget.BudgetFen)
	}
	rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{b.ID, c.ID})
	if err != nil || rep.Approved != 2 {
		t.Fatalf("approving what waits: %+v %v", rep, err)
	}
	if got := w.budgetOf(t, ws[0]); got.CommittedFen != got.BudgetFen {
		t.Fatalf("committed %d of %d", got.CommittedFen, got.BudgetFen)
	}
}

// A week computed and decided before the plan, with a top-up approved, then
// recomputed under the plan: its budget starts committed with the bonus and
// the top-up, as approvals would have charged it.
func TestBudgetFixedLateCountsApprovedAdjustments(t *testing.T) {
	t.Parallel()
	ws := planWeeks()
	w := newWorld(t)
	w.setPool(t, 1_000_000)
	cs := w.videoCreators(t, ws[0], "jd_cr_late0", []int64{3}, []int64{0})
	w.compute(t, ws[0])
	a := w.bonusOf(t, cs[0].ID, ws[0])
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{a.ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	w.perf(t, ws[0], cs[0].AccountID, 4, 0, 0, 0)
	w.compute(t, ws[0])
	adj := w.adjustmentsOf(t, a.ID)
	if len(adj) != 1 {
		t.Fatalf("adjustments %+v", adj)
	}
	if rep, err := w.s.ApproveAdjustments(ctx, w.rev1, []uint{adj[0].ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve top-up: %+v %v", rep, err)
	}
	w.setPlan(t, models.PolicyProRata)
	w.compute(t, ws[0])
	if b := w.budgetOf(t, ws[0]); b.CommittedFen != a.AmountFen+adj[0].AmountFen {
		t.Fatalf("committed %d, want %d + %d", b.CommittedFen, a.AmountFen, adj[0].AmountFen)
	}
}
