package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/views/i18n"
)

// A reviewer makes a payout batch of approved bonuses, freezes it for the
// bank, is asked for the password again (the file holds full accounts),
// re-enters it and downloads the file: it carries the line references, the
// payee columns and the net amounts the batch page shows.
func TestBrowserJourneyPayoutLines(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		clk := withClock(t, a)
		base := a.ts.URL
		lang := string(loc.Lang)
		a.weekOfProposals(3) // ¥100, ¥200, ¥300 for agency B
		rev := a.actor("reviewer")
		if _, err := a.store.ComputeWeek(ctx, rev, lastWeek.String()); err != nil {
			t.Fatal(err)
		}
		var ids []uint
		a.raw.Table("bonuses").Where("agency_id = ?", a.agencyB.ID).Order("id").Pluck("id", &ids)
		if _, err := a.store.ApproveBonuses(ctx, rev, ids); err != nil {
			t.Fatal(err)
		}
		a.payable() // verified payee details for everyone now owed money
		signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)

		// A batch of agency B's approved bonuses: one line per creator, gross, tax, net.
		goTo(t, ctx, base, "/bonuses?state=approved&agency="+itoa(a.agencyB.ID))
		do(t, ctx, chromedp.Click(`input[name="all"]`))
		load(t, ctx, `[data-testid="bulk-payout"]`)
		if n := count(t, ctx, `[data-testid="payout-line"]`); n != 3 {
			t.Fatalf("%d payout lines, want 3", n)
		}
		if got, want := text(t, ctx, `[data-testid="batch-money"]`), loc.T("batch_money", "Gross", "¥600.00", "Tax", "¥0.00", "Net", "¥600.00"); got != want {
			t.Fatalf("batch money %q, want %q", got, want)
		}
		shoot(t, ctx, "journey-payout-lines-batch-"+lang)

		// Freezing leads to the file; the password was entered too long ago.
		clk.add(16 * time.Minute)
		load(t, ctx, `[data-testid="freeze-csv"]`)
		if got, want := text(t, ctx, `main h1`), loc.T("reauth_title"); got != want {
			t.Fatalf("page %q, want the password page %q", got, want)
		}
		shoot(t, ctx, "journey-payout-lines-reauth-"+lang)
		do(t, ctx, chromedp.SetValue(`#password`, testPassword))
		load(t, ctx, `main form[action="/reauth"] button[type="submit"]`)
		if got := text(t, ctx, `[data-testid="batch-state"]`); got != loc.T("batch_exported") {
			t.Fatalf("batch state %q after the password", got)
		}
		nets := text(t, ctx, `[data-testid="batch-lines"]`)
		for _, want := range []string{"¥100.00", "¥200.00", "¥300.00", "JD"} {
			if !strings.Contains(nets, want) {
				t.Fatalf("batch lines %q lack %q", nets, want)
			}
		}
		shoot(t, ctx, "journey-payout-lines-frozen-"+lang)

		// The file as the bank gets it.
		file, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('[data-testid="export-csv"]').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSpace(strings.TrimPrefix(file, "\uFEFF")), "\n")
		header := strings.Join([]string{loc.T("column_batch_id"), loc.T("column_batch_checksum"), loc.T("column_line_ref"), loc.T("column_payee_name"),
			loc.T("column_account_number"), loc.T("column_bank"), loc.T("column_branch"), loc.T("column_purpose"), loc.T("column_gross_fen"),
			loc.T("column_tax_fen"), loc.T("column_net_yuan"), loc.T("column_net_fen")}, ",")
		if len(rows) != 4 || rows[0] != header {
			t.Fatalf("file %q, want header %q", file, header)
		}
		if !strings.Contains(rows[1], ",Creator q00000,") || !strings.Contains(rows[1], "京东创作者激励 "+lastWeek.String()) || !strings.HasSuffix(rows[1], ",10000,0,100.00,10000") {
			t.Fatalf("first line %q", rows[1])
		}
		if n := a.countAudit("payout.download"); n != 1 {
			t.Fatalf("%d downloads audited, want 1", n)
		}
	})
}

// countAudit counts the audit entries of an action.
func (a *app) countAudit(action string) int64 {
	var n int64
	a.raw.Table("audit_entries").Where("action = ?", action).Count(&n)
	return n
}
