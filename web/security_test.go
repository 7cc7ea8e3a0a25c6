package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// The reset attack of issue 12: four guesses at a victim, one correct sign-in
// to the attacker's own account from the same address, again and again.
func TestASuccessfulSignInElsewhereDoesNotResetTheGuessCount(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	attacker := a.anon()
	checked := 0
	for round := 0; round < 5; round++ {
		for i := 0; i < 4; i++ {
			res := attacker.postForm("/login", url.Values{"email": {testUsers["reviewer"]}, "password": {"guess-" + itoa(uint(round*4+i))}})
			if res.StatusCode == http.StatusTooManyRequests {
				if !strings.Contains(res.body, "Try again in 15 minutes") {
					t.Fatalf("the refusal does not say how long to wait: %s", res.body)
				}
				continue
			}
			checked++
		}
		own := a.anon()
		if res := own.postForm("/login", url.Values{"email": {testUsers["mcnA"]}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the attacker's own sign-in: %d", res.StatusCode)
		}
	}
	if checked > models.AccountMaxFailures {
		t.Fatalf("%d guesses at one account were checked, want at most %d", checked, models.AccountMaxFailures)
	}
	// The victim's right password waits too, and the lockout is in the audit log.
	if res := a.anon().postForm("/login", url.Values{"email": {testUsers["reviewer"]}, "password": {testPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the right password during the lock: %d", res.StatusCode)
	}
	locks, _, _ := a.store.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "auth.locked"}, models.NewPage(1, 5))
	if len(locks) != 1 {
		t.Fatalf("%d lockouts audited", len(locks))
	}
}

func TestPasswordConfirmationAndChangeAreThrottledBeforeThePassword(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	for i := 0; i < 12; i++ {
		admin.postForm("/reauth", url.Values{"password": {"wrong-" + itoa(uint(i))}, "next": {"/settings"}})
	}
	res := admin.postForm("/reauth", url.Values{"password": {testPassword}, "next": {"/settings"}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, "Try again in") {
		t.Fatalf("the right password after 12 wrong ones at /reauth: %d", res.StatusCode)
	}
	mgr := a.login("mcnA")
	for i := 0; i < models.AccountMaxFailures; i++ {
		mgr.postForm("/account/password", url.Values{"current": {"wrong-" + itoa(uint(i))}, "password": {"a-new-long-password"}, "password_confirm": {"a-new-long-password"}})
	}
	res = mgr.postForm("/account/password", url.Values{"current": {testPassword}, "password": {"a-new-long-password"}, "password_confirm": {"a-new-long-password"}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("changing the password with the right current one while locked: %d", res.StatusCode)
	}
	if _, err := a.store.Authenticate(ctx, testUsers["mcnA"], "a-new-long-password", "192.0.2.77"); err == nil {
		t.Fatal("the password changed during the lock")
	}
}

func TestRedirectsStayOnThisSite(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	bad := []string{"/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example", "/%2F/evil.example", "https://evil.example", "javascript:alert(1)"}
	for _, next := range bad {
		c := a.anon()
		form := c.get("/login?next=" + url.QueryEscape(next)).doc(t)
		if v, _ := form.Find(`input[name="next"]`).Attr("value"); v != "" {
			t.Errorf("login form keeps next=%q as %q", next, v)
		}
		res := c.postForm("/login", url.Values{"email": {testUsers["admin"]}, "password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("sign-in with next=%q redirects to %q", next, loc)
		}
		if loc := c.postForm("/language", url.Values{"lang": {"en"}, "back": {next}}).Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\t\\") || strings.Contains(loc, "evil") {
			t.Errorf("language switch with back=%q redirects to %q", next, loc)
		}
		res = c.postForm("/reauth", url.Values{"password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("password confirmation with next=%q redirects to %q", next, loc)
		}
	}
}

func TestCSRFTokenOnlyFromTheFormOrHeaderAndRenewedAtSignIn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.anon()
	before := c.csrf()
	if res := c.postForm("/login", url.Values{"email": {testUsers["reviewer"]}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	after := c.csrf()
	if after == before {
		t.Fatal("the CSRF token survived sign-in")
	}
	// The old token (one an attacker may have planted or read before sign-in) no longer works.
	if res := c.postRaw("/logout", url.Values{"_csrf": {before}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the pre-sign-in token: %d", res.StatusCode)
	}
	// A token in the query string is ignored.
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/logout?_csrf="+url.QueryEscape(after), strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := c.do(req); res.StatusCode != http.StatusForbidden {
		t.Fatalf("token in the query: %d", res.StatusCode)
	}
	// The header still works.
	req, _ = http.NewRequest(http.MethodPost, a.ts.URL+"/logout", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", after)
	if res := c.do(req); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("token in the header: %d", res.StatusCode)
	}
}

func TestPagesAndDownloadsAreNotCached(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	rev.postForm("/payouts/"+itoa(a.batch.ID)+"/freeze", url.Values{"format": {"csv"}})
	for _, path := range []string{"/dashboard", "/bonuses", "/audit", "/payouts/" + itoa(a.batch.ID), "/payouts/" + itoa(a.batch.ID) + "/export.csv",
		"/payouts/" + itoa(a.batch.ID) + "/export.xlsx", "/performance/import/sample.csv", "/creators/import/sample.csv"} {
		res := rev.get(path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: status %d, Cache-Control %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
	creator := a.login("creator")
	if res := creator.get("/me"); res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/me: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
}

// A link that does not work says why (and nothing more) instead of a bare "page not found".
func TestDeadLinksSayWhy(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for path, want := range map[string]string{
		"/reset/not-a-real-token":  "This reset link is invalid, expired or already used.",
		"/invite/not-a-real-token": "this invitation link is invalid, expired or already used",
	} {
		res := a.anon().get(path)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(res.body, want) {
			t.Errorf("%s: %d, want 404 saying %q", path, res.StatusCode, want)
		}
	}
}
