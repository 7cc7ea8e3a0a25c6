package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/jd/creator-portal/models"
)

// confirmFields are the values the confirmation page posts again (its CSRF
// token is set afresh by postForm).
func confirmFields(t *testing.T, res response) url.Values {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("want the confirmation page, got %d: %s", res.StatusCode, res.body)
	}
	form := res.doc(t).Find(`[data-testid="confirm-form"]`)
	if form.Length() != 1 {
		t.Fatalf("no confirmation form: %s", res.doc(t).Find("main").Text())
	}
	out := url.Values{}
	form.Find(`input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		value, _ := in.Attr("value")
		if name != "_csrf" {
			out.Add(name, value)
		}
	})
	return out
}

// confirmThrough posts form, expects the confirmation page, and confirms it
// as a person would; it returns the confirming POST's response.
func (c *client) confirmThrough(path string, form url.Values) response {
	c.t.Helper()
	return c.postForm(path, confirmFields(c.t, c.postForm(path, form)))
}

// fact is the text of one line of the confirmation page.
func fact(t *testing.T, res response, testid string) string {
	t.Helper()
	return strings.TrimSpace(res.doc(t).Find(`[data-testid="` + testid + `"]`).Text())
}

func (a *app) countState(st models.BonusState) int64 {
	a.t.Helper()
	var n int64
	a.raw.Model(&models.Bonus{}).Where("state = ?", st).Count(&n)
	return n
}

// Approving everything matching a filter shows how many, how much and which
// week first, in Chinese, and changes nothing until it is confirmed.
func TestBulkApprovalOfEverythingMatchingIsConfirmedFirst(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.weekOfProposals(5)
	rev := a.login("reviewer").inChinese()
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	form := url.Values{"action": {"approve"}, "all": {"1"}, "f_week": {lastWeek.String()}, "f_state": {"proposed"}, "f_min": {"200"}}
	var audits int64
	a.raw.Model(&models.AuditEntry{}).Count(&audits)

	first := rev.postForm("/bonuses/decide", form)
	if first.StatusCode != http.StatusOK {
		t.Fatalf("first POST: %d", first.StatusCode)
	}
	if got := fact(t, first, "confirm-count"); got != "4" {
		t.Errorf("count %q, want 4", got)
	}
	if got := fact(t, first, "confirm-amount"); got != "¥1,400.00" {
		t.Errorf("amount %q, want ¥1,400.00", got)
	}
	if got := fact(t, first, "confirm-weeks"); !strings.HasPrefix(got, lastWeek.String()+"（") {
		t.Errorf("weeks %q, want %s with its dates", got, lastWeek)
	}
	if got := fact(t, first, "confirm-lead"); got != "您将批准 4 笔奖金，合计 ¥1,400.00。" {
		t.Errorf("lead %q", got)
	}
	if got := fact(t, first, "confirm-scope"); got != "符合筛选条件的全部奖金" {
		t.Errorf("scope %q", got)
	}
	var after int64
	a.raw.Model(&models.AuditEntry{}).Count(&after)
	if a.countState(models.BonusApproved) != 1 || after != audits {
		t.Fatalf("the first POST changed something: %d approved, %d audit entries (was %d)", a.countState(models.BonusApproved), after, audits)
	}
	// Cancel goes back to the same filtered queue.
	if href, _ := first.doc(t).Find(`[data-testid="confirm-cancel"]`).Attr("href"); !strings.HasPrefix(href, "/bonuses?") || !strings.Contains(href, "min=200") {
		t.Errorf("cancel goes to %q", href)
	}
	res := rev.follow(rev.postForm("/bonuses/decide", confirmFields(t, first)))
	if flash := res.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "¥1,400.00") {
		t.Fatalf("flash %q", flash)
	}
	if n := a.countState(models.BonusApproved); n != 5 {
		t.Fatalf("%d approved, want 5", n)
	}
}

// If the filter matches something else by the time it is confirmed, the
// page is shown again with the new figures and nothing is done.
func TestBulkConfirmationAsksAgainWhenTheSelectionChanged(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.weekOfProposals(3)
	rev := a.login("reviewer")
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	form := url.Values{"action": {"reject"}, "reason": {"unverified_performance"}, "all": {"1"}, "f_week": {lastWeek.String()}, "f_state": {"proposed"}}
	fields := confirmFields(t, rev.postForm("/bonuses/decide", form))
	if fields.Get("confirm_count") != "3" || fields.Get("confirm_fen") != "60000" {
		t.Fatalf("shown %v", fields)
	}
	// Another proposal arrives meanwhile.
	a.qualifiedCreator("jd_cr_late01", &a.agencyA.ID)
	a.perf(lastWeek, "jd_cr_late01", 1, 0, 0, 0)
	a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String())
	again := rev.postForm("/bonuses/decide", fields)
	if again.StatusCode != http.StatusOK || fact(t, again, "confirm-changed") == "" || fact(t, again, "confirm-count") != "4" {
		t.Fatalf("changed selection: %d %q", again.StatusCode, fact(t, again, "confirm-count"))
	}
	if n := a.countState(models.BonusRejected); n != 0 {
		t.Fatalf("%d rejected before the new figures were confirmed", n)
	}
	res := rev.follow(rev.postForm("/bonuses/decide", confirmFields(t, again)))
	if n := a.countState(models.BonusRejected); n != 4 || !strings.Contains(res.body, "4 rejected") {
		t.Fatalf("%d rejected: %s", n, res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
}

// Ticked bonuses under both thresholds are decided at once; above one they
// are confirmed first; an admin sets the thresholds on the settings page.
func TestBulkApprovalThresholds(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.weekOfProposals(4)
	rev := a.login("reviewer")
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	var ids []uint
	a.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusProposed).Order("id").Pluck("id", &ids)
	tick := func(ids ...uint) url.Values {
		v := url.Values{"action": {"approve"}}
		for _, id := range ids {
			v.Add("ids", itoa(id))
		}
		return v
	}
	// Below the defaults (20 bonuses, ¥100,000): straight through.
	if res := rev.postForm("/bonuses/decide", tick(ids[0], ids[1])); res.StatusCode != http.StatusSeeOther || a.countState(models.BonusApproved) != 3 {
		t.Fatalf("below the thresholds: %d, %d approved", res.StatusCode, a.countState(models.BonusApproved))
	}
	admin := a.login("admin")
	if got, _ := admin.get("/settings").doc(t).Find(`#confirm_count`).Attr("value"); got != "20" {
		t.Fatalf("settings show %q bonuses", got)
	}
	if res := admin.follow(admin.postForm("/settings/confirm-thresholds", url.Values{"confirm_count": {"1"}, "confirm_amount": {"100000"}})); !strings.Contains(res.body, "thresholds are saved") {
		t.Fatalf("save: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	if res := admin.postForm("/settings/confirm-thresholds", url.Values{"confirm_count": {"0"}, "confirm_amount": {"lots"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad thresholds: %d", res.StatusCode)
	}
	// Two bonuses are now more than the threshold: confirmed first.
	first := rev.postForm("/bonuses/decide", tick(ids[2], ids[3]))
	if fact(t, first, "confirm-count") != "2" || fact(t, first, "confirm-amount") != "¥700.00" || a.countState(models.BonusApproved) != 3 {
		t.Fatalf("over the count threshold: %q %q", fact(t, first, "confirm-count"), fact(t, first, "confirm-amount"))
	}
	rev.postForm("/bonuses/decide", confirmFields(t, first))
	if n := a.countState(models.BonusApproved); n != 5 {
		t.Fatalf("%d approved after confirming, want 5", n)
	}
}

