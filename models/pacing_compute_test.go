package models_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// nextWeek is the week after w.
func nextWeek(w models.WeekLabel) models.WeekLabel { return models.WeekOf(w.End()) }

// planWeeks is the ten weeks from three weeks before last week: four have ended.
func planWeeks() []models.WeekLabel {
	ws := []models.WeekLabel{lastWeek.Prev().Prev().Prev()}
	for len(ws) < 10 {
		ws = append(ws, nextWeek(ws[len(ws)-1]))
	}
	return ws
}

// setPlan puts a plan of the ten planWeeks (and ten months from last month) in force.
func (w *world) setPlan(t *testing.T, policy models.OverSubscriptionPolicy, weights ...models.PeriodWeight) {
	t.Helper()
	ws := planWeeks()
	m := models.MonthOf(time.Now()).Prev()
	end := m
	for range 9 {
		end = end.Next()
	}
	if weights == nil {
		weights = []models.PeriodWeight{}
	}
	plan := models.PacingPlan{CreatorsStart: ws[0].String(), CreatorsEnd: ws[9].String(), MCNStart: m.String(), MCNEnd: end.String(),
		Policy: policy, Weights: weights}
	if err := w.s.SetPacingPlan(ctx, models.SystemActor(), plan); err != nil {
		t.Fatal(err)
	}
}

func (w *world) budgetOf(t *testing.T, week models.WeekLabel) *models.PeriodBudget {
	t.Helper()
	b, err := w.s.PeriodBudgetOf(ctx, models.PoolCreators, week.String())
	if err != nil || b == nil {
		t.Fatalf("budget of %s: %v %v", week, b, err)
	}
	return b
}

// videoCreators gives each a week of n videos (¥100 each, no GMV tier), GMV gmv[i].
func (w *world) videoCreators(t *testing.T, week models.WeekLabel, prefix string, videos []int64, gmv []int64) []*models.Creator {
	t.Helper()
	var cs []*models.Creator
	for i, n := range videos {
		c := w.qualified(t, prefix+string(rune('a'+i)))
		w.perf(t, week, c.AccountID, n, 0, 0, gmv[i])
		cs = append(cs, c)
	}
	return cs
}

// The budget of a week is fixed when it is first computed: what is left of
// the pool over the weeks left (weighted), less what computed weeks still
// reserve for their waiting proposals; unspent money rolls forward.
func TestPeriodBudgetsSplitRollForwardAndWeigh(t *testing.T) {
	t.Parallel()
	ws := planWeeks()
	cases := []struct {
		name    string
		pool    int64
		weights []models.PeriodWeight
		steps   func(w *world, t *testing.T)
		compute []int   // weeks computed in this order (index into ws)
		want    []int64 // their budgets
	}{
		{name: "even split, then the rest rolls forward", pool: 1_000_000, compute: []int{0, 1, 2},
			want: []int64{100_000, 111_111, 125_000}},
		// 1.5× on the second week (618) and on the last (11.11): 100/1100, 150/1000, 100/850.
		{name: "weights", pool: 1_000_000, weights: []models.PeriodWeight{{Period: ws[1].String(), Percent: 150}, {Period: ws[9].String(), Percent: 150}},
			compute: []int{0, 1, 2}, want: []int64{90_909, 150_000, 117_647}},
		// The first week's ¥300 waiting is reserved: (¥10,000 − ¥300) ÷ 9.
		{name: "a computed week's waiting proposals are reserved", pool: 1_000_000, compute: []int{0, 1},
			steps: func(w *world, t *testing.T) { w.videoCreators(t, ws[0], "jd_cr_res0", []int64{2, 1}, []int64{0, 0}) },
			want:  []int64{100_000, 107_777}},
		// Computed out of order: the third week first (¥10,000 ÷ 8), then the
		// first, with the third's ¥300 waiting reserved: ¥9,700 ÷ 10.
		{name: "out of order", pool: 1_000_000, compute: []int{2, 0},
			steps: func(w *world, t *testing.T) { w.videoCreators(t, ws[2], "jd_cr_ooo0", []int64{2, 1}, []int64{0, 0}) },
			want:  []int64{125_000, 97_000}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.setPool(t, tc.pool)
			w.setPlan(t, models.PolicyProRata, tc.weights...)
			if tc.steps != nil {
				tc.steps(w, t)
			}
			for i, at := range tc.compute {
				res := w.compute(t, ws[at])
				b := w.budgetOf(t, ws[at])
				if b.BudgetFen != tc.want[i] || !res.Paced || res.BudgetFen != tc.want[i] {
					t.Fatalf("%s: budget %d (result %+v), want %d", ws[at], b.BudgetFen, res, tc.want[i])
				}
			}
			// Fixed: a pool change and a recompute leave it as it was.
			w.setPool(t, tc.pool*2)
			w.compute(t, ws[tc.compute[0]])
			if b := w.budgetOf(t, ws[tc.compute[0]]); b.BudgetFen != tc.want[0] {
				t.Fatalf("budget moved to %d", b.BudgetFen)
			}
		})
	}
}

