package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// The holding period is an admin setting on /settings; a week's approved
// bonuses wait for it: the payouts page and the dashboard list them as held
// with the date, the queue and /me say when they become payable.
func TestHoldingPeriodSettingAndPayableDates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	if got := admin.get("/settings").doc(t).Find(`#holding_days`).AttrOr("value", ""); got != "0" { // the harness pays at once
		t.Fatalf("holding days shown %q", got)
	}
	if res := admin.postForm("/settings/holding-days", url.Values{"holding_days": {"91"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "from 0 to 90 days") {
		t.Fatalf("91 days: %d", res.StatusCode)
	}
	admin.follow(admin.postForm("/settings/holding-days", url.Values{"holding_days": {"30"}}))
	if days, _ := a.store.HoldingDays(ctx); days != 30 {
		t.Fatalf("holding days %d", days)
	}
	rev := a.actor("reviewer")
	a.raw.Exec("UPDATE creators SET state = ?, qualified_at = ? WHERE id = ?", models.StateQualified, "2020-01-01", a.creatorA.ID)
	a.perf(lastWeek, a.creatorA.AccountID, 3, 0, 0, 0)
	a.store.ComputeWeek(ctx, rev, lastWeek.String())
	b := a.bonusOf(a.creatorA.ID)
	a.store.ApproveBonuses(ctx, rev, []uint{b.ID})
	from := models.PayableFrom(lastWeek, 30).In(models.CST).Format("2006-01-02")
	reviewer := a.login("reviewer")
	if held := reviewer.get("/payouts").doc(t).Find(`[data-testid="held-lines"]`).Text(); !strings.Contains(held, "payable from "+from) {
		t.Fatalf("held list %q lacks %s", held, from)
	}
	if row := reviewer.get("/bonuses?state=approved&q=" + a.creatorA.AccountID).doc(t).Find(`[data-testid="bonus-row"]`).Text(); !strings.Contains(row, "Payable from "+from) {
		t.Fatalf("queue row %q", row)
	}
	if card := a.login("creator").get("/me").doc(t).Find(`[data-testid="week-payable-from"]`).Text(); card != "Payable from "+from {
		t.Fatalf("/me says %q", card)
	}
	var n int64
	a.raw.Model(&models.AuditEntry{}).Where("action = ?", "settings.holding_days").Count(&n)
	if n < 2 { // the harness's own setting, then the admin's
		t.Fatalf("%d audit entries", n)
	}
}

// Managers never see the adjustments list, and cannot decide adjustments.
func TestAdjustmentQueueIsStaffOnly(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mgr := a.login("mcnA")
	if page := mgr.get("/bonuses?type=adjustments").doc(t); page.Find(`[data-testid="adjustments"], [data-testid="queue-type"]`).Length() != 0 {
		t.Fatal("a manager saw the adjustments queue")
	}
	if res := mgr.postForm("/bonuses/adjustments/decide", url.Values{"action": {"approve"}, "ids": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a manager decided an adjustment: %d", res.StatusCode)
	}
	if res := a.login("reviewer").postForm("/bonuses/adjustments/decide", url.Values{"action": {"approve"}, "ids": {"999"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unknown adjustment: %d", res.StatusCode)
	}
}
