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

func pacingForm(cs, ce, ms, me, policy string, weights ...string) url.Values {
	f := url.Values{"creators_start": {cs}, "creators_end": {ce}, "mcn_start": {ms}, "mcn_end": {me}, "policy": {policy},
		"weight_rows": {itoa(uint(len(weights)/2 + 1))}}
	for i := 0; i+1 < len(weights); i += 2 {
		n := itoa(uint(i/2 + 1))
		f.Set("weight_period_"+n, weights[i])
		f.Set("weight_percent_"+n, weights[i+1])
	}
	return f
}

// One admin proposes the period and pacing; the same admin cannot approve
// it; a second admin reads the change in their language and approves it,
// and the plan is in force.
func TestPacingPlanProposedByOneAdminApprovedByAnother(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	maker := a.login("admin")
	checker := a.adminLogin("checker@t.test")
	page := maker.get("/settings/pacing").doc(t)
	if page.Find(`[data-testid="pacing-not-set"]`).Length() != 1 || page.Find(`input[name="policy"][value="pro_rata"][checked]`).Length() != 1 ||
		page.Find(`input[name^="weight_period_"]`).Length() != 3 {
		t.Fatalf("the form before any plan: %s", page.Find("main").Text())
	}
	if !strings.Contains(page.Find(`[data-testid="pacing-policy"]`).Text(), "funded in order of GMV until the budget is used") {
		t.Errorf("the policies are not explained: %s", page.Find(`[data-testid="pacing-policy"]`).Text())
	}
	res := maker.follow(maker.postForm("/settings/pacing", pacingForm("2026-W01", "2026-W52", "2026-01", "2026-12", "by_rank",
		"2026-W24", "150", "", "", "2026-W46", "150")))
	if !strings.Contains(flashText(t, res), "It applies when a second admin approves it") {
		t.Fatalf("proposal flash: %q", flashText(t, res))
	}
	if p, _ := a.store.PacingPlanNow(ctx); p.IsSet() {
		t.Fatal("one admin set the plan alone")
	}
	ch := a.pendingChange()
	res = maker.follow(maker.postForm("/settings/changes/"+itoa(ch.ID)+"/approve", url.Values{}))
	if !strings.Contains(flashText(t, res), "a different admin must decide it") {
		t.Fatalf("the proposer approved their own plan: %q", flashText(t, res))
	}
	changes := checker.inLanguage("zh-CN").get("/settings/changes").doc(t)
	policy := changes.Find(`[data-testid="change-line"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Find("th").Text(), "超额处理方式") || strings.Contains(s.Text(), "按 GMV 排名发放")
	})
	if policy.Length() != 1 || !strings.Contains(policy.Text(), "按 GMV 排名发放") || strings.Contains(policy.Text(), "by_rank") {
		t.Fatalf("the checker reads the policy as %q", changes.Find(`[data-testid="pending-change"]`).Text())
	}
	if !strings.Contains(changes.Find(`[data-testid="pending-change"]`).Text(), "2026-W24 ×1.50; 2026-W46 ×1.50") {
		t.Errorf("weights line: %s", changes.Find(`[data-testid="pending-change"]`).Text())
	}
	checker.inLanguage("en")
	if res := approveAsSecondAdmin(t, a, checker); !strings.Contains(flashText(t, res), "approved and applied") {
		t.Fatalf("the second admin's approval: %q", flashText(t, res))
	}
	p, _ := a.store.PacingPlanNow(ctx)
	if p.CreatorsStart != "2026-W01" || p.CreatorsEnd != "2026-W52" || p.Policy != models.PolicyByRank || len(p.Weights) != 2 || p.Weights[1].Percent != 150 {
		t.Fatalf("in force: %+v", p)
	}
	page = maker.get("/settings/pacing").doc(t)
	if got := page.Find(`[data-testid="pacing-current-policy"]`).Text(); got != "by rank (GMV)" {
		t.Errorf("policy in force %q", got)
	}
	if page.Find(`input[name^="weight_period_"]`).Length() != 5 || page.Find(`[data-testid="pacing-outlook-mcn"]`).Length() != 1 {
		t.Errorf("the form does not offer the weights plus three empty rows, or no outlook: %d", page.Find(`input[name^="weight_period_"]`).Length())
	}
	if res := a.login("reviewer").get("/settings/pacing"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a reviewer opened the pacing settings: %d", res.StatusCode)
	}
}

// Each bad value is named on its own field, and nothing is proposed.
func TestPacingPlanBadInputNamesTheField(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	cases := []struct {
		name, field, want string
		form              url.Values
	}{
		{"week labels", "creators_period", "ISO weeks such as 2026-W01", pacingForm("2026-01", "2026-W52", "2026-01", "2026-12", "pro_rata")},
		{"end before start", "mcn_period", "the last (2026-01) comes before the first (2026-12)", pacingForm("2026-W01", "2026-W52", "2026-12", "2026-01", "pro_rata")},
		{"weight out of range", "weights", "row 2: the weight must be from 10% to 1000%", pacingForm("2026-W01", "2026-W52", "2026-01", "2026-12", "pro_rata", "2026-W24", "150", "2026-W46", "5000")},
		{"weight not a number", "weights", "row 1: the weight of “2026-W24” must be a whole number", pacingForm("2026-W01", "2026-W52", "2026-01", "2026-12", "pro_rata", "2026-W24", "1.5x")},
		{"duplicate", "weights", "row 2: 2026-W24 is weighted twice", pacingForm("2026-W01", "2026-W52", "2026-01", "2026-12", "pro_rata", "2026-W24", "150", "2026-W24", "120")},
		{"no policy", "policy", "choose how an over-subscribed week is paced", pacingForm("2026-W01", "2026-W52", "2026-01", "2026-12", "")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			admin.t = t
			res := admin.postForm("/settings/pacing", tc.form)
			doc := res.doc(t)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find(`[data-testid="error-`+tc.field+`"]`).Text(), tc.want) {
				t.Fatalf("%d, %s: %q", res.StatusCode, tc.field, doc.Find(`.field-error`).Text())
			}
			if got := doc.Find(`.field-error`).Length(); got != 1 {
				t.Errorf("%d field errors, want 1: %q", got, doc.Find(`.field-error`).Text())
			}
			if v, _ := doc.Find(`#creators_start`).Attr("value"); v != tc.form.Get("creators_start") {
				t.Errorf("the form lost what was typed: %q", v)
			}
			if pending, _ := a.store.PendingChanges(ctx, models.SystemActor()); len(pending) != 0 {
				t.Fatal("a bad plan was proposed")
			}
		})
	}
	admin.t = t
	admin.inLanguage("zh-CN")
	doc := admin.postForm("/settings/pacing", pacingForm("2026-W01", "2026-W52", "2026-01", "2026-12", "pro_rata", "2026-W24", "5000")).doc(t)
	if got := doc.Find(`[data-testid="error-weights"]`).Text(); !strings.Contains(got, "第 1 行：权重须在 10% 到 1000% 之间") {
		t.Errorf("Chinese weights error %q", got)
	}
	if h1 := doc.Find("h1").Text(); h1 != "活动周期与预算节奏" || !strings.Contains(doc.Find(`[data-testid="pacing-policy"]`).Text(), "所有提议按同一比例缩减") {
		t.Errorf("Chinese page: %q", h1)
	}
}

