package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// everyPage lists, per demo user, the pages that user works with ("" is a
// visitor). The accessibility sweep and the language sweep both walk it.
var everyPage = []struct {
	email string
	paths []string
}{
	{"", []string{"/login", "/top-creators"}},
	{"mcn1@demo.test", []string{"/dashboard", "/creators", "/creators/new", "/creators/import", "/creators/11", "/bonuses", "/notifications", "/account/password", "/creators/999999", "/agency/payee", "/impact"}},
	{"creator1@demo.test", []string{"/me", "/notifications", "/account/password", "/me/payee"}},
	{"reviewer1@demo.test", []string{"/dashboard", "/creators?state=pending", "/creators/11", "/bonuses", "/bonuses/1", "/mcn-bonuses", "/payouts", "/payouts/1", "/leaderboard", "/performance/import", "/agencies", "/agencies/1", "/agencies/new", "/agencies/1/edit", "/audit", "/reauth", "/payees", "/payees?verified=1", "/impact", "/impact/agencies"}},
	{"admin@demo.test", []string{"/dashboard", "/settings", "/settings/bonus-rule", "/settings/users", "/settings/api-tokens", "/mcn-bonuses", "/settings/changes", "/settings/tax-rule"}},
	{"admin2@demo.test", []string{"/settings/changes"}},
}

// englishWord is a run of Latin letters long enough to be a word of a sentence.
var englishWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// identifier is a code written with punctuation (creator.reject, car_accessories,
// jd_cr_100001, a@b.cn): the same in every language, not prose.
var identifier = regexp.MustCompile(`\S*\w[._:/@]\w\S*`)

// Words a Chinese page may show as they are: names of formats and products.
var untranslatedOnPurpose = map[string]bool{"CSV": true, "XLSX": true, "MCN": true, "API": true, "English": true, "Excel": true, "UTF": true, "PNG": true, "BOM": true, "GBK": true, "GMV": true, "ISO": true, "Authorization": true, "ID": true, "JD": true, "IP": true}

// Every page of every role, rendered for a Chinese browser, shows no English
// words beyond the programme's own data (names, e-mails, account IDs): a
// string hard-coded in English, or a message missing from the catalogue, fails.
func TestEveryPageSpeaksChinese(t *testing.T) {
	t.Parallel()
	a := newDemoApp(t)
	data := programmeData(t, a)
	for _, u := range everyPage {
		c := a.demoUser(u.email)
		for _, p := range u.paths {
			t.Run(u.email+p, func(t *testing.T) {
				res := c.chinese(p)
				if want := expectedStatus(p); res.StatusCode != want {
					t.Fatalf("status %d, want %d", res.StatusCode, want)
				}
				if strings.Contains(res.body, i18n.Missing) {
					t.Errorf("an untranslated message ID leaks: %s", res.body[strings.Index(res.body, i18n.Missing):][:60])
				}
				if words := englishLeaks(res.doc(t), data); len(words) > 0 {
					t.Errorf("English on the Chinese page: %s", strings.Join(words, " "))
				}
			})
		}
	}
}

// programmeData blanks out the programme's own data (names, e-mails, account
// IDs, notes) and the extra values given, whole and longest first, so a name
// such as "Summit Live Studio" does not excuse the word "Live" elsewhere.
func programmeData(t *testing.T, a *app, extra ...string) *strings.Replacer {
	t.Helper()
	values := append([]string(nil), extra...)
	for _, q := range []string{
		"SELECT display_name FROM creators", "SELECT account_id FROM creators", "SELECT name FROM agencies",
		"SELECT contact_name FROM agencies", "SELECT contact_email FROM agencies", "SELECT email FROM users",
		"SELECT COALESCE(contact_email, '') FROM creators", "SELECT note FROM features",
		// Labels admins gave their own reasons (the default ones read in the reader's language), names of API tokens.
		"SELECT label FROM reason_codes", "SELECT name FROM api_tokens",
		// A token's feed as the audit log and a week's history name it ("api:<token name>", issue 16).
		"SELECT 'api:' || name FROM api_tokens",
		// Payee details as entered, and reviewers' notes on them.
		"SELECT name FROM payees", "SELECT bank FROM payees", "SELECT branch FROM payees", "SELECT verify_note FROM payees",
		"SELECT id_number_masked FROM payees", "SELECT account_masked FROM payees",
		// Payout batch checksums (hex), which the audit log shows.
		"SELECT checksum FROM payout_batches",
	} {
		var got []string
		if err := a.raw.Raw(q).Scan(&got).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if strings.Contains(q, "reason_codes") {
			got = slices.DeleteFunc(got, func(l string) bool { return isDefaultReasonLabel(l) })
		}
		values = append(values, got...)
	}
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	var pairs []string
	for _, v := range values {
		if v != "" {
			pairs = append(pairs, v, " ")
		}
	}
	return strings.NewReplacer(pairs...)
}

