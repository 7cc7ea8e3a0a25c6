package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
)

// The manager is told of the week's decisions in one line linking to the
// week's bonuses, and can mark everything read (POST with CSRF).
func TestManagerReadsTheWeekDecisionsAndMarksAllRead(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mgr := a.login("mcnA").inChinese()
	// More unread notices than one page shows.
	for range 60 {
		if err := a.raw.Exec(`INSERT INTO notifications (user_id, kind, args, target_type, target_id, legacy_text, created_at)
			VALUES (?, ?, '', '', 0, '', ?)`, a.actor("mcnA").UserID, models.NotifyTransferDeclined, time.Now().UTC().Add(-time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
	}
	doc := mgr.get("/notifications").doc(t)
	var week string
	doc.Find(`[data-testid="notification"] a`).Each(func(_ int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); href == "/bonuses?week="+lastWeek.String() {
			week = strings.TrimSpace(s.Text())
		}
	})
	if want := lastWeek.String() + " 周奖金审核：已通过 1 位（¥300.00），已拒绝 0 位"; week != want {
		t.Fatalf("week notice %q, want %q", week, want)
	}
	unread := func() int64 {
		n, err := a.store.UnreadCount(ctx, a.actor("mcnA").UserID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if unread() == 0 {
		t.Fatal("the notices on other pages should still be unread")
	}
	if doc.Find(`[data-testid="notifications-read-all"]`).Length() != 1 {
		t.Fatal("no mark-all-read button")
	}
	if res := mgr.postRaw("/notifications/read", url.Values{}); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusBadRequest {
		t.Fatalf("without CSRF: %d", res.StatusCode)
	}
	if unread() == 0 {
		t.Fatal("a forged form marked them read")
	}
	res := mgr.follow(mgr.postForm("/notifications/read", url.Values{}))
	if n := unread(); n != 0 {
		t.Fatalf("%d still unread", n)
	}
	if !strings.Contains(res.body, "已将全部通知标为已读") || strings.Contains(res.body, `data-testid="notifications-read-all"`) {
		t.Fatalf("after marking all read: %s", res.body)
	}
}
