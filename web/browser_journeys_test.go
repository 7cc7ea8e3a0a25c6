package web_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
	"github.com/jd/creator-portal/web/mail"
)

// The journeys below run once in Chinese and once in English. What a page must
// say comes from the message catalogue, so each run also proves the page is
// in the language the user chose.

// inEachLanguage runs a journey in a fresh browser per language.
func inEachLanguage(t *testing.T, journey func(t *testing.T, ctx context.Context, loc *i18n.Localizer)) {
	for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) { journey(t, browser(t), i18n.For(lang)) })
	}
}

// load clicks sel and waits until the page it leads to has loaded, so a check
// never reads the page that was there before.
func load(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__leaving = true`), chromedp.Click(sel))
	// Evaluating while the page changes fails now and then; ask again until the new page answers.
	deadline := time.Now().Add(30 * time.Second)
	for {
		arrived, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__leaving && document.readyState === 'complete'`))
		if err == nil && arrived {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after clicking %s the next page did not load (%v)", sel, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// goTo opens a page of the portal.
func goTo(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitReady(`main`))
}

// signInPage opens the sign-in page in loc's language, using the header's switch if needed.
func signInPage(t *testing.T, ctx context.Context, base string, loc *i18n.Localizer) {
	t.Helper()
	goTo(t, ctx, base, "/login")
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		t.Fatal(err)
	}
	if lang != string(loc.Lang) {
		load(t, ctx, `[data-testid="language-switch"] button[value="`+string(loc.Lang)+`"]`)
	}
	if got := text(t, ctx, `main h1`); got != loc.T("sign_in_title") {
		t.Fatalf("sign-in page title %q, want %q", got, loc.T("sign_in_title"))
	}
}

// signInAs signs in on the sign-in page in loc's language.
func signInAs(t *testing.T, ctx context.Context, base string, loc *i18n.Localizer, email, password string) {
	t.Helper()
	signInPage(t, ctx, base, loc)
	do(t, ctx, chromedp.SendKeys(`#email`, email), chromedp.SendKeys(`#password`, password))
	load(t, ctx, `button[type=submit].primary`)
	if got := text(t, ctx, `[data-testid="who"]`); !strings.Contains(got, email) {
		t.Fatalf("not signed in as %s: %q", email, got)
	}
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	load(t, ctx, `form[action="/logout"] button`)
}

