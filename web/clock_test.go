package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// Issue 13, point 3: one clock. A store built with a fixed clock in 2026-W10
// and the server on it (which takes the store's clock) agree on "last week",
// "last month", when an invitation expires and when the audit says it happened.
func TestOneClockDecidesWeeksMonthsAndExpiry(t *testing.T) {
	t.Parallel()
	cst, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 4, 10, 0, 0, 0, cst) // a Wednesday in 2026-W10
	clk := &clock{t: start}
	store, raw := modeltest.NewStoreWithDB(t, models.WithClock(clk.now))
	a := serveStore(t, store)
	a.raw = raw
	sys := models.SystemActor()
	agency, err := store.CreateAgency(ctx, sys, models.AgencyInput{Name: "Agency A"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.NewUser{
		{Email: testUsers["admin"], Password: testPassword, Role: models.RoleAdmin},
		{Email: testUsers["reviewer"], Password: testPassword, Role: models.RoleReviewer},
	} {
		if _, err := store.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}

	rev := a.login("reviewer")
	if v, _ := rev.get("/bonuses").doc(t).Find("#compute-week").Attr("value"); v != "2026-W09" {
		t.Fatalf("the bonus queue suggests computing %q, want last week by the clock, 2026-W09", v)
	}
	if v, _ := rev.get("/mcn-bonuses").doc(t).Find("#compute-month").Attr("value"); v != "2026-02" {
		t.Fatalf("the MCN bonus page suggests computing %q, want last month by the clock, 2026-02", v)
	}

	// An invitation sent now is open for seven days by the same clock, then closed.
	admin := a.login("admin")
	if res := admin.postForm("/agencies/"+itoa(agency.ID)+"/managers", url.Values{"email": {"boss@lotus.example"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", res.StatusCode, res.body)
	}
	var at time.Time
	if err := raw.Model(&models.AuditEntry{}).Where("action = ?", "user.invite").Select("at").Scan(&at).Error; err != nil {
		t.Fatal(err)
	}
	if !at.Equal(start) {
		t.Fatalf("the audit says the invitation was sent at %v, want %v by the clock", at, start)
	}
	path := strings.TrimPrefix(a.lastLinkTo("boss@lotus.example"), a.ts.URL)
	visitor := a.anon()
	clk.add(models.InvitationTTL - time.Minute)
	if res := visitor.get(path); res.StatusCode != http.StatusOK {
		t.Fatalf("a minute before it expires the invitation answers %d", res.StatusCode)
	}
	clk.add(time.Minute)
	if res := visitor.get(path); res.StatusCode != http.StatusNotFound {
		t.Fatalf("seven days after it was sent the invitation answers %d, want 404", res.StatusCode)
	}
}
