package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/static"
	"github.com/jd/creator-portal/web"
)

// clock is a movable time for session tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// withClock serves the same store again with a movable clock.
func withClock(t *testing.T, a *app) *clock {
	clk := &clock{t: time.Now()}
	srv := web.New(a.store, web.Config{SessionSecret: []byte("0123456789abcdef0123456789abcdef-test"), Static: static.FS,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clk.now})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	a.ts, a.server = ts, srv
	return clk
}

func signedIn(c *client) bool {
	res := c.get("/creators")
	return res.StatusCode == http.StatusOK
}

func TestSessionsExpireWhenIdleAndAfterTwelveHours(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	clk := withClock(t, a)
	c := a.login("mcnA")
	clk.add(29 * time.Minute)
	if !signedIn(c) {
		t.Fatal("signed out after 29 idle minutes")
	}
	clk.add(31 * time.Minute)
	if signedIn(c) {
		t.Fatal("still signed in after 31 idle minutes")
	}
	// Active all day: still out after 12 hours.
	c = a.login("mcnA")
	for i := 0; i < 12*3; i++ {
		clk.add(20 * time.Minute)
		if !signedIn(c) && i < 35 {
			t.Fatalf("signed out after %v of activity", time.Duration(i+1)*20*time.Minute)
		}
	}
	clk.add(20 * time.Minute)
	if signedIn(c) {
		t.Fatal("a session outlived 12 hours")
	}
}

func TestDisablingAUserAndChangingAPasswordEndSessions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	victim := a.login("mcnB")
	admin := a.login("admin")
	res := admin.follow(admin.postForm("/settings/users/"+itoa(a.actor("mcnB").UserID)+"/disabled", url.Values{"disabled": {"1"}}))
	if !strings.Contains(res.body, "disabled and signed out") {
		t.Fatalf("disable: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	if signedIn(victim) {
		t.Fatal("a disabled user is still signed in")
	}
	if r := a.anon().postForm("/login", url.Values{"email": {testUsers["mcnB"]}, "password": {testPassword}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a disabled user signed in: %d", r.StatusCode)
	}
	// Password change: the other browser is signed out too, and the common password is refused.
	other := a.login("mcnA")
	me := a.login("mcnA")
	bad := me.postForm("/account/password", url.Values{"current": {testPassword}, "password": {"password1234"}, "password_confirm": {"password1234"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "most common") {
		t.Fatalf("common password: %d", bad.StatusCode)
	}
	ok := me.postForm("/account/password", url.Values{"current": {testPassword}, "password": {"a-brand-new-secret"}, "password_confirm": {"a-brand-new-secret"}})
	if ok.StatusCode != http.StatusSeeOther || signedIn(other) || signedIn(me) {
		t.Fatal("sessions survived a password change")
	}
	if r := a.anon().postForm("/login", url.Values{"email": {testUsers["mcnA"]}, "password": {"a-brand-new-secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatal("the new password does not work")
	}
}

func TestSensitiveActionsAskForThePasswordAfterFifteenMinutes(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	clk := withClock(t, a)
	admin := a.login("admin")
	clk.add(16 * time.Minute)
	res := admin.postForm("/settings/pools/creators", url.Values{"total": {"900000000"}, "confirm": {"1"}})
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/reauth") {
		t.Fatalf("stale password: redirected to %q", loc)
	}
	if pending, _ := a.store.PendingChanges(ctx, models.SystemActor()); len(pending) != 0 {
		t.Fatal("a pool change was proposed without the password")
	}
	wrong := admin.postForm("/reauth", url.Values{"password": {"not-my-password"}, "next": {"/settings/bonus-rule"}})
	if wrong.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", wrong.StatusCode)
	}
	admin.postForm("/reauth", url.Values{"password": {testPassword}, "next": {"/settings/bonus-rule"}})
	res = admin.follow(admin.postForm("/settings/pools/creators", url.Values{"total": {"900000000"}, "confirm": {"1"}}))
	if !strings.Contains(res.body, "It applies when a second admin approves it") {
		t.Fatalf("after confirming: %s", res.doc(t).Find(`[data-testid="flash"]`).Text())
	}
	entries, _, _ := a.store.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "auth.reauth_failed"}, models.NewPage(1, 5))
	if len(entries) != 1 {
		t.Fatal("the wrong password is not audited")
	}
}

func TestRefusedAccessIsAuditedOncePerMinuteWithACount(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mgr := a.login("mcnA")
	mgr.get("/creators/" + itoa(a.creatorB.ID)) // another tenant's id
	for i := 0; i < 30; i++ {
		mgr.get("/audit") // a role it does not have, hammered
	}
	entries, _, _ := a.store.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "access.refused"}, models.NewPage(1, 50))
	if len(entries) == 0 || len(entries) > 2 || !strings.Contains(entries[len(entries)-1].After, "/creators/"+itoa(a.creatorB.ID)) {
		t.Fatalf("31 refusals in one minute gave %d entries: %+v", len(entries), entries)
	}
	// The counts add up to every refusal (two entries only if the minute turned), and the audit page shows them.
	repeats, err := a.store.AuditRepeats(ctx, entries)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, e := range entries {
		sum += max(repeats[e.Seq], 1)
	}
	if sum != 31 {
		t.Fatalf("the refusals' counts add up to %d, want 31", sum)
	}
	page := a.login("reviewer").get("/audit?action=access.refused").doc(t)
	most := int64(0)
	for _, n := range repeats {
		most = max(most, n)
	}
	if got := page.Find(`[data-testid="audit-repeats"]`).Text(); most < 2 || !strings.Contains(got, fmt.Sprintf("×%d ", most)) {
		t.Fatalf("the audit page shows repeats %q, want ×%d", got, most)
	}
}

