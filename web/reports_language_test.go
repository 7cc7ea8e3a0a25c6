package web_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// inChinese switches a signed-in user to Chinese the way the header's switch does.
func (c *client) inChinese() *client {
	c.t.Helper()
	if res := c.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/"}}); res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("switch to Chinese: %d", res.StatusCode)
	}
	return c
}

// inEnglish switches back.
func (c *client) inEnglish() *client {
	c.t.Helper()
	if res := c.postForm("/language", url.Values{"lang": {"en"}, "back": {"/"}}); res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("switch to English: %d", res.StatusCode)
	}
	return c
}

// englishWords lists the English words of a selection's visible text once the
// programme's data (names, accounts, weeks) is blanked out.
func englishWords(sel *goquery.Selection, data ...string) []string {
	text := sel.Text()
	sort.Slice(data, func(i, j int) bool { return len(data[i]) > len(data[j]) })
	for _, d := range data {
		if d != "" {
			text = strings.ReplaceAll(text, d, " ")
		}
	}
	var out []string
	for _, w := range englishWord.FindAllString(identifier.ReplaceAllString(text, " "), -1) {
		if !untranslatedOnPurpose[w] {
			out = append(out, w)
		}
	}
	return out
}

func flashOf(t *testing.T, res response) string {
	t.Helper()
	return res.doc(t).Find(`[data-testid="flash"]`).Text()
}

// A second approval by the reviewer who gave the first is refused with a
// reason that names the creator, in the reader's language.
func TestSameReviewerSecondApprovalReportInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	big := a.qualifiedCreator("jd_cr_bigone", &a.agencyA.ID)
	a.perf(lastWeek, big.AccountID, 10, 0, 10_000_000, 100_000_000) // ¥26,000: four eyes
	admin := a.login("admin").inChinese()
	admin.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	id := a.bonusOf(big.ID).ID
	approve := url.Values{"action": {"approve"}, "ids": {itoa(id)}}
	admin.follow(admin.postForm("/bonuses/decide", approve))
	flash := flashOf(t, admin.follow(admin.postForm("/bonuses/decide", approve)))
	if want := "Creator bigone：需要由另一位审核员进行第二次批准"; !strings.Contains(flash, want) {
		t.Fatalf("flash %q, want it to contain %q", flash, want)
	}
	if strings.Contains(flash, "#"+itoa(id)) {
		t.Errorf("the report names the bonus by number: %q", flash)
	}
	// The same refusal in English reads as it always did, with the creator's name in front.
	flash = flashOf(t, admin.inEnglish().follow(admin.postForm("/bonuses/decide", approve)))
	if want := "Creator bigone: needs a second approval by a different reviewer"; !strings.Contains(flash, want) {
		t.Fatalf("English flash %q, want it to contain %q", flash, want)
	}
}

// An approval the pool cannot cover says, in Chinese, what was asked and what is left.
func TestApprovalOverThePoolReportInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	dan := a.qualifiedCreator("jd_cr_dan001", &a.agencyA.ID)
	eve := a.qualifiedCreator("jd_cr_eve001", &a.agencyB.ID)
	a.perf(lastWeek, dan.AccountID, 2, 0, 0, 0)
	a.perf(lastWeek, eve.AccountID, 2, 0, 0, 0)
	rev := a.login("reviewer").inChinese()
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	danID, eveID := a.bonusOf(dan.ID).ID, a.bonusOf(eve.ID).ID
	// ¥2,800 asked of a pool with ¥1,300 left (Carol's ¥300 is committed already).
	if err := a.raw.Exec("UPDATE bonuses SET amount_fen = ? WHERE id IN ?", 280_000, []uint{danID, eveID}).Error; err != nil {
		t.Fatal(err)
	}
	if err := a.raw.Exec("UPDATE pools SET total_fen = committed_fen + ? WHERE name = ?", 130_000, models.PoolCreators).Error; err != nil {
		t.Fatal(err)
	}
	res := rev.follow(rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(danID)}}))
	flash := flashOf(t, res)
	if want := "Creator dan001：奖金池余额不足以支付此金额：申请 ¥2,800.00，剩余 ¥1,300.00"; !strings.Contains(flash, want) {
		t.Fatalf("flash %q, want it to contain %q", flash, want)
	}
	if words := englishWords(res.doc(t).Find(`[data-testid="flash"]`), "Creator dan001"); len(words) > 0 {
		t.Errorf("English in the Chinese report: %v (%q)", words, flash)
	}
	flash = flashOf(t, rev.inEnglish().follow(rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(eveID)}})))
	if want := "Creator eve001: the pool cannot cover this amount: ¥2,800.00 asked, ¥1,300.00 left"; !strings.Contains(flash, want) {
		t.Fatalf("English flash %q, want it to contain %q", flash, want)
	}
}

