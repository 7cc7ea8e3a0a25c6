package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// The bank file holds full accounts: its download wants a freshly entered
// password, and every download is audited with who and how many payees.
func TestPayoutFileWantsAFreshPasswordAndIsAudited(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	clk := withClock(t, a)
	rev := a.login("reviewer")
	page := rev.get("/payouts/" + itoa(a.batch.ID)).doc(t)
	if got := page.Find(`[data-testid="payout-line"]`).Length(); got != 1 {
		t.Fatalf("%d lines on the batch page", got)
	}
	if money := page.Find(`[data-testid="batch-money"]`).Text(); !strings.Contains(money, "net ¥300.00") {
		t.Fatalf("batch money %q", money)
	}
	rev.postForm("/payouts/"+itoa(a.batch.ID)+"/freeze", url.Values{"format": {"csv"}})
	clk.add(16 * time.Minute)
	res := rev.get("/payouts/" + itoa(a.batch.ID) + "/export.csv")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/reauth") {
		t.Fatalf("stale password: %d %q", res.StatusCode, loc)
	}
	entries, _, _ := a.store.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "payout.download"}, models.NewPage(1, 5))
	if len(entries) != 0 {
		t.Fatal("a download was recorded without the password")
	}
	rev.postForm("/reauth", url.Values{"password": {testPassword}, "next": {"/payouts/" + itoa(a.batch.ID) + "/export.csv"}})
	res = rev.get("/payouts/" + itoa(a.batch.ID) + "/export.csv")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, ",Creator carol1,") || !strings.Contains(res.body, ",30000,0,300.00,30000") {
		t.Fatalf("file: %d %s", res.StatusCode, res.body)
	}
	entries, _, _ = a.store.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "payout.download"}, models.NewPage(1, 5))
	if len(entries) != 1 || entries[0].ActorEmail != testUsers["reviewer"] || !strings.Contains(entries[0].After, `"payees":1`) {
		t.Fatalf("download audit %+v", entries)
	}
}

