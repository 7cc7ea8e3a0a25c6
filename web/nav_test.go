package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Each role's navigation, as signed-in people see it, offers only pages the
// access matrix (written apart from the route table) lets that role use, and
// each of them opens. The links are the ones the portal has always shown.
func TestEveryRoleSeesOnlyLinksItMayFollow(t *testing.T) {
	a := newApp(t)
	want := map[string][]string{
		"admin": {"/dashboard", "/creators", "/creators?state=pending&sort=enrolled&dir=asc", "/bonuses?state=proposed", "/mcn-bonuses",
			"/payouts", "/invoices", "/payees", "/leaderboard", "/impact", "/performance/import", "/agencies", "/audit", "/settings/bonus-rule"},
		"reviewer": {"/dashboard", "/creators", "/creators?state=pending&sort=enrolled&dir=asc", "/bonuses?state=proposed", "/mcn-bonuses",
			"/payouts", "/invoices", "/payees", "/leaderboard", "/impact", "/performance/import", "/agencies", "/audit"},
		"mcn_manager": {"/dashboard", "/creators", "/creators/new", "/creators/import", "/bonuses", "/invoices", "/agency/payee", "/impact"},
		"creator":     {"/me", "/me/payee"},
	}
	for role, who := range roleLogins {
		t.Run(role, func(t *testing.T) {
			c := a.login(who)
			c.t = t
			home := "/dashboard"
			if role == "creator" {
				home = "/me"
			}
			var links []string
			c.get(home).doc(t).Find(`header.top nav a`).Each(func(_ int, s *goquery.Selection) {
				links = append(links, s.AttrOr("href", ""))
			})
			if !slices.Equal(links, want[role]) {
				t.Errorf("navigation %v, want %v", links, want[role])
			}
			for _, href := range links {
				path, _, _ := strings.Cut(href, "?")
				access := expectedAccess["GET "+path]
				if access != "all" && access != "public" && !strings.Contains(" "+access+" ", " "+role+" ") {
					t.Errorf("%s is shown %s, which the access matrix says is for %q", role, href, access)
				}
				if res := c.get(href); res.StatusCode != http.StatusOK {
					t.Errorf("%s following %s: status %d", role, href, res.StatusCode)
				}
			}
		})
	}
}
