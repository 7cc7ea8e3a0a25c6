package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// One admin proposes new risk thresholds on their page (a bad value is
// refused with its field's error); nothing changes until a second admin
// approves it on the changes page.
func TestRiskThresholdsChangeThroughThePagesByTwoAdmins(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	maker := a.login("admin")
	checker := a.adminLogin("checker@t.test")
	form := url.Values{}
	for k, v := range models.DefaultRiskThresholds.Values() {
		form.Set(k, v)
	}
	page := maker.get("/settings/risk-thresholds").doc(t)
	if got := page.Find(`[data-testid="current-refund_rate_percent"]`).Text(); got != "30" {
		t.Fatalf("refund threshold in force %q, want 30", got)
	}
	form.Set("refund_rate_percent", "0")
	res := maker.postForm("/settings/risk-thresholds", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`#refund_rate_percent-error, .field.has-error`).Text(), "from 1 to 100") {
		t.Fatalf("an out-of-range threshold: %d %s", res.StatusCode, res.doc(t).Find(".field.has-error").Text())
	}
	form.Set("refund_rate_percent", "20")
	res = maker.follow(maker.postForm("/settings/risk-thresholds", form))
	if !strings.Contains(flashText(t, res), "It applies when a second admin approves it") {
		t.Fatalf("proposal flash: %q", flashText(t, res))
	}
	if cur, _ := a.store.RiskThresholdsNow(ctx); cur.RefundRatePercent != 30 {
		t.Fatal("one admin changed the thresholds alone")
	}
	if line := checker.get("/settings/changes").doc(t).Find(`[data-testid="change-line"].changed`).Text(); !strings.Contains(line, "Refunds: share of orders") {
		t.Fatalf("the checker sees %q", line)
	}
	approveAsSecondAdmin(t, a, checker)
	if cur, _ := a.store.RiskThresholdsNow(ctx); cur.RefundRatePercent != 20 {
		t.Fatalf("after the second admin: %+v", cur)
	}
	if res := a.login("reviewer").get("/settings/risk-thresholds"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a reviewer opened the thresholds: %d", res.StatusCode)
	}
}

// The queue shows a flagged proposal's badge with why, filters by kind, and
// the staff dashboard counts waiting proposals by flag; a manager sees no flags.
func TestRiskFlagsInTheQueueAndOnTheDashboard(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, acct := range []string{"jd_cr_twin01", "jd_cr_twin02", "jd_cr_twin03"} {
		a.qualifiedCreator(acct, &a.agencyB.ID)
		a.perf(lastWeek, acct, 2, 0, 1000, 50_000)
	}
	a.perf(lastWeek, a.qualifiedCreator("jd_cr_plain1", &a.agencyB.ID).AccountID, 1, 0, 0, 50_001) // an ordinary order value
	if _, err := a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	rev := a.login("reviewer")
	doc := rev.get("/bonuses?week=" + lastWeek.String() + "&risk=identical").doc(t)
	if n := doc.Find(`[data-testid="bonus-row"]`).Length(); n != 3 {
		t.Fatalf("%d rows flagged identical, want 3", n)
	}
	badge := doc.Find(`[data-testid="risk-badge"]`).First()
	if title, _ := badge.Attr("title"); badge.Text() != "Identical figures" || !strings.Contains(title, "(3 in all)") {
		t.Errorf("badge %q titled %q", badge.Text(), title)
	}
	if n := rev.get("/bonuses?week=" + lastWeek.String() + "&risk=none&agency=" + itoa(a.agencyB.ID)).doc(t).Find(`[data-testid="bonus-row"]`).Length(); n != 1 {
		t.Errorf("%d unflagged rows of agency B, want 1", n)
	}
	dash := rev.get("/dashboard").doc(t)
	row := dash.Find(`[data-testid="dash-flagged-row"][data-kind="identical"]`)
	if row.Find(`[data-testid="dash-flagged-count"]`).Text() != "3" || row.Find(`[data-testid="dash-flagged-amount"]`).Text() != "¥600.00" {
		t.Errorf("dashboard by flag: %q", row.Text())
	}
	mgr := a.login("mcnB").get("/bonuses?risk=identical").doc(t)
	if mgr.Find(`[data-testid="risk-badge"]`).Length() != 0 || mgr.Find(`#risk`).Length() != 0 {
		t.Error("a manager sees risk flags")
	}
}
