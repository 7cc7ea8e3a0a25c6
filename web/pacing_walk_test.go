package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// An agency's manager reads why a creator's bonus was scaled, in words,
// without the programme's budget or the week's totals.
func TestAgencySeesWhyABonusWasPacedWithoutTheBudget(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := pacedWeek(t, a, models.PolicyProRata)
	p := b.Explain().Pacing
	mgr := a.login("mcnA")
	for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
		tr := i18n.For(lang)
		mgr.postForm("/language", url.Values{"lang": {string(lang)}, "back": {"/"}})
		res := mgr.get("/bonuses/" + itoa(b.ID))
		got := strings.Join(strings.Fields(res.doc(t).Find(`[data-testid="pacing"]`).Text()), " ")
		want := tr.T("pacing_note_agency_pro_rata", "Factor", models.FactorText(p.FactorPPM))
		if !strings.Contains(got, want) {
			t.Errorf("%s: %q missing from %q (status %d)", lang, want, got, res.StatusCode)
		}
		if strings.Contains(got, models.FormatYuan(p.BudgetFen)) || strings.Contains(got, models.FormatYuan(p.PeriodRuleFen)) {
			t.Errorf("%s: the manager sees the week's budget or total: %q", lang, got)
		}
	}
}

// The queue's budget panel leads admins to the pacing settings (reviewers
// do not get the link), and so does the bonus rule page.
func TestBudgetPanelLinksAdminsToThePacingSettings(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	pacedWeek(t, a, models.PolicyProRata)
	path := "/bonuses?week=" + lastWeek.String()
	if href := a.login("admin").get(path).doc(t).Find(`[data-testid="week-budget-settings"]`).AttrOr("href", ""); href != "/settings/pacing" {
		t.Errorf("admin: link %q, want /settings/pacing", href)
	}
	if n := a.login("reviewer").get(path).doc(t).Find(`[data-testid="week-budget-settings"]`).Length(); n != 0 {
		t.Errorf("reviewer: %d links to the settings", n)
	}
	if href := a.login("admin").get("/settings/bonus-rule").doc(t).Find(`[data-testid="pacing-link"]`).AttrOr("href", ""); href != "/settings/pacing" {
		t.Errorf("bonus rule page: pacing link %q", href)
	}
}

// The burn-down's warning leads admins to the pacing settings; reviewers
// read it without the link.
func TestBurnDownWarningLinksAdminsToTheSettings(t *testing.T) {
	t.Parallel()
	a := burnDownApp(t, 1_000_000) // runs out next week
	sel := `[data-testid="burn-down-creators"] [data-testid="burn-down-settings"]`
	if href := a.login("admin").get("/dashboard").doc(t).Find(sel).AttrOr("href", ""); href != "/settings/pacing" {
		t.Errorf("admin: link %q by the warning", href)
	}
	if n := a.login("reviewer").get("/dashboard").doc(t).Find(sel).Length(); n != 0 {
		t.Errorf("reviewer: %d links", n)
	}
}
