package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// An admin proposes a higher first rate of the individual income tax rule; a
// second admin approves it; the tax rule page then shows version 2 in force,
// with its worked example and both versions in the history. The page passes
// axe and fits a phone.
func TestBrowserJourneyTax(t *testing.T) {
	// axe-core checks the page when it is installed (web/testdata/axe); the journey runs without it.
	axe, _ := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		const checker = "checker@t.test"
		if _, err := a.store.CreateUser(context.Background(), models.SystemActor(), models.NewUser{Email: checker, Password: testPassword, Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		base, lang := a.ts.URL, string(loc.Lang)
		signInAs(t, ctx, base, loc, testUsers["admin"], testPassword)
		goTo(t, ctx, base, "/settings")
		load(t, ctx, `a[href="/settings/tax-rule"]`)
		if got := text(t, ctx, `[data-testid="tax-example"]`); !strings.Contains(got, "¥440.00") {
			t.Fatalf("worked example under version 1: %q", got)
		}
		for _, width := range []int64{1280, 375} {
			do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Reload(), chromedp.WaitVisible(`main`))
			if len(axe) == 0 {
				t.Log("axe-core is not installed: accessibility not checked")
			}
			for _, v := range axeCheckIf(t, ctx, string(axe)) {
				t.Errorf("at %d px: %s (%s): %s %v", width, v.ID, v.Impact, v.Help, v.Nodes)
			}
			if fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.documentElement.scrollWidth <= %d`, width))); err != nil || !fits {
				wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > %d).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8).join(' ')`, width)))
				t.Errorf("the page scrolls sideways at %d px (%v): %s", width, err, wide)
			}
		}
		shoot(t, ctx, "journey-tax-rule-phone-"+lang)
		do(t, ctx, chromedp.EmulateViewport(1280, 900))
		shoot(t, ctx, "journey-tax-rule-"+lang)

		do(t, ctx, chromedp.SetValue(`#rate_1`, "25"), chromedp.SetValue(`#quick_2`, "1000"), chromedp.SetValue(`#quick_3`, "6000"))
		load(t, ctx, `[data-testid="tax-rule-propose"]`)
		wantFlash(t, ctx, loc.T("flash_change_proposed", "ID", 1, "Kind", loc.T("change_kind_tax_rule")))
		if count(t, ctx, `[data-testid="change-waiting"]`) != 1 || count(t, ctx, `[data-testid="change-approve"]`) != 0 {
			t.Fatal("the proposer is not told the change waits for a second admin")
		}
		shoot(t, ctx, "journey-tax-proposed-"+lang)
		signOut(t, ctx)

		signInAs(t, ctx, base, loc, checker, testPassword)
		goTo(t, ctx, base, "/settings/changes")
		pending := text(t, ctx, `[data-testid="pending-change"]`)
		if !strings.Contains(pending, loc.T("change_kind_tax_rule")) || !strings.Contains(pending, "≤ ¥20,000.00: 25% − ¥0.00") {
			t.Fatalf("the checker's view: %q", pending)
		}
		shoot(t, ctx, "journey-tax-pending-"+lang)
		load(t, ctx, `[data-testid="change-approve"]`)
		wantFlash(t, ctx, loc.T("flash_change_approved", "ID", 1, "Kind", loc.T("change_kind_tax_rule")))

		goTo(t, ctx, base, "/settings/tax-rule")
		cur, err := a.store.CurrentTaxRule(context.Background())
		if err != nil || cur.Version != 2 {
			t.Fatalf("in force: %+v %v", cur, err)
		}
		if got, want := text(t, ctx, `[data-testid="tax-rule-in-force"] h2`), loc.T("tax_rule_in_force", "Version", 2, "Since", models.FormatCST(cur.InForceFrom)); got != want {
			t.Fatalf("heading %q, want %q", got, want)
		}
		if got := text(t, ctx, `[data-testid="tax-example"]`); !strings.Contains(got, "¥2,200.00 × 25% − ¥0.00 = ¥550.00") {
			t.Fatalf("worked example under version 2: %q", got)
		}
		if count(t, ctx, `[data-testid="tax-history"] tbody tr`) != 2 || !strings.Contains(text(t, ctx, `[data-testid="tax-version-2"]`), loc.T("tax_in_force_badge")) {
			t.Fatalf("history: %q", text(t, ctx, `[data-testid="tax-history"]`))
		}
		shoot(t, ctx, "journey-tax-version-2-"+lang)
	})
}

// axeCheckIf runs axe when its source is at hand.
func axeCheckIf(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	if axe == "" {
		return nil
	}
	return axeCheck(t, ctx, axe)
}
