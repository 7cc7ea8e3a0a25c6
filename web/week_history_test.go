package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
)

// A week's figures corrected through the API: the creator and staff read
// each change with its source and the figures before and after; other
// tenants get 404.
func TestWeekHistoryPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	wk := lastWeek.String()
	push := func(rows string) {
		t.Helper()
		if code, body := a.api(a.token, `{"week":"`+wk+`","rows":[`+rows+`]}`); code != http.StatusOK {
			t.Fatalf("push: %d %v", code, body)
		}
	}
	push(`{"creator_account_id":"jd_cr_alice1","videos":3,"live_sessions":1,"views":120000,"orders":310,"gmv_fen":4599000}`)
	push(`{"creator_account_id":"jd_cr_alice1","videos":3,"live_sessions":1,"views":120000,"orders":310,"gmv_fen":4599000,"refunded_orders":12,"refunded_gmv_fen":185000}`)

	creator := a.login("creator")
	page := creator.get("/me/weeks/" + wk + "/history")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("creator's history: %d", page.StatusCode)
	}
	doc := page.doc(t)
	if n := doc.Find(`[data-testid="revision"]`).Length(); n != 2 {
		t.Fatalf("%d revisions listed, want 2", n)
	}
	newest := doc.Find(`[data-testid="revision"]`).First()
	if src := newest.Find(`[data-testid="revision-source"]`).Text(); !strings.Contains(src, "test feed") {
		t.Errorf("the correction's source reads %q, not the token's name", src)
	}
	var changed []string
	newest.Find(`[data-testid="figure-changed"]`).Each(func(_ int, s *goquery.Selection) {
		changed = append(changed, s.AttrOr("data-figure", ""))
	})
	if strings.Join(changed, " ") != "refunded_orders refunded_gmv_fen net_gmv_fen" {
		t.Errorf("changed figures marked: %v", changed)
	}
	if got := newest.Find(`[data-figure="refunded_gmv_fen"] td`).Text(); !strings.Contains(got, "¥0.00") || !strings.Contains(got, "¥1,850.00") {
		t.Errorf("refunds before → after read %q", got)
	}
	if doc.Find(`[data-testid="revision-who"]`).Length() != 0 {
		t.Error("the creator is shown who made the changes")
	}
	me := creator.get("/me").doc(t)
	if href, _ := me.Find(`[data-testid="week-history"]`).First().Attr("href"); href != "/me/weeks/"+wk+"/history" {
		t.Errorf("the week card links to %q", href)
	}
	if r := me.Find(`[data-testid="week-refunds"]`).First().Text(); !strings.Contains(r, "¥1,850.00") || !strings.Contains(r, "¥44,140.00") {
		t.Errorf("the week card's refunds read %q", r)
	}
	if code := creator.get("/creators/" + itoa(a.creatorA.ID) + "/weeks/" + wk + "/history").StatusCode; code != http.StatusNotFound && code != http.StatusForbidden {
		t.Errorf("the creator reads the staff history page: %d", code)
	}

	staffPath := "/creators/" + itoa(a.creatorA.ID) + "/weeks/" + wk + "/history"
	for who, want := range map[string]int{"reviewer": http.StatusOK, "admin": http.StatusOK, "mcnA": http.StatusOK, "mcnB": http.StatusNotFound} {
		if code := a.login(who).get(staffPath).StatusCode; code != want {
			t.Errorf("%s reads the history: %d, want %d", who, code, want)
		}
	}
	reviewer := a.login("reviewer")
	if code := reviewer.get("/creators/" + itoa(a.creatorA.ID) + "/weeks/2026-W99/history").StatusCode; code != http.StatusNotFound {
		t.Errorf("a week that is no week: %d", code)
	}
	detail := reviewer.get("/creators/" + itoa(a.creatorA.ID)).doc(t)
	if href, _ := detail.Find(`[data-testid="creator-week-history"]`).First().Attr("href"); href != staffPath {
		t.Errorf("the creator page links to %q", href)
	}

	// The statement has the refunds and the net GMV.
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(creator.get("/me/statement.csv").body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("statement: %v", err)
	}
	if got := strings.Join(rows[0][7:11], ","); got != "gmv_fen,refunded_orders,refunded_gmv_fen,net_gmv_fen" {
		t.Errorf("statement columns after GMV: %s", got)
	}
	if got := strings.Join(rows[1][7:11], ","); got != "4599000,12,185000,4414000" {
		t.Errorf("statement GMV, refunds and net: %s", got)
	}
}

// The API refuses refunds above what they refund, naming both figures.
func TestAPIRefundChecks(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code, body := a.api(a.token, `{"week":"`+lastWeek.String()+`","rows":[{"creator_account_id":"jd_cr_alice1","videos":1,"live_sessions":0,"views":1,`+
		`"orders":3,"gmv_fen":1000,"refunded_orders":4,"refunded_gmv_fen":2000}]}`)
	if code != http.StatusBadRequest {
		t.Fatalf("refunds above orders: %d %v", code, body)
	}
	got := map[string]string{}
	for _, e := range body["errors"].([]any) {
		m := e.(map[string]any)
		got[m["field"].(string)] = m["error"].(string)
	}
	if e := got["refunded_orders"]; !strings.Contains(e, "4") || !strings.Contains(e, "3") {
		t.Errorf("refunded_orders: %q", e)
	}
	if e := got["refunded_gmv_fen"]; !strings.Contains(e, "¥20.00") || !strings.Contains(e, "¥10.00") {
		t.Errorf("refunded_gmv_fen: %q", e)
	}
}