// Bonuses approved before the week had a budget start it committed: the
// week's share is of the pool including what it spent, never below it.
func TestPeriodBudgetStartsWithWhatWasApproved(t *testing.T) {
	t.Parallel()
	ws := planWeeks()
	for _, tc := range []struct {
		name       string
		pool, want int64
	}{
		{"its share of the whole pool", 1_000_000, 100_000}, // ¥10,000 ÷ 10 weeks: the ¥200 it spent is part of its share
		{"never below what was approved", 100_000, 20_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.setPool(t, tc.pool)
			cs := w.videoCreators(t, ws[0], "jd_cr_pre0", []int64{2}, []int64{0})
			w.compute(t, ws[0])
			if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{w.bonusOf(t, cs[0].ID, ws[0]).ID}); err != nil || rep.Approved != 1 {
				t.Fatalf("approve: %+v %v", rep, err)
			}
			w.setPlan(t, models.PolicyProRata)
			w.compute(t, ws[0])
			if b := w.budgetOf(t, ws[0]); b.BudgetFen != tc.want || b.CommittedFen != 20_000 {
				t.Fatalf("budget %+v", b)
			}
		})
	}
}

func TestComputeWeekRefusesAWeekOutsideThePlan(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setPlan(t, models.PolicyProRata)
	ws := planWeeks()
	_, err := w.s.ComputeWeek(ctx, w.rev1, ws[0].Prev().String())
	m := fieldError(t, err, "week")
	if m.ID != "err_week_outside_period" || m.Args["Week"] != ws[0].Prev().String() || m.Args["Start"] != ws[0].String() || m.Args["End"] != ws[9].String() {
		t.Fatalf("message %+v", m)
	}
	if !strings.Contains(english(m), ws[0].Prev().String()) {
		t.Fatalf("english: %s", english(m))
	}
}

// A week budgeted under one plan stays computable, against its fixed budget,
// after the period moves past it; a week never budgeted is refused.
func TestBudgetedWeekRecomputedAfterThePeriodMoved(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setPool(t, 1_000_000)
	w.setPlan(t, models.PolicyProRata)
	ws := planWeeks()
	w.videoCreators(t, ws[1], "jd_cr_mv0", []int64{2}, []int64{0})
	w.compute(t, ws[1])
	before := w.budgetOf(t, ws[1])
	plan, err := w.s.PacingPlanNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan.CreatorsStart = ws[2].String()
	if err := w.s.SetPacingPlan(ctx, models.SystemActor(), plan); err != nil {
		t.Fatal(err)
	}
	if res := w.compute(t, ws[1]); res.BudgetFen != before.BudgetFen {
		t.Fatalf("recomputed against %d, its budget is %d", res.BudgetFen, before.BudgetFen)
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, ws[0].String()); fieldError(t, err, "week").ID != "err_week_outside_period" {
		t.Fatalf("a week never budgeted, now outside: %v", err)
	}
}

// A week cannot be computed at Sunday 23:59:59 CST; at Monday 00:00 CST it
// can, and its budget is fixed then.
func TestWeekBudgetFixedAtTheCSTWeekBoundary(t *testing.T) {
	t.Parallel()
	week, _ := models.ParseWeek("2026-W10")
	clock := week.End().Add(-time.Second)
	s, _ := modeltest.NewStoreWithDB(t, models.WithClock(func() time.Time { return clock }))
	u, err := s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "rev@t.test", Password: "long-enough-password", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	rev := models.ActorFor(u, "")
	if err := s.SetPacingPlan(ctx, models.SystemActor(), models.PacingPlan{CreatorsStart: "2026-W10", CreatorsEnd: "2026-W19",
		MCNStart: "2026-03", MCNEnd: "2026-12", Policy: models.PolicyProRata}); err != nil {
		t.Fatal(err)
	}
	if cst := clock.In(models.CST); cst.Weekday() != time.Sunday || cst.Format("15:04:05") != "23:59:59" {
		t.Fatalf("clock %v", cst)
	}
	if _, err := s.ComputeWeek(ctx, rev, "2026-W10"); fieldError(t, err, "week").ID != "err_week_not_ended" {
		t.Fatalf("computed before the week ended: %v", err)
	}
	if b, _ := s.PeriodBudgetOf(ctx, models.PoolCreators, "2026-W10"); b != nil {
		t.Fatalf("budget fixed too early: %+v", b)
	}
	clock = week.End()
	if cst := clock.In(models.CST); cst.Weekday() != time.Monday || cst.Format("15:04:05") != "00:00:00" {
		t.Fatalf("clock %v", cst)
	}
	if _, err := s.ComputeWeek(ctx, rev, "2026-W10"); err != nil {
		t.Fatal(err)
	}
	b, err := s.PeriodBudgetOf(ctx, models.PoolCreators, "2026-W10")
	if err != nil || b == nil || !b.FixedAt.Equal(week.End()) || b.BudgetFen != models.DefaultCreatorPoolFen/10 {
		t.Fatalf("budget %+v %v", b, err)
	}
}