// isDefaultReasonLabel reports whether label is a default reason's, which a
// Chinese page must show in Chinese.
func isDefaultReasonLabel(label string) bool {
	for _, r := range append(slices.Clone(models.DefaultReasonCodes), models.DefaultBonusReasonCodes...) {
		if r.Label == label {
			return true
		}
	}
	return false
}

// englishLeaks lists, sorted and once each, the English words a page shows
// outside the programme's data and codes: the sweeps' English detector.
func englishLeaks(doc *goquery.Document, data *strings.Replacer) []string {
	leaked := map[string]bool{}
	for _, s := range visibleTexts(doc) {
		for _, w := range englishWord.FindAllString(identifier.ReplaceAllString(data.Replace(s), " "), -1) {
			if !untranslatedOnPurpose[w] {
				leaked[w] = true
			}
		}
	}
	words := make([]string, 0, len(leaked))
	for w := range leaked {
		words = append(words, w)
	}
	sort.Strings(words)
	return words
}

// demoUser signs in as a demo login ("" stays a visitor).
func (a *app) demoUser(email string) *client {
	a.t.Helper()
	c := a.anon()
	if email != "" {
		if res := c.postForm("/login", url.Values{"email": {email}, "password": {"demo-password"}}); res.StatusCode != http.StatusSeeOther {
			a.t.Fatalf("sign in as %s: %d", email, res.StatusCode)
		}
	}
	return c
}

// expectedStatus is 404 for the page everyPage lists to check the error page, else 200.
func expectedStatus(path string) int {
	if strings.HasSuffix(path, "/999999") {
		return http.StatusNotFound
	}
	return http.StatusOK
}

// The same pages in English show no Chinese beyond the language switch's
// own "中文", and no message ID.
func TestEveryPageSpeaksEnglish(t *testing.T) {
	t.Parallel()
	a := newDemoApp(t)
	han := regexp.MustCompile(`\p{Han}+`)
	for _, u := range everyPage {
		c := a.demoUser(u.email)
		for _, p := range u.paths {
			res := c.get(p)
			if want := expectedStatus(p); res.StatusCode != want {
				t.Fatalf("%s %s: status %d, want %d", u.email, p, res.StatusCode, want)
			}
			if !strings.Contains(res.body, `<html lang="en">`) {
				t.Errorf("%s %s: not marked lang=en", u.email, p)
			}
			if strings.Contains(res.body, i18n.Missing) {
				t.Errorf("%s %s: an untranslated message ID leaks: %s", u.email, p, res.body[strings.Index(res.body, i18n.Missing):][:60])
			}
			doc := res.doc(t)
			doc.Find("body [lang]").Remove() // the switch names each language in itself
			for _, s := range visibleTexts(doc) {
				if m := han.FindString(s); m != "" {
					t.Errorf("%s %s: Chinese on the English page: %q", u.email, p, s)
				}
			}
		}
	}
}

// visibleTexts is what a reader sees or hears: text outside scripts and
// styles, and the attributes browsers and screen readers show.
func visibleTexts(doc *goquery.Document) []string {
	doc.Find("script, style, code, .mono").Remove()
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			out = append(out, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	doc.Find("[placeholder], [aria-label], [title], [alt], input[type=submit][value], input[type=button][value]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"placeholder", "aria-label", "title", "alt", "value"} {
			if v, ok := s.Attr(attr); ok && (attr != "value" || s.Is("input[type=submit], input[type=button]")) {
				out = append(out, v)
			}
		}
	})
	return out
}
