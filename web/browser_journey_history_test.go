package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// A creator on a 375 px phone opens the history of a week the order feed
// corrected with refunds, and reads the correction: where it came from and
// each figure before and after, the changed ones marked. A reviewer then
// opens that week's bonus and sees the figures it was computed from beside
// the ones now, with the differing ones marked.
func TestBrowserJourneyHistory(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newDemoApp(t)
		base, lang := a.ts.URL, string(loc.Lang)
		var u models.User
		a.raw.Where("email = ?", "creator1@demo.test").First(&u)
		var week models.WeeklyPerformance
		a.raw.Where("creator_id = ? AND refunded_gmv_fen > 0", *u.CreatorID).Order("week DESC").First(&week)
		if week.ID == 0 {
			t.Fatal("the demo has no corrected week for creator1")
		}

		do(t, ctx, chromedp.EmulateViewport(375, 812))
		signInAs(t, ctx, base, loc, "creator1@demo.test", "demo-password")
		goTo(t, ctx, base, "/me")
		card := `[data-testid="my-week"]:has([data-testid="week-refunds"])`
		if got := text(t, ctx, card+` [data-testid="week-refunds"]`); !strings.Contains(got, models.FormatYuan(week.RefundedGMVFen)) {
			t.Errorf("the week card's refunds read %q", got)
		}
		load(t, ctx, card+` [data-testid="week-history"]`)
		if got := text(t, ctx, `main h1`); !strings.Contains(got, week.Week) {
			t.Fatalf("history page title %q", got)
		}
		if n := count(t, ctx, `[data-testid="revision"]`); n != 2 {
			t.Fatalf("%d revisions, want the upload and its correction", n)
		}
		if got := text(t, ctx, `[data-testid="revision"] [data-testid="revision-source"]`); got != loc.T("source_api", "Name", "jd-order-feed") {
			t.Errorf("the correction's source reads %q", got)
		}
		if n := count(t, ctx, `[data-testid="revision"]:first-child [data-testid="figure-changed"]`); n != 3 {
			t.Errorf("%d figures marked changed, want refunded orders, refunds and net GMV", n)
		}
		if got := text(t, ctx, `[data-testid="revision"]:first-child [data-figure="refunded_gmv_fen"] .changed-mark`); got != loc.T("history_changed") {
			t.Errorf("the changed mark reads %q", got)
		}
		fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= 375`))
		if err != nil || !fits {
			width, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			t.Errorf("the history is %d px wide on a 375 px phone (%v)", width, err)
		}
		shoot(t, ctx, "journey-history-me-"+lang)
		signOut(t, ctx)

		// Staff: the bonus of that week, computed before the correction.
		var b models.Bonus
		a.raw.Where("creator_id = ? AND week = ?", *u.CreatorID, week.Week).First(&b)
		if b.ID == 0 {
			t.Fatalf("creator1 has no bonus for %s", week.Week)
		}
		do(t, ctx, chromedp.EmulateViewport(1280, 900))
		signInAs(t, ctx, base, loc, "reviewer1@demo.test", "demo-password")
		goTo(t, ctx, base, "/bonuses/"+itoa(b.ID))
		if got := text(t, ctx, `[data-testid="figures-differ"]`); got != loc.T("bonus_figures_differ") {
			t.Errorf("the bonus page says %q about its figures", got)
		}
		heads := text(t, ctx, `[data-testid="bonus-figures"] thead`)
		if !strings.Contains(heads, loc.T("col_computed_from")) || !strings.Contains(heads, loc.T("col_now")) {
			t.Errorf("figure columns %q", heads)
		}
		if got := text(t, ctx, `[data-testid="bonus-figures"] [data-figure="refunded_gmv_fen"] td:last-child`); got != models.FormatYuan(week.RefundedGMVFen) {
			t.Errorf("refunds now read %q", got)
		}
		shoot(t, ctx, "journey-history-bonus-"+lang)
		load(t, ctx, `[data-testid="week-history-link"]`)
		if n := count(t, ctx, `[data-testid="revision-who"]`); n == 0 {
			t.Error("staff do not see who made the changes")
		}
	})
}
