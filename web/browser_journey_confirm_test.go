package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// A reviewer approves a whole page of last week's proposals — more than the
// confirmation threshold — with "select all on this page", reads on the
// confirmation page how many, how much and which week, confirms and sees the
// result; then puts them in a payout batch and confirms marking it paid.
// No step needs JavaScript to work: the clicks submit plain forms.
func TestBrowserJourneyConfirm(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base := a.ts.URL
		a.weekOfProposals(25) // ¥100 … ¥2,500 for agency B: 25 bonuses, ¥32,500, above the threshold of 20
		lang := string(loc.Lang)
		signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)

		goTo(t, ctx, base, "/bonuses")
		do(t, ctx, chromedp.SetValue(`#compute-week`, lastWeek.String()))
		load(t, ctx, `[data-testid="compute-form"] button`)
		goTo(t, ctx, base, "/bonuses?state=proposed&week="+lastWeek.String())
		if n := count(t, ctx, `[data-testid="bonus-row"]`); n != 25 {
			t.Fatalf("%d proposals listed, want 25", n)
		}
		do(t, ctx, chromedp.Click(`[data-testid="select-page"]`))
		load(t, ctx, `[data-testid="bulk-approve"]`)

		// The confirmation restates it; nothing is approved yet.
		if got, want := text(t, ctx, `main h1`), loc.T("confirm_approve_title"); got != want {
			t.Fatalf("page %q, want the confirmation %q", got, want)
		}
		if got, want := text(t, ctx, `[data-testid="confirm-lead"]`), loc.T("confirm_approve_lead", "Count", "25", "Amount", "¥32,500.00"); got != want {
			t.Fatalf("lead %q, want %q", got, want)
		}
		if got := text(t, ctx, `[data-testid="confirm-weeks"]`); !strings.HasPrefix(got, lastWeek.String()) {
			t.Fatalf("weeks %q", got)
		}
		if got := text(t, ctx, `[data-testid="confirm-count"]`); got != "25" {
			t.Fatalf("count %q", got)
		}
		if n := a.countState("approved"); n != 1 {
			t.Fatalf("%d approved before confirming (Carol's only, want 1)", n)
		}
		shoot(t, ctx, "journey-confirm-approval-"+lang)
		load(t, ctx, `[data-testid="confirm-submit"]`)
		wantFlash(t, ctx, loc.T("report_approved", "Count", 25, "Amount", "¥32,500.00"))
		shoot(t, ctx, "journey-confirm-approved-"+lang)

		a.payable() // verified payee details for everyone now owed money
		// A payout batch of them; its file; marking it paid is confirmed first.
		goTo(t, ctx, base, "/bonuses?state=approved&agency="+itoa(a.agencyB.ID))
		do(t, ctx, chromedp.Click(`input[name="all"]`))
		load(t, ctx, `[data-testid="bulk-payout"]`)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const f = document.querySelector('[data-testid="freeze"]'); const d = new FormData(f); d.append('format', 'csv'); return fetch(f.action, {method: 'POST', body: new URLSearchParams(d)}).then(r => r.status) })()`, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(`[data-testid="mark-paid"]`))
		load(t, ctx, `[data-testid="mark-paid"]`)
		// What the bank pays: ¥32,500 gross (¥100…¥2,500) less ¥3,060 income tax
		// withheld ((x − ¥800) × 20 % on each of ¥900…¥2,500).
		if got, want := text(t, ctx, `[data-testid="confirm-amount"]`), "¥29,440.00"; got != want {
			t.Fatalf("amount to pay %q, want %q", got, want)
		}
		if got := text(t, ctx, `[data-testid="confirm-count"]`); got != views.Count(25) {
			t.Fatalf("lines to pay %q", got)
		}
		if n := a.countState("paid"); n != 0 {
			t.Fatalf("%d paid before confirming", n)
		}
		shoot(t, ctx, "journey-confirm-payout-"+lang)
		load(t, ctx, `[data-testid="confirm-submit"]`)
		if got := text(t, ctx, `[data-testid="batch-state"]`); got != loc.T("batch_paid") {
			t.Fatalf("batch state %q", got)
		}
		wantFlash(t, ctx, loc.T("flash_lines_marked_paid", "Count", 25))
		shoot(t, ctx, "journey-confirm-paid-"+lang)
	})
}
