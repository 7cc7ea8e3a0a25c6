package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
)

// adminLogin adds another admin account and signs it in: the second admin of
// the maker-checker pair.
func (a *app) adminLogin(email string) *client {
	a.t.Helper()
	if _, err := a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: email, Password: testPassword, Role: models.RoleAdmin}); err != nil {
		a.t.Fatal(err)
	}
	c := a.anon()
	if res := c.postForm("/login", url.Values{"email": {email}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login as %s: %d", email, res.StatusCode)
	}
	return c
}

// pendingChange is the only change waiting for a second admin.
func (a *app) pendingChange() models.SettingsChange {
	a.t.Helper()
	pending, err := a.store.PendingChanges(ctx, models.SystemActor())
	if err != nil || len(pending) != 1 {
		a.t.Fatalf("want one pending change, got %d (%v)", len(pending), err)
	}
	return pending[0]
}

// approveAsSecondAdmin is the two-step flow the money settings pages now
// need: what one admin proposed, another approves.
func approveAsSecondAdmin(t *testing.T, a *app, checker *client) response {
	t.Helper()
	ch := a.pendingChange()
	return checker.follow(checker.postForm("/settings/changes/"+itoa(ch.ID)+"/approve", url.Values{}))
}

func flashText(t *testing.T, res response) string {
	t.Helper()
	return res.doc(t).Find(`[data-testid="flash"]`).Text()
}

// Through the pages, one admin proposes each money setting; nothing changes
// until a second admin approves it, the proposer cannot approve it, and the
// checker sees what is in force beside what is proposed.
func TestOneAdminCannotChangeMoneySettingsThroughThePages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	maker := a.login("admin")
	checker := a.adminLogin("checker@t.test")
	liveRule := func() models.BonusRule { r, _, _ := a.store.CurrentBonusRule(ctx); return r }
	cases := []struct {
		name    string
		path    string
		form    url.Values
		field   string // a line of the proposal that changes
		applied func() bool
	}{
		{"weekly cap and four eyes", "/settings/bonus-rule", url.Values{"action": {"propose"}, "gmv_tiers": {"10000 = 500"}, "view_tiers": {""},
			"per_video": {"100"}, "per_live": {"300"}, "weekly_cap": {"25000"}, "four_eyes": {"15000"}}, "Weekly cap",
			func() bool { r := liveRule(); return r.WeeklyCapFen == 2_500_000 && r.FourEyesFen == 1_500_000 }},
		{"creator pool", "/settings/pools/creators", url.Values{"total": {"900000000"}, "confirm": {"1"}}, "Pool total",
			func() bool { p, _ := a.store.GetPool(ctx, models.PoolCreators); return p.TotalFen == 90_000_000_000 }},
		{"MCN rule", "/settings/mcn-rule", url.Values{"default_quota": {"10"}, "meet": {"25000"}, "per_extra": {"1000"}, "max": {"50000"}, "four_eyes": {"30000"}}, "For meeting the quota",
			func() bool { r, _ := a.store.MCNRuleNow(ctx); return r.MeetFen == 2_500_000 }},
		{"default quota", "/settings/mcn-rule", url.Values{"default_quota": {"3"}, "meet": {"25000"}, "per_extra": {"1000"}, "max": {"50000"}, "four_eyes": {"30000"}}, "Default monthly quota",
			func() bool { r, _ := a.store.MCNRuleNow(ctx); return r.DefaultQuota == 3 }},
		{"programme budget", "/settings/programme-budget", url.Values{"creators_budget": {"1200000000"}, "mcn_budget": {"5000000"}}, "Creator programme budget",
			func() bool { b, _ := a.store.ProgrammeBudgetNow(ctx); return b.CreatorsFen == 120_000_000_000 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			maker.t, checker.t = t, t
			res := maker.follow(maker.postForm(tc.path, tc.form))
			if !strings.Contains(flashText(t, res), "It applies when a second admin approves it") {
				t.Fatalf("proposal flash: %q", flashText(t, res))
			}
			if tc.applied() {
				t.Fatal("one admin changed the setting alone")
			}
			ch := a.pendingChange()
			mine := maker.get("/settings/changes").doc(t)
			if mine.Find(`[data-testid="change-waiting"]`).Length() != 1 || mine.Find(`[data-testid="change-approve"]`).Length() != 0 {
				t.Fatal("the proposer is offered Approve, or not told the change waits for a second admin")
			}
			res = maker.follow(maker.postForm("/settings/changes/"+itoa(ch.ID)+"/approve", url.Values{}))
			if !strings.Contains(flashText(t, res), "a different admin must decide it") || tc.applied() {
				t.Fatalf("the proposer approved their own change: %q", flashText(t, res))
			}
			page := checker.get("/settings/changes").doc(t)
			line := page.Find(`[data-testid="change-line"].changed`).FilterFunction(func(_ int, s *goquery.Selection) bool {
				return strings.Contains(s.Find("th").Text(), tc.field)
			})
			if line.Length() != 1 || page.Find(`[data-testid="change-approve"]`).Length() != 1 || page.Find(`[data-testid="change-reject"]`).Length() != 1 {
				t.Fatalf("the checker does not see the change to %q with Approve and Reject: %s", tc.field, page.Find(`[data-testid="pending-change"]`).Text())
			}
			res = approveAsSecondAdmin(t, a, checker)
			if !strings.Contains(flashText(t, res), "approved and applied") || !tc.applied() {
				t.Fatalf("the second admin's approval: %q", flashText(t, res))
			}
		})
	}
	maker.t = t
	audit := maker.get("/audit?action=settings_change.approved").doc(t).Find(`[data-testid="audit-row"]`)
	if audit.Length() != len(cases) || !strings.Contains(audit.Text(), "checker@t.test") {
		t.Fatalf("approvals in the audit log: %d", audit.Length())
	}
}