// A monthly agency bonus decided twice is refused by the agency's name, in Chinese.
func TestMCNDecisionReportNamesTheAgencyInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := models.MCNBonus{AgencyID: a.agencyA.ID, Month: models.MonthOf(time.Now()).Prev().String(), Quota: 1, Delivered: 1,
		State: models.BonusApproved, AmountFen: 2_000_000, ProposedAt: time.Now(), UpdatedAt: time.Now()}
	if err := a.raw.Create(&b).Error; err != nil {
		t.Fatal(err)
	}
	rev := a.login("reviewer").inChinese()
	flash := flashOf(t, rev.follow(rev.postForm("/mcn-bonuses/decide", url.Values{"action": {"reject"}, "ids": {itoa(b.ID)}, "reason": {"mcn_duplicate_claim"}})))
	if want := "Agency A：它已是“已批准”状态"; !strings.Contains(flash, want) {
		t.Fatalf("flash %q, want it to contain %q", flash, want)
	}
	flash = flashOf(t, rev.inEnglish().follow(rev.postForm("/mcn-bonuses/decide", url.Values{"action": {"reject"}, "ids": {itoa(b.ID)}, "reason": {"mcn_duplicate_claim"}})))
	if want := "Agency A: it is already approved"; !strings.Contains(flash, want) {
		t.Fatalf("English flash %q, want it to contain %q", flash, want)
	}
}

// A bank result line whose amount differs from the batch is listed in Chinese.
func TestBankResultMismatchInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer").inChinese()
	path := "/payouts/" + itoa(a.batch.ID)
	if res := rev.postForm(path+"/freeze", url.Values{"format": {"csv"}}); res.StatusCode >= 400 {
		t.Fatalf("freeze: %d", res.StatusCode)
	}
	file := []byte("batch_id,account_id,amount_fen,status\n" + itoa(a.batch.ID) + ",jd_cr_carol1,29000,paid\n")
	res := uploadTo(t, rev, path+"/bank-result", "bank.csv", file)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("bank result: %d", res.StatusCode)
	}
	list := res.doc(t).Find(`[data-testid="mismatches"] li`)
	if want := "第 2 行：账号 jd_cr_carol1：银行回单金额 ¥290.00，批次应付 ¥300.00，两者不符"; list.Length() != 1 || strings.TrimSpace(list.Text()) != want {
		t.Fatalf("mismatches %q, want %q", list.Text(), want)
	}
	res = uploadTo(t, rev.inEnglish(), path+"/bank-result", "bank.csv", file)
	if want := "Line 2: account jd_cr_carol1: the bank reports ¥290.00, the batch holds ¥300.00"; strings.TrimSpace(res.doc(t).Find(`[data-testid="mismatches"] li`).Text()) != want {
		t.Fatalf("English mismatches %q, want %q", res.doc(t).Find(`[data-testid="mismatches"] li`).Text(), want)
	}
}