// flash is the text of the page's flash messages.
func flash(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('[data-testid="flash"]')].map(e => e.innerText).join(' | ')`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func wantFlash(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if got := flash(t, ctx); !strings.Contains(got, want) {
		t.Fatalf("flash %q does not say %q", got, want)
	}
}

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+sel+`').length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// An MCN manager enrols a creator by form (the invitation goes to the creator's email),
// imports a file with bad rows, fixes it and imports it again, and watches the
// quota rise as JD qualifies the creator; the creator opens the emailed link on a
// phone, sets a password and reads their weeks, bonus and rank.
func TestBrowserJourneyManagerAndCreator(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base := a.ts.URL
		suffix := strings.ReplaceAll(strings.ToLower(string(loc.Lang)), "-", "")
		name, account, email := "Dora "+suffix, "jd_cr_dora_"+suffix, "dora-"+suffix+"@example.cn"
		signInAs(t, ctx, base, loc, testUsers["mcnA"], testPassword)
		before := text(t, ctx, `[data-testid="progress-value"]`)

		// Enrol by form, with an email: the invitation goes to Dora's email; the page only says where.
		goTo(t, ctx, base, "/creators/new")
		do(t, ctx, chromedp.SendKeys(`#display_name`, name), chromedp.SendKeys(`#account_id`, account),
			chromedp.SetValue(`#subject1`, "4"), chromedp.SetValue(`#content_type`, "video"),
			chromedp.SendKeys(`#followers`, "52000"), chromedp.SendKeys(`#contact_email`, email))
		load(t, ctx, `form[action="/creators"] button[type=submit]`)
		wantFlash(t, ctx, loc.T("flash_enrolled", "Name", name))
		wantFlash(t, ctx, loc.T("flash_invitation_sent", "Email", mail.Mask(email)))
		if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err != nil || strings.Contains(html, "/invite/") {
			t.Fatalf("the manager's page holds an invitation link (%v)", err)
		}
		link := a.lastLinkTo(email) // what Dora finds in her mailbox
		shoot(t, ctx, "journey-enrolled-"+string(loc.Lang))
		goTo(t, ctx, base, "/creators")
		if list := text(t, ctx, `[data-testid="creators"]`); !strings.Contains(list, name) || strings.Contains(list, a.creatorB.DisplayName) {
			t.Fatalf("the agency's list after enrolment (another agency's creator must not show): %q", list)
		}

		// A file with two bad rows: the preview names each problem and imports nothing.
		header := strings.Join(models.EnrolmentCSVHeader, ",") + "\n"
		bad := header + "Eve Good,jd_cr_eve_" + suffix + ",electronics,,video,1000,,\n" +
			",jd_cr_fix1_" + suffix + ",electronics,,video,1000,,\n" +
			"Fay Fix,jd_cr_fix2_" + suffix + ",electronics,,video,many,,\n"
		goTo(t, ctx, base, "/creators/import")
		do(t, ctx, chromedp.SetUploadFiles(`#file`, []string{writeFile(t, "creators.csv", bad)}))
		load(t, ctx, `form[action="/creators/import"] button[type=submit]`)
		if got, want := text(t, ctx, `[data-testid="import-summary"]`), loc.T("import_preview_summary", "OK", 1, "Skipped", 0, "Failed", 2); !strings.Contains(got, want) {
			t.Fatalf("preview summary %q, want %q", got, want)
		}
		problems := text(t, ctx, `[data-testid="import-rows"]`)
		for _, want := range []string{
			loc.T("import_column_problem", "Column", "display_name", "Problem", loc.Msg(models.Msg{ID: "err_display_name_required"})),
			loc.T("import_column_problem", "Column", "followers", "Problem", loc.Msg(models.Msg{ID: "err_followers_range"})),
		} {
			if !strings.Contains(problems, want) {
				t.Errorf("the preview does not explain %q: %s", want, problems)
			}
		}
		shoot(t, ctx, "journey-import-errors-"+string(loc.Lang))
		// Fixed and uploaded again: all three rows go in.
		fixed := header + "Eve Good,jd_cr_eve_" + suffix + ",electronics,,video,1000,,\n" +
			"Fix One,jd_cr_fix1_" + suffix + ",electronics,,video,1000,,\n" +
			"Fay Fix,jd_cr_fix2_" + suffix + ",electronics,,video,2000,,\n"
		goTo(t, ctx, base, "/creators/import")
		do(t, ctx, chromedp.SetUploadFiles(`#file`, []string{writeFile(t, "creators-fixed.csv", fixed)}))
		load(t, ctx, `form[action="/creators/import"] button[type=submit]`)
		load(t, ctx, `[data-testid="confirm-import"]`)
		if got, want := text(t, ctx, `[data-testid="import-summary"]`), loc.T("import_done_summary", "OK", 3, "Skipped", 0, "Failed", 0); !strings.Contains(got, want) {
			t.Fatalf("import report %q, want %q", got, want)
		}

		// JD qualifies Dora: the quota bar rises by one.
		var dora models.Creator
		if err := a.raw.Where("account_id = ?", account).First(&dora).Error; err != nil {
			t.Fatal(err)
		}
		a.login("reviewer").postForm("/creators/"+itoa(dora.ID)+"/decision", url.Values{"action": {"qualify"}})
		goTo(t, ctx, base, "/dashboard")
		n, _ := strconv.Atoi(before)
		if after := text(t, ctx, `[data-testid="progress-value"]`); after != strconv.Itoa(n+1) {
			t.Fatalf("quota progress %s → %s, want one more", before, after)
		}
		if got := text(t, ctx, `[data-testid="quota"] h2`); !strings.Contains(got, loc.T("quota_for", "Month", models.MonthOf(time.Now()).String())) {
			t.Errorf("quota heading %q", got)
		}
		shoot(t, ctx, "journey-quota-"+string(loc.Lang))
		signOut(t, ctx)

		// Last week Dora posted two videos and sold ¥20,000 (qualified before it ended); JD approves her bonus.
		a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", lastWeek.Start(), dora.ID)
		a.perf(lastWeek, account, 2, 0, 0, 2_000_000)
		rev := a.login("reviewer")
		rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
		rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(a.bonusOf(dora.ID).ID)}})

		// Dora, on a phone: the invitation, a password, her page.
		do(t, ctx, chromedp.EmulateViewport(375, 812), chromedp.Navigate(link), chromedp.WaitVisible(`#password`))
		if got := text(t, ctx, `main h1`); got != loc.T("invite_welcome", "Name", name) {
			t.Fatalf("invitation page %q", got)
		}
		password := "a-long-password-" + suffix + "-2026"
		do(t, ctx, chromedp.SendKeys(`#password`, password), chromedp.SendKeys(`#password_confirm`, password))
		load(t, ctx, `button[type=submit].primary`)
		wantFlash(t, ctx, loc.T("flash_password_set", "Email", email))
		do(t, ctx, chromedp.SendKeys(`#email`, email), chromedp.SendKeys(`#password`, password))
		load(t, ctx, `button[type=submit].primary`)
		if got := text(t, ctx, `[data-testid="my-status"]`); !strings.Contains(got, loc.T("state_qualified")) {
			t.Fatalf("status %q", got)
		}
		week := text(t, ctx, `[data-testid="my-week"]`)
		if !strings.Contains(week, lastWeek.String()) || !strings.Contains(week, loc.T("bonus_approved")) || !strings.Contains(week, "¥700.00") {
			t.Fatalf("week on /me %q", week)
		}
		if lastWeek.Year == models.WeekOf(time.Now()).Year {
			if rank := text(t, ctx, `[data-testid="my-rank"]`); rank == "" {
				t.Error("no rank on /me")
			}
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || wide {
			t.Errorf("/me scrolls sideways at 375 px (%v)", err)
		}
		shoot(t, ctx, "journey-creator-phone-"+string(loc.Lang))
	})
}

