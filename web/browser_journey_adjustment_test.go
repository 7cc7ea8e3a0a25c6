package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// clawbackWaiting gives Alice (the creator user) a paid week whose GMV is
// then refunded: recomputing it proposes a clawback of ¥2,000. Her next week
// (¥3,000) is approved and waits for a batch.
func (a *app) clawbackWaiting(t *testing.T) (next *models.Bonus) {
	t.Helper()
	rev := a.actor("reviewer")
	paidWeek, nextWeek := lastWeek.Prev().Prev(), lastWeek.Prev()
	if err := a.raw.Exec("UPDATE creators SET state = ?, qualified_at = ? WHERE id = ?", models.StateQualified, time.Now().UTC().AddDate(0, -3, 0), a.creatorA.ID).Error; err != nil {
		t.Fatal(err)
	}
	a.perf(paidWeek, a.creatorA.AccountID, 2, 0, 0, 5_000_000) // ¥2,000 + ¥200
	if _, err := a.store.ComputeWeek(ctx, rev, paidWeek.String()); err != nil {
		t.Fatal(err)
	}
	var paid models.Bonus
	a.raw.Where("creator_id = ? AND week = ?", a.creatorA.ID, paidWeek.String()).First(&paid)
	if _, err := a.store.ApproveBonuses(ctx, rev, []uint{paid.ID}); err != nil {
		t.Fatal(err)
	}
	a.payable()
	batch, _, err := a.store.CreatePayoutBatch(ctx, rev, models.PayCreators, []uint{paid.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.store.FreezePayoutBatch(ctx, rev, batch.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.MarkBatchPaid(ctx, rev, batch.ID); err != nil {
		t.Fatal(err)
	}
	// The whole week's GMV is refunded after it was paid (a revision, as an ingest keeps one).
	var p models.WeeklyPerformance
	a.raw.Where("creator_id = ? AND week = ?", a.creatorA.ID, paidWeek.String()).First(&p)
	before, _ := json.Marshal(p.Figures())
	p.RefundedOrders, p.RefundedGMVFen = 1, 5_000_000
	after, _ := json.Marshal(p.Figures())
	a.raw.Exec("UPDATE weekly_performances SET refunded_orders = 1, refunded_gmv_fen = 5000000 WHERE id = ?", p.ID)
	a.raw.Create(&models.PerformanceRevision{CreatorID: a.creatorA.ID, Week: paidWeek.String(), Source: "api:feed", Before: string(before), After: string(after), CreatedAt: time.Now()})
	if res, err := a.store.ComputeWeek(ctx, rev, paidWeek.String()); err != nil || res.Adjustments != 1 {
		t.Fatalf("recompute: %+v %v", res, err)
	}
	a.perf(nextWeek, a.creatorA.AccountID, 30, 0, 0, 0) // ¥3,000
	if _, err := a.store.ComputeWeek(ctx, rev, nextWeek.String()); err != nil {
		t.Fatal(err)
	}
	next = &models.Bonus{}
	a.raw.Where("creator_id = ? AND week = ?", a.creatorA.ID, nextWeek.String()).First(next)
	if _, err := a.store.ApproveBonuses(ctx, rev, []uint{next.ID}); err != nil {
		t.Fatal(err)
	}
	a.payable()
	return next
}

// A reviewer filters the queue to adjustments, approves Alice's clawback
// after refunds, and makes a batch of her next week; Alice sees on /me the
// clawback with both figures and how the batch netted it.
func TestBrowserJourneyAdjustment(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base := a.ts.URL
		lang := string(loc.Lang)
		next := a.clawbackWaiting(t)
		signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)

		goTo(t, ctx, base, "/bonuses")
		load(t, ctx, `[data-testid="queue-type-adjustments"]`)
		if n := count(t, ctx, `[data-testid="adjustment-row"]`); n != 1 {
			t.Fatalf("%d adjustments listed", n)
		}
		amount := text(t, ctx, `[data-testid="adjustment-amount"]`)
		if !strings.Contains(amount, loc.T("clawback")) || !strings.Contains(amount, "−¥2,000.00") {
			t.Fatalf("adjustment amount %q", amount)
		}
		row := text(t, ctx, `[data-testid="adjustment-row"]`)
		if !strings.Contains(row, loc.T("adjust_reason_refunds")) || !strings.Contains(row, "¥50,000.00") {
			t.Fatalf("adjustment row %q lacks the reason or the figures", row)
		}
		shoot(t, ctx, "journey-adjustment-queue-"+lang)
		do(t, ctx, chromedp.Click(`[data-testid="adjustment-row"] input[name="ids"]`))
		load(t, ctx, `[data-testid="adjustment-approve"]`)
		if got := text(t, ctx, `[data-testid="adjustment-row"]`); !strings.Contains(got, loc.Label("bonus_", "approved")) {
			t.Fatalf("after approving: %q", got)
		}

		// The next batch of Alice's payable week nets the clawback: ¥3,000 − ¥2,000.
		goTo(t, ctx, base, "/bonuses?state=approved&q="+a.creatorA.AccountID)
		do(t, ctx, chromedp.Click(`input[name="all"]`))
		load(t, ctx, `[data-testid="bulk-payout"]`)
		if got := text(t, ctx, `[data-testid="batch-lines"]`); !strings.Contains(got, "¥1,000.00") {
			t.Fatalf("batch lines %q, want the netted ¥1,000.00", got)
		}
		var line models.PayoutLineRecord
		a.raw.Table("payout_lines").Where("payee_id = ? AND payee_kind = ?", a.creatorA.ID, models.PayeeCreator).Order("id DESC").First(&line)
		if line.GrossFen != 100_000 {
			t.Fatalf("line %+v for bonus %d", line, next.ID)
		}
		signOut(t, ctx)

		// Alice sees the clawback, why, both figures, and the netting.
		signInAs(t, ctx, base, loc, testUsers["creator"], testPassword)
		goTo(t, ctx, base, "/me")
		want := loc.T("adjust_clawback_text", "Amount", "¥2,000.00", "Why", loc.T("adjust_reason_refunds"))
		if got := text(t, ctx, `[data-testid="week-adjustment-text"]`); got != want {
			t.Fatalf("adjustment on /me %q, want %q", got, want)
		}
		netted := text(t, ctx, `[data-testid="week-adjustment-netted"]`)
		if !strings.Contains(netted, line.Ref) || !strings.Contains(netted, "−¥2,000.00") || !strings.Contains(netted, "¥1,000.00") {
			t.Fatalf("netting on /me %q", netted)
		}
		shoot(t, ctx, "journey-adjustment-me-"+lang)
	})
}
