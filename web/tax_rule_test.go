package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
)

// taxForm is the default rule on the proposal form, with changes.
func taxForm(change map[string]string) url.Values {
	f := url.Values{"deduction": {"800"}, "threshold": {"4000"}, "taxable_rate": {"80"},
		"upto_1": {"20000"}, "rate_1": {"20"}, "quick_1": {"0"},
		"upto_2": {"50000"}, "rate_2": {"30"}, "quick_2": {"2000"},
		"upto_3": {""}, "rate_3": {"40"}, "quick_3": {"7000"}}
	for k, v := range change {
		f.Set(k, v)
	}
	return f
}

// The tax rule page tells a Chinese-reading admin the rule in force, in yuan
// and percent, with worked examples computed from it, and its history.
func TestTaxRulePageShowsTheRuleAndWorkedExamplesInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	admin.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/settings"}})
	settings := admin.get("/settings")
	if settings.doc(t).Find(`a[href="/settings/tax-rule"]`).Text() != "个人所得税代扣" {
		t.Fatal("the settings page does not lead to the tax rule")
	}
	res := admin.get("/settings/tax-rule")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := res.doc(t)
	inForce := doc.Find(`[data-testid="tax-rule-in-force"]`)
	text := strings.Join(strings.Fields(inForce.Text()), " ")
	for _, want := range []string{
		"当前生效：第 1 版",
		"应纳税所得额：收入不超过 ¥4,000.00 的，减除费用 ¥800.00（不低于 ¥0.00）；超过 ¥4,000.00 的，按收入 × 80% 计算。",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the rule in force does not say %q:\n%s", want, text)
		}
	}
	rows := inForce.Find(`[data-testid="tax-brackets"] tbody tr`).Map(func(_ int, tr *goquery.Selection) string {
		return strings.Join(tr.Children().Map(func(_ int, td *goquery.Selection) string { return td.Text() }), " | ")
	})
	if got := strings.Join(rows, "\n"); got != "不超过 ¥20,000.00 | 20% | ¥0.00\n不超过 ¥50,000.00 | 30% | ¥2,000.00\n超过 ¥50,000.00 | 40% | ¥7,000.00" {
		t.Errorf("brackets:\n%s", got)
	}
	examples := doc.Find(`[data-testid="tax-example"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	want := []string{
		"当月收入 ¥3,000.00：应纳税所得额 ¥3,000.00 − ¥800.00 = ¥2,200.00；代扣税额 ¥2,200.00 × 20% − ¥0.00 = ¥440.00；实发 ¥2,560.00。",
		"当月收入 ¥30,000.00：应纳税所得额 ¥30,000.00 × 80% = ¥24,000.00；代扣税额 ¥24,000.00 × 30% − ¥2,000.00 = ¥5,200.00；实发 ¥24,800.00。",
	}
	if strings.Join(examples, "\n") != strings.Join(want, "\n") {
		t.Fatalf("worked examples:\n%s\nwant:\n%s", strings.Join(examples, "\n"), strings.Join(want, "\n"))
	}
	v1 := doc.Find(`[data-testid="tax-version-1"]`).Text()
	if !strings.Contains(v1, "生效中") || !strings.Contains(v1, "默认规则") || !strings.Contains(v1, "> ¥50,000.00: 40% − ¥7,000.00") {
		t.Fatalf("version 1 in the history: %q", v1)
	}
	if doc.Find(`input[name="rate_3"]`).AttrOr("value", "") != "40" || doc.Find(`input[name="upto_3"]`).AttrOr("value", "x") != "" {
		t.Fatal("the proposal form does not start from the rule in force")
	}
}

// One admin proposes a new tax rule on the page; it applies only when a
// second admin approves it, and the page then shows version 2.
func TestTaxRuleChangesThroughThePagesWithASecondAdmin(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	maker := a.login("admin")
	checker := a.adminLogin("checker@t.test")

	bad := maker.postForm("/settings/tax-rule", taxForm(map[string]string{"rate_1": "120"}))
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.doc(t).Find(`[data-testid="error-brackets"]`).Text(), "row 1: the rate 120% is not between 0% and 100%") {
		t.Fatalf("a rate above 100%%: %d %q", bad.StatusCode, bad.doc(t).Find(`[data-testid="error-brackets"]`).Text())
	}
	if got := bad.doc(t).Find(`input[name="rate_1"]`).AttrOr("value", ""); got != "120" {
		t.Fatalf("the form lost what was typed: %q", got)
	}
	quick := maker.postForm("/settings/tax-rule", taxForm(map[string]string{"rate_1": "25"}))
	if msg := quick.doc(t).Find(`[data-testid="error-brackets"]`).Text(); quick.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, "row 2: the quick deduction must be ¥1,000.00") {
		t.Fatalf("an inconsistent quick deduction: %d %q", quick.StatusCode, msg)
	}
	same := maker.postForm("/settings/tax-rule", taxForm(nil))
	if same.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("proposing the rule in force: %d", same.StatusCode)
	}

	res := maker.follow(maker.postForm("/settings/tax-rule", taxForm(map[string]string{"rate_1": "25", "quick_2": "1000", "quick_3": "6000"})))
	if !strings.Contains(flashText(t, res), "It applies when a second admin approves it") {
		t.Fatalf("proposal flash: %q", flashText(t, res))
	}
	if cur, _ := a.store.CurrentTaxRule(ctx); cur.Version != 1 {
		t.Fatal("one admin changed the tax rule alone")
	}
	ch := a.pendingChange()
	if ch.Kind != models.ChangeTaxRule {
		t.Fatalf("kind %q", ch.Kind)
	}
	res = maker.follow(maker.postForm("/settings/changes/"+itoa(ch.ID)+"/approve", url.Values{}))
	if !strings.Contains(flashText(t, res), "a different admin must decide it") {
		t.Fatalf("the proposer approved their own tax rule: %q", flashText(t, res))
	}
	page := checker.get("/settings/changes").doc(t)
	pending := strings.Join(strings.Fields(page.Find(`[data-testid="pending-change"]`).Text()), " ")
	if !strings.Contains(pending, "Individual income tax rule") || !strings.Contains(pending, "≤ ¥20,000.00: 25% − ¥0.00") {
		t.Fatalf("the checker's view of the proposal: %s", pending)
	}
	res = approveAsSecondAdmin(t, a, checker)
	if !strings.Contains(flashText(t, res), "approved and applied") {
		t.Fatalf("approval: %q", flashText(t, res))
	}
	doc := maker.get("/settings/tax-rule").doc(t)
	if h := doc.Find(`[data-testid="tax-rule-in-force"] h2`).Text(); !strings.Contains(h, "Version 2") {
		t.Fatalf("heading after approval: %q", h)
	}
	if ex := doc.Find(`[data-testid="tax-example"]`).First().Text(); !strings.Contains(ex, "¥2,200.00 × 25% − ¥0.00 = ¥550.00") {
		t.Fatalf("the worked example does not follow version 2: %q", ex)
	}
	v2 := doc.Find(`[data-testid="tax-version-2"]`)
	if !strings.Contains(v2.Text(), "in force") || v2.Find(`a[href="/settings/changes#change-`+itoa(ch.ID)+`"]`).Length() != 1 ||
		strings.Contains(doc.Find(`[data-testid="tax-version-1"]`).Text(), "in force") {
		t.Fatalf("history after approval: %q", doc.Find(`[data-testid="tax-history"]`).Text())
	}
	audit := maker.get("/audit?action=settings.tax_rule").doc(t).Find(`[data-testid="audit-row"]`)
	if audit.Length() != 1 || !strings.Contains(audit.Text(), "checker@t.test") {
		t.Fatalf("the change in the audit log: %d %q", audit.Length(), audit.Text())
	}
	zh := strings.Join(strings.Fields(maker.chinese("/audit?action=settings.tax_rule").doc(t).Find(`[data-testid="audit-row"]`).Text()), " ")
	for _, want := range []string{"个税规则已变更", "预扣率（万分比）：2500", "速算扣除数：¥1,000.00"} {
		if !strings.Contains(zh, want) {
			t.Errorf("the audit row in Chinese lacks %q: %s", want, zh)
		}
	}
}
