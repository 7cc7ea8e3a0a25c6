package web_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
)

// browser starts headless Chromium for one test. Without Chromium the test
// is skipped locally and fails in CI (CI=true), where a skip would hide a gap.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM_PATH")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed; CI must install it (apt-get install chromium)")
		}
		t.Skip("Chromium is not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	bctx, cancelTimeout := context.WithTimeout(bctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAlloc() })
	return bctx
}

// shoot saves a full-page PNG when SCREENSHOT_DIR is set (make screenshots).
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// do runs browser steps and fails the test on the first error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// text reads the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func TestBrowserManagerEnrolsACreator(t *testing.T) {
	a := newApp(t)
	ctx := browser(t)
	base := a.ts.URL
	do(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#email`))
	shoot(t, ctx, "login")
	do(t, ctx,
		chromedp.SendKeys(`#email`, testUsers["mcnA"]),
		chromedp.SendKeys(`#password`, testPassword),
		chromedp.Click(`button[type=submit].primary`),
		chromedp.WaitVisible(`[data-testid="state-counts"]`),
	)
	if got := text(t, ctx, `main`); !strings.Contains(got, "Agency A") {
		t.Errorf("dashboard: %q", got)
	}
	shoot(t, ctx, "mcn-dashboard")
	do(t, ctx,
		chromedp.Navigate(base+"/creators/new"),
		chromedp.WaitVisible(`#display_name`),
		chromedp.SendKeys(`#display_name`, "Dora Browser"),
		chromedp.SendKeys(`#account_id`, "jd_cr_dora01"),
		chromedp.SetValue(`#subject1`, "4"),
		chromedp.SetValue(`#content_type`, "live"),
		chromedp.SendKeys(`#followers`, "31000"),
	)
	shoot(t, ctx, "enrol-form")
	do(t, ctx,
		chromedp.Click(`form[action="/creators"] button[type=submit]`),
		chromedp.WaitVisible(`[data-testid="flash"]`),
	)
	if got := text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "Dora Browser is enrolled") {
		t.Errorf("flash after enrolment: %q", got)
	}
	shoot(t, ctx, "creator-detail")
	do(t, ctx, chromedp.Navigate(base+"/creators"), chromedp.WaitVisible(`[data-testid="creators"]`))
	list := text(t, ctx, `[data-testid="creators"]`)
	if !strings.Contains(list, "Dora Browser") || !strings.Contains(list, "jd_cr_dora01") {
		t.Errorf("list after enrolment: %q", list)
	}
	if strings.Contains(list, "Bob Live") {
		t.Error("list shows another agency's creator")
	}
	shoot(t, ctx, "creator-list")
}

