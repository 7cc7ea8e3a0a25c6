package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// A reviewer filters the queue to flagged proposals, reads on a bonus's page
// why it was flagged, rejects it, then approves everything else matching
// without the flagged ones: the confirmation says how many and how much it
// leaves out (issue 16).
func TestBrowserJourneyRisk(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base := a.ts.URL
		var alike []*models.Creator
		for _, acct := range []string{"jd_cr_same01", "jd_cr_same02", "jd_cr_same03"} {
			c := a.qualifiedCreator(acct, &a.agencyB.ID)
			a.perf(lastWeek, acct, 2, 0, 1000, 50_000) // ¥200 each, the very same week three times
			alike = append(alike, c)
		}
		a.perf(lastWeek, a.qualifiedCreator("jd_cr_clean1", &a.agencyB.ID).AccountID, 3, 0, 0, 0) // ¥300
		a.perf(lastWeek, a.qualifiedCreator("jd_cr_clean2", &a.agencyB.ID).AccountID, 4, 0, 0, 0) // ¥400
		if res, err := a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String()); err != nil || res.Flagged != 3 {
			t.Fatalf("compute: %+v %v", res, err)
		}
		signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)

		// The queue of agency B's proposals, filtered to those with a flag.
		goTo(t, ctx, base, "/bonuses?state=proposed&week="+lastWeek.String()+"&agency="+itoa(a.agencyB.ID))
		if n := count(t, ctx, `[data-testid="bonus-row"]`); n != 5 {
			t.Fatalf("%d proposals for agency B, want 5", n)
		}
		do(t, ctx, chromedp.SetValue(`#risk`, models.RiskAny))
		load(t, ctx, `form.filters button[type=submit]`)
		if n := count(t, ctx, `[data-testid="bonus-row"]`); n != 3 {
			t.Fatalf("%d flagged proposals, want 3", n)
		}
		if got := text(t, ctx, `[data-testid="risk-badge"]`); got != loc.T("risk_kind_identical") {
			t.Errorf("badge %q, want %q", got, loc.T("risk_kind_identical"))
		}
		shoot(t, ctx, "journey-risk-queue-"+string(loc.Lang))

		// Why: the bonus page says it in words and numbers.
		goTo(t, ctx, base, "/bonuses/"+itoa(a.bonusOf(alike[0].ID).ID))
		why := text(t, ctx, `[data-testid="risk-flag"]`)
		if want := loc.T("risk_identical", "Count", 3, "Videos", 2, "Live", 0, "Views", "1,000", "Orders", 1, "GMV", "¥500.00"); !strings.Contains(why, want) {
			t.Fatalf("the flag reads %q, want %q", why, want)
		}
		shoot(t, ctx, "journey-risk-bonus-"+string(loc.Lang))
		do(t, ctx, chromedp.SetValue(`#reason`, "unverified_performance"))
		load(t, ctx, `[data-testid="reject"]`)
		if got := text(t, ctx, `[data-testid="bonus-state"]`); got != loc.T("bonus_rejected") {
			t.Fatalf("state after rejecting %q", got)
		}

		// Everything matching, flagged left out: the confirmation says how many and how much.
		goTo(t, ctx, base, "/bonuses?state=proposed&week="+lastWeek.String()+"&agency="+itoa(a.agencyB.ID))
		do(t, ctx, chromedp.Click(`[data-testid="select-all-matching"]`))
		load(t, ctx, `[data-testid="bulk-approve"]`)
		if got, want := text(t, ctx, `[data-testid="confirm-left-out"]`), loc.T("confirm_left_out_value", "Count", "2", "Amount", "¥400.00"); got != want {
			t.Fatalf("left out %q, want %q", got, want)
		}
		if got := text(t, ctx, `[data-testid="confirm-count"]`); got != "2" {
			t.Fatalf("to approve %q, want 2", got)
		}
		shoot(t, ctx, "journey-risk-confirm-"+string(loc.Lang))
		load(t, ctx, `[data-testid="confirm-submit"]`)
		wantFlash(t, ctx, loc.T("report_approved", "Count", 2, "Amount", "¥700.00"))
		for _, c := range alike[1:] {
			if st := a.bonusOf(c.ID).State; st != models.BonusProposed {
				t.Errorf("flagged proposal of %s is %s, want it left waiting", c.AccountID, st)
			}
		}
	})
}
