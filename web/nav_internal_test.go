package web

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// Issue 13, point 4: the navigation's links come from the route table, so a
// role never sees a link whose page would answer it 404.
func TestNavFollowsTheRouteTable(t *testing.T) {
	routes := (&Server{}).routeTable()
	get := map[string]Route{}
	for _, r := range routes {
		if r.Method == http.MethodGet {
			get[r.Path] = r
		}
	}
	for _, l := range views.NavLinks {
		path, _, _ := strings.Cut(l.Href, "?")
		if _, ok := get[path]; !ok {
			t.Errorf("the navigation links to %s, which is not a GET route", l.Href)
		}
	}
	for _, role := range models.Roles {
		items := navFor(routes, role)
		if len(items) == 0 {
			t.Errorf("%s has no navigation", role)
		}
		for _, it := range items {
			path, _, _ := strings.Cut(it.Href, "?")
			if r := get[path]; r.Allow != nil && !slices.Contains(r.Allow, role) {
				t.Errorf("%s is shown %s, which the route table does not let them use", role, it.Href)
			}
		}
	}

	// Take reviewers off a route: its link goes from their navigation, and only theirs.
	before := hrefs(navFor(routes, models.RoleReviewer))
	if !slices.Contains(before, "/payouts") {
		t.Fatalf("reviewers do not see payouts to begin with: %v", before)
	}
	narrowed := slices.Clone(routes)
	for i, r := range narrowed {
		if r.Method == http.MethodGet && r.Path == "/payouts" {
			narrowed[i].Allow = adminOnly
		}
	}
	if got := hrefs(navFor(narrowed, models.RoleReviewer)); slices.Contains(got, "/payouts") || len(got) != len(before)-1 {
		t.Errorf("payouts admin-only, reviewers still see %v", got)
	}
	if got := hrefs(navFor(narrowed, models.RoleAdmin)); !slices.Contains(got, "/payouts") {
		t.Errorf("payouts admin-only, admins lost the link: %v", got)
	}
}

func hrefs(items []views.NavItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Href)
	}
	return out
}