// A transfer asked for and accepted shows its state, and notifies everyone
// concerned, in Chinese.
func TestTransferStatesAndNotificationsInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mgrB := a.login("mcnB").inChinese()
	mgrB.postForm("/transfers", url.Values{"account_id": {a.creatorA.AccountID}})
	if got := mgrB.get("/dashboard").doc(t).Find(`[data-testid="transfer"]`).Text(); !strings.Contains(got, "Alice Reviews → 贵机构：") || !strings.Contains(got, "待答复") {
		t.Fatalf("manager B's transfers %q", got)
	}
	creator := a.login("creator").inChinese()
	me := creator.get("/me").doc(t)
	row := me.Find(`[data-testid="transfer"]`)
	if got := row.Text(); !strings.Contains(got, "Agency B 邀请您加入：") || !strings.Contains(got, "待答复") {
		t.Fatalf("the creator's transfers %q", got)
	}
	if words := englishWords(row, "Agency B"); len(words) > 0 {
		t.Errorf("English in the creator's transfer row: %v", words)
	}
	note := creator.get("/notifications").doc(t).Find(`[data-testid="notification"]`)
	if want := "Agency B 邀请您转到他们的机构。请在您的页面上接受或拒绝。"; !strings.Contains(note.Text(), want) {
		t.Fatalf("the creator's notification %q, want %q", note.Text(), want)
	}
	if href, _ := note.Find("a").Attr("href"); href != "/me" {
		t.Errorf("the creator's notification links to %q", href)
	}
	action, _ := me.Find(`form[action$="/decision"]`).Attr("action")
	creator.postForm(action, url.Values{"decision": {"accept"}})
	next := models.MonthOf(time.Now()).Next().String()

	dash := mgrB.get("/dashboard").doc(t)
	if got := dash.Find(`[data-testid="transfer-state"]`).Text(); got != "已接受" {
		t.Fatalf("manager B sees the state %q", got)
	}
	if got := dash.Find(`[data-testid="transfer"]`).Text(); !strings.Contains(got, "（自 "+next+"-01 起）") {
		t.Fatalf("manager B's transfer %q", got)
	}
	if got := mgrB.get("/notifications").doc(t).Find(`[data-testid="notification"]`).Text(); !strings.Contains(got, "创作者已接受您的转会请求，将于 "+next+"-01 加入贵机构。") {
		t.Fatalf("manager B's notifications %q", got)
	}
	mgrA := a.login("mcnA").inChinese()
	if got := mgrA.get("/dashboard").doc(t).Find(`[data-testid="transfer"]`).Text(); !strings.Contains(got, "Alice Reviews → 其他机构：") || !strings.Contains(got, "已接受") {
		t.Fatalf("manager A's transfers %q", got)
	}
	notes := mgrA.get("/notifications").doc(t).Find(`[data-testid="notifications"]`)
	if got := notes.Text(); !strings.Contains(got, "您的一位创作者已接受转会，自 "+next+"-01 起转到其他机构。") {
		t.Fatalf("manager A's notifications %q", got)
	}
	if words := englishWords(notes, "Alice Reviews", next); len(words) > 0 {
		t.Errorf("English in manager A's notifications: %v", words)
	}
	// In English the states read as before.
	if got := mgrA.inEnglish().get("/dashboard").doc(t).Find(`[data-testid="transfer"]`).Text(); !strings.Contains(got, "Alice Reviews → another agency:") || !strings.Contains(got, "accepted") {
		t.Fatalf("manager A's transfers in English %q", got)
	}
}

// A rejected week appealed: the appeal's state, the rejection and the appeal
// decision read in Chinese for the reviewer and the creator.
func TestAppealStateAndNotificationsInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	dan := a.qualifiedCreator("jd_cr_dan001", &a.agencyA.ID)
	a.perf(lastWeek, dan.AccountID, 2, 0, 0, 0)
	if _, err := a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "dan@t.test", Password: testPassword, Role: models.RoleCreator, CreatorID: &dan.ID}); err != nil {
		t.Fatal(err)
	}
	rev := a.login("reviewer").inChinese()
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	id := a.bonusOf(dan.ID).ID
	rev.postForm("/bonuses/decide", url.Values{"action": {"reject"}, "ids": {itoa(id)}, "reason": {"unverified_performance"}})
	c := a.anon()
	c.postForm("/login", url.Values{"email": {"dan@t.test"}, "password": {testPassword}})
	c.inChinese()
	c.postForm("/bonuses/"+itoa(id)+"/appeal", url.Values{"message": {"Here are my video links."}})

	page := rev.get("/bonuses/" + itoa(id)).doc(t)
	if got := page.Find(`[data-testid="appeal-state"]`).Text(); got != "申诉（待处理）" {
		t.Fatalf("appeal state %q, want 申诉（待处理）", got)
	}
	if got := rev.get("/bonuses?appeal=pending").doc(t).Find(`.badge-appeal`).Text(); !strings.Contains(got, "待处理") || strings.Contains(got, "pending") {
		t.Fatalf("the queue's appeal badge %q", got)
	}
	if body := c.get("/me").body; !strings.Contains(body, "待处理") {
		t.Fatal("the creator's page does not show the appeal's state in Chinese")
	}
	other := a.login("admin")
	other.postForm("/bonuses/"+itoa(id)+"/appeal-decision", url.Values{"decision": {"uphold"}})
	notes := c.get("/notifications").doc(t).Find(`[data-testid="notifications"]`)
	for _, want := range []string{
		"您对 " + lastWeek.String() + " 的申诉已处理：维持拒绝。",
		"您 " + lastWeek.String() + " 的奖金被拒绝：业绩无法核实。",
	} {
		if !strings.Contains(notes.Text(), want) {
			t.Errorf("the creator's notifications %q lack %q", notes.Text(), want)
		}
	}
	if words := englishWords(notes, lastWeek.String()); len(words) > 0 {
		t.Errorf("English in the creator's notifications: %v", words)
	}
	if got := rev.get("/bonuses/" + itoa(id)).doc(t).Find(`[data-testid="appeal-state"]`).Text(); got != "申诉（维持原决定）" {
		t.Fatalf("decided appeal state %q", got)
	}
	// In English, as before.
	if got := rev.inEnglish().get("/bonuses/" + itoa(id)).doc(t).Find(`[data-testid="appeal-state"]`).Text(); got != "Appeal (upheld)" {
		t.Fatalf("English appeal state %q", got)
	}
	en := c.inEnglish().get("/notifications").doc(t).Find(`[data-testid="notifications"]`).Text()
	if !strings.Contains(en, "Your appeal for "+lastWeek.String()+" was upheld: the rejection stands.") ||
		!strings.Contains(en, "Your bonus for "+lastWeek.String()+" was rejected: Performance could not be verified.") {
		t.Fatalf("English notifications %q", en)
	}
}