func TestSecureCookiesUseTheHostPrefixAndHSTS(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := web.New(a.store, web.Config{SessionSecret: []byte("0123456789abcdef0123456789abcdef-test"), Static: static.FS,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SecureCookies: true})
	ts := httptest.NewTLSServer(srv.Handler())
	defer ts.Close()
	a.ts = ts
	c := a.anon()
	c.http.Transport = ts.Client().Transport
	res := c.postForm("/login", url.Values{"email": {testUsers["admin"]}, "password": {testPassword}})
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "__Host-portal_session" {
			session = ck
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly || session.Domain != "" || session.Path != "/" {
		t.Fatalf("session cookie %+v", session)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS header with secure cookies on")
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline script: %s", csp)
	}
}

func TestPasswordResetLinkIsSingleUseAndEndsSessions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	victim := a.login("mcnB")
	admin := a.login("admin")
	res := admin.follow(admin.postForm("/settings/users/"+itoa(a.actor("mcnB").UserID)+"/reset", url.Values{}))
	// The link goes to the user's own email; the admin's page only says where.
	if got := res.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "emailed to m***@t.test") {
		t.Fatalf("flash after the reset: %q", got)
	}
	link := a.lastLinkTo(testUsers["mcnB"])
	path := strings.TrimPrefix(link, a.ts.URL)
	if !strings.HasPrefix(path, "/reset/") || strings.Contains(res.body, strings.TrimPrefix(path, "/reset/")) {
		t.Fatalf("reset link %q, or it is shown to the admin", link)
	}
	anon := a.anon()
	if page := anon.get(path); page.StatusCode != http.StatusOK || !strings.Contains(page.body, testUsers["mcnB"]) {
		t.Fatalf("reset page: %d", page.StatusCode)
	}
	if r := anon.postForm(path, url.Values{"password": {"qwertyuiop12"}, "password_confirm": {"qwertyuiop12"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("common password accepted: %d", r.StatusCode)
	}
	if r := anon.postForm(path, url.Values{"password": {"reset-worked-fine"}, "password_confirm": {"reset-worked-fine"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.StatusCode)
	}
	if anon.get(path).StatusCode != http.StatusNotFound {
		t.Fatal("the reset link works twice")
	}
	if signedIn(victim) {
		t.Fatal("the old session survived the reset")
	}
	if r := a.anon().postForm("/login", url.Values{"email": {testUsers["mcnB"]}, "password": {"reset-worked-fine"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatal("the new password does not work")
	}
}