// TestBrowserScreenshots signs in as each demo role and saves the main pages
// (desktop and phone width) for the README. It runs only for `make screenshots`.
func TestBrowserScreenshots(t *testing.T) {
	if os.Getenv("SCREENSHOT_DIR") == "" {
		t.Skip("set SCREENSHOT_DIR to save screenshots")
	}
	a := newDemoApp(t)
	ctx := browser(t)
	pages := map[string][]string{
		"reviewer1@demo.test": {"/dashboard", "/creators?state=pending", "/creators/11", "/audit", "/agencies", "/bonuses", "/bonuses/1", "/payouts/1", "/leaderboard", "/mcn-bonuses"},
		"mcn1@demo.test":      {"/dashboard", "/creators", "/creators/import", "/bonuses", "/notifications"},
		"creator1@demo.test":  {"/me"},
		"admin@demo.test":     {"/settings", "/settings/bonus-rule"},
	}
	do(t, ctx, chromedp.Navigate(a.ts.URL+"/login"))
	for email, paths := range pages {
		do(t, ctx, chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, email), chromedp.SendKeys(`#password`, "demo-password"),
			chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="who"]`))
		who := strings.TrimSuffix(email, "@demo.test")
		for _, p := range paths {
			do(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(`main h1`))
			if got := text(t, ctx, `main h1`); strings.Contains(got, "Not Found") || strings.Contains(got, "Internal") {
				t.Fatalf("%s %s: %s", email, p, got)
			}
			name := who + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p)
			shoot(t, ctx, name)
			do(t, ctx, chromedp.EmulateViewport(375, 812))
			shoot(t, ctx, name+"-phone")
			do(t, ctx, chromedp.EmulateViewport(1280, 900))
		}
		do(t, ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#email`))
	}
	do(t, ctx, chromedp.Navigate(a.ts.URL+"/top-creators"), chromedp.WaitVisible(`main h1`))
	shoot(t, ctx, "public-top-creators")
	do(t, ctx, chromedp.EmulateViewport(375, 812))
	shoot(t, ctx, "public-top-creators-phone")
	// In Chinese, switched with the header's button as a manager and a creator would.
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
	// The manager switches; the browser then keeps Chinese (a cookie) for the creator who signs in after.
	chinese := []struct {
		email string
		paths []string
	}{{"mcn1@demo.test", []string{"/dashboard", "/creators/new", "/creators/import"}}, {"creator1@demo.test", []string{"/me"}}}
	for i, u := range chinese {
		email, paths := u.email, u.paths
		do(t, ctx, chromedp.Navigate(a.ts.URL+"/login"), chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, email), chromedp.SendKeys(`#password`, "demo-password"),
			chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="who"]`))
		if i == 0 {
			do(t, ctx, chromedp.Click(`[data-testid="who"] button[value="zh-CN"]`))
		}
		do(t, ctx, chromedp.WaitVisible(`html[lang="zh-CN"]`))
		who := strings.TrimSuffix(email, "@demo.test")
		for _, p := range paths {
			do(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(`main h1`))
			name := who + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p) + "-zh"
			shoot(t, ctx, name)
			do(t, ctx, chromedp.EmulateViewport(375, 812))
			shoot(t, ctx, name+"-phone")
			do(t, ctx, chromedp.EmulateViewport(1280, 900))
		}
		do(t, ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#email`))
	}
}

