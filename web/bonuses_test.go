package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// weekOfProposals gives n more qualified creators in agency B a proposed bonus
// of ¥100×(i+1) for last week.
func (a *app) weekOfProposals(n int) {
	a.t.Helper()
	for i := 0; i < n; i++ {
		acct := fmt.Sprintf("jd_cr_q%05d", i)
		a.qualifiedCreator(acct, &a.agencyB.ID)
		a.perf(lastWeek, acct, int64(i+1), 0, 0, 0)
	}
}

func TestReviewerComputesFiltersAndBulkApproves(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.weekOfProposals(5)
	rev := a.login("reviewer")
	res := rev.follow(rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}}))
	if !strings.Contains(res.body, "5 new proposals") {
		t.Fatalf("compute: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	// Filter: agency B, at least ¥300.
	q := "/bonuses?week=" + lastWeek.String() + "&agency=" + itoa(a.agencyB.ID) + "&min=300&state=proposed"
	doc := rev.get(q).doc(t)
	if got := doc.Find(`[data-testid="bonus-row"]`).Length(); got != 3 {
		t.Fatalf("%d rows for ≥¥300 in agency B, want 3", got)
	}
	if got := doc.Find(`[data-testid="bonus-totals"]`).Text(); !strings.Contains(got, "3") || !strings.Contains(got, "¥1,200.00") {
		t.Fatalf("totals %q", got)
	}
	poolBefore := doc.Find(`[data-testid="pool-left"]`).Text()
	// Approve all matching the filter.
	form := url.Values{"action": {"approve"}, "all": {"1"}, "f_week": {lastWeek.String()}, "f_agency": {itoa(a.agencyB.ID)}, "f_min": {"300"}, "f_state": {"proposed"}}
	res = rev.follow(rev.confirmThrough("/bonuses/decide", form))
	flash := res.doc(t).Find(`[data-testid="flash"]`).Text()
	if !strings.Contains(flash, "3 approved (¥1,200.00)") {
		t.Fatalf("flash %q", flash)
	}
	if after := res.doc(t).Find(`[data-testid="pool-left"]`).Text(); after == poolBefore {
		t.Fatal("the pool did not go down")
	}
	// The same bulk approval again approves nothing more.
	res = rev.follow(rev.postForm("/bonuses/decide", form))
	if strings.Contains(res.body, "approved (") {
		t.Fatal("a repeated bulk approval approved again")
	}
	var approved int64
	a.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusApproved).Count(&approved)
	if approved != 4 { // Carol's from the harness plus three
		t.Fatalf("%d approved, want 4", approved)
	}
	// Reject needs a reason.
	ids := url.Values{"action": {"reject"}, "ids": {itoa(a.bonusOfAccount("jd_cr_q00000").ID)}}
	res = rev.follow(rev.postForm("/bonuses/decide", ids))
	if !strings.Contains(res.body, "Choose a reason code") {
		t.Fatalf("reject without reason: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
}

func (a *app) bonusOfAccount(account string) *models.Bonus {
	a.t.Helper()
	var c models.Creator
	if err := a.raw.Where("account_id = ?", account).First(&c).Error; err != nil {
		a.t.Fatal(err)
	}
	return a.bonusOf(c.ID)
}

func TestFourEyesThroughThePages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	big := a.qualifiedCreator("jd_cr_bigone", &a.agencyA.ID)
	a.perf(lastWeek, big.AccountID, 10, 0, 10_000_000, 100_000_000) // ¥26,000
	admin := a.login("admin")
	admin.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	id := a.bonusOf(big.ID).ID
	path := "/bonuses/" + itoa(id)
	res := admin.follow(admin.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(id)}, "back": {path}}))
	if got := res.doc(t).Find(`h1 [data-testid="bonus-state"]`).Text(); got != "Awaiting 2nd approval" {
		t.Fatalf("after first approval: %q", got)
	}
	res = admin.follow(admin.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(id)}, "back": {path}}))
	if !strings.Contains(res.body, "needs a second approval by a different reviewer") {
		t.Fatal("the same reviewer completed a four-eyes approval")
	}
	rev := a.login("reviewer")
	res = rev.follow(rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(id)}, "back": {path}}))
	if got := res.doc(t).Find(`h1 [data-testid="bonus-state"]`).Text(); got != "Approved" {
		t.Fatalf("after second approval: %q", got)
	}
	if !strings.Contains(res.doc(t).Find(`[data-testid="history"]`).Text(), "bonus.first_approval") {
		t.Fatal("the first approval is not in the history")
	}
}

