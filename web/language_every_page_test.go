package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/jd/creator-portal/views/i18n"
)

// everyPage lists, per demo user, the pages that user works with ("" is a
// visitor). The accessibility sweep and the language sweep both walk it.
var everyPage = []struct {
	email string
	paths []string
}{
	{"", []string{"/login", "/top-creators"}},
	{"mcn1@demo.test", []string{"/dashboard", "/creators", "/creators/new", "/creators/import", "/creators/11", "/bonuses", "/notifications", "/account/password"}},
	{"creator1@demo.test", []string{"/me", "/notifications"}},
	{"reviewer1@demo.test", []string{"/dashboard", "/creators?state=pending", "/creators/11", "/bonuses", "/bonuses/1", "/mcn-bonuses", "/payouts", "/payouts/1", "/leaderboard", "/performance/import", "/agencies", "/agencies/1", "/audit"}},
	{"admin@demo.test", []string{"/dashboard", "/settings", "/settings/bonus-rule", "/settings/api-tokens"}},
}

// englishWord is a run of Latin letters long enough to be a word of a sentence.
var englishWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// identifier is a code written with punctuation (creator.reject, car_accessories,
// jd_cr_100001, a@b.cn): the same in every language, not prose.
var identifier = regexp.MustCompile(`\S*\w[._:/@]\w\S*`)

// Words a Chinese page may show as they are: names of formats and products.
var untranslatedOnPurpose = map[string]bool{"CSV": true, "XLSX": true, "MCN": true, "API": true, "English": true, "Excel": true, "UTF": true, "PNG": true, "BOM": true, "GBK": true, "GMV": true, "ISO": true, "Authorization": true}

// Every page of every role, rendered for a Chinese browser, shows no English
// words beyond the programme's own data (names, e-mails, account IDs): a
// string hard-coded in English, or a message missing from the catalogue, fails.
func TestEveryPageSpeaksChinese(t *testing.T) {
	a := newDemoApp(t)
	data := map[string]bool{}
	for _, q := range []string{
		"SELECT display_name FROM creators", "SELECT account_id FROM creators", "SELECT name FROM agencies",
		"SELECT contact_name FROM agencies", "SELECT contact_email FROM agencies", "SELECT email FROM users",
		"SELECT COALESCE(contact_email, '') FROM creators", "SELECT note FROM features",
	} {
		var values []string
		if err := a.raw.Raw(q).Scan(&values).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, v := range values {
			for _, w := range englishWord.FindAllString(v, -1) {
				data[w] = true
			}
		}
	}
	for _, u := range everyPage {
		c := a.anon()
		if u.email != "" {
			if res := c.postForm("/login", url.Values{"email": {u.email}, "password": {"demo-password"}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign in as %s: %d", u.email, res.StatusCode)
			}
		}
		for _, p := range u.paths {
			t.Run(u.email+p, func(t *testing.T) {
				res := c.chinese(p)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d", res.StatusCode)
				}
				if strings.Contains(res.body, i18n.Missing) {
					t.Errorf("an untranslated message ID leaks: %s", res.body[strings.Index(res.body, i18n.Missing):][:60])
				}
				leaked := map[string]bool{}
				for _, s := range visibleTexts(res.doc(t)) {
					for _, w := range englishWord.FindAllString(identifier.ReplaceAllString(s, " "), -1) {
						if !data[w] && !untranslatedOnPurpose[w] {
							leaked[w] = true
						}
					}
				}
				if len(leaked) > 0 {
					words := make([]string, 0, len(leaked))
					for w := range leaked {
						words = append(words, w)
					}
					sort.Strings(words)
					t.Errorf("English on the Chinese page: %s", strings.Join(words, " "))
				}
			})
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
