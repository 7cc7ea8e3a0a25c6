package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// The money lasts the programme (issue 17), in Chinese: an admin sets the
// programme's period and the pro-rata policy, a second admin confirms it, the
// week is computed against its budget, an admin previews a rule change
// against that budget, a reviewer sees the week's budget in the queue, and a
// creator sees on /me the factor their bonus was scaled by.
func TestBrowserJourneyPacing(t *testing.T) {
	ctx, loc := browser(t), i18n.For(i18n.ZH)
	a := newApp(t)
	base := a.ts.URL
	const checker = "checker@t.test"
	if _, err := a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: checker, Password: testPassword, Role: models.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	// Last week: Carol's ¥300 is approved already; Alice (qualified a month ago) ¥500, Xu ¥500 and Yan ¥400 wait.
	if _, err := a.store.DecideCreator(ctx, models.SystemActor(), models.Decision{CreatorID: a.creatorA.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	if err := a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", lastWeek.Start().AddDate(0, -1, 0).UTC(), a.creatorA.ID).Error; err != nil {
		t.Fatal(err)
	}
	a.perf(lastWeek, a.creatorA.AccountID, 5, 0, 0, 0)
	a.perf(lastWeek, a.qualifiedCreator("jd_cr_xu0001", &a.agencyA.ID).AccountID, 5, 0, 0, 0)
	a.perf(lastWeek, a.qualifiedCreator("jd_cr_yan001", &a.agencyB.ID).AccountID, 4, 0, 0, 0)
	// A pool of ¥52,500 for 52 weeks, one of them weighing 1.5: last week's budget is
	// ¥52,500 × 100 ÷ 5,250 = ¥1,000, Carol's ¥300 of it spent before the plan.
	if err := a.store.SetPoolTotal(ctx, models.SystemActor(), models.PoolCreators, 5_250_000); err != nil {
		t.Fatal(err)
	}
	last, festival := lastWeek, lastWeek
	for i := range 51 {
		last = models.WeekOf(last.End())
		if i == 19 {
			festival = last
		}
	}
	firstMonth := models.MonthOf(lastWeek.Start())
	lastMonth := firstMonth
	for range 11 {
		lastMonth = lastMonth.Next()
	}

	// The owner proposes the period, pro rata, and a festival week at ×1.5.
	signInAs(t, ctx, base, loc, testUsers["admin"], testPassword)
	goTo(t, ctx, base, "/settings/pacing")
	do(t, ctx,
		chromedp.SendKeys(`#creators_start`, lastWeek.String()), chromedp.SendKeys(`#creators_end`, last.String()),
		chromedp.SendKeys(`#mcn_start`, firstMonth.String()), chromedp.SendKeys(`#mcn_end`, lastMonth.String()),
		chromedp.Click(`input[name="policy"][value="pro_rata"]`),
		chromedp.SendKeys(`#weight_period_1`, festival.String()), chromedp.SendKeys(`#weight_percent_1`, "150"))
	shoot(t, ctx, "journey-pacing-form-zh-CN")
	load(t, ctx, `[data-testid="pacing-propose"]`)
	if got := flash(t, ctx); !strings.Contains(got, loc.T("change_kind_pacing")) {
		t.Fatalf("after proposing the plan the page says %q", got)
	}
	if p, _ := a.store.PacingPlanNow(ctx); p.IsSet() {
		t.Fatal("one admin put the plan in force alone")
	}
	signOut(t, ctx)

	// A second admin reads it in Chinese and approves it.
	signInAs(t, ctx, base, loc, checker, testPassword)
	goTo(t, ctx, base, "/settings/changes")
	pending := text(t, ctx, `[data-testid="pending-change"]`)
	for _, want := range []string{lastWeek.String() + " – " + last.String(), loc.T("policy_pro_rata"), festival.String() + " ×1.50"} {
		if !strings.Contains(pending, want) {
			t.Fatalf("the pending change lacks %q: %s", want, pending)
		}
	}
	shoot(t, ctx, "journey-pacing-approve-zh-CN")
	load(t, ctx, `[data-testid="change-approve"]`)
	if p, _ := a.store.PacingPlanNow(ctx); p.CreatorsStart != lastWeek.String() || p.Policy != models.PolicyProRata || len(p.Weights) != 1 {
		t.Fatalf("the plan in force after the second admin: %+v", p)
	}

	// The week is computed against its budget: ¥700 left for ¥1,400 waiting, everyone at ×0.5.
	res, err := a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String())
	if err != nil || res.BudgetFen != 100_000 || res.FactorPPM != 500_000 {
		t.Fatalf("compute against the budget: %+v %v", res, err)
	}
	if got := a.bonusOf(a.creatorA.ID); got.AmountFen != 25_000 || got.RuleFen != 50_000 {
		t.Fatalf("Alice's proposal %d (rule %d), want ¥250 of ¥500", got.AmountFen, got.RuleFen)
	}

	// The checker previews a richer rule: what it would cost against the week's budget.
	goTo(t, ctx, base, "/settings/bonus-rule")
	do(t, ctx, chromedp.SetValue(`#per_video`, "150"))
	load(t, ctx, `[data-testid="rule-preview"]`)
	budget := text(t, ctx, `[data-testid="what-if-budget"]`)
	for _, want := range []string{"¥1,000.00", "¥1,700.00", "¥2,550.00"} { // the budget; both rules' totals
		if !strings.Contains(budget, want) {
			t.Fatalf("the preview against the budget lacks %q: %s", want, budget)
		}
	}
	shoot(t, ctx, "journey-pacing-what-if-zh-CN")
	signOut(t, ctx)

	// The reviewer sees the week's budget above the queue.
	signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)
	goTo(t, ctx, base, "/bonuses?week="+lastWeek.String())
	panel := text(t, ctx, `[data-testid="week-budget"]`)
	for _, want := range []string{lastWeek.String(), "¥1,000.00", "¥300.00", "¥700.00", loc.T("policy_pro_rata"), "0.5000"} {
		if !strings.Contains(panel, want) {
			t.Fatalf("the queue's budget panel lacks %q: %s", want, panel)
		}
	}
	shoot(t, ctx, "journey-pacing-queue-zh-CN")
	signOut(t, ctx)

	// Alice sees on /me that her ¥500 was scaled by 0.5 to ¥250.
	signInAs(t, ctx, base, loc, testUsers["creator"], testPassword)
	goTo(t, ctx, base, "/me")
	why := text(t, ctx, `[data-testid="pacing"]`)
	if want := loc.T("me_pacing_pro_rata", "Factor", "0.5000", "Rule", "¥500.00", "Final", "¥250.00"); why != want {
		t.Fatalf("/me says %q, want %q", why, want)
	}
	shoot(t, ctx, "journey-pacing-me-zh-CN")
}
