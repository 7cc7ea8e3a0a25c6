package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
)

// budgetRow fixes a week's or month's budget behind the pacing code.
func (a *app) budgetRow(pool, period string, budgetFen, committedFen int64, policy models.OverSubscriptionPolicy, factorPPM int64) {
	a.t.Helper()
	now := time.Now().UTC()
	if err := a.raw.Create(&models.PeriodBudget{Pool: pool, Period: period, BudgetFen: budgetFen, CommittedFen: committedFen, WeightPercent: 100,
		Policy: policy, FactorPPM: factorPPM, FixedAt: now, UpdatedAt: now}).Error; err != nil {
		a.t.Fatal(err)
	}
}

func panelText(t *testing.T, res response) string {
	t.Helper()
	sel := res.doc(t).Find(`[data-testid="week-budget"]`)
	if sel.Length() != 1 {
		t.Fatalf("status %d: no week-budget panel", res.StatusCode)
	}
	var parts []string
	sel.Find("h2, p, dt, dd").Each(func(_ int, n *goquery.Selection) { parts = append(parts, n.Text()) })
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// The queue shows the filtered week's budget: approved, waiting, left, the
// policy and factor, and by how much what waits is over what is left.
func TestBonusQueueShowsTheWeeksBudget(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	// Carol's ¥300 is approved; two more proposals of ¥200 wait.
	for _, acct := range []string{"jd_cr_wbud01", "jd_cr_wbud02"} {
		a.qualifiedCreator(acct, &a.agencyA.ID)
		a.perf(lastWeek, acct, 2, 0, 0, 0)
	}
	if _, err := a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	a.budgetRow(models.PoolCreators, lastWeek.String(), 50_000, 30_000, models.PolicyWarn, models.PPM)
	rev := a.login("reviewer")
	en := panelText(t, rev.get("/bonuses?week="+lastWeek.String()))
	for _, want := range []string{lastWeek.String() + "'s budget", "Budget ¥500.00", "Approved ¥300.00", "¥400.00 (2 waiting)", "Left ¥200.00",
		"warn only", "1.0000 (not scaled)", lastWeek.String() + " is over its budget by ¥200.00"} {
		if !strings.Contains(en, want) {
			t.Errorf("the panel lacks %q: %s", want, en)
		}
	}
	zh := panelText(t, rev.chinese("/bonuses?week="+lastWeek.String()))
	for _, want := range []string{lastWeek.String() + " 的预算", "已审批 ¥300.00", "¥400.00（2 笔提议）", "剩余 ¥200.00", "仅提示", "超出预算 ¥200.00"} {
		if !strings.Contains(zh, want) {
			t.Errorf("the Chinese panel lacks %q: %s", want, zh)
		}
	}
	// No week filtered: the newest computed week, said so.
	if all := panelText(t, rev.get("/bonuses")); !strings.Contains(all, lastWeek.String()+"'s budget (the newest computed week)") {
		t.Errorf("unfiltered panel: %s", all)
	}
	// Within the budget, no warning.
	a.raw.Model(&models.PeriodBudget{}).Where("period = ?", lastWeek.String()).Updates(map[string]any{"budget_fen": 100_000, "policy": "pro_rata", "factor_ppm": 812_300})
	a.store.ForgetCaches() // a change behind the portal's back: no commit forgot the panel
	fits := panelText(t, rev.get("/bonuses?week="+lastWeek.String()))
	if strings.Contains(fits, "over its budget") || !strings.Contains(fits, "pro rata") || !strings.Contains(fits, "0.8123") {
		t.Errorf("a week within its budget: %s", fits)
	}
	// Managers see no programme budget.
	if res := a.login("mcnA").get("/bonuses?week=" + lastWeek.String()); res.doc(t).Find(`[data-testid="week-budget"]`).Length() != 0 {
		t.Error("a manager sees the week's budget")
	}
}

// A week without a budget says why, and admins get the way to set the period.
func TestBonusQueueWeekWithoutABudget(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	en := rev.get("/bonuses?week=" + lastWeek.String())
	if txt := panelText(t, en); !strings.Contains(txt, "This week has no budget: the programme's period is not set.") {
		t.Errorf("panel: %s", txt)
	}
	if en.doc(t).Find(`[data-testid="week-budget"] a[href="/settings/pacing"]`).Length() != 0 {
		t.Error("a reviewer is sent to the settings")
	}
	admin := a.login("admin")
	zh := admin.chinese("/bonuses?week=" + lastWeek.String())
	if txt := panelText(t, zh); !strings.Contains(txt, "本周没有预算：尚未设置活动周期。") {
		t.Errorf("Chinese panel: %s", txt)
	}
	if zh.doc(t).Find(`[data-testid="week-budget"] a[href="/settings/pacing"]`).Length() != 1 {
		t.Error("the admin gets no link to the settings")
	}
}

// The MCN queue shows the month's budget the same way.
func TestMCNQueueShowsTheMonthsBudget(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	month := models.MonthOf(time.Now()).Prev().String()
	a.budgetRow(models.PoolMCN, month, 100_000_000, 25_000_000, models.PolicyProRata, models.PPM)
	rev := a.login("reviewer")
	en := panelText(t, rev.get("/mcn-bonuses?month="+month))
	for _, want := range []string{month + "'s budget", "Budget ¥1,000,000.00", "Approved ¥250,000.00", "Left ¥750,000.00", "pro rata"} {
		if !strings.Contains(en, want) {
			t.Errorf("the MCN panel lacks %q: %s", want, en)
		}
	}
	if zh := panelText(t, rev.chinese("/mcn-bonuses?month="+month)); !strings.Contains(zh, "剩余 ¥750,000.00") || !strings.Contains(zh, "按比例缩减") {
		t.Errorf("the Chinese MCN panel: %s", zh)
	}
	other := models.MonthOf(time.Now()).Prev().Prev().String()
	if txt := panelText(t, rev.get("/mcn-bonuses?month="+other)); !strings.Contains(txt, "This month has no budget: the programme's period is not set.") {
		t.Errorf("a month without a budget: %s", txt)
	}
}

// The what-if preview sets both rules' totals against the week's budget: the
// factor pro rata would need and the week the pool would run out at that pace.
func TestWhatIfShowsTheWeeksBudgetAndTheRunOutWeek(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	// Carol's week: ¥300 under the current rule, ¥150 under the proposed one; the pool has ¥3,000 left.
	if err := a.store.SetPoolTotal(ctx, models.SystemActor(), models.PoolCreators, 330_000); err != nil {
		t.Fatal(err)
	}
	a.budgetRow(models.PoolCreators, lastWeek.String(), 20_000, 0, models.PolicyProRata, models.PPM)
	form := url.Values{"action": {"preview"}, "gmv_tiers": {"10000 = 500\n50000 = 2000"}, "view_tiers": {"100000 = 300"}, "per_video": {"50"},
		"per_live": {"300"}, "weekly_cap": {"30000"}, "four_eyes": {"20000"}}
	after := func(n int) string { return models.WeekOf(lastWeek.Start().AddDate(0, 0, 7*n)).String() }
	admin := a.login("admin")
	budget := func(doc *goquery.Document) (line string, rows []string) {
		b := doc.Find(`[data-testid="what-if-budget"]`)
		line = strings.TrimSpace(b.Find(`[data-testid="what-if-budget-line"]`).Text())
		b.Find("tbody tr").Each(func(_ int, s *goquery.Selection) {
			var cells []string
			s.Find("th, td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
			rows = append(rows, strings.Join(cells, " | "))
		})
		return line, rows
	}
	line, rows := budget(admin.postForm("/settings/bonus-rule", form).doc(t))
	if line != lastWeek.String()+"'s budget is ¥200.00 (fixed when the week was first computed)." {
		t.Errorf("budget line %q", line)
	}
	want := []string{"Current rule | ¥300.00 | ×0.6666 | " + after(10), "Proposed rule | ¥150.00 | none needed | " + after(20)}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows %q, want %q", rows, want)
	}
	// With the programme ending before the proposed rule would empty the pool.
	end := after(12)
	plan := models.PacingPlan{CreatorsStart: lastWeek.String(), CreatorsEnd: end, MCNStart: "2026-01", MCNEnd: "2026-12", Policy: models.PolicyProRata}
	if err := a.store.SetPacingPlan(ctx, models.SystemActor(), plan); err != nil {
		t.Fatal(err)
	}
	line, rows = budget(admin.inChinese().postForm("/settings/bonus-rule", form).doc(t))
	if line != lastWeek.String()+" 的预算为 ¥200.00（在该周首次计算时确定）。" {
		t.Errorf("Chinese budget line %q", line)
	}
	want = []string{"当前规则 | ¥300.00 | ×0.6666 | " + after(10), "拟议规则 | ¥150.00 | 无需缩减 | 项目结束（" + end + "）前不会耗尽"}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("Chinese rows %q, want %q", rows, want)
	}
}

