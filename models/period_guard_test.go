package models_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jd/creator-portal/models"
)

// Issue 17, point 6: no approval takes a week above its budget.

// budget fixes a week's budget behind the pacing code (its tests fix their own).
func (w *world) budget(t *testing.T, week models.WeekLabel, budgetFen, committedFen int64) {
	t.Helper()
	if err := w.s.SeedPeriodBudget(ctx, models.PoolCreators, week.String(), budgetFen, committedFen); err != nil {
		t.Fatal(err)
	}
}

func (w *world) weekCommitted(t *testing.T, week models.WeekLabel) int64 {
	t.Helper()
	b, err := w.s.PeriodBudgetOf(ctx, models.PoolCreators, week.String())
	if err != nil || b == nil {
		t.Fatalf("budget of %s: %v %v", week, b, err)
	}
	return b.CommittedFen
}

// proposals makes n creators' proposals of ¥100 × (1 + i%mod) for last week and returns their ids in order.
func (w *world) proposals(t *testing.T, prefix string, n int, mod int) []uint {
	t.Helper()
	for i := 0; i < n; i++ {
		c := w.qualified(t, fmt.Sprintf("jd_cr_%s%03d", prefix, i))
		w.perf(t, lastWeek, c.AccountID, int64(1+i%mod), 0, 0, 0)
	}
	w.compute(t, lastWeek)
	var ids []uint
	w.raw.Model(&models.Bonus{}).Where("week = ?", lastWeek.String()).Order("id").Pluck("id", &ids)
	if len(ids) != n {
		t.Fatalf("%d proposals for %d creators", len(ids), n)
	}
	return ids
}

func TestApprovalRefusedWhenTheWeeksBudgetIsShort(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.proposals(t, "wkb", 3, 1) // ¥100 each... made ¥500 below
	w.raw.Model(&models.Bonus{}).Where("id IN ?", ids).Update("amount_fen", 50_000)
	w.budget(t, lastWeek, 120_000, 0) // ¥1,200: two of three fit
	rep, err := w.s.ApproveBonuses(ctx, w.rev1, ids)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Approved != 2 || rep.Refused != 1 {
		t.Fatalf("report %+v", rep)
	}
	o := rep.Outcomes[2]
	want := fmt.Sprintf("%s's budget has ¥200.00 left; this bonus is ¥500.00", lastWeek)
	if o.Reason != models.RefusedPeriodBudget || o.Period != lastWeek.String() || english(o.Msg()) != want {
		t.Fatalf("refusal %+v says %q", o, english(o.Msg()))
	}
	if got := w.weekCommitted(t, lastWeek); got != 100_000 {
		t.Fatalf("week committed %d", got)
	}
	if got := w.committed(t); got != 100_000 {
		t.Fatalf("the refused bonus kept its pool charge: committed %d", got)
	}
	var refusals int64
	w.raw.Model(&models.AuditEntry{}).Where("action = ? AND after LIKE ?", "bonus.approve_refused", "%period budget%").Count(&refusals)
	if refusals != 1 {
		t.Fatal("the over-budget approval is not audited")
	}
	// Another week without a budget is not limited.
	c := w.qualified(t, "jd_cr_wkbfree")
	w.perf(t, lastWeek.Prev(), c.AccountID, 3, 0, 0, 0)
	w.compute(t, lastWeek.Prev())
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{w.bonusOf(t, c.ID, lastWeek.Prev()).ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("a week without a budget: %+v %v", rep, err)
	}
}

func TestApprovalLosingTheRaceGivesPoolAndWeekBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.proposals(t, "lost", 1, 1)
	w.budget(t, lastWeek, 1_000_000, 0)
	o, err := w.s.ApproveLosingTheRace(ctx, w.rev1, ids[0])
	if err != nil || o.Reason != models.RefusedDecidedMeanwhile {
		t.Fatalf("%+v %v", o, err)
	}
	if w.committed(t) != 0 || w.weekCommitted(t, lastWeek) != 0 {
		t.Fatalf("after a lost race: pool %d, week %d", w.committed(t), w.weekCommitted(t, lastWeek))
	}
}

