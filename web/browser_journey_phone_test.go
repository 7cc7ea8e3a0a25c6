package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// A creator reads /me on a 375 px phone: nothing scrolls sideways, weeks are
// cards with the amount and state first, a week JD has not computed says so,
// and the statement downloads with the account and the day in its name and
// the words in the creator's language. A visitor then reads the public top 100
// with its rank numbers, the ★ of featured creators and the day it was published.
func TestBrowserJourneyPhone(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newDemoApp(t)
		base, lang := a.ts.URL, string(loc.Lang)
		do(t, ctx, chromedp.EmulateViewport(375, 812))
		signInAs(t, ctx, base, loc, "creator1@demo.test", "demo-password")
		goTo(t, ctx, base, "/me")
		fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= 375`))
		if err != nil || !fits {
			width, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			t.Fatalf("/me is %d px wide on a 375 px phone (%v)", width, err)
		}
		if n := count(t, ctx, `[data-testid="my-week"]`); n < 3 {
			t.Fatalf("%d week cards", n)
		}
		first := text(t, ctx, `[data-testid="my-week"] .week-head`)
		if !regexp.MustCompile(`^¥[0-9,]+\.[0-9]{2}`).MatchString(strings.TrimSpace(first)) {
			t.Errorf("a week card does not start with its amount: %q", first)
		}
		if got := text(t, ctx, `[data-testid="not-computed"]`); got != loc.T("me_not_computed") {
			t.Errorf("not computed week shows %q", got)
		}
		if how := text(t, ctx, `[data-testid="my-rank-how"]`); !strings.Contains(how, lastWeek.String()) {
			t.Errorf("rank explained as %q", how)
		}
		shoot(t, ctx, "journey-phone-me-"+lang)
		do(t, ctx, chromedp.Click(`[data-testid="week-how"] summary`))
		shoot(t, ctx, "journey-phone-me-how-"+lang)

		// The statement, as the browser downloads it.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`fetch('/me/statement.csv').then(r => r.text().then(t => [r.headers.get('Content-Disposition') || '', t]))`, chromedp.EvalAwaitPromise))
		if err != nil || len(got) != 2 {
			t.Fatalf("statement: %v", err)
		}
		name := "statement-jd_cr_100000-" + models.DayOf(a.store.Now()) + ".csv"
		if !strings.Contains(got[0], `filename="`+name+`"`) {
			t.Errorf("statement is called %q, want %s", got[0], name)
		}
		body := got[1]
		for _, want := range []string{loc.T("column_bonus_state_code"), loc.T("column_week_monday"), loc.T("bonus_paid"), ",paid,", loc.T("me_not_computed"), ",not_computed,"} {
			if !strings.Contains(body, want) {
				t.Errorf("statement lacks %q:\n%s", want, body)
			}
		}
		signOut(t, ctx)

		// The public top 100 on the phone.
		goTo(t, ctx, base, "/top-creators")
		if got := text(t, ctx, `[data-testid="top-rank"]`); got != loc.T("top_rank_number", "Rank", 1) {
			t.Errorf("first rank shows %q", got)
		}
		if n := count(t, ctx, `[data-testid="top-featured"]`); n == 0 {
			t.Error("no ★ for the featured creators on the public list")
		}
		if got := text(t, ctx, `[data-testid="top-published"]`); !strings.Contains(got, loc.Date(a.store.Now().In(models.CST))) {
			t.Errorf("published %q", got)
		}
		visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="top-rank"]').getBoundingClientRect().width > 0 && document.documentElement.scrollWidth <= 375`))
		if err != nil || !visible {
			t.Errorf("rank numbers hidden or the page scrolls sideways (%v)", err)
		}
		shoot(t, ctx, "journey-phone-top-"+lang)
		do(t, ctx, chromedp.EmulateViewport(1280, 900))
		if got := text(t, ctx, `[data-testid="top-rank"]`); got != loc.T("top_rank_number", "Rank", 1) {
			t.Errorf("desktop: first rank shows %q", got)
		}
		shoot(t, ctx, "journey-phone-top-desktop-"+lang)
	})
}
