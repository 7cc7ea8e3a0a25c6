package web_test

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// danWithWeeks is a qualified creator with a login: last week computed and
// approved (¥200.00), the week before ended but never computed.
func danWithWeeks(t *testing.T, a *app) (*models.Creator, *client) {
	t.Helper()
	dan := a.qualifiedCreator("jd_cr_dan001", &a.agencyA.ID)
	a.perf(lastWeek.Prev(), dan.AccountID, 1, 0, 10, 1_000)
	a.perf(lastWeek, dan.AccountID, 2, 0, 0, 0)
	rev := a.login("reviewer")
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(a.bonusOf(dan.ID).ID)}})
	if _, err := a.store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "dan@t.test", Password: testPassword, Role: models.RoleCreator, CreatorID: &dan.ID}); err != nil {
		t.Fatal(err)
	}
	c := a.anon()
	c.postForm("/login", url.Values{"email": {"dan@t.test"}, "password": {testPassword}})
	return dan, c
}

// The statement speaks the reader's language, keeps the codes in columns of
// their own, dates each week Monday to Sunday (CST) and names the file after
// the account and the day.
func TestStatementInTheReadersLanguageWithCodesAndDates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, c := danWithWeeks(t, a)
	c.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/me"}})
	res := c.get("/me/statement.csv")
	want := `attachment; filename="statement-jd_cr_dan001-` + models.DayOf(a.store.Now()) + `.csv"`
	if got := res.Header.Get("Content-Disposition"); !strings.HasPrefix(got, want) {
		t.Fatalf("Content-Disposition %q, want it to start %q", got, want)
	}
	if !strings.HasPrefix(res.body, "\uFEFF") {
		t.Fatal("no BOM: Excel on Chinese Windows shows mojibake")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("statement rows %d (%v):\n%s", len(rows), err, res.body)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	zh := i18n.For(i18n.ZH)
	cell := func(row int, id string) string {
		i, ok := col[zh.T("column_"+id)]
		if !ok {
			t.Fatalf("no column %s (%s) in %q", id, zh.T("column_"+id), rows[0])
		}
		return rows[row][i]
	}
	approved, older := 1, 2 // newest first
	checks := []struct {
		row      int
		id, want string
	}{
		{approved, "week", lastWeek.String()},
		{approved, "week_monday", lastWeek.Start().In(models.CST).Format("2006-01-02")},
		{approved, "week_sunday", lastWeek.End().AddDate(0, 0, -1).In(models.CST).Format("2006-01-02")},
		{approved, "bonus_state", "已批准"},
		{approved, "bonus_state_code", "approved"},
		{approved, "amount_yuan", "200.00"},
		{approved, "capped", "否"},
		{older, "bonus_state", "未计算"},
		{older, "bonus_state_code", "not_computed"},
		{older, "amount_fen", ""},
	}
	for _, ch := range checks {
		if got := cell(ch.row, ch.id); got != ch.want {
			t.Errorf("row %d %s = %q, want %q", ch.row, ch.id, got, ch.want)
		}
	}
	if strings.Contains(res.body, "true") || strings.Contains(res.body, "false") {
		t.Errorf("English yes/no in the Chinese statement:\n%s", res.body)
	}
}

// A week that ended while the creator qualified but was never computed says
// "not computed yet" with a reason, not "no bonus"; staff see it on the dashboard.
func TestNotComputedWeekOnMeAndTheDashboard(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, c := danWithWeeks(t, a)
	c.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/me"}})
	me := c.get("/me").doc(t)
	cards := me.Find(`[data-testid="my-week"]`)
	if cards.Length() != 2 {
		t.Fatalf("%d weeks on /me", cards.Length())
	}
	older := cards.Eq(1)
	if got := older.Find(`[data-testid="not-computed"]`).Text(); got != "未计算" || older.Find(`[data-testid="no-bonus"]`).Length() != 0 {
		t.Fatalf("the uncomputed week shows %q: %s", got, older.Text())
	}
	if older.Find(`[data-testid="not-computed-why"]`).Text() == "" {
		t.Error("no explanation for the uncomputed week")
	}
	// The approved week: amount and state first, how it was computed behind a disclosure.
	head := cards.Eq(0).Find(".week-head").Text()
	if !strings.HasPrefix(strings.TrimSpace(head), "¥200.00") || !strings.Contains(head, "已批准") {
		t.Errorf("approved week head %q", head)
	}
	if cards.Eq(0).Find(`details[data-testid="week-how"] summary`).Length() != 1 {
		t.Error("how it was computed is not behind a disclosure")
	}

	rev := a.login("reviewer")
	dash := rev.get("/dashboard").doc(t)
	weeks := dash.Find(`[data-testid="uncomputed-week"]`)
	if weeks.Length() != 1 || !strings.Contains(weeks.Text(), lastWeek.Prev().String()) {
		t.Fatalf("dashboard lists uncomputed weeks %q", dash.Find(`[data-testid="uncomputed-weeks"]`).Text())
	}
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.Prev().String()}})
	if rev.get("/dashboard").doc(t).Find(`[data-testid="uncomputed-weeks"]`).Length() != 0 {
		t.Error("a computed week is still listed")
	}
	if got := c.get("/me").doc(t).Find(`[data-testid="not-computed"]`).Length(); got != 0 {
		t.Error("the computed week still says not computed")
	}
}