// Decisions on a creator and an approved bonus notify in Chinese, with links built from their targets.
func TestDecisionNotificationsInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	rev.postForm("/creators/"+itoa(a.creatorA.ID)+"/decision", url.Values{"action": {"reject"}, "reason-reject": {"content_policy"}})
	creator := a.login("creator").inChinese()
	note := creator.get("/notifications").doc(t).Find(`[data-testid="notification"]`)
	if want := "Alice Reviews 现在的状态：已拒绝（内容规范）。"; !strings.Contains(note.Text(), want) {
		t.Fatalf("creator's notification %q, want %q", note.Text(), want)
	}
	mgr := a.login("mcnA").inChinese()
	note = mgr.get("/notifications").doc(t).Find(`[data-testid="notification"]`)
	if href, _ := note.Find("a").Attr("href"); href != "/creators/"+itoa(a.creatorA.ID) {
		t.Errorf("the manager's notification links to %q", href)
	}
	if got := mgr.inEnglish().get("/notifications").doc(t).Find(`[data-testid="notification"]`).Text(); !strings.Contains(got, "Alice Reviews is now rejected: Content policy.") {
		t.Fatalf("English notification %q", got)
	}

	// An approved weekly bonus.
	fay := a.qualifiedCreator("jd_cr_fay001", &a.agencyA.ID)
	if _, err := a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "fay@t.test", Password: testPassword, Role: models.RoleCreator, CreatorID: &fay.ID}); err != nil {
		t.Fatal(err)
	}
	a.perf(lastWeek, fay.AccountID, 4, 0, 0, 0)
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(a.bonusOf(fay.ID).ID)}})
	c := a.anon()
	c.postForm("/login", url.Values{"email": {"fay@t.test"}, "password": {testPassword}})
	got := c.inChinese().get("/notifications").doc(t).Find(`[data-testid="notifications"]`).Text()
	if want := "您 " + lastWeek.String() + " 的奖金 ¥400.00 已通过。"; !strings.Contains(got, want) {
		t.Fatalf("approved-bonus notification %q, want %q", got, want)
	}
}

// Every state of a transfer and of an appeal, and every state word the
// messages use, has a label in both languages (from the models' lists).
func TestEveryStateHasALabelInBothLanguages(t *testing.T) {
	t.Parallel()
	for _, l := range i18n.Langs {
		lctx := i18n.With(context.Background(), i18n.For(l))
		seen := map[string]string{}
		label := func(kind, state, got string) {
			if got == "" || got == state && l == i18n.ZH || strings.HasPrefix(got, i18n.Missing) {
				t.Errorf("%s: %s state %q has no label (%q)", l, kind, state, got)
			}
			if other, dup := seen[kind+got]; dup {
				t.Errorf("%s: %s states %q and %q read the same: %q", l, kind, other, state, got)
			}
			seen[kind+got] = state
		}
		for _, s := range models.TransferStates {
			label("transfer", s, views.TransferStateLabel(lctx, s))
		}
		for _, s := range models.AppealStates {
			label("appeal", s, views.AppealStateLabel(lctx, s))
		}
		for _, s := range models.BonusStates {
			label("bonus word", string(s), i18n.T(lctx, string(models.BonusStateWord(s))))
		}
		for _, s := range models.CreatorStates {
			label("creator word", string(s), i18n.T(lctx, string(models.CreatorStateWord(s))))
		}
	}
}