// "Select all on this page" decides the page's rows without ticking each (no JavaScript).
func TestSelectAllOnThisPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.weekOfProposals(3)
	rev := a.login("reviewer")
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	page := rev.get("/bonuses?state=proposed").doc(t)
	if page.Find(`[data-testid="select-page"]`).Length() != 1 {
		t.Fatal("no 'select all on this page'")
	}
	form := url.Values{"action": {"approve"}, "this_page": {"1"}}
	page.Find(`input[name="page_ids"]`).Each(func(_ int, in *goquery.Selection) {
		v, _ := in.Attr("value")
		form.Add("page_ids", v)
	})
	if len(form["page_ids"]) != 3 {
		t.Fatalf("page ids %v", form["page_ids"])
	}
	if res := rev.postForm("/bonuses/decide", form); res.StatusCode != http.StatusSeeOther || a.countState(models.BonusApproved) != 4 {
		t.Fatalf("%d, %d approved", res.StatusCode, a.countState(models.BonusApproved))
	}
}

// Marking a batch paid is confirmed first: what it pays, how much, which week.
func TestMarkBatchPaidIsConfirmedFirst(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer").inChinese()
	path := "/payouts/" + itoa(a.batch.ID)
	rev.postForm(path+"/freeze", url.Values{"format": {"csv"}})
	first := rev.postForm(path+"/paid", url.Values{})
	if fact(t, first, "confirm-count") != "1" || fact(t, first, "confirm-amount") != "¥300.00" || !strings.HasPrefix(fact(t, first, "confirm-weeks"), lastWeek.String()) {
		t.Fatalf("confirmation: %q %q %q", fact(t, first, "confirm-count"), fact(t, first, "confirm-amount"), fact(t, first, "confirm-weeks"))
	}
	if a.countState(models.BonusPaid) != 0 {
		t.Fatal("the first POST paid")
	}
	res := rev.follow(rev.postForm(path+"/paid", confirmFields(t, first)))
	if a.countState(models.BonusPaid) != 1 || !strings.Contains(res.body, "已将 1 行标记为已付款") {
		t.Fatalf("after confirming: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
}

// A bank result with a disputed line refuses paying the whole batch, says
// why, and the page offers no such button.
func TestMarkBatchPaidRefusedOverBankMismatches(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer").inChinese()
	path := "/payouts/" + itoa(a.batch.ID)
	rev.postForm(path+"/freeze", url.Values{"format": {"csv"}})
	up := uploadTo(t, rev, path+"/bank-result", "bank.csv", []byte("batch_id,account_id,amount_fen,status\n"+itoa(a.batch.ID)+",jd_cr_carol1,29000,paid\n"))
	if got := up.doc(t).Find(`[data-testid="mismatches"] li`).Text(); !strings.Contains(got, "¥290.00") || !strings.Contains(got, "¥300.00") {
		t.Fatalf("mismatch %q names not both amounts", got)
	}
	page := rev.get(path).doc(t)
	if page.Find(`[data-testid="mark-paid"]`).Length() != 0 || !strings.Contains(page.Find(`[data-testid="open-mismatches"]`).Text(), "1 行") {
		t.Fatalf("batch page still offers payment: %q", page.Find(`[data-testid="open-mismatches"]`).Text())
	}
	for _, form := range []url.Values{{}, {"confirm": {"1"}}} { // neither the first step nor a forged confirmation
		res := rev.postForm(path+"/paid", form)
		flash := rev.follow(res).doc(t).Find(`[data-testid="flash"]`).Text()
		if want := "批次 #" + itoa(a.batch.ID) + " 的银行回单还有 1 行未核对一致"; !strings.Contains(flash, want) {
			t.Fatalf("flash %q, want %q", flash, want)
		}
	}
	if a.countState(models.BonusPaid) != 0 {
		t.Fatal("the disputed line was paid")
	}
}

// Publishing the top list says how many creators it lists and tells, and what it replaces.
func TestPublishTopListIsConfirmedFirst(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer").inChinese()
	year := itoa(uint(lastWeek.Year))
	first := rev.postForm("/leaderboard/publish", url.Values{"year": {year}})
	if fact(t, first, "confirm-count") == "" || fact(t, first, "confirm-replaces") != "无，这是本年度首次发布" {
		t.Fatalf("confirmation: %q %q", fact(t, first, "confirm-count"), fact(t, first, "confirm-replaces"))
	}
	if years, _ := a.store.PublishedYears(ctx); len(years) != 0 {
		t.Fatal("the first POST published")
	}
	rev.follow(rev.postForm("/leaderboard/publish", confirmFields(t, first)))
	if years, _ := a.store.PublishedYears(ctx); len(years) != 1 {
		t.Fatal("not published after confirming")
	}
	again := rev.postForm("/leaderboard/publish", url.Values{"year": {year}})
	if got := fact(t, again, "confirm-replaces"); !strings.Contains(got, "将被替换") {
		t.Fatalf("second publication: %q", got)
	}
}

// Lowering a pool is confirmed first; raising it is not.
func TestLoweringAPoolIsConfirmedFirst(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	first := admin.postForm("/settings/pools/mcn", url.Values{"total": {"4000000"}})
	if fact(t, first, "confirm-from") != "¥5,000,000.00" || fact(t, first, "confirm-to") != "¥4,000,000.00" || fact(t, first, "confirm-amount") != "¥1,000,000.00" {
		t.Fatalf("confirmation: %q → %q", fact(t, first, "confirm-from"), fact(t, first, "confirm-to"))
	}
	var n int64
	a.raw.Model(&models.SettingsChange{}).Count(&n)
	if n != 0 {
		t.Fatal("the first POST proposed the change")
	}
	if res := admin.postForm("/settings/pools/mcn", confirmFields(t, first)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", res.StatusCode)
	}
	a.raw.Model(&models.SettingsChange{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d proposals after confirming", n)
	}
}

// The payout XLSX reads as a person expects: ¥ with thousands separators, a
// frozen header and a total row.
func TestPayoutXLSXIsFormatted(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer").inChinese()
	rev.postForm("/payouts/"+itoa(a.batch.ID)+"/freeze", url.Values{"format": {"xlsx"}})
	res := rev.get("/payouts/" + itoa(a.batch.ID) + "/export.xlsx")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Sheet1"
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Fatalf("panes %+v %v", panes, err)
	}
	if got, _ := f.GetCellValue(sheet, "K2"); got != "¥300.00" {
		t.Errorf("the yuan cell reads %q, want ¥300.00", got)
	}
	if got, _ := f.GetCellValue(sheet, "K2", excelize.Options{RawCellValue: true}); got != "300" {
		t.Errorf("the yuan cell holds %q, want the number 300", got)
	}
	style, _ := f.GetCellStyle(sheet, "K2")
	if st, err := f.GetStyle(style); err != nil || st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, "#,##0.00") {
		t.Errorf("number format %+v %v", st, err)
	}
	if label, _ := f.GetCellValue(sheet, "A3"); label != "合计" {
		t.Errorf("total row label %q", label)
	}
	if formula, _ := f.GetCellFormula(sheet, "K3"); formula != "SUM(K2:K2)" {
		t.Errorf("total formula %q", formula)
	}
	if total, _ := f.GetCellValue(sheet, "L3"); total != "30000" {
		t.Errorf("total fen %q", total)
	}
	if w, _ := f.GetColWidth(sheet, "E"); w < 15 {
		t.Errorf("account column %v wide", w)
	}
}

// The monthly MCN bonuses are confirmed the same way, by month.
func TestMCNBulkApprovalOverTheThresholdIsConfirmed(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	admin.follow(admin.postForm("/settings/mcn-rule", url.Values{"default_quota": {"1"}, "meet": {"20000"}, "per_extra": {"1000"}, "max": {"50000"}, "four_eyes": {"30000"}}))
	approveAsSecondAdmin(t, a, a.adminLogin("checker@t.test"))
	last := models.MonthOf(time.Now()).Prev()
	a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", last.Start().Add(72*time.Hour).UTC(), a.creatorC.ID)
	admin.postForm("/mcn-bonuses/compute", url.Values{"month": {last.String()}})
	admin.follow(admin.postForm("/settings/confirm-thresholds", url.Values{"confirm_count": {"20"}, "confirm_amount": {"10000"}}))
	var b models.MCNBonus
	a.raw.First(&b)
	first := admin.postForm("/mcn-bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(b.ID)}})
	if fact(t, first, "confirm-amount") != "¥20,000.00" || fact(t, first, "confirm-weeks") != last.String() {
		t.Fatalf("confirmation: %q %q", fact(t, first, "confirm-amount"), fact(t, first, "confirm-weeks"))
	}
	a.raw.First(&b, b.ID)
	if b.State != models.BonusProposed {
		t.Fatalf("the first POST changed the bonus to %s", b.State)
	}
	res := admin.follow(admin.postForm("/mcn-bonuses/decide", confirmFields(t, first)))
	if !strings.Contains(res.body, "1 approved (¥20,000.00)") {
		t.Fatalf("after confirming: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
}

// The other reviewers — not the first approver — are told a bonus waits for
// their second approval, with a link to that queue.
func TestSecondApprovalNotificationLinksToTheQueue(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	big := a.qualifiedCreator("jd_cr_big001", &a.agencyB.ID)
	a.perf(lastWeek, big.AccountID, 1, 0, 0, 100_000_000) // ¥20,100: four eyes
	rev := a.login("reviewer")
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(a.bonusOf(big.ID).ID)}})
	spare := a.anon()
	spare.postForm("/login", url.Values{"email": {"spare@t.test"}, "password": {testPassword}})
	spare = spare.inChinese()
	n := spare.get("/notifications").doc(t).Find(`[data-testid="notification"] a`)
	if href, _ := n.Attr("href"); href != "/bonuses?state=awaiting_second" || !strings.Contains(n.Text(), "等待您复核批准") || !strings.Contains(n.Text(), "¥20,100.00") {
		t.Fatalf("spare reviewer's notification %q → %q", n.Text(), href)
	}
	if got := rev.get("/notifications").doc(t).Find(`[data-testid="notification"]`).Text(); strings.Contains(got, "second approval") {
		t.Fatalf("the first approver was told: %q", got)
	}
}