// ComputeWeek paces the waiting proposals by the plan's policy.
func TestComputeWeekPacesByPolicy(t *testing.T) {
	t.Parallel()
	ws := planWeeks()
	// Rule amounts ¥300, ¥200, ¥100; GMV ranks them the other way round.
	cases := []struct {
		name     string
		policy   models.OverSubscriptionPolicy
		pool     int64 // ÷ 10 weeks = the week's budget
		want     []int64
		unfunded []bool
		factor   int64
	}{
		{"pro rata", models.PolicyProRata, 100_000, []int64{5_000, 3_333, 1_667}, []bool{false, false, false}, 166_666},
		{"by rank", models.PolicyByRank, 250_000, []int64{0, 15_000, 10_000}, []bool{true, false, false}, 416_666},
		{"warn", models.PolicyWarn, 100_000, []int64{30_000, 20_000, 10_000}, []bool{false, false, false}, models.PPM},
		{"within the budget", models.PolicyProRata, 1_000_000, []int64{30_000, 20_000, 10_000}, []bool{false, false, false}, models.PPM},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.setPool(t, tc.pool)
			w.setPlan(t, tc.policy)
			cs := w.videoCreators(t, ws[0], "jd_cr_pol0", []int64{3, 2, 1}, []int64{100, 500, 900})
			res := w.compute(t, ws[0])
			var total int64
			for i, c := range cs {
				b := w.bonusOf(t, c.ID, ws[0])
				p := b.Explain().Pacing
				rule := []int64{30_000, 20_000, 10_000}[i]
				if b.AmountFen != tc.want[i] || b.RuleFen != rule || p == nil || p.FinalFen != tc.want[i] || p.RuleFen != rule ||
					p.Unfunded != tc.unfunded[i] || p.Policy != tc.policy || p.BudgetFen != tc.pool/10 || p.PeriodRuleFen != 60_000 {
					t.Fatalf("creator %d: %+v pacing %+v", i, b, p)
				}
				if tc.policy != models.PolicyByRank && p.FactorPPM != tc.factor {
					t.Fatalf("factor %d", p.FactorPPM)
				}
				total += b.AmountFen
			}
			budget := w.budgetOf(t, ws[0])
			if budget.RuleFen != 60_000 || budget.ProposedFen != total || budget.FactorPPM != tc.factor || budget.Policy != tc.policy ||
				res.RuleFen != 60_000 || res.FactorPPM != tc.factor || res.TotalFen != total || res.BudgetFen != tc.pool/10 {
				t.Fatalf("budget %+v result %+v", budget, res)
			}
			if tc.policy != models.PolicyWarn && total > budget.BudgetFen {
				t.Fatalf("the week's %d is over its budget %d", total, budget.BudgetFen)
			}
		})
	}
}

// A recompute after some decisions keeps decided bonuses and re-paces only
// the waiting ones within what the budget has left.
func TestRecomputeRepacesOnlyWaitingProposals(t *testing.T) {
	t.Parallel()
	ws := planWeeks()
	w := newWorld(t)
	w.setPool(t, 100_000) // ¥100 a week
	w.setPlan(t, models.PolicyProRata)
	cs := w.videoCreators(t, ws[0], "jd_cr_rep0", []int64{3, 2, 1}, []int64{0, 0, 0})
	w.compute(t, ws[0])
	a := w.bonusOf(t, cs[0].ID, ws[0])
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{a.ID}); err != nil || rep.Approved != 1 || a.AmountFen != 5_000 {
		t.Fatalf("approve %+v: %+v %v", a, rep, err)
	}
	res := w.compute(t, ws[0])
	// ¥50 left for ¥300 waiting: ×1/6 → ¥33.33 and ¥16.67.
	if got := w.bonusOf(t, cs[0].ID, ws[0]); got.AmountFen != 5_000 || got.State != models.BonusApproved {
		t.Fatalf("decided bonus changed: %+v", got)
	}
	b, c := w.bonusOf(t, cs[1].ID, ws[0]), w.bonusOf(t, cs[2].ID, ws[0])
	if b.AmountFen != 3_333 || c.AmountFen != 1_667 || res.TotalFen != 5_000 || res.Decided != 1 || res.RuleFen != 30_000 {
		t.Fatalf("re-paced %d and %d, result %+v", b.AmountFen, c.AmountFen, res)
	}
	if p := b.Explain().Pacing; p.AvailableFen != 5_000 || p.FactorPPM != 166_666 {
		t.Fatalf("pacing %+v", p)
	}
	// A rejection holds nothing: the next recompute gives its share back to the waiting one.
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{b.ID}, "duplicate_claim", ""); err != nil {
		t.Fatal(err)
	}
	w.compute(t, ws[0])
	if got := w.bonusOf(t, cs[2].ID, ws[0]); got.AmountFen != 5_000 {
		t.Fatalf("after a rejection: %+v", got)
	}
}

