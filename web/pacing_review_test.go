package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// A creator (/me) and their agency's manager (the bonus page) see what
// pacing did to that one bonus — the rule's amount, the factor and the
// final amount — but not the week's budget, what the week's other bonuses
// come to, nor what its decided bonuses hold: those are the programme's.
func TestPacingShownToCreatorAndManagerLeavesOutTheWeek(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := pacedWeek(t, a, models.PolicyProRata)
	p := b.Explain().Pacing
	if p == nil {
		t.Fatal("not paced")
	}
	programme := []string{models.FormatYuan(p.BudgetFen), models.FormatYuan(p.PeriodRuleFen), models.FormatYuan(p.AvailableFen), models.FormatYuan(30_000)}
	own := []string{models.FormatYuan(p.RuleFen), models.FactorText(p.FactorPPM), models.FormatYuan(p.FinalFen)}
	me, detail := a.login("creator").get("/me").doc(t), a.login("mcnA").get("/bonuses/"+itoa(b.ID)).doc(t)
	for name, page := range map[string]string{
		"creator /me":        me.Find(`[data-testid="pacing"]`).Text(),
		"manager bonus page": detail.Find(`[data-testid="pacing"]`).Text(),
	} {
		whole := page
		if name == "manager bonus page" { // the final amount is the breakdown's total
			whole += detail.Find(`[data-testid="breakdown"]`).Text()
		}
		for _, w := range own {
			if !strings.Contains(whole, w) {
				t.Errorf("%s: %q missing from %q", name, w, page)
			}
		}
		for _, w := range programme {
			if strings.Contains(page, w) {
				t.Errorf("%s: shows the week's %q: %q", name, w, page)
			}
		}
	}
}

// A form with more weight rows than the table holds (1,000 rows posted) is
// refused naming the weights, not saved with the rows past the limit dropped.
func TestPacingPlanTooManyWeightRowsRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	f := pacingForm("2026-W01", "2026-W52", "2026-01", "2026-12", "pro_rata", "2026-W24", "150")
	f.Set("weight_rows", "1000")
	f.Set("weight_period_900", "2026-W46")
	f.Set("weight_percent_900", "150")
	res := admin.postForm("/settings/pacing", f)
	doc := res.doc(t)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="error-weights"]`).Length() != 1 {
		t.Fatalf("%d: %q", res.StatusCode, doc.Find(`.field-error`).Text())
	}
	if pending, _ := a.store.PendingChanges(ctx, models.SystemActor()); len(pending) != 0 {
		t.Fatal("a plan with a weight dropped was proposed")
	}
}