// The checker sees what a proposed bonus rule would have paid last week.
func TestTheCheckerSeesTheWhatIfOfAProposedRule(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	maker := a.login("admin")
	form := url.Values{"action": {"propose"}, "gmv_tiers": {"10000 = 500\n50000 = 2000"}, "view_tiers": {"100000 = 300"}, "per_video": {"50"},
		"per_live": {"300"}, "weekly_cap": {"30000"}, "four_eyes": {"20000"}}
	maker.follow(maker.postForm("/settings/bonus-rule", form))
	checker := a.adminLogin("checker@t.test")
	whatIf := checker.get("/settings/changes").doc(t).Find(`[data-testid="pending-change"] [data-testid="what-if"]`).Text()
	// Carol's week: 3 videos. Current rule ¥300, proposed ¥150.
	if !strings.Contains(whatIf, lastWeek.String()) || !strings.Contains(whatIf, "¥300.00") || !strings.Contains(whatIf, "¥150.00") {
		t.Fatalf("what-if for the checker: %q", whatIf)
	}
}

func TestThresholdAboveTheCapIsRefusedOnThePage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	res := admin.postForm("/settings/bonus-rule", url.Values{"action": {"propose"}, "gmv_tiers": {"10000 = 500"}, "view_tiers": {""},
		"per_video": {"100"}, "per_live": {"300"}, "weekly_cap": {"20000"}, "four_eyes": {"25000"}})
	msg := res.doc(t).Find(`[data-testid="error-four_eyes"]`).Text()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, "¥25,000.00") || !strings.Contains(msg, "¥20,000.00") {
		t.Fatalf("status %d, message %q", res.StatusCode, msg)
	}
	if pending, _ := a.store.PendingChanges(ctx, models.SystemActor()); len(pending) != 0 {
		t.Fatal("an invalid rule waits for approval")
	}
	// A Chinese-speaking admin reads it in Chinese.
	admin.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/settings/bonus-rule"}})
	res = admin.postForm("/settings/bonus-rule", url.Values{"action": {"propose"}, "gmv_tiers": {"10000 = 500"}, "view_tiers": {""},
		"per_video": {"100"}, "per_live": {"300"}, "weekly_cap": {"20000"}, "four_eyes": {"25000"}})
	if msg := res.doc(t).Find(`[data-testid="error-four_eyes"]`).Text(); msg != "双人审批门槛（¥25,000.00）不能高于每周上限（¥20,000.00）" {
		t.Fatalf("in Chinese: %q", msg)
	}
}

func TestPoolAboveTheProgrammeBudgetIsRefusedOnThePage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	page := admin.get("/settings/bonus-rule").doc(t)
	if got := page.Find(`[data-testid="budget-creators"]`).Text(); got != "¥1,000,000,000.00" {
		t.Fatalf("creator budget shown as %q", got)
	}
	if got := page.Find(`[data-testid="budget-mcn"]`).Text(); got != "¥5,000,000.00" {
		t.Fatalf("MCN budget shown as %q", got)
	}
	res := admin.follow(admin.postForm("/settings/pools/creators", url.Values{"total": {"1000000000.01"}}))
	if msg := flashText(t, res); !strings.Contains(msg, "above the programme's budget of ¥1,000,000,000.00") {
		t.Fatalf("flash %q", msg)
	}
	res = admin.postForm("/settings/programme-budget", url.Values{"creators_budget": {"900000000"}, "mcn_budget": {"5000000"}})
	if msg := res.doc(t).Find(`[data-testid="error-creators_budget"]`).Text(); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, "¥1,000,000,000.00") {
		t.Fatalf("a budget below the pool: %d %q", res.StatusCode, msg)
	}
	if pending, _ := a.store.PendingChanges(ctx, models.SystemActor()); len(pending) != 0 {
		t.Fatal("a refused change waits for approval")
	}
}