// Every reason code of a decision report and of a bank result, and every
// notification kind, is a message of the catalogue.
func TestEveryReportReasonAndNotificationKindIsCatalogued(t *testing.T) {
	t.Parallel()
	ids := []string{
		models.RefusedNoSuchBonus, models.RefusedOverCap, models.RefusedSameReviewer, models.RefusedPoolShort,
		models.RefusedDecidedMeanwhile, models.RefusedAlreadyDecided,
		models.BankOtherBatch, models.BankAmountNotFen, models.BankAmountDiffers, models.BankNotInBatch, models.BankFailed, models.BankAlreadyPaid,
		models.NotifyBonusApproved, models.NotifyBonusRejected, models.NotifyCreatorState, models.NotifyCreatorStateReason,
		models.NotifyQuotaMet, models.NotifyAppealUpheld, models.NotifyAppealOverturned, models.NotifyTransferRequested,
		models.NotifyTransferAccepted, models.NotifyTransferDeclined, models.NotifyTransferLeaving, models.NotifyTopCreator,
		models.NotifyTopCreatorOfAgency, models.NotifyTopCreatorRanked,
	}
	for _, l := range i18n.Langs {
		defined, err := i18n.MessageIDs(l)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, id := range defined {
			have[id] = true
		}
		for _, id := range ids {
			if !have[id] {
				t.Errorf("%s: %s is not in the catalogue", l, id)
			}
		}
	}
}

// Notifications stored as English sentences before messages were data are
// read back by the upgrade and shown in the reader's language; one it could
// not read is shown as it was written.
func TestNotificationsStoredAsSentencesRenderInChineseAfterTheUpgrade(t *testing.T) {
	t.Parallel()
	dsn := modeltest.DatabaseURL(t)
	s, err := models.Open(ctx, dsn, models.WithAuditKey(modeltest.AuditKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sys := models.SystemActor()
	ag, err := s.CreateAgency(ctx, sys, models.AgencyInput{Name: "Agency A"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.EnrolCreator(ctx, sys, &ag.ID, models.Enrolment{DisplayName: "Alice Reviews", AccountID: "jd_cr_alice1", Subjects: []string{"electronics"}, ContentType: "video", Followers: "5000"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, sys, models.NewUser{Email: "alice@t.test", Password: testPassword, Role: models.RoleCreator, CreatorID: &res.Creator.ID})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw := modeltest.OpenRaw(t, dsn)
	modeltest.RewindNotificationMessages(t, raw)
	for i, n := range []struct{ kind, message, link string }{
		{"bonus.approved", "Your bonus of ¥2,800.00 for 2026-W47 is approved.", "/me"},
		{"bonus.rejected", "Your bonus for 2026-W46 was rejected: Performance could not be verified.", "/me"},
		{"creator.reject", "Alice Reviews is now rejected: Content policy.", "/me"},
		{"transfer.requested", "Agency B asks you to move to their agency. Accept or decline on your page.", "/me"},
		{"note", "A word from the programme team.", ""},
	} {
		if err := raw.Exec("INSERT INTO notifications (user_id, kind, message, link, created_at) VALUES (?, ?, ?, ?, ?)",
			u.ID, n.kind, n.message, n.link, time.Now().UTC().Add(time.Duration(i)*time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
	}
	s, err = models.Open(ctx, dsn, models.WithAuditKey(modeltest.AuditKey))
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := serveStore(t, s)
	c := a.anon()
	c.postForm("/login", url.Values{"email": {"alice@t.test"}, "password": {testPassword}})
	list := c.inChinese().get("/notifications").doc(t).Find(`[data-testid="notification"]`)
	want := []string{ // newest first
		"A word from the programme team.",
		"Agency B 邀请您转到他们的机构。请在您的页面上接受或拒绝。",
		"Alice Reviews 现在的状态：已拒绝（内容规范）。",
		"您 2026-W46 的奖金被拒绝：业绩无法核实。",
		"您 2026-W47 的奖金 ¥2,800.00 已通过。",
	}
	if list.Length() != len(want) {
		t.Fatalf("%d notifications, want %d: %q", list.Length(), len(want), list.Text())
	}
	list.Each(func(i int, n *goquery.Selection) {
		if !strings.Contains(n.Text(), want[i]) {
			t.Errorf("notification %d reads %q, want %q", i, n.Text(), want[i])
		}
		href, linked := n.Find("a").Attr("href")
		if i == 0 && linked || i > 0 && href != "/me" {
			t.Errorf("notification %d links to %q", i, href)
		}
	})
	en := c.inEnglish().get("/notifications").doc(t).Find(`[data-testid="notification"]`)
	if got := en.Eq(4).Text(); !strings.Contains(got, "Your bonus of ¥2,800.00 for 2026-W47 is approved.") {
		t.Errorf("in English the oldest notification reads %q", got)
	}
}