func TestUnfundedProposalIsNotApproved(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.proposals(t, "unf", 2, 1)
	// Pacing by rank proposed the second at ¥0.
	w.raw.Model(&models.Bonus{}).Where("id = ?", ids[1]).Update("amount_fen", 0)
	w.budget(t, lastWeek, 10_000, 0)
	rep, err := w.s.ApproveBonuses(ctx, w.rev1, ids)
	if err != nil || rep.Approved != 1 || rep.Refused != 1 || rep.Outcomes[1].Reason != models.RefusedUnfunded {
		t.Fatalf("%+v %v", rep, err)
	}
	if english(rep.Outcomes[1].Msg()) == "" || strings.HasPrefix(english(rep.Outcomes[1].Msg()), "refused_") {
		t.Fatalf("no words for %v", rep.Outcomes[1].Msg())
	}
	// "Approve everything matching" does not list it.
	w.raw.Model(&models.Bonus{}).Where("id = ?", ids[0]).Update("state", models.BonusProposed)
	got, err := w.s.BonusIDs(ctx, w.rev1, models.BonusFilter{Week: lastWeek.String(), Funded: true}, 10)
	if err != nil || len(got) != 1 || got[0] != ids[0] {
		t.Fatalf("funded ids %v %v", got, err)
	}
	if all, _ := w.s.BonusIDs(ctx, w.rev1, models.BonusFilter{Week: lastWeek.String()}, 10); len(all) != 2 {
		t.Fatalf("the queue lost the ¥0 proposal: %v", all)
	}
}

// A top-up is charged to its week's budget (refused with what is left when
// it does not fit); a clawback gives its amount back to the week.
func TestAdjustmentsMoveTheWeeksBudget(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, b := w.decidedBonus(t, "jd_cr_wkadj", lastWeek, 2, 5_000_000, models.BonusApproved)
	w.budget(t, lastWeek, b.AmountFen+100_000, b.AmountFen) // approved before the budget; ¥1,000 left
	w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 20_000_000)
	w.compute(t, lastWeek)
	j := w.adjustmentsOf(t, b.ID)[0]
	if j.AmountFen <= 100_000 {
		t.Fatalf("top-up %+v", j)
	}
	pool := w.committed(t)
	var rep *models.DecisionReport
	for _, r := range []*models.Actor{w.rev1, w.rev2} {
		var err error
		if rep, err = w.s.ApproveAdjustments(ctx, r, []uint{j.ID}); err != nil {
			t.Fatal(err)
		}
	}
	o := rep.Outcomes[0]
	want := fmt.Sprintf("%s's budget has ¥1,000.00 left; this bonus is %s", lastWeek, models.FormatYuan(j.AmountFen))
	if o.Reason != models.RefusedPeriodBudget || english(o.Msg()) != want {
		t.Fatalf("top-up over the week's budget: %+v %q", o, english(o.Msg()))
	}
	if w.committed(t) != pool || w.weekCommitted(t, lastWeek) != b.AmountFen || w.adjustmentsOf(t, b.ID)[0].State == models.BonusApproved {
		t.Fatal("a refused top-up moved money")
	}
	// The week gets room: the top-up charges it.
	w.raw.Model(&models.PeriodBudget{}).Where("period = ?", lastWeek.String()).Update("budget_fen", b.AmountFen+j.AmountFen)
	for _, r := range []*models.Actor{w.rev1, w.rev2} {
		if rep, _ = w.s.ApproveAdjustments(ctx, r, []uint{j.ID}); rep.Approved == 1 {
			break
		}
	}
	if rep.Approved != 1 || w.weekCommitted(t, lastWeek) != b.AmountFen+j.AmountFen || w.committed(t) != pool+j.AmountFen {
		t.Fatalf("top-up: %+v, week %d", rep, w.weekCommitted(t, lastWeek))
	}
	// A clawback gives back to the week.
	w.refund(t, c, lastWeek, 1, 15_000_000)
	w.compute(t, lastWeek)
	adj := w.adjustmentsOf(t, b.ID)
	down := adj[len(adj)-1]
	if down.AmountFen >= 0 {
		t.Fatalf("clawback %+v", down)
	}
	for _, r := range []*models.Actor{w.rev1, w.rev2} {
		if rep, _ = w.s.ApproveAdjustments(ctx, r, []uint{down.ID}); rep.Approved == 1 {
			break
		}
	}
	if rep.Approved != 1 || w.weekCommitted(t, lastWeek) != b.AmountFen+j.AmountFen+down.AmountFen {
		t.Fatalf("clawback: %+v, week %d", rep, w.weekCommitted(t, lastWeek))
	}
}