func TestRejectingAChangeNeedsAReasonAndTheProposerCanWithdraw(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	maker := a.login("admin")
	checker := a.adminLogin("checker@t.test")
	maker.follow(maker.postForm("/settings/pools/mcn", url.Values{"total": {"4000000"}, "confirm": {"1"}}))
	ch := a.pendingChange()
	res := checker.postForm("/settings/changes/"+itoa(ch.ID)+"/reject", url.Values{"reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-testid="error-reason"]`).Length() != 1 {
		t.Fatalf("reject without a reason: %d", res.StatusCode)
	}
	res = checker.follow(checker.postForm("/settings/changes/"+itoa(ch.ID)+"/reject", url.Values{"reason": {"The MCN pool stays as announced."}}))
	recent := res.doc(t).Find(`[data-testid="recent-change"]`).Text()
	if !strings.Contains(flashText(t, res), "rejected") || !strings.Contains(recent, "The MCN pool stays as announced.") || !strings.Contains(recent, "Rejected") {
		t.Fatalf("after rejecting: %q / %q", flashText(t, res), recent)
	}
	if p, _ := a.store.GetPool(ctx, models.PoolMCN); p.TotalFen != models.DefaultMCNPoolFen {
		t.Fatal("a rejected change applied")
	}
	maker.follow(maker.postForm("/settings/pools/mcn", url.Values{"total": {"4500000"}, "confirm": {"1"}}))
	ch = a.pendingChange()
	if res := checker.follow(checker.postForm("/settings/changes/"+itoa(ch.ID)+"/withdraw", url.Values{})); !strings.Contains(flashText(t, res), "Only the admin who proposed") {
		t.Fatalf("someone else withdrew it: %q", flashText(t, res))
	}
	if res := maker.follow(maker.postForm("/settings/changes/"+itoa(ch.ID)+"/withdraw", url.Values{})); !strings.Contains(flashText(t, res), "withdrawn") {
		t.Fatalf("withdraw: %q", flashText(t, res))
	}
	if a.auditRows(t, "settings_change.rejected") != 1 || a.auditRows(t, "settings_change.withdrawn") != 1 {
		t.Fatal("the rejection and the withdrawal are not audited")
	}
}

func (a *app) auditRows(t *testing.T, action string) int64 {
	t.Helper()
	var n int64
	a.raw.Model(&models.AuditEntry{}).Where("action = ?", action).Count(&n)
	return n
}

// Approving needs the password entered within the last 15 minutes, like
// every other money setting.
func TestApprovingAChangeAsksForThePasswordAfterFifteenMinutes(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	clk := withClock(t, a)
	maker := a.login("admin")
	maker.follow(maker.postForm("/settings/pools/creators", url.Values{"total": {"900000000"}, "confirm": {"1"}}))
	checker := a.adminLogin("checker@t.test")
	clk.add(16 * time.Minute)
	ch := a.pendingChange()
	res := checker.postForm("/settings/changes/"+itoa(ch.ID)+"/approve", url.Values{})
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/reauth") {
		t.Fatalf("stale password: redirected to %q", loc)
	}
	if p, _ := a.store.GetPool(ctx, models.PoolCreators); p.TotalFen != models.DefaultCreatorPoolFen {
		t.Fatal("applied without the password")
	}
}

// Two admins pressing Approve at the same moment apply the change once.
func TestTwoAdminsApprovingAtOnceApplyTheChangeOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	maker := a.login("admin")
	maker.follow(maker.postForm("/settings/pools/creators", url.Values{"total": {"900000000"}, "confirm": {"1"}}))
	ch := a.pendingChange()
	checkers := []*client{a.adminLogin("checker1@t.test"), a.adminLogin("checker2@t.test"), a.adminLogin("checker3@t.test")}
	var wg sync.WaitGroup
	flashes := make([]string, len(checkers))
	for i, c := range checkers {
		c.csrf() // fetch tokens before the race
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := c.postForm("/settings/changes/"+itoa(ch.ID)+"/approve", url.Values{})
			flashes[i] = c.get(res.Header.Get("Location")).doc(t).Find(`[data-testid="flash"]`).Text()
		}()
	}
	wg.Wait()
	applied := 0
	for _, f := range flashes {
		if strings.Contains(f, "approved and applied") {
			applied++
		} else if !strings.Contains(f, "no longer waiting") {
			t.Errorf("unexpected flash %q", f)
		}
	}
	if applied != 1 || a.auditRows(t, "settings.pool") != 1 {
		t.Fatalf("%d approvals applied, %d pool changes audited", applied, a.auditRows(t, "settings.pool"))
	}
}