// An agency's manager chooses on a form how its creators are paid; staff see
// it on the agency page; the next batch pays the agency one line with its
// creators' bonuses beside it.
func TestAgencySettlementChosenByItsManager(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mcn := a.login("mcnA")
	if res := mcn.postForm("/agency/settlement", url.Values{"settlement": {"cash"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown mode: %d", res.StatusCode)
	}
	res := mcn.follow(mcn.postForm("/agency/settlement", url.Values{"settlement": {"agency"}}))
	if !strings.Contains(res.body, "it applies to the next payout batch") {
		t.Fatalf("after saving: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	rev := a.login("reviewer")
	if got := rev.get("/agencies/" + itoa(a.agencyA.ID)).doc(t).Find(`[data-testid="agency-settlement"]`).Text(); got != "Settled through the agency" {
		t.Fatalf("staff see %q", got)
	}
	// The existing batch still pays Carol directly.
	if got := rev.get("/payouts/" + itoa(a.batch.ID)).doc(t).Find(`[data-testid="payout-line"]`).Text(); !strings.Contains(got, "Creator carol1") {
		t.Fatalf("the earlier batch changed: %q", got)
	}
	// A new week for Carol goes to the agency.
	prev := lastWeek.Prev()
	a.perf(prev, "jd_cr_carol1", 2, 0, 0, 0)
	revA := a.actor("reviewer")
	if _, err := a.store.ComputeWeek(ctx, revA, prev.String()); err != nil {
		t.Fatal(err)
	}
	var b models.Bonus
	a.raw.Where("creator_id = ? AND week = ?", a.creatorC.ID, prev.String()).First(&b)
	if _, err := a.store.ApproveBonuses(ctx, revA, []uint{b.ID}); err != nil {
		t.Fatal(err)
	}
	a.payable()
	batch, _, err := a.store.CreatePayoutBatch(ctx, revA, models.PayCreators, []uint{b.ID})
	if err != nil {
		t.Fatal(err)
	}
	doc := rev.get("/payouts/" + itoa(batch.ID)).doc(t)
	if line := doc.Find(`[data-testid="payout-line"]`).Text(); !strings.Contains(line, "Agency A Agency") {
		t.Fatalf("line %q", line)
	}
	if beside := doc.Find(`[data-testid="settled-bonuses"]`).Text(); !strings.Contains(beside, "jd_cr_carol1") {
		t.Fatalf("settled bonuses %q", beside)
	}
}

// The minimum payout is an admin setting; what it holds is listed on the
// payouts page and summed on the dashboard.
func TestMinimumPayoutHoldsAndIsShown(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	if res := admin.postForm("/settings/min-payout", url.Values{"min_payout": {"-5"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("negative minimum: %d", res.StatusCode)
	}
	admin.follow(admin.postForm("/settings/min-payout", url.Values{"min_payout": {"500"}}))
	prev := lastWeek.Prev()
	a.perf(prev, "jd_cr_carol1", 2, 0, 0, 0) // ¥200
	rev := a.actor("reviewer")
	a.store.ComputeWeek(ctx, rev, prev.String())
	var b models.Bonus
	a.raw.Where("creator_id = ? AND week = ?", a.creatorC.ID, prev.String()).First(&b)
	a.store.ApproveBonuses(ctx, rev, []uint{b.ID})
	page := a.login("reviewer").get("/payouts").doc(t)
	if held := page.Find(`[data-testid="held-lines"]`).Text(); !strings.Contains(held, "Below the minimum payout") || !strings.Contains(held, "¥200.00") {
		t.Fatalf("held list %q", held)
	}
	if dash := a.login("reviewer").get("/dashboard").doc(t).Find(`[data-testid="dashboard-held"]`).Text(); !strings.Contains(dash, "¥200.00") {
		t.Fatalf("dashboard %q", dash)
	}
	res := a.login("reviewer").postForm("/payouts", url.Values{"ids": {itoa(b.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	var n int64
	a.raw.Model(&models.PayoutLineBonus{}).Where("bonus_id = ?", b.ID).Count(&n)
	if n != 0 {
		t.Fatal("a line below the minimum went into a batch")
	}
}

// The yearly tax report lists individuals paid directly, per month, for staff.
func TestYearlyTaxReport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	year := itoa(uint(time.Now().In(models.CST).Year()))
	res := a.login("reviewer").get("/payouts/tax-report.csv?year=" + year)
	body := strings.TrimPrefix(res.body, "\uFEFF")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "payee_name,creator_account_id,month,gross_fen,tax_fen,net_fen\n") ||
		!strings.Contains(body, "Creator carol1,jd_cr_carol1,") || !strings.Contains(body, ",30000,0,30000") {
		t.Fatalf("report %d %q", res.StatusCode, body)
	}
	if res := a.login("reviewer").get("/payouts/tax-report.xlsx?year=" + year); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.body, "PK") {
		t.Fatalf("xlsx %d", res.StatusCode)
	}
}

// The creator's page and statement show gross, tax withheld and net once a
// bonus is on a payout line.
func TestMeAndStatementShowGrossTaxNet(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	sys := models.SystemActor()
	if _, err := a.store.DecideCreator(ctx, sys, models.Decision{CreatorID: a.creatorA.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, -3, 0), a.creatorA.ID)
	a.perf(lastWeek, "jd_cr_alice1", 4, 0, 0, 0)
	rev := a.actor("reviewer")
	a.store.ComputeWeek(ctx, rev, lastWeek.String())
	b := a.bonusOf(a.creatorA.ID)
	a.store.ApproveBonuses(ctx, rev, []uint{b.ID})
	a.payable()
	if _, _, err := a.store.CreatePayoutBatch(ctx, rev, models.PayCreators, []uint{b.ID}); err != nil {
		t.Fatal(err)
	}
	me := a.login("creator")
	doc := me.get("/me").doc(t)
	if net := doc.Find(`[data-testid="week-net"]`).Text(); net != "¥400.00" || doc.Find(`[data-testid="week-tax"]`).Text() != "¥0.00" {
		t.Fatalf("me: net %q", net)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(me.get("/me/statement.csv").body, "\uFEFF")), "\n")
	if !strings.HasSuffix(lines[0], ",gross_fen,tax_fen,net_fen") {
		t.Fatalf("statement header %q", lines[0])
	}
	found := false
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, lastWeek.String()+",") {
			found = strings.HasSuffix(l, ",40000,0,40000")
		}
	}
	if !found {
		t.Fatalf("statement %q", lines)
	}
}
