package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

func TestSignInLandsOnEachRolesDashboard(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cases := map[string]struct{ wantPath, wantText string }{
		"admin":    {"/dashboard", "Programme dashboard"},
		"reviewer": {"/dashboard", "Programme dashboard"},
		"mcnA":     {"/dashboard", "Agency A"},
		"creator":  {"/me", "JD is reviewing your enrolment"},
	}
	for who, tc := range cases {
		t.Run(who, func(t *testing.T) {
			c := a.login(who)
			c.t = t
			res := c.get("/dashboard")
			if who == "creator" {
				res = c.follow(res)
			}
			if res.StatusCode != http.StatusOK || !strings.Contains(res.body, tc.wantText) {
				t.Fatalf("status %d, want page containing %q: %s", res.StatusCode, tc.wantText, res.body)
			}
		})
	}
	// The staff dashboard counts by state; the manager's counts only their agency.
	staff := a.login("reviewer").get("/dashboard").doc(t)
	if got := staff.Find(`[data-testid="count-pending"]`).Text(); got != "2" {
		t.Errorf("staff pending count = %q, want 2", got)
	}
	if got := staff.Find(`[data-testid="total-agencies"]`).Text(); got != "2" {
		t.Errorf("staff agency count = %q, want 2", got)
	}
	mcn := a.login("mcnA").get("/dashboard").doc(t)
	if got := mcn.Find(`[data-testid="count-pending"]`).Text(); got != "1" {
		t.Errorf("manager pending count = %q, want 1", got)
	}
}

func TestSignInFailuresLookAlikeAndAreAudited(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.anon()
	wrong := c.postForm("/login", url.Values{"email": {testUsers["admin"]}, "password": {"wrong-password-123"}})
	unknown := c.postForm("/login", url.Values{"email": {"nobody@t.test"}, "password": {"wrong-password-123"}})
	for _, res := range []response{wrong, unknown} {
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.body, "Email or password is incorrect.") {
			t.Fatalf("status %d: %s", res.StatusCode, res.body)
		}
	}
	entries, _, err := a.store.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "auth.login_failed"}, models.NewPage(1, 10))
	if err != nil || len(entries) != 2 {
		t.Fatalf("audited failures: %d (err %v), want 2", len(entries), err)
	}
}

func TestRepeatedFailuresAreRefusedEvenWithSpoofedForwardedFor(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.anon()
	for i := 0; i < 5; i++ {
		c.postForm("/login", url.Values{"email": {testUsers["admin"]}, "password": {"guess-number-" + itoa(uint(i))}})
	}
	form := url.Values{"email": {testUsers["admin"]}, "password": {testPassword}, "_csrf": {c.csrf()}}
	req, err := http.NewRequest(http.MethodPost, a.ts.URL+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	res := c.do(req)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many wrong passwords for this account. Try again in 15 minutes.") {
		t.Fatalf("status %d after 5 failures, want 429: %s", res.StatusCode, res.body)
	}
}

func TestSignOutEndsTheSessionEvenForACopiedCookie(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	u, err := url.Parse(a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	copied := c.http.Jar.Cookies(u)
	if len(copied) == 0 {
		t.Fatal("no cookies to copy after sign-in")
	}
	if res := c.postForm("/logout", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout status %d", res.StatusCode)
	}
	thief := a.anon()
	thief.http.Jar.SetCookies(u, copied)
	res := thief.get("/creators")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("copied cookie still works after sign-out: %d", res.StatusCode)
	}
}

func TestSessionCookieIsHardened(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.anon()
	res := c.postForm("/login", url.Values{"email": {testUsers["admin"]}, "password": {testPassword}})
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "portal_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge <= 0 || ck.MaxAge > 12*3600 {
				t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax and a working-day MaxAge", ck)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie set on sign-in")
	}
	if loc := res.Header.Get("Location"); loc != "/dashboard" {
		t.Fatalf("redirect to %q", loc)
	}
}

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	form := url.Values{"display_name": {"Forged"}, "account_id": {"jd_cr_forged"}, "subject1": {"1"}, "content_type": {"video"}, "followers": {"10"}}
	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if token != "" {
			f.Set("_csrf", token)
		}
		res := c.postRaw("/creators", f)
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s token: status %d, want refusal", name, res.StatusCode)
		}
	}
	_, total, err := a.store.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{Search: "Forged"}, models.NewPage(1, 10))
	if err != nil {
		t.Fatal(err)
	}
	if total != 0 {
		t.Fatal("a forged form created a creator")
	}
}

func TestNextParameterStaysOnSite(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.anon()
	res := c.postForm("/login", url.Values{"email": {testUsers["admin"]}, "password": {testPassword}, "next": {"//evil.example/x"}})
	if loc := res.Header.Get("Location"); loc != "/dashboard" {
		t.Fatalf("redirected to %q", loc)
	}
	c2 := a.anon()
	res = c2.get("/audit?actor=x")
	if loc := res.Header.Get("Location"); loc != "/login?next=%2Faudit%3Factor%3Dx" {
		t.Fatalf("login redirect %q", loc)
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.anon().get("/healthz")
	if res.StatusCode != http.StatusOK || res.body != "ok" {
		t.Fatalf("healthz: %d %q", res.StatusCode, res.body)
	}
}
