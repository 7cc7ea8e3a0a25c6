package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// pacedWeek qualifies Alice (the test creator) and paces last week under
// policy: a plan of ten weeks, a pool of ¥10,000 of which Carol's ¥300 is
// approved; Alice's rule gives ¥2,000 with the lowest GMV, Dave and Erin
// ¥1,000 each with higher GMV. It returns Alice's bonus.
func pacedWeek(t *testing.T, a *app, policy models.OverSubscriptionPolicy) *models.Bonus {
	t.Helper()
	sys := models.SystemActor()
	if _, err := a.store.DecideCreator(ctx, sys, models.Decision{CreatorID: a.creatorA.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	if err := a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, -3, 0), a.creatorA.ID).Error; err != nil {
		t.Fatal(err)
	}
	a.qualifiedCreator("jd_cr_dave01", &a.agencyA.ID)
	a.qualifiedCreator("jd_cr_erin01", &a.agencyB.ID)
	a.perf(lastWeek, "jd_cr_alice1", 20, 0, 0, 100)
	a.perf(lastWeek, "jd_cr_dave01", 10, 0, 0, 900_000)
	a.perf(lastWeek, "jd_cr_erin01", 10, 0, 0, 800_000)
	start := lastWeek.Prev().Prev().Prev()
	end := start
	for range 9 {
		end = models.WeekOf(end.End())
	}
	month := models.MonthOf(time.Now())
	if err := a.store.SetPacingPlan(ctx, sys, models.PacingPlan{CreatorsStart: start.String(), CreatorsEnd: end.String(),
		MCNStart: month.String(), MCNEnd: month.Next().String(), Policy: policy, Weights: []models.PeriodWeight{}}); err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetPoolTotal(ctx, sys, models.PoolCreators, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	return a.bonusOf(a.creatorA.ID)
}

// The bonus page (staff) and the creator's /me say what the week's budget
// did to the bonus: the rule's amount, the factor and the final amount, in
// both languages; by rank, why it was not funded.
func TestPacingShownOnBonusPageAndMe(t *testing.T) {
	t.Parallel()
	for _, policy := range []models.OverSubscriptionPolicy{models.PolicyProRata, models.PolicyByRank} {
		t.Run(string(policy), func(t *testing.T) {
			t.Parallel()
			a := newApp(t)
			b := pacedWeek(t, a, policy)
			p := b.Explain().Pacing
			if p == nil || b.RuleFen != 200_000 || b.AmountFen >= b.RuleFen {
				t.Fatalf("not paced: %+v %+v", b, p)
			}
			if policy == models.PolicyByRank && (!p.Unfunded || b.AmountFen != 0) {
				t.Fatalf("by rank: Alice should be unfunded: %+v", p)
			}
			staff, me := a.login("reviewer"), a.login("creator")
			for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
				tr := i18n.For(lang)
				for _, c := range []*client{staff, me} {
					c.postForm("/language", url.Values{"lang": {string(lang)}, "back": {"/"}})
				}
				budget, rule, final, factor := models.FormatYuan(p.BudgetFen), models.FormatYuan(p.RuleFen), models.FormatYuan(p.FinalFen), models.FactorText(p.FactorPPM)
				doc := staff.get("/bonuses/" + itoa(b.ID)).doc(t)
				got := strings.Join(strings.Fields(doc.Find(`[data-testid="pacing"]`).Text()), " ")
				want := []string{tr.T("pacing_rule_amount"), rule, tr.T("pacing_factor"), "×" + factor,
					tr.T("pacing_held", "Held", models.FormatYuan(30_000), "Left", models.FormatYuan(p.AvailableFen))}
				if policy == models.PolicyProRata {
					want = append(want, tr.T("pacing_note_pro_rata", "Total", models.FormatYuan(400_000), "Budget", budget, "Factor", factor))
				} else {
					want = append(want, tr.T("pacing_note_by_rank", "Total", models.FormatYuan(400_000), "Budget", budget), tr.T("pacing_unfunded"))
				}
				for _, w := range want {
					if !strings.Contains(got, strings.Join(strings.Fields(w), " ")) {
						t.Errorf("%s bonus page: %q missing from %q", lang, w, got)
					}
				}
				if total := doc.Find(`[data-testid="breakdown"] tr.total td`).Text(); total != final {
					t.Errorf("%s bonus page: total %q, want the final %s", lang, total, final)
				}
				mine := strings.TrimSpace(me.get("/me").doc(t).Find(`[data-testid="pacing"]`).Text())
				var wantMe string
				if policy == models.PolicyProRata {
					wantMe = tr.T("me_pacing_pro_rata", "Factor", factor, "Rule", rule, "Final", final)
				} else {
					wantMe = tr.T("me_pacing_unfunded", "Rule", rule)
				}
				if mine != wantMe {
					t.Errorf("%s /me: %q, want %q", lang, mine, wantMe)
				}
			}
		})
	}
}

// A week without a plan shows no pacing.
func TestNoPacingWithoutAPlan(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.login("reviewer").get("/bonuses/" + itoa(a.bonusC.ID)).doc(t)
	if doc.Find(`[data-testid="pacing"]`).Length() != 0 || doc.Find(`[data-testid="breakdown"]`).Length() != 1 {
		t.Fatal("pacing shown for a week without a budget")
	}
}
