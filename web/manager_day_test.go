package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
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

// The audit log reads as people read it: yuan, CST, labels, the reader's
// language; never a Go map dump or raw fen.
func TestAuditDetailsReadAsYuanLabelsAndCST(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin").inChinese()
	form := url.Values{"action": {"propose"}, "gmv_tiers": {"10000 = 500\n50000 = 2000"}, "view_tiers": {"100000 = 300"}, "per_video": {"50"},
		"per_live": {"300"}, "weekly_cap": {"30000"}, "four_eyes": {"20000"}}
	admin.follow(admin.postForm("/settings/bonus-rule", form))
	doc := admin.get("/audit").doc(t)
	table := doc.Find(`[data-testid="audit"]`).Text()
	for _, bad := range []string{"map[", "amount_fen", "30000", "state:", "gmv_tiers"} {
		if strings.Contains(table, bad) {
			t.Errorf("audit shows %q: %s", bad, table)
		}
	}
	for _, want := range []string{"通过周奖金", "bonus.approve", "金额：¥300.00", "状态：待审核 → 已通过", "GMV 起点：¥10,000.00", "每周上限：¥30,000.00", "提出设置变更", "创建付款批次", "合计：¥300.00"} {
		if !strings.Contains(table, want) {
			t.Errorf("audit lacks %q: %s", want, table)
		}
	}
	history := admin.get("/creators/" + itoa(a.creatorA.ID)).doc(t).Find(`[data-testid="history"]`).Text()
	if !strings.Contains(history, "登记创作者") || !strings.Contains(history, "内容类型：视频测评") || !strings.Contains(history, "粉丝数：5000") || strings.Contains(history, "content_type") {
		t.Errorf("creator history: %s", history)
	}
}

// The what-if names the creators whose amount moves most, both ways, with
// old, new and difference, and what the change does to the pool's remaining money.
func TestWhatIfShowsTheMoversAndThePool(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for i := 1; i <= 12; i++ { // video makers: ¥100 a video now, ¥50 proposed
		acc := "jd_cr_vid" + strconv.Itoa(100+i)
		a.qualifiedCreator(acc, &a.agencyA.ID)
		a.perf(lastWeek, acc, int64(i), 0, 0, 0)
	}
	for i := 1; i <= 3; i++ { // sellers: ¥100 + ¥500 now, ¥50 + ¥3,000 proposed
		acc := "jd_cr_gmv" + strconv.Itoa(100+i)
		a.qualifiedCreator(acc, &a.agencyB.ID)
		a.perf(lastWeek, acc, 1, 0, 0, 2_000_000)
	}
	admin := a.login("admin").inChinese()
	form := url.Values{"action": {"preview"}, "gmv_tiers": {"10000 = 500\n15000 = 3000"}, "view_tiers": {"100000 = 300"}, "per_video": {"50"},
		"per_live": {"300"}, "weekly_cap": {"30000"}, "four_eyes": {"20000"}}
	doc := admin.postForm("/settings/bonus-rule", form).doc(t)
	rows := func(id string) []string {
		var out []string
		doc.Find(`[data-testid="` + id + `"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
			var cells []string
			s.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
			out = append(out, strings.Join(cells, " "))
		})
		return out
	}
	up, down := rows("what-if-up"), rows("what-if-down")
	if len(up) != 3 || up[0] != "Creator gmv101 ¥600.00 ¥3,050.00 +¥2,450.00" {
		t.Errorf("rises: %q", up)
	}
	if len(down) != 10 || down[0] != "Creator vid112 ¥1,200.00 ¥600.00 -¥600.00" || !strings.HasPrefix(down[9], "Creator carol1 ¥300.00") && !strings.HasPrefix(down[9], "Creator vid103 ¥300.00") {
		t.Errorf("falls: %q", down)
	}
	// Now: Carol ¥300 + videos ¥7,800 + sellers ¥1,800 = ¥9,900; proposed ¥150 + ¥3,900 + ¥9,150 = ¥13,200.
	pool := strings.Join(strings.Fields(doc.Find(`[data-testid="what-if-pool"]`).Text()), " ")
	if !strings.Contains(pool, "该周合计变化 +¥3,300.00") || !strings.Contains(pool, "当前余额 ¥") || doc.Find(`[data-testid="what-if-overspends"]`).Length() != 0 {
		t.Errorf("pool: %q", pool)
	}
	// A pool with less left than the rise would overspend.
	if err := a.raw.Exec("UPDATE pools SET total_fen = committed_fen + 100000 WHERE name = ?", models.PoolCreators).Error; err != nil {
		t.Fatal(err)
	}
	doc = admin.postForm("/settings/bonus-rule", form).doc(t)
	if got := doc.Find(`[data-testid="what-if-pool"]`).Text(); !strings.Contains(got, "余额将为 -¥2,300.00") || doc.Find(`[data-testid="what-if-overspends"]`).Length() != 1 {
		t.Errorf("overspending pool: %q", got)
	}
}

// The MCN bonus page offers the MCN-bonus reasons only, and a weekly-bonus
// reason sent anyway is refused by name.
func TestMCNBonusesOfferTheirOwnReasons(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := models.MCNBonus{AgencyID: a.agencyA.ID, Month: models.MonthOf(time.Now()).Prev().String(), Quota: 1, Delivered: 1,
		State: models.BonusProposed, AmountFen: 2_000_000, ProposedAt: time.Now(), UpdatedAt: time.Now()}
	if err := a.raw.Create(&b).Error; err != nil {
		t.Fatal(err)
	}
	rev := a.login("reviewer").inChinese()
	var offered []string
	rev.get("/mcn-bonuses").doc(t).Find(`select[name="reason"] option`).Each(func(_ int, s *goquery.Selection) {
		if v, _ := s.Attr("value"); v != "" {
			offered = append(offered, v+"="+strings.TrimSpace(s.Text()))
		}
	})
	want := "mcn_creators_ineligible=交付的创作者经核查不符合条件 mcn_data_disputed=机构数据存在争议 mcn_duplicate_claim=当月重复申领 mcn_quota_not_met=实际交付未达申报配额"
	sorted := append([]string{}, offered...)
	slices.Sort(sorted)
	if strings.Join(sorted, " ") != want {
		t.Fatalf("reasons offered: %q", offered)
	}
	flash := flashOf(t, rev.follow(rev.postForm("/mcn-bonuses/decide", url.Values{"action": {"reject"}, "ids": {itoa(b.ID)}, "reason": {"suspected_fake_traffic"}})))
	if !strings.Contains(flash, "“疑似虚假播放或订单”不适用于此类审核") {
		t.Fatalf("flash %q", flash)
	}
	var after models.MCNBonus
	a.raw.First(&after, b.ID)
	if after.State != models.BonusProposed {
		t.Fatalf("rejected with a weekly reason: %s", after.State)
	}
	flash = flashOf(t, rev.follow(rev.postForm("/mcn-bonuses/decide", url.Values{"action": {"reject"}, "ids": {itoa(b.ID)}, "reason": {"mcn_data_disputed"}})))
	if a.raw.First(&after, b.ID); after.State != models.BonusRejected || after.Reason != "mcn_data_disputed" {
		t.Fatalf("MCN reason: %s %s (%q)", after.State, after.Reason, flash)
	}
}
