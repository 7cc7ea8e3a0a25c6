package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLeaderboardPublishAndPublicPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	// Dora out-sells Carol; Eve is pending and must never appear.
	dora := a.qualifiedCreator("jd_cr_dora02", &a.agencyB.ID)
	a.perf(lastWeek, dora.AccountID, 1, 0, 500, 9_000_000)
	a.perf(lastWeek, "jd_cr_alice1", 1, 0, 500, 99_000_000) // Alice is pending: not ranked

	anon := a.anon()
	before := anon.get("/top-creators")
	if before.StatusCode != http.StatusOK || before.doc(t).Find(`[data-testid="not-published"]`).Length() != 1 {
		t.Fatalf("public page before publishing: %d", before.StatusCode)
	}
	rev := a.login("reviewer")
	board := rev.get("/leaderboard").doc(t)
	rows := board.Find(`[data-testid="leader-row"]`)
	if rows.Length() != 2 || !strings.Contains(rows.Eq(0).Text(), dora.DisplayName) || strings.Contains(board.Text(), "Alice Reviews") {
		t.Fatalf("leaderboard: %q", board.Find(`[data-testid="leaderboard"]`).Text())
	}
	res := rev.follow(rev.postForm("/leaderboard/publish", url.Values{"year": {itoa(uint(lastWeek.Year))}, "confirm": {"1"}}))
	if !strings.Contains(res.body, "are published") {
		t.Fatal("publish failed")
	}
	// Later data does not change the published snapshot.
	a.perf(lastWeek, "jd_cr_carol1", 1, 0, 500, 900_000_000)
	page := anon.get("/top-creators")
	doc := page.doc(t)
	entries := doc.Find(`[data-testid="top-entry"]`)
	if entries.Length() != 2 || !strings.Contains(entries.Eq(0).Text(), dora.DisplayName) {
		t.Fatalf("public list: %q", doc.Find(`[data-testid="top-list"]`).Text())
	}
	for _, secret := range []string{"¥", "GMV", "jd_cr_", "@", "Alice", "90,000", "views"} {
		if strings.Contains(doc.Find("main").Text(), secret) {
			t.Errorf("the public page shows %q", secret)
		}
	}
	if anon.get("/leaderboard").StatusCode != http.StatusSeeOther {
		t.Fatal("the staff leaderboard is open to the public")
	}
	// The creator sees their rank; the board reflects the new numbers.
	rank := a.login("reviewer").get("/creators/" + itoa(a.creatorC.ID)).doc(t).Find(`[data-testid="rank"]`).Text()
	if !strings.HasPrefix(rank, "1 of 2") {
		t.Fatalf("Carol's rank %q", rank)
	}
}

func TestFeaturedCreatorsAreMarkedEverywhere(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	today := time.Now().Format("2006-01-02")
	res := rev.follow(rev.postForm("/creators/"+itoa(a.creatorC.ID)+"/feature", url.Values{"from": {today}, "to": {time.Now().AddDate(0, 0, 30).Format("2006-01-02")}, "note": {"Singles' Day star"}}))
	if got := res.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "is featured") {
		t.Fatalf("feature: %q", got)
	}
	bad := rev.follow(rev.postForm("/creators/"+itoa(a.creatorA.ID)+"/feature", url.Values{"from": {today}, "to": {"2001-01-01"}}))
	if !strings.Contains(bad.body, "end date is before") {
		t.Fatal("a backwards range was accepted")
	}
	list := rev.get("/creators?featured=1").doc(t)
	if n := list.Find(`[data-testid="creator-row"]`).Length(); n != 1 || list.Find(`[data-testid="featured"]`).Length() != 1 {
		t.Fatalf("featured filter shows %d rows", n)
	}
	if a.login("mcnA").get("/creators").doc(t).Find(`[data-testid="featured"]`).Length() != 1 {
		t.Fatal("the manager's list does not mark the featured creator")
	}
	if !strings.Contains(rev.get("/leaderboard").body, `data-testid="featured"`) {
		t.Fatal("the leaderboard does not mark the featured creator")
	}
	audit := rev.get("/audit?action=creator.feature").doc(t).Find(`[data-testid="audit-row"]`)
	if audit.Length() != 1 {
		t.Fatal("featuring is not audited")
	}
}