// burnDownApp sets a 14-week plan starting four weeks ago and the last four
// weeks' budget rows at ¥5,000 committed each.
func burnDownApp(t *testing.T, creatorsLeftFen int64) *app {
	a := newApp(t)
	cur := models.WeekOf(time.Now())
	start := cur
	for range 4 {
		start = start.Prev()
	}
	end := models.WeekOf(cur.Start().AddDate(0, 0, 7*9))
	month := models.MonthOf(time.Now())
	plan := models.PacingPlan{CreatorsStart: start.String(), CreatorsEnd: end.String(), MCNStart: month.Prev().String(),
		MCNEnd: models.MonthOf(month.Start().AddDate(0, 6, 0)).String(), Policy: models.PolicyProRata}
	if err := a.store.SetPacingPlan(ctx, models.SystemActor(), plan); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for w := cur.Prev(); !w.Start().Before(start.Start()); w = w.Prev() {
		if err := a.raw.Create(&models.PeriodBudget{Pool: models.PoolCreators, Period: w.String(), BudgetFen: 1_000_000, WeightPercent: 100,
			CommittedFen: 500_000, Policy: models.PolicyProRata, FactorPPM: models.PPM, FixedAt: now, UpdatedAt: now}).Error; err != nil {
			t.Fatal(err)
		}
	}
	if creatorsLeftFen > 0 {
		if err := a.raw.Exec("UPDATE pools SET total_fen = committed_fen + ? WHERE name = ?", creatorsLeftFen, models.PoolCreators).Error; err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// The dashboard warns, in both languages, when the creator pool runs out
// before the programme ends at the last four weeks' pace.
func TestDashboardBurnDownWarnsWhenThePoolRunsOutEarly(t *testing.T) {
	t.Parallel()
	a := burnDownApp(t, 1_000_000) // ¥10,000 left at ¥5,000 a week: out next week
	cur := models.WeekOf(time.Now())
	next, end := models.WeekOf(cur.End()).String(), models.WeekOf(cur.Start().AddDate(0, 0, 7*9)).String()
	rev := a.login("reviewer")
	doc := rev.get("/dashboard").doc(t)
	sec := doc.Find(`[data-testid="burn-down"]`)
	outlook := sec.Find(`[data-testid="burn-down-creators"] [data-testid="burn-down-outlook"]`)
	want := "At the last four weeks' pace the creator pool runs out in " + next + ", 8 weeks before the programme ends in " + end + "."
	if outlook.Text() != want || outlook.AttrOr("role", "") != "alert" {
		t.Fatalf("outlook %q, want %q", outlook.Text(), want)
	}
	if got := sec.Find(`[data-testid="burn-down-creators"] [data-testid="burn-down-pace"]`).Text(); !strings.Contains(got, "Pace: ¥5,000.00 a week, the average of the last 4 ended weeks") {
		t.Errorf("pace %q", got)
	}
	if n := sec.Find(`[data-testid="burn-down-creators"] [data-testid="burn-down-row"]`).Length(); n != 14 {
		t.Errorf("%d weeks in the table, want 14", n)
	}
	if sec.Find(`[data-testid="chart-burn-down-creators"] polyline.plan-line`).Length() != 1 {
		t.Error("no plan line in the chart")
	}
	if got := sec.Find(`[data-testid="burn-down-mcn"] [data-testid="burn-down-pace"]`).Text(); !strings.Contains(got, "No ended period has money committed yet") {
		t.Errorf("MCN pace %q", got)
	}
	zh := rev.inLanguage("zh-CN").get("/dashboard").doc(t)
	wantZh := "按最近四周的速度，创作者奖金池将在 " + next + " 用完，比活动结束（" + end + "）早 8 周。"
	if got := zh.Find(`[data-testid="burn-down-creators"] [data-testid="burn-down-outlook"]`).Text(); got != wantZh {
		t.Errorf("Chinese outlook %q, want %q", got, wantZh)
	}
}

// A pool that lasts says so plainly; with no period set the dashboard says
// so, and only admins get the link to set it.
func TestDashboardBurnDownFineAndNotSet(t *testing.T) {
	t.Parallel()
	a := burnDownApp(t, 0) // ¥1bn at ¥5,000 a week lasts
	end := models.WeekOf(models.WeekOf(time.Now()).Start().AddDate(0, 0, 7*9)).String()
	rev := a.login("reviewer")
	outlook := rev.get("/dashboard").doc(t).Find(`[data-testid="burn-down-creators"] [data-testid="burn-down-outlook"]`)
	if want := "At the last four weeks' pace the creator pool lasts until the programme ends in " + end + "."; outlook.Text() != want || outlook.AttrOr("role", "") == "alert" {
		t.Errorf("outlook %q, want %q", outlook.Text(), want)
	}
	if got := rev.inLanguage("zh-CN").get("/dashboard").doc(t).Find(`[data-testid="burn-down-creators"] [data-testid="burn-down-outlook"]`).Text(); got != "按最近四周的速度，创作者奖金池可以支撑到活动结束（"+end+"）。" {
		t.Errorf("Chinese outlook %q", got)
	}

	b := newApp(t)
	for _, tc := range []struct {
		who, lang, want string
		link            bool
	}{{"admin", "en", "The programme's period is not set", true}, {"reviewer", "zh-CN", "尚未设置活动周期", false}} {
		c := b.login(tc.who).inLanguage(tc.lang)
		sec := c.get("/dashboard").doc(t).Find(`[data-testid="burn-down"]`)
		if !strings.Contains(sec.Find(`[data-testid="burn-down-not-set"]`).Text(), tc.want) || (sec.Find(`a[href="/settings/pacing"]`).Length() == 1) != tc.link {
			t.Errorf("%s: %q", tc.who, sec.Text())
		}
	}
}