// Approving everything matching stops at the week's budget, lists what its
// budget could not cover like the other refusals, and leaves ¥0 proposals out.
func TestBulkApprovalStopsAtTheWeeksBudget(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.weekOfProposals(4) // ¥100, ¥200, ¥300, ¥400
	rev := a.login("reviewer").inChinese()
	rev.postForm("/bonuses/compute", url.Values{"week": {lastWeek.String()}})
	unfunded := a.bonusOfAccount("jd_cr_q00000")
	a.raw.Model(&models.Bonus{}).Where("id = ?", unfunded.ID).Update("amount_fen", 0) // pacing by rank left it unfunded
	a.budgetRow(models.PoolCreators, lastWeek.String(), 50_000, 0, models.PolicyByRank, models.PPM)
	form := url.Values{"action": {"approve"}, "all": {"1"}, "f_week": {lastWeek.String()}, "f_state": {"proposed"}}
	first := rev.postForm("/bonuses/decide", form)
	if got := fact(t, first, "confirm-count"); got != "3" {
		t.Errorf("the confirmation counts %q, want 3 (the ¥0 proposal left out)", got)
	}
	res := rev.follow(rev.postForm("/bonuses/decide", confirmFields(t, first)))
	flash := strings.Join(strings.Fields(res.doc(t).Find(`[data-testid="flash"]`).Text()), " ")
	if !strings.Contains(flash, lastWeek.String()+" 的预算仅剩 ¥0.00，这笔奖金为 ¥400.00") || !strings.Contains(flash, "¥500.00") {
		t.Errorf("flash %q", flash)
	}
	if got := a.bonusOfAccount("jd_cr_q00000").State; got != models.BonusProposed {
		t.Errorf("the ¥0 proposal is %s", got)
	}
	if panel := panelText(t, rev.get("/bonuses?week="+lastWeek.String())); !strings.Contains(panel, "剩余 ¥0.00") || !strings.Contains(panel, "超出预算 ¥400.00") {
		t.Errorf("panel after the approval: %s", panel)
	}
	// One by one, the ¥0 proposal is refused with its own reason.
	res = rev.follow(rev.postForm("/bonuses/decide", url.Values{"action": {"approve"}, "ids": {itoa(unfunded.ID)}}))
	if flash := res.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "该提议为 ¥0") {
		t.Errorf("approving a ¥0 proposal: %q", flash)
	}
}
