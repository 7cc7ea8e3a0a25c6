package models_test

import (
	"testing"

	"github.com/jd/creator-portal/models"
)

func mustWeek(t *testing.T, s string) models.WeekLabel {
	t.Helper()
	w, err := models.ParseWeek(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// The week the pool runs out if every week from the next costs a rule's total.
func TestRunOutWeek(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		last             string
		leftFen, weekFen int64
		want             string // "" : never
	}{
		{"2026-W47", 1_000, 300, "2026-W51"},                      // three full weeks and a part: the fourth week takes the last
		{"2026-W47", 900, 300, "2026-W50"},                        // exactly three weeks
		{"2026-W47", 100, 300, "2026-W48"},                        // not even one week
		{"2026-W47", 0, 300, "2026-W48"},                          // nothing left: the next week already cannot be paid
		{"2026-W47", 1_000, 0, ""},                                // nothing proposed: never
		{"2026-W52", 500, 100, "2027-W04"},                        // 2026 has 53 ISO weeks
		{"2026-W47", 100_000_000_000, 1, ""},                      // beyond a century
		{"2026-W10", 100_000_000_000, 32_700_000_000, "2026-W14"}, // ¥1bn at ¥327m a week: four weeks
	} {
		got, ok := models.RunOutWeek(mustWeek(t, tc.last), tc.leftFen, tc.weekFen)
		if (tc.want == "") == ok || (ok && got.String() != tc.want) {
			t.Errorf("RunOutWeek(%s, %d, %d) = %s %v, want %q", tc.last, tc.leftFen, tc.weekFen, got, ok, tc.want)
		}
	}
}

// The pro-rata factor a week's total would need: budget ÷ total, rounded
// down, in millionths; none when the total fits or there is no budget.
func TestFactorNeeded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		budget, total int64
		budgeted      bool
		want          int64
		text          string
	}{
		{800, 1_000, true, 800_000, "0.8000"},
		{1_000, 1_000, true, models.PPM, "1.0000"},
		{1_000, 0, true, models.PPM, "1.0000"},
		{1, 3, true, 333_333, "0.3333"},
		{1, 3, false, models.PPM, "1.0000"},
		{1_923_076_923, 32_700_000_000, true, 58_809, "0.0588"}, // ¥19m of budget for ¥327m proposed
		{0, 500, true, 0, "0.0000"},
	} {
		got := models.FactorNeeded(tc.budget, tc.total, tc.budgeted)
		if got != tc.want || models.FactorText(got) != tc.text {
			t.Errorf("FactorNeeded(%d, %d, %v) = %d (%s), want %d (%s)", tc.budget, tc.total, tc.budgeted, got, models.FactorText(got), tc.want, tc.text)
		}
		if (got < models.PPM) != (models.PaceOutlook{FactorPPM: got}).NeedsFactor() {
			t.Errorf("NeedsFactor of %d", got)
		}
	}
}

// The what-if's budget line: a fixed budget, or what the week would get under
// the plan (the pool's money less what other budgeted weeks' waiting
// proposals hold, by weight over the weeks left), and the run-out week.
func TestWhatIfAgainstTheWeeksBudget(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.proposals(t, "wif", 3, 1) // ¥100 each: ¥300 a week
	other := w.qualified(t, "jd_cr_wifprev")
	w.perf(t, lastWeek.Prev(), other.AccountID, 1, 0, 0, 0) // ¥100 waiting in a budgeted earlier week
	w.compute(t, lastWeek.Prev())
	w.budget(t, lastWeek.Prev(), 50_000, 0)
	w.setPool(t, 1_000_000) // ¥10,000
	rule, _, err := w.s.CurrentBonusRule(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// No plan: no budget; the pool runs out in the 34th week after (¥10,000 ÷ ¥300).
	res, err := w.s.WhatIf(ctx, rule)
	if err != nil || res.Budget == nil {
		t.Fatal(err)
	}
	runOut, _ := models.RunOutWeek(lastWeek, 1_000_000, 30_000)
	if b := res.Budget; b.Budgeted || b.PlanSet || b.Current.TotalFen != 30_000 || b.Current.RunOut != runOut.String() || b.Current.RunOutAfterEnd {
		t.Fatalf("without a plan: %+v", b)
	}
	// A plan of four weeks from last week, last week weighing 2×: (¥10,000 − ¥100 reserved) × 200 / 500.
	end := models.WeekOf(lastWeek.End().AddDate(0, 0, 14))
	plan := models.PacingPlan{CreatorsStart: lastWeek.String(), CreatorsEnd: end.String(), MCNStart: "2026-01", MCNEnd: "2026-12",
		Policy: models.PolicyProRata, Weights: []models.PeriodWeight{{Period: lastWeek.String(), Percent: 200}}}
	if err := w.s.SetPacingPlan(ctx, models.SystemActor(), plan); err != nil {
		t.Fatal(err)
	}
	res, _ = w.s.WhatIf(ctx, rule)
	if b := res.Budget; !b.Budgeted || b.Fixed || b.BudgetFen != 396_000 || !b.Current.RunOutAfterEnd || b.PlanEnd != end.String() || b.Current.NeedsFactor() {
		t.Fatalf("would-be budget: %+v", b)
	}
	// A fixed budget of ¥200 for ¥300: pro rata would need 0.6666.
	w.budget(t, lastWeek, 20_000, 0)
	res, _ = w.s.WhatIf(ctx, rule)
	if b := res.Budget; !b.Fixed || b.BudgetFen != 20_000 || b.Current.FactorPPM != 666_666 || b.Proposed.FactorPPM != 666_666 {
		t.Fatalf("fixed budget: %+v", b)
	}
}