// /me and the top-100 notification show the same rank, and /me says what it counts.
func TestRankOnMeMatchesTheTop100Notification(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	dan, c := danWithWeeks(t, a)
	other := a.qualifiedCreator("jd_cr_eve002", &a.agencyB.ID)
	a.perf(lastWeek, other.AccountID, 1, 0, 10, 5_000_000) // Eve out-sells Dan: Dan is second
	rev := a.login("reviewer")
	rev.postForm("/leaderboard/publish", url.Values{"year": {itoa(uint(lastWeek.Year))}, "confirm": {"1"}})
	c.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/me"}})
	me := c.get("/me").doc(t)
	rank := me.Find(`[data-testid="my-rank"]`).Text()
	note := c.get("/notifications").doc(t).Find("main").Text()
	if rank == "" || !strings.Contains(note, rank) {
		t.Fatalf("/me says %q, the notification %q", rank, note)
	}
	if !strings.HasPrefix(rank, "第 2 名") {
		t.Errorf("Dan's rank %q", rank)
	}
	if how := me.Find(`[data-testid="my-rank-how"]`).Text(); !strings.Contains(how, "成交额") || !strings.Contains(how, lastWeek.String()) {
		t.Errorf("rank explained as %q", how)
	}
	_ = dan
}

// The public list shows each rank, a ★ for creators featured when it was
// published, and the day it was published.
func TestTopCreatorsShowRanksStarsAndDate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	dora := a.qualifiedCreator("jd_cr_dora02", &a.agencyB.ID)
	a.perf(lastWeek, dora.AccountID, 1, 0, 500, 9_000_000)
	eve := a.qualifiedCreator("jd_cr_eve002", &a.agencyB.ID)
	a.perf(lastWeek, eve.AccountID, 1, 0, 500, 1_000)
	rev := a.login("reviewer")
	today := models.DayOf(a.store.Now())
	if err := a.store.FeatureCreator(ctx, models.SystemActor(), eve.ID, today, today, ""); err != nil {
		t.Fatal(err)
	}
	rev.postForm("/leaderboard/publish", url.Values{"year": {itoa(uint(lastWeek.Year))}, "confirm": {"1"}})
	anon := a.anon()
	anon.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/top-creators"}})
	doc := anon.get("/top-creators").doc(t)
	entries := doc.Find(`[data-testid="top-entry"]`)
	if entries.Length() < 2 {
		t.Fatalf("%d entries", entries.Length())
	}
	entries.Each(func(i int, e *goquery.Selection) {
		if got, want := e.Find(`[data-testid="top-rank"]`).Text(), fmt.Sprintf("第 %d 名", i+1); got != want {
			t.Errorf("line %d shows rank %q, want %q", i+1, got, want)
		}
		starred := e.Find(`[data-testid="top-featured"]`).Length() == 1
		if is := strings.Contains(e.Text(), eve.DisplayName); starred != is {
			t.Errorf("line %d %q: ★ %v", i+1, e.Text(), starred)
		}
	})
	if got, want := doc.Find(`[data-testid="top-published"]`).Text(), i18n.For(i18n.ZH).Date(a.store.Now().In(models.CST)); !strings.Contains(got, want) {
		t.Errorf("published %q, want %q", got, want)
	}
}