// Reviewers racing to approve one budgeted week never take it above its
// budget nor the pool above its total; what is committed is what was approved.
func TestConcurrentApprovalsNeverTakeAWeekAboveItsBudget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		poolFen, weekFen int64
	}{
		{"the week's budget binds", 100_000_000, 300_000}, // ¥3,000 of the ¥7,500 proposed
		{"the pool binds", 200_000, 300_000},              // the pool has less than the week
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			const creators = 30
			ids := w.proposals(t, "wrace", creators, 4) // ¥100–¥400
			w.setPool(t, tc.poolFen)
			w.budget(t, lastWeek, tc.weekFen, 0)
			reviewers := []*models.Actor{w.rev1, w.rev2, w.admin}
			var wg sync.WaitGroup
			errs := make(chan error, 24)
			for g := 0; g < 24; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sel := append([]uint(nil), ids[(g*7)%creators:]...)
					sel = append(sel, ids[:(g*7)%creators]...)
					if g%2 == 1 {
						for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
							sel[i], sel[j] = sel[j], sel[i]
						}
					}
					if _, err := w.s.ApproveBonuses(ctx, reviewers[g%3], sel[:10]); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("approval failed: %v", err)
			}
			var approved int64
			w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusApproved).Select("COALESCE(SUM(amount_fen), 0)").Scan(&approved)
			pool, _ := w.s.GetPool(ctx, models.PoolCreators)
			week, _ := w.s.PeriodBudgetOf(ctx, models.PoolCreators, lastWeek.String())
			if week.CommittedFen > week.BudgetFen || pool.CommittedFen > pool.TotalFen {
				t.Fatalf("overspent: week %d of %d, pool %d of %d", week.CommittedFen, week.BudgetFen, pool.CommittedFen, pool.TotalFen)
			}
			if week.CommittedFen != approved || pool.CommittedFen != approved || approved == 0 {
				t.Fatalf("approved %d; week committed %d, pool committed %d", approved, week.CommittedFen, pool.CommittedFen)
			}
			var smallest int64
			w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusProposed).Select("COALESCE(MIN(amount_fen), 0)").Scan(&smallest)
			if left := min(pool.LeftFen(), week.LeftFen()); smallest != 0 && smallest <= left {
				t.Fatalf("%d left but a bonus of %d stayed unapproved", left, smallest)
			}
		})
	}
}

// The queue's panel: the week's budget, what approvals charged, what waits
// (proposed and awaiting second), and by how much that is over what is left.
func TestBudgetPanelOfAWeek(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.proposals(t, "panel", 4, 1)                                               // ¥100 each
	w.raw.Model(&models.Bonus{}).Where("id IN ?", ids).Update("amount_fen", 3_000_000) // ¥30,000 each: four eyes
	w.budget(t, lastWeek, 8_000_000, 0)
	if _, err := w.s.ApproveBonuses(ctx, w.rev1, ids[:2]); err != nil { // two await a second approval
		t.Fatal(err)
	}
	if _, err := w.s.ApproveBonuses(ctx, w.rev2, ids[:1]); err != nil { // one approved
		t.Fatal(err)
	}
	if _, err := w.s.RejectBonuses(ctx, w.rev1, ids[3:], "duplicate_claim", ""); err != nil {
		t.Fatal(err)
	}
	for _, period := range []string{lastWeek.String(), ""} { // "" : the newest computed week
		p, err := w.s.BudgetPanelOf(ctx, models.PoolCreators, period)
		if err != nil || p.Period != lastWeek.String() || p.Budget == nil {
			t.Fatalf("panel %+v %v", p, err)
		}
		if p.Budget.CommittedFen != 3_000_000 || p.WaitingCount != 2 || p.WaitingFen != 6_000_000 || p.LeftFen() != 5_000_000 || p.OverFen() != 1_000_000 {
			t.Fatalf("panel %+v left %d over %d", p, p.LeftFen(), p.OverFen())
		}
	}
	if p, err := w.s.BudgetPanelOf(ctx, models.PoolCreators, lastWeek.Prev().String()); err != nil || p.Budget != nil || p.PlanSet || p.WaitingCount != 0 {
		t.Fatalf("a week without a budget: %+v %v", p, err)
	}
	// The waiting sum reads the (week, state, amount) index alone on SQLite.
	if w.raw.Dialector.Name() == "sqlite" {
		var plan []struct{ Detail string }
		w.raw.Raw("EXPLAIN QUERY PLAN SELECT state, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen FROM bonuses WHERE week = ? AND state IN (?, ?) GROUP BY state",
			lastWeek.String(), models.BonusProposed, models.BonusAwaitingSecond).Scan(&plan)
		if len(plan) == 0 || !strings.Contains(plan[0].Detail, "COVERING INDEX idx_bonus_week_state_amount") {
			t.Fatalf("plan %+v", plan)
		}
	}
}