// The bonus page shows the figures a bonus was computed from beside the
// week's figures now when they differ, and "not recorded" for older bonuses.
func TestBonusPageFiguresComputedAndNow(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	reviewer := a.login("reviewer")
	path := "/bonuses/" + itoa(a.bonusC.ID)
	doc := reviewer.get(path).doc(t)
	if doc.Find(`[data-testid="figures-same"]`).Length() != 1 || doc.Find(`[data-testid="figure-changed"]`).Length() != 0 {
		t.Fatal("an unchanged week does not say its figures are the same")
	}
	code, body := a.api(a.token, `{"week":"`+lastWeek.String()+`","rows":[{"creator_account_id":"jd_cr_carol1","videos":2,"live_sessions":0,"views":0,"orders":1,"gmv_fen":0}]}`)
	if code != http.StatusOK {
		t.Fatalf("correction: %d %v", code, body)
	}
	doc = reviewer.get(path).doc(t)
	if doc.Find(`[data-testid="figures-differ"]`).Length() != 1 {
		t.Fatal("a corrected week does not say its figures differ")
	}
	row := doc.Find(`[data-testid="figure-changed"][data-figure="videos"] td`)
	if row.Length() != 2 || row.First().Text() != "3" || row.Last().Text() != "2" {
		t.Errorf("videos computed / now: %q", row.Text())
	}
	if href, _ := doc.Find(`[data-testid="week-history-link"]`).Attr("href"); href != "/creators/"+itoa(a.creatorC.ID)+"/weeks/"+lastWeek.String()+"/history" {
		t.Errorf("history link %q", href)
	}
	// A bonus computed before bonuses kept their figures.
	if err := a.raw.Model(&models.Bonus{}).Where("id = ?", a.bonusC.ID).Update("breakdown", `{"rule_version":1}`).Error; err != nil {
		t.Fatal(err)
	}
	doc = reviewer.get(path).doc(t)
	if doc.Find(`[data-testid="figures-not-recorded"]`).Length() != 1 || doc.Find(`[data-testid="figure-changed"]`).Length() != 0 {
		t.Error("a bonus without figures does not say they were not recorded")
	}
}

// The admin marks a weekly-bonus reason "performance not trusted".
func TestReasonDistrustCheckbox(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var rc models.ReasonCode
	a.raw.Where("code = ?", "duplicate_claim").First(&rc)
	admin := a.login("admin")
	res := admin.postForm("/settings/reasons/"+itoa(rc.ID), map[string][]string{"label": {rc.Label}, "active": {"1"}, "has_distrusts": {"1"}, "distrusts_performance": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, res.body)
	}
	a.raw.First(&rc, rc.ID)
	if !rc.DistrustsPerformance {
		t.Fatal("the mark was not saved")
	}
	if admin.get("/settings").doc(t).Find(`input[name="distrusts_performance"][form="reason-`+itoa(rc.ID)+`"][checked]`).Length() != 1 {
		t.Error("the settings page does not show the reason as not trusting performance")
	}
	res = admin.postForm("/settings/reasons/"+itoa(rc.ID), map[string][]string{"label": {rc.Label}, "active": {"1"}, "has_distrusts": {"1"}})
	a.raw.First(&rc, rc.ID)
	if res.StatusCode != http.StatusSeeOther || rc.DistrustsPerformance {
		t.Fatalf("unticking: %d, still marked %v", res.StatusCode, rc.DistrustsPerformance)
	}
}

// A week rejected as untrusted: the creator's /me says it does not count
// towards the ranking, and the week's history says so too.
func TestMeSaysAnUntrustedWeekDoesNotCount(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	sys := models.SystemActor()
	if _, err := a.store.DecideCreator(ctx, sys, models.Decision{CreatorID: a.creatorA.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, -3, 0), a.creatorA.ID)
	a.perf(lastWeek, "jd_cr_alice1", 2, 0, 1000, 500_000)
	rev := a.actor("reviewer")
	if _, err := a.store.ComputeWeek(ctx, rev, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	creator := a.login("creator")
	if creator.get("/me").doc(t).Find(`[data-testid="week-untrusted"]`).Length() != 0 {
		t.Fatal("a trusted week says it does not count")
	}
	b := a.bonusOf(a.creatorA.ID)
	if _, err := a.store.RejectBonuses(ctx, rev, []uint{b.ID}, "suspected_fake_traffic", ""); err != nil {
		t.Fatal(err)
	}
	me := creator.get("/me").doc(t)
	if me.Find(`[data-testid="week-untrusted"]`).Length() != 1 {
		t.Error("/me does not say the rejected week leaves the ranking")
	}
	if me.Find(`[data-testid="my-rank"]`).Length() != 0 {
		t.Errorf("the creator is still ranked on its only week: %q", me.Find(`[data-testid="my-rank"]`).Text())
	}
	if creator.get("/me/weeks/"+lastWeek.String()+"/history").doc(t).Find(`[data-testid="week-untrusted"]`).Length() != 1 {
		t.Error("the week's history does not say it leaves the ranking")
	}
}