func TestManagersSeeOnlyTheirAgencysBonusesAndCannotDecide(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.weekOfProposals(2) // agency B
	a.login("reviewer").postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	mcnA := a.login("mcnA")
	doc := mcnA.get("/bonuses").doc(t)
	if n := doc.Find(`[data-testid="bonus-row"]`).Length(); n != 1 {
		t.Fatalf("manager A sees %d bonuses, want only Carol's", n)
	}
	if doc.Find(`[data-testid="bulk-actions"]`).Length() != 0 || doc.Find(`input[name="ids"]`).Length() != 0 {
		t.Fatal("a manager is offered decisions")
	}
	if res := mcnA.get("/bonuses/" + itoa(a.bonusOfAccount("jd_cr_q00000").ID)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("manager A opened agency B's bonus: %d", res.StatusCode)
	}
	if res := mcnA.get("/bonuses?agency=" + itoa(a.agencyB.ID)); strings.Contains(res.body, "jd_cr_q0000") {
		t.Fatal("the agency filter leaked another agency's bonuses")
	}
}

func TestPayoutBatchExportAndPayment(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	page := rev.get("/payouts/" + itoa(a.batch.ID))
	if got := page.doc(t).Find(`[data-testid="batch-state"]`).Text(); got != "Open" {
		t.Fatalf("batch state %q", got)
	}
	// The bank file carries the payee's name as kept on the line: one starting with a formula character is escaped.
	a.raw.Exec("UPDATE payout_lines SET payee_name = ? WHERE batch_id = ?", "=HYPERLINK(\"x\")", a.batch.ID)
	// Downloads are plain GETs: an open batch has no file until someone freezes it with a POST.
	if early := rev.get("/payouts/" + itoa(a.batch.ID) + "/export.csv"); early.StatusCode != http.StatusConflict || !strings.Contains(early.body, "not frozen") {
		t.Fatalf("download of an open batch: %d", early.StatusCode)
	}
	if got := rev.get("/payouts/" + itoa(a.batch.ID)).doc(t).Find(`[data-testid="batch-state"]`).Text(); got != "Open" {
		t.Fatalf("a GET changed the batch to %q", got)
	}
	csv := rev.follow(rev.postForm("/payouts/"+itoa(a.batch.ID)+"/freeze", url.Values{"format": {"csv"}}))
	if csv.StatusCode != http.StatusOK || !bytes.HasPrefix([]byte(csv.body), []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("csv: %d", csv.StatusCode)
	}
	if !strings.Contains(csv.body, `"'=HYPERLINK(""x"")"`) {
		t.Fatalf("formula not escaped: %s", csv.body)
	}
	if !strings.Contains(csv.body, ",300.00,30000") {
		t.Fatalf("amounts: %s", csv.body)
	}
	xlsx := rev.get("/payouts/" + itoa(a.batch.ID) + "/export.xlsx")
	if xlsx.StatusCode != http.StatusOK || !strings.HasPrefix(xlsx.body, "PK") {
		t.Fatalf("xlsx: %d", xlsx.StatusCode)
	}
	res := rev.follow(rev.confirmThrough("/payouts/"+itoa(a.batch.ID)+"/paid", url.Values{}))
	if !strings.Contains(res.body, "1 lines marked paid") {
		t.Fatalf("paid: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	res = rev.follow(rev.postForm("/payouts/"+itoa(a.batch.ID)+"/paid", url.Values{"confirm": {"1"}}))
	if !strings.Contains(res.body, "already paid") {
		t.Fatal("a batch was paid twice")
	}
	// The creator sees it.
	creator := a.anon()
	if _, err := a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "carol@t.test", Password: testPassword, Role: models.RoleCreator, CreatorID: &a.creatorC.ID}); err != nil {
		t.Fatal(err)
	}
	creator.postForm("/login", url.Values{"email": {"carol@t.test"}, "password": {testPassword}})
	me := creator.get("/me").doc(t)
	if got := me.Find(`[data-testid="paid-ytd"]`).Text(); got != "¥300.00" && lastWeek.Year == models.WeekOf(time.Now()).Year {
		t.Fatalf("paid this year %q", got)
	}
	row := me.Find(`[data-testid="my-week"]`).First().Text()
	if !strings.Contains(row, "Paid") || !strings.Contains(row, "¥300.00") || !strings.Contains(row, "Rule v1") {
		t.Fatalf("my week: %q", row)
	}
	stmt := creator.get("/me/statement.csv")
	if !strings.Contains(stmt.body, lastWeek.String()+","+lastWeek.Start().Format("2006-01-02")+","+lastWeek.Start().AddDate(0, 0, 6).Format("2006-01-02")+",3,0,0,1,0,0,0,0,Paid,paid,30000,300.00,1,no,") {
		t.Fatalf("statement: %s", stmt.body)
	}
}

