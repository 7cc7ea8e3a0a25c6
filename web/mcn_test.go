package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

func TestManagerWatchesQuotaRiseAsCreatorsQualify(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mgr := a.login("mcnA")
	progress := func() string {
		return mgr.get("/dashboard").doc(t).Find(`[data-testid="progress-value"]`).Text()
	}
	before := progress()
	rev := a.login("reviewer")
	res := rev.follow(rev.postForm("/creators/"+itoa(a.creatorA.ID)+"/decision", url.Values{"action": {"qualify"}}))
	if !strings.Contains(res.body, "is now Qualified") {
		t.Fatal("qualify failed")
	}
	after := progress()
	if before != "0" || after != "1" { // Carol was qualified months ago; Alice counts now
		t.Fatalf("progress %s → %s", before, after)
	}
	doc := mgr.get("/dashboard").doc(t)
	if doc.Find(`[data-testid="quota-history"] tbody tr`).Length() != 12 || doc.Find(`[data-testid="chart-quota"] rect.col`).Length() != 12 {
		t.Fatal("the 12-month history is missing")
	}
	// Agency B's manager sees none of it.
	if strings.Contains(a.login("mcnB").get("/dashboard").doc(t).Find(`[data-testid="quota"]`).Text(), "Alice") {
		t.Fatal("agency B sees agency A's creators")
	}
}