// TestBrowserReviewerTakesAWeekToPayout: a reviewer computes last week,
// filters the queue, bulk-approves, sees the pool go down and exports a
// payout batch; the creator then sees the result on /me.
func TestBrowserReviewerTakesAWeekToPayout(t *testing.T) {
	a := newApp(t)
	for i, acct := range []string{"jd_cr_web001", "jd_cr_web002", "jd_cr_web003"} {
		a.qualifiedCreator(acct, &a.agencyB.ID)
		a.perf(lastWeek, acct, int64(i+2), 0, 0, 0)
	}
	ctx := browser(t)
	base := a.ts.URL
	do(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, testUsers["reviewer"]), chromedp.SendKeys(`#password`, testPassword),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="who"]`),
		chromedp.Navigate(base+"/bonuses"), chromedp.WaitVisible(`[data-testid="compute-form"]`),
		chromedp.SetValue(`#compute-week`, lastWeek.String()),
		chromedp.Click(`[data-testid="compute-form"] button`),
		chromedp.WaitVisible(`[data-testid="flash"]`))
	if got := text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "3 new proposals") {
		t.Fatalf("compute: %q", got)
	}
	poolBefore := text(t, ctx, `[data-testid="pool-left"]`)
	// Filter to agency B and tick every row.
	// The old page has the same table: wait for what only the filtered page has, the agency in the bulk form.
	do(t, ctx, chromedp.SetValue(`#agency`, itoa(a.agencyB.ID)), chromedp.Click(`form.filters button[type=submit]`),
		chromedp.WaitReady(`input[name="f_agency"]`))
	shoot(t, ctx, "reviewer-queue")
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="bonus-row"]').length`))
	if err != nil || rows != 3 {
		t.Fatalf("%d rows for agency B (%v)", rows, err)
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name="ids"]').forEach(cb => cb.checked = true)`),
		chromedp.Click(`[data-testid="bulk-approve"]`), chromedp.WaitVisible(`[data-testid="flash"]`))
	if got := text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "3 approved (¥900.00)") {
		t.Fatalf("bulk approve: %q", got)
	}
	if after := text(t, ctx, `[data-testid="pool-left"]`); after == poolBefore {
		t.Fatalf("pool still %q", after)
	}
	// Put them into a payout batch and download the bank file.
	do(t, ctx, chromedp.Navigate(base+"/bonuses?state=approved&agency="+itoa(a.agencyB.ID)), chromedp.WaitVisible(`[data-testid="bonuses"]`),
		chromedp.Click(`input[name="all"]`), chromedp.Click(`[data-testid="bulk-payout"]`), chromedp.WaitVisible(`[data-testid="batch-summary"]`))
	if got := text(t, ctx, `[data-testid="batch-summary"]`); !strings.Contains(got, "3 lines, ¥900.00") {
		t.Fatalf("batch: %q", got)
	}
	shoot(t, ctx, "payout-batch")
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch(document.querySelector('[data-testid="export-csv"]').href).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || status != 200 {
		t.Fatalf("export: %d %v", status, err)
	}
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(`[data-testid="mark-paid"]`), chromedp.Click(`[data-testid="mark-paid"]`),
		chromedp.WaitVisible(`[data-testid="flash"]`))
	if got := text(t, ctx, `[data-testid="batch-state"]`); got != "Paid" {
		t.Fatalf("batch state %q", got)
	}
	// The creator signs in on a phone and sees the paid week.
	var c models.Creator
	a.raw.Where("account_id = ?", "jd_cr_web003").First(&c)
	if _, err := a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "web3@t.test", Password: testPassword, Role: models.RoleCreator, CreatorID: &c.ID}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#email`), chromedp.EmulateViewport(375, 812),
		chromedp.SendKeys(`#email`, "web3@t.test"), chromedp.SendKeys(`#password`, testPassword),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="my-weeks"]`))
	if got := text(t, ctx, `[data-testid="my-week"]`); !strings.Contains(got, "Paid") || !strings.Contains(got, "¥400.00") {
		t.Fatalf("creator's week: %q", got)
	}
	shoot(t, ctx, "creator-weeks-phone")
}

// TestBrowserManagerWatchesQuotaWhileStaffPublishTop100: the manager's
// progress bar rises as a reviewer qualifies their creators; staff publish
// the top 100 and an anonymous visitor sees it.
func TestBrowserManagerWatchesQuotaWhileStaffPublishTop100(t *testing.T) {
	a := newApp(t)
	extra := a.qualifiedCreator("jd_cr_brw001", &a.agencyA.ID) // qualified months ago: not this month's credit
	a.perf(lastWeek, extra.AccountID, 2, 0, 1000, 5_000_000)
	pending, err := a.store.EnrolCreator(context.Background(), models.SystemActor(), &a.agencyA.ID, models.Enrolment{DisplayName: "Fay Pending", AccountID: "jd_cr_fay001", Subjects: []string{"toys"}, ContentType: "video", Followers: "100"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	base := a.ts.URL
	do(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, testUsers["mcnA"]), chromedp.SendKeys(`#password`, testPassword),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="progress"]`))
	before := text(t, ctx, `[data-testid="progress-value"]`)
	rev := a.login("reviewer")
	for _, id := range []uint{a.creatorA.ID, pending.Creator.ID} {
		rev.postForm("/creators/"+itoa(id)+"/decision", url.Values{"action": {"qualify"}})
	}
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(`[data-testid="progress"]`))
	after := text(t, ctx, `[data-testid="progress-value"]`)
	if before != "0" || after != "2" {
		t.Fatalf("progress %s → %s", before, after)
	}
	if got := text(t, ctx, `[data-testid="unread"]`); got == "" || got[0] < '2' {
		t.Fatalf("unread notifications %q, want at least the two qualifications", got)
	}
	shoot(t, ctx, "mcn-quota")
	// Staff publish; an anonymous visitor sees the list.
	do(t, ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, testUsers["reviewer"]), chromedp.SendKeys(`#password`, testPassword),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="who"]`),
		chromedp.Navigate(base+"/leaderboard"), chromedp.WaitVisible(`[data-testid="publish"]`),
		chromedp.Click(`[data-testid="publish"]`), chromedp.WaitVisible(`[data-testid="flash"]`),
		chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#email`),
		chromedp.Navigate(base+"/top-creators"), chromedp.WaitVisible(`[data-testid="top-list"]`))
	list := text(t, ctx, `[data-testid="top-list"]`)
	if !strings.Contains(list, extra.DisplayName) || strings.Contains(list, "¥") {
		t.Fatalf("public list %q", list)
	}
	shoot(t, ctx, "top-creators")
}