// A reviewer qualifies one creator and rejects another, computes last week,
// filters the queue, bulk-approves; a large bonus waits for a second reviewer,
// who approves it; the approved bonuses go into a payout batch that is
// exported and paid; the top 100 is published and a visitor reads it.
func TestBrowserJourneyReviewer(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base := a.ts.URL
		web1 := a.qualifiedCreator("jd_cr_web001", &a.agencyB.ID)
		a.perf(lastWeek, web1.AccountID, 2, 0, 0, 0) // ¥200
		web2 := a.qualifiedCreator("jd_cr_web002", &a.agencyB.ID)
		a.perf(lastWeek, web2.AccountID, 3, 0, 0, 0) // ¥300
		big := a.qualifiedCreator("jd_cr_big001", &a.agencyB.ID)
		a.perf(lastWeek, big.AccountID, 1, 0, 0, 100_000_000) // ¥20,100: two reviewers must approve
		signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)

		// Qualify Alice; reject Bob with a reason.
		goTo(t, ctx, base, "/creators/"+itoa(a.creatorA.ID))
		load(t, ctx, `[data-testid="action-qualify"]`)
		wantFlash(t, ctx, loc.T("flash_creator_state", "Name", a.creatorA.DisplayName, "State", loc.T("state_qualified")))
		goTo(t, ctx, base, "/creators/"+itoa(a.creatorB.ID))
		do(t, ctx, chromedp.SetValue(`#reason-reject`, "duplicate_account"))
		load(t, ctx, `[data-testid="action-reject"]`)
		wantFlash(t, ctx, loc.T("flash_creator_state", "Name", a.creatorB.DisplayName, "State", loc.T("state_rejected")))
		if got := text(t, ctx, `[data-testid="state-reason"]`); !strings.Contains(got, loc.ReasonLabel("duplicate_account", "Duplicate account")) {
			t.Errorf("the reason shown %q", got)
		}

		// Compute last week, filter to agency B, tick every row and approve.
		goTo(t, ctx, base, "/bonuses")
		do(t, ctx, chromedp.SetValue(`#compute-week`, lastWeek.String()))
		load(t, ctx, `[data-testid="compute-form"] button`)
		wantFlash(t, ctx, lastWeek.String())
		do(t, ctx, chromedp.SetValue(`#agency`, itoa(a.agencyB.ID)))
		load(t, ctx, `form.filters button[type=submit]`)
		if n := count(t, ctx, `[data-testid="bonus-row"]`); n != 3 {
			t.Fatalf("%d rows for agency B, want 3", n)
		}
		shoot(t, ctx, "journey-queue-"+string(loc.Lang))
		poolBefore := text(t, ctx, `[data-testid="pool-left"]`)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name="ids"]').forEach(cb => cb.checked = true)`))
		load(t, ctx, `[data-testid="bulk-approve"]`)
		if after := text(t, ctx, `[data-testid="pool-left"]`); after == poolBefore {
			t.Errorf("the creator pool still shows %s after approving", after)
		}
		wantFlash(t, ctx, loc.T("report_approved", "Count", 2, "Amount", "¥500.00")+loc.T("list_separator")+loc.T("report_awaiting", "Count", 1))
		signOut(t, ctx)

		// A second reviewer approves the large one; the same reviewer could not.
		signInAs(t, ctx, base, loc, "spare@t.test", testPassword)
		goTo(t, ctx, base, "/bonuses?state=awaiting_second")
		if n := count(t, ctx, `[data-testid="bonus-row"]`); n != 1 {
			t.Fatalf("%d bonuses await a second approval, want 1", n)
		}
		do(t, ctx, chromedp.Click(`input[name="ids"]`))
		load(t, ctx, `[data-testid="bulk-approve"]`)
		wantFlash(t, ctx, loc.T("report_approved", "Count", 1, "Amount", "¥20,100.00"))

		a.payable() // verified payee details for everyone now owed money
		// Pay agency B's approved bonuses: a batch, its bank file, paid.
		goTo(t, ctx, base, "/bonuses?state=approved&agency="+itoa(a.agencyB.ID))
		do(t, ctx, chromedp.Click(`input[name="all"]`))
		load(t, ctx, `[data-testid="bulk-payout"]`)
		if got, want := text(t, ctx, `[data-testid="batch-summary"]`), loc.T("batch_summary", "Count", "3", "Total", "¥20,600.00"); !strings.Contains(got, want) {
			t.Fatalf("batch %q, want %q", got, want)
		}
		// "Freeze and download" posts the form (with its CSRF token) and follows the redirect to the file.
		head, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const f = document.querySelector('[data-testid="freeze"]'); const d = new FormData(f); d.append('format', 'csv'); return fetch(f.action, {method: 'POST', body: new URLSearchParams(d)}).then(r => r.text()).then(t => t.replace(/^\uFEFF/, '').split('\n')[0].trim()) })()`, chromedp.EvalAwaitPromise))
		if want := loc.T("column_batch_id") + "," + loc.T("column_batch_checksum"); err != nil || !strings.HasPrefix(head, want) {
			t.Fatalf("bank file header %q, want it to start %q (%v)", head, want, err)
		}
		do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(`[data-testid="mark-paid"]`)) // freezing made it ready for payment
		load(t, ctx, `[data-testid="mark-paid"]`)
		load(t, ctx, `[data-testid="confirm-submit"]`) // marking paid cannot be undone: it is confirmed first
		if got := text(t, ctx, `[data-testid="batch-state"]`); got != loc.T("batch_paid") {
			t.Fatalf("batch state %q", got)
		}
		shoot(t, ctx, "journey-payout-"+string(loc.Lang))

		// Publish the top 100; a visitor reads it.
		goTo(t, ctx, base, "/leaderboard")
		ranked := count(t, ctx, `[data-testid="leader-row"]`)
		load(t, ctx, `[data-testid="publish"]`)
		load(t, ctx, `[data-testid="confirm-submit"]`) // publishing replaces the list and tells the creators: confirmed first
		wantFlash(t, ctx, loc.T("flash_published", "N", ranked, "Year", lastWeek.Year))
		signOut(t, ctx)
		goTo(t, ctx, base, "/top-creators?year="+strconv.Itoa(lastWeek.Year))
		if got := text(t, ctx, `main h1`); got != loc.T("top_title_year", "Year", lastWeek.Year) {
			t.Fatalf("public page title %q", got)
		}
		if list := text(t, ctx, `[data-testid="top-list"]`); !strings.Contains(list, big.DisplayName) || strings.Contains(list, "¥") {
			t.Fatalf("public list %q", list)
		}
	})
}

// An admin proposes a bonus rule after previewing what it would do to the
// last computed week; a second admin sees the same preview and approves it,
// makes an API token and finds both in the audit log.
func TestBrowserJourneyAdmin(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		const checker = "checker@t.test"
		if _, err := a.store.CreateUser(context.Background(), models.SystemActor(), models.NewUser{Email: checker, Password: testPassword, Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		base := a.ts.URL
		signInAs(t, ctx, base, loc, testUsers["admin"], testPassword)
		goTo(t, ctx, base, "/settings/bonus-rule")
		do(t, ctx, chromedp.SetValue(`#per_video`, "150"))
		load(t, ctx, `[data-testid="rule-preview"]`)
		whatIf := text(t, ctx, `[data-testid="what-if"]`)
		// Carol's three videos: ¥300 under the current rule, ¥450 under the proposed one.
		if !strings.Contains(whatIf, loc.T("current_rule")) || !strings.Contains(whatIf, "¥300.00") || !strings.Contains(whatIf, "¥450.00") {
			t.Fatalf("what-if preview %q", whatIf)
		}
		shoot(t, ctx, "journey-what-if-"+string(loc.Lang))
		load(t, ctx, `[data-testid="rule-propose"]`)
		wantFlash(t, ctx, loc.T("flash_change_proposed", "ID", 1, "Kind", loc.T("change_kind_bonus_rule")))
		if count(t, ctx, `[data-testid="change-waiting"]`) != 1 || count(t, ctx, `[data-testid="change-approve"]`) != 0 {
			t.Fatal("the proposer is not told the change waits for a second admin")
		}
		signOut(t, ctx)

		signInAs(t, ctx, base, loc, checker, testPassword)
		goTo(t, ctx, base, "/settings/changes")
		if whatIf := text(t, ctx, `[data-testid="pending-change"] [data-testid="what-if"]`); !strings.Contains(whatIf, "¥450.00") {
			t.Fatalf("what-if for the checker %q", whatIf)
		}
		shoot(t, ctx, "journey-pending-change-"+string(loc.Lang))
		load(t, ctx, `[data-testid="change-approve"]`)
		wantFlash(t, ctx, loc.T("flash_change_approved", "ID", 1, "Kind", loc.T("change_kind_bonus_rule")))

		goTo(t, ctx, base, "/settings/api-tokens")
		do(t, ctx, chromedp.SendKeys(`#name`, "ERP feed"))
		load(t, ctx, `form[action="/settings/api-tokens"] button[type=submit]`)
		token, err := chromedp.Run(ctx, chromedp.Value(`[data-testid="new-token"] input`))
		if err != nil || len(token) < 20 {
			t.Fatalf("new token %q (%v)", token, err)
		}
		if rows := text(t, ctx, `[data-testid="tokens"]`); !strings.Contains(rows, "ERP feed") {
			t.Fatalf("tokens table %q", rows)
		}

		goTo(t, ctx, base, "/audit")
		do(t, ctx, chromedp.SendKeys(`#actor`, checker))
		load(t, ctx, `form[action="/audit"] button[type=submit]`)
		log := text(t, ctx, `[data-testid="audit"]`)
		for _, want := range []string{loc.T("col_action"), "settings.bonus_rule", "settings_change.approved", "api_token.create"} {
			if !strings.Contains(log, want) {
				t.Errorf("audit log lacks %q: %s", want, log)
			}
		}
		shoot(t, ctx, "journey-audit-"+string(loc.Lang))
	})
}
