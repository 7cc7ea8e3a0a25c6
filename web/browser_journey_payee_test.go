package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// fitsPhone fails the test when the page scrolls sideways on a 375 px phone.
func fitsPhone(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 375 {
		t.Fatalf("%s is %d px wide on a 375 px phone (%v)", page, width, err)
	}
}

// A creator enters bank details on a phone (a mistyped card refused first),
// a reviewer verifies them with a note, and the creator changes the card: the
// details wait for verification again and a notification says so.
func TestBrowserJourneyPayee(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base, lang := a.ts.URL, string(loc.Lang)
		phone := chromedp.EmulateViewport(375, 812)
		do(t, ctx, phone)
		signInAs(t, ctx, base, loc, testUsers["creator"], testPassword)
		goTo(t, ctx, base, "/me")
		if got := text(t, ctx, `[data-testid="me-payee"]`); !strings.Contains(got, loc.T("payee_none")) {
			t.Fatalf("/me says %q about payee details", got)
		}
		load(t, ctx, `[data-testid="me-payee-link"]`)
		fitsPhone(t, ctx, "/me/payee")
		do(t, ctx, chromedp.SendKeys(`#name`, "张三"), chromedp.SendKeys(`#id_number`, "11010519491231002X"),
			chromedp.SendKeys(`#card`, "6222 0202 0011 2233 449"), chromedp.SendKeys(`#bank`, "中国工商银行"), chromedp.SendKeys(`#branch`, "北京朝阳支行"))
		load(t, ctx, `[data-testid="payee-save"]`)
		if got := text(t, ctx, `[data-testid="error-card"]`); got != loc.Msg(models.Msg{ID: "err_payee_card"}) {
			t.Fatalf("mistyped card: %q", got)
		}
		fitsPhone(t, ctx, "/me/payee with errors")
		shoot(t, ctx, "journey-payee-card-refused-"+lang)
		do(t, ctx, chromedp.Clear(`#card`), chromedp.SendKeys(`#card`, "6222 0202 0011 2233 446"))
		load(t, ctx, `[data-testid="payee-save"]`)
		wantFlash(t, ctx, loc.T("flash_payee_saved"))
		if got := text(t, ctx, `[data-testid="payee-account"]`); got != "6222 **** **** 3446" {
			t.Errorf("account shown as %q", got)
		}
		if got := text(t, ctx, `[data-testid="payee-state"]`); got != loc.T("payee_unverified") {
			t.Errorf("new details show %q", got)
		}
		fitsPhone(t, ctx, "/me/payee saved")
		shoot(t, ctx, "journey-payee-saved-"+lang)
		signOut(t, ctx)

		// The reviewer verifies them, with a note.
		do(t, ctx, chromedp.EmulateViewport(1280, 900))
		signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)
		goTo(t, ctx, base, "/payees")
		if got := text(t, ctx, `[data-testid="payee-row"]`); !strings.Contains(got, a.creatorA.DisplayName) || !strings.Contains(got, "6222 **** **** 3446") ||
			!strings.Contains(got, "1101**********002X") {
			t.Fatalf("the reviewer's list shows %q", got)
		}
		shoot(t, ctx, "journey-payee-to-verify-"+lang)
		do(t, ctx, chromedp.SendKeys(`[data-testid="verify-form"] textarea`, "核对了身份证和银行卡照片"))
		load(t, ctx, `[data-testid="verify"]`)
		wantFlash(t, ctx, loc.T("flash_payee_verified", "Name", "张三"))
		if n := count(t, ctx, `[data-testid="payee-row"]`); n != 0 {
			t.Errorf("%d details still waiting", n)
		}
		signOut(t, ctx)

		// The creator changes the card: waiting again, and told so.
		do(t, ctx, phone)
		signInAs(t, ctx, base, loc, testUsers["creator"], testPassword)
		goTo(t, ctx, base, "/me/payee")
		if got := text(t, ctx, `[data-testid="payee-state"]`); got != loc.T("payee_verified") {
			t.Fatalf("verified details show %q", got)
		}
		shoot(t, ctx, "journey-payee-verified-"+lang)
		do(t, ctx, chromedp.SendKeys(`#card`, "4111 1111 1111 1111"), chromedp.Clear(`#bank`), chromedp.SendKeys(`#bank`, "招商银行"), chromedp.Clear(`#branch`), chromedp.SendKeys(`#branch`, "北京分行"))
		load(t, ctx, `[data-testid="payee-save"]`)
		if got := text(t, ctx, `[data-testid="payee-state"]`); got != loc.T("payee_unverified") {
			t.Errorf("changed details show %q", got)
		}
		if got := text(t, ctx, `[data-testid="payee-account"]`); got != "4111 **** **** 1111" {
			t.Errorf("new account shown as %q", got)
		}
		fitsPhone(t, ctx, "/me/payee changed")
		shoot(t, ctx, "journey-payee-changed-"+lang)
		goTo(t, ctx, base, "/notifications")
		if got, want := text(t, ctx, `main`), loc.Msg(models.M(models.NotifyPayeeAccountChanged, "Account", "4111 **** **** 1111")); !strings.Contains(got, want) {
			t.Errorf("notifications lack %q:\n%s", want, got)
		}
		fitsPhone(t, ctx, "/notifications")
		shoot(t, ctx, "journey-payee-notified-"+lang)
		if mails := a.mailsTo(testUsers["creator"]); len(mails) != 1 || !strings.Contains(mails[0].Text, "4111 **** **** 1111") {
			t.Errorf("mails to the creator: %d", len(mails))
		}
	})
}