func TestStaffRunAMonthOfMCNBonusesToPayout(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	admin.follow(admin.postForm("/settings/mcn-rule", url.Values{"default_quota": {"1"}, "meet": {"20000"}, "per_extra": {"1000"}, "max": {"50000"}, "four_eyes": {"30000"}}))
	if res := approveAsSecondAdmin(t, a, a.adminLogin("checker@t.test")); !strings.Contains(flashText(t, res), "approved and applied") {
		t.Fatalf("rule not applied: %q", flashText(t, res))
	}
	last := models.MonthOf(time.Now()).Prev()
	a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", last.Start().Add(72*time.Hour).UTC(), a.creatorC.ID)
	res := admin.follow(admin.postForm("/mcn-bonuses/compute", url.Values{"month": {last.String()}}))
	if !strings.Contains(res.body, "1 agencies met their quota") {
		t.Fatalf("compute: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	var b models.MCNBonus
	a.raw.First(&b)
	res = admin.follow(admin.postForm("/mcn-bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(b.ID)}}))
	if !strings.Contains(res.body, "1 approved (¥20,000.00)") || !strings.Contains(res.doc(t).Find(`[data-testid="mcn-pool-left"]`).Text(), "¥4,980,000.00") {
		t.Fatalf("approve: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	a.payable() // the agency's payee details and its invoice for the month
	res = admin.follow(admin.postForm("/mcn-bonuses/decide", url.Values{"action": {"payout"}, "ids": {itoa(b.ID)}}))
	if !strings.Contains(res.doc(t).Find(`[data-testid="batch-summary"]`).Text(), "1 lines, ¥20,000.00") {
		t.Fatalf("batch: %s", res.body)
	}
	csv := admin.follow(admin.postForm(strings.TrimSuffix(res.Request.URL.Path, "/")+"/freeze", url.Values{"format": {"csv"}}))
	if csv.StatusCode != http.StatusOK || !strings.Contains(csv.body, ",Agency A,6217") ||
		!strings.Contains(csv.body, ",China Construction Bank,Beijing Branch,京东MCN机构月度奖励 "+last.String()+",2000000,0,20000.00,2000000") {
		t.Fatalf("csv: %s", csv.body)
	}
	// The manager sees the approved bonus in their history.
	hist := a.login("mcnA").get("/dashboard").doc(t).Find(`[data-testid="quota-history"]`).Text()
	if !strings.Contains(hist, "¥20,000.00") {
		t.Fatalf("history: %q", hist)
	}
}

func TestProgrammeDashboardShowsMoneyAtAGlance(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.login("reviewer").get("/dashboard").doc(t)
	if got := doc.Find(`[data-testid="left-creators"]`).Text(); got != "¥999,999,700.00" { // Carol's ¥300 approved
		t.Fatalf("creator pool left %q", got)
	}
	if doc.Find(`[data-testid="chart-spend"] rect.col`).Length() != 12 {
		t.Fatal("weekly spend chart lacks 12 weeks")
	}
	if got := doc.Find(`[data-testid="chart-spend"] details`).Text(); !strings.Contains(got, "¥300.00") {
		t.Fatalf("spend table %q", got)
	}
	if got := doc.Find(`[data-testid="attainment"]`).Text(); !strings.Contains(got, "0 of 2 agencies") {
		t.Fatalf("attainment %q", got)
	}
	if doc.Find(`[data-testid="pending"]`).Length() != 1 {
		t.Fatal("no pending approvals panel")
	}
}

func TestNotificationsReachTheCreatorAndTheManager(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	rev.postForm("/creators/"+itoa(a.creatorA.ID)+"/decision", url.Values{"action": {"reject"}, "reason-reject": {"content_policy"}})
	creator := a.login("creator")
	if got := creator.get("/me").doc(t).Find(`[data-testid="unread"]`).Text(); !strings.HasPrefix(got, "1") {
		t.Fatalf("creator unread %q", got)
	}
	list := creator.get("/notifications").doc(t).Find(`[data-testid="notification"]`)
	if list.Length() != 1 || !strings.Contains(list.Text(), "rejected: Content policy") {
		t.Fatalf("creator notifications %q", list.Text())
	}
	if creator.get("/me").doc(t).Find(`[data-testid="unread"]`).Length() != 0 {
		t.Fatal("opening the list did not mark it read")
	}
	mgrA := a.login("mcnA").get("/notifications").doc(t).Find(`[data-testid="notification"]`)
	// Besides the rejection, the harness's approval of Carol's week: one line for the week.
	if mgrA.Length() != 2 || !strings.Contains(mgrA.Text(), "Alice Reviews is now rejected") || !strings.Contains(mgrA.Text(), "1 approved (¥300.00)") {
		t.Fatalf("manager A notifications %q", mgrA.Text())
	}
	if n := a.login("mcnB").get("/notifications").doc(t).Find(`[data-testid="notification"]`).Length(); n != 0 {
		t.Fatalf("manager B got %d notifications about agency A", n)
	}
}

func TestTransferRequestedAcceptedByTheCreator(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mgrB := a.login("mcnB")
	res := mgrB.follow(mgrB.postForm("/transfers", url.Values{"account_id": {a.creatorA.AccountID}}))
	if !strings.Contains(res.body, "Transfer requested") {
		t.Fatalf("request: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	creator := a.login("creator")
	me := creator.get("/me").doc(t)
	if !strings.Contains(me.Find(`[data-testid="transfers"]`).Text(), "Agency B asks you to join them") {
		t.Fatalf("creator does not see the request: %q", me.Find(`[data-testid="transfers"]`).Text())
	}
	action, _ := me.Find(`form[action$="/decision"]`).Attr("action")
	res = creator.follow(creator.postForm(action, url.Values{"decision": {"accept"}}))
	if !strings.Contains(res.body, "You accepted the transfer") {
		t.Fatal("accept failed")
	}
	next := models.MonthOf(time.Now()).Next().String()
	if got := mgrB.get("/dashboard").doc(t).Find(`[data-testid="transfers"]`).Text(); !strings.Contains(got, "accepted") || !strings.Contains(got, next) {
		t.Fatalf("agency B sees %q", got)
	}
	// Until next month the creator stays with agency A.
	if a.login("mcnA").get("/creators/"+itoa(a.creatorA.ID)).StatusCode != http.StatusOK {
		t.Fatal("the creator left agency A before the transfer took effect")
	}
	if _, err := a.store.ApplyDueTransfers(ctx, models.MonthOf(time.Now()).Next().Start().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if a.login("mcnA").get("/creators/"+itoa(a.creatorA.ID)).StatusCode != http.StatusNotFound {
		t.Fatal("agency A still sees the creator after the transfer")
	}
	if mgrB.get("/creators/"+itoa(a.creatorA.ID)).StatusCode != http.StatusOK {
		t.Fatal("agency B cannot see its new creator")
	}
}