func TestCreatorAppealsARejectedWeek(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	dan := a.qualifiedCreator("jd_cr_dan001", &a.agencyA.ID)
	a.perf(lastWeek, dan.AccountID, 2, 0, 0, 0)
	rev := a.login("reviewer")
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	id := a.bonusOf(dan.ID).ID
	rev.postForm("/bonuses/decide", url.Values{"action": {"reject"}, "ids": {itoa(id)}, "reason": {"unverified_performance"}, "note": {"no links"}})
	a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "dan@t.test", Password: testPassword, Role: models.RoleCreator, CreatorID: &dan.ID})
	c := a.anon()
	c.postForm("/login", url.Values{"email": {"dan@t.test"}, "password": {testPassword}})
	me := c.get("/me")
	if !strings.Contains(me.body, "Performance could not be verified") {
		t.Fatal("the creator does not see the rejection reason")
	}
	res := c.follow(c.postForm("/bonuses/"+itoa(id)+"/appeal", url.Values{"message": {"Here are my video links."}}))
	if !strings.Contains(res.body, "Your appeal was sent") {
		t.Fatal("appeal not accepted")
	}
	res = c.follow(c.postForm("/bonuses/"+itoa(id)+"/appeal", url.Values{"message": {"again"}}))
	if !strings.Contains(res.body, "only once") {
		t.Fatal("a second appeal was accepted")
	}
	queue := rev.get("/bonuses?appeal=pending").doc(t)
	if queue.Find(`[data-testid="bonus-row"]`).Length() != 1 {
		t.Fatal("the appeal is not in the reviewers' queue")
	}
	// The reviewer who rejected it may not decide the appeal: the page says so, and a forged post is refused.
	if page := rev.get("/bonuses/" + itoa(id)).doc(t); page.Find(`[data-testid="overturn"]`).Length() != 0 || page.Find(`[data-testid="appeal-own-rejection"]`).Length() != 1 {
		t.Fatal("the rejecting reviewer is offered the appeal decision")
	}
	res = rev.follow(rev.postForm("/bonuses/"+itoa(id)+"/appeal-decision", url.Values{"decision": {"overturn"}}))
	if got := res.doc(t).Find(`h1 [data-testid="bonus-state"]`).Text(); got != "Rejected" || !strings.Contains(res.body, "another reviewer decides the appeal") {
		t.Fatalf("the rejecting reviewer overturned their own rejection: %q", got)
	}
	other := a.login("admin")
	res = other.follow(other.postForm("/bonuses/"+itoa(id)+"/appeal-decision", url.Values{"decision": {"overturn"}}))
	if got := res.doc(t).Find(`h1 [data-testid="bonus-state"]`).Text(); got != "Proposed" {
		t.Fatalf("after overturn: %q", got)
	}
}

func TestBonusRulePreviewAndPropose(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	form := url.Values{"gmv_tiers": {"10000 = 500\n50000 = 2000"}, "view_tiers": {"100000 = 300"}, "per_video": {"50"},
		"per_live": {"300"}, "weekly_cap": {"30000"}, "four_eyes": {"20000"}}
	form.Set("action", "preview")
	res := admin.postForm("/settings/bonus-rule", form)
	whatIf := res.doc(t).Find(`[data-testid="what-if"]`).Text()
	// Carol's week: 3 videos. Current rule ¥300, proposed ¥150.
	if !strings.Contains(whatIf, lastWeek.String()) || !strings.Contains(whatIf, "¥300.00") || !strings.Contains(whatIf, "¥150.00") {
		t.Fatalf("what-if: %q", whatIf)
	}
	var versions int64
	a.raw.Model(&models.BonusRuleVersion{}).Count(&versions)
	if versions != 1 {
		t.Fatal("a preview saved the rule")
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("gmv_tiers", "10000 = 500\nfifty = 2000")
	bad.Set("weekly_cap", "40000")
	bad.Set("action", "propose")
	res = admin.postForm("/settings/bonus-rule", bad)
	doc := res.doc(t)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find(`[data-testid="error-gmv_tiers"]`).Text(), "line 2") {
		t.Fatalf("bad tiers: %d %q", res.StatusCode, doc.Find(`[data-testid="error-gmv_tiers"]`).Text())
	}
	form.Set("action", "propose")
	res = admin.follow(admin.postForm("/settings/bonus-rule", form))
	if !strings.Contains(res.body, "It applies when a second admin approves it") {
		t.Fatal("rule not proposed")
	}
	res = approveAsSecondAdmin(t, a, a.adminLogin("checker@t.test"))
	if !strings.Contains(flashText(t, res), "approved and applied") {
		t.Fatalf("approve: %q", flashText(t, res))
	}
	if _, version, _ := a.store.CurrentBonusRule(ctx); version != 2 {
		t.Fatalf("rule version %d after approval", version)
	}
	audit := admin.get("/audit?action=settings.bonus_rule").doc(t).Find(`[data-testid="audit-row"]`)
	if audit.Length() != 1 {
		t.Fatal("the rule change is not audited")
	}
	if res := a.login("reviewer").postForm("/settings/bonus-rule", form); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a reviewer changed the rule: %d", res.StatusCode)
	}
}