// Without a plan a week is computed exactly as before issue 17.
func TestComputeWeekWithoutAPlanIsNotPaced(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setPool(t, 10_000)
	cs := w.videoCreators(t, lastWeek, "jd_cr_nop0", []int64{3, 2}, []int64{0, 0})
	res := w.compute(t, lastWeek)
	for i, c := range cs {
		b := w.bonusOf(t, c.ID, lastWeek)
		if b.AmountFen != []int64{30_000, 20_000}[i] || b.RuleFen != 0 || b.Explain().Pacing != nil {
			t.Fatalf("%+v", b)
		}
	}
	if res.Paced || res.TotalFen != 50_000 {
		t.Fatalf("%+v", res)
	}
	if b, err := w.s.PeriodBudgetOf(ctx, models.PoolCreators, lastWeek.String()); b != nil || err != nil {
		t.Fatalf("budget %+v %v", b, err)
	}
}

// An adjustment of a paced bonus aims at the new rule amount scaled by that
// bonus's pacing, not at the unpaced rule amount.
func TestAdjustmentOfAPacedBonusIsScaled(t *testing.T) {
	t.Parallel()
	ws := planWeeks()
	cases := []struct {
		name   string
		change func(w *world, t *testing.T, c *models.Creator)
		want   int64 // 0: none
	}{
		// Views move, the rule amount does not: no spurious top-up to the rule's ¥300.
		{"figures change, rule amount the same", func(w *world, t *testing.T, c *models.Creator) { w.perf(t, ws[0], c.AccountID, 3, 0, 10, 0) }, 0},
		// ¥400 by the rule × 5,000/30,000 = ¥66.66: a top-up of ¥16.66.
		{"one more video", func(w *world, t *testing.T, c *models.Creator) { w.perf(t, ws[0], c.AccountID, 4, 0, 0, 0) }, 1_666},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.setPool(t, 100_000)
			w.setPlan(t, models.PolicyProRata)
			cs := w.videoCreators(t, ws[0], "jd_cr_adp0", []int64{3, 2, 1}, []int64{0, 0, 0})
			w.compute(t, ws[0])
			a := w.bonusOf(t, cs[0].ID, ws[0])
			if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{a.ID}); err != nil || rep.Approved != 1 {
				t.Fatalf("approve: %+v %v", rep, err)
			}
			tc.change(w, t, cs[0])
			w.compute(t, ws[0])
			adj := w.adjustmentsOf(t, a.ID)
			switch {
			case tc.want == 0 && len(adj) != 0:
				t.Fatalf("spurious adjustment %+v", adj)
			case tc.want != 0 && (len(adj) != 1 || adj[0].AmountFen != tc.want || adj[0].BaseFen != 5_000):
				t.Fatalf("adjustments %+v", adj)
			}
		})
	}
}

// The MCN pool is paced by month the same way.
func TestComputeMonthPaces(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setPlan(t, models.PolicyProRata)
	if err := w.s.SetPoolTotal(ctx, models.SystemActor(), models.PoolMCN, 30_000_000); err != nil { // ¥30,000 a month
		t.Fatal(err)
	}
	w.monthWithMCNBonuses(t, 3) // three agencies meet the quota: ¥20,000 each by the rule
	var bs []models.MCNBonus
	w.raw.Order("agency_id").Find(&bs)
	var total int64
	for _, b := range bs {
		if b.RuleFen != 2_000_000 || b.AmountFen != 1_000_000 {
			t.Fatalf("%+v", b)
		}
		total += b.AmountFen
	}
	month := models.MonthOf(time.Now()).Prev().String()
	budget, err := w.s.PeriodBudgetOf(ctx, models.PoolMCN, month)
	if err != nil || budget == nil || budget.BudgetFen != 3_000_000 || total != 3_000_000 || budget.FactorPPM != 500_000 || budget.RuleFen != 6_000_000 {
		t.Fatalf("budget %+v %v, total %d", budget, err, total)
	}
	if _, err := w.s.ComputeMonth(ctx, w.rev1, models.MonthOf(time.Now()).Prev().Prev().String(), time.Now()); fieldError(t, err, "month").ID != "err_month_outside_period" {
		t.Fatalf("outside: %v", err)
	}
}
