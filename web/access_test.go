package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/web"
)

// The expected access of every route, written independently of the route
// table: a route added without an entry here fails TestRouteAccessMatrix.
// "all" means every signed-in role; "public" means no sign-in needed; "api"
// means a system with an API token, and no session counts (checkAPIRoute).
var expectedAccess = map[string]string{
	"GET /healthz":                         "public",
	"GET /":                                "public",
	"GET /login":                           "public",
	"POST /login":                          "public",
	"POST /language":                       "public",
	"POST /logout":                         "all",
	"GET /invite/:token":                   "public",
	"POST /invite/:token":                  "public",
	"GET /dashboard":                       "all",
	"GET /me":                              "creator",
	"GET /creators":                        "admin reviewer mcn_manager",
	"GET /creators/new":                    "admin reviewer mcn_manager",
	"POST /creators":                       "admin reviewer mcn_manager",
	"GET /creators/import":                 "admin reviewer mcn_manager",
	"POST /creators/import":                "admin reviewer mcn_manager",
	"GET /creators/import/sample.csv":      "admin reviewer mcn_manager",
	"GET /creators/import/:id":             "admin reviewer mcn_manager",
	"POST /creators/import/:id/confirm":    "admin reviewer mcn_manager",
	"GET /creators/import/:id/failed.csv":  "admin reviewer mcn_manager",
	"GET /creators/next-pending":           "admin reviewer",
	"POST /creators/decisions":             "admin reviewer",
	"GET /creators/:id/resubmit":           "mcn_manager",
	"POST /creators/:id/resubmit":          "mcn_manager",
	"GET /creators/:id":                    "admin reviewer mcn_manager",
	"POST /creators/:id/decision":          "admin reviewer",
	"POST /creators/:id/invitation":        "admin reviewer mcn_manager",
	"GET /agencies":                        "admin reviewer",
	"GET /agencies/new":                    "admin reviewer",
	"POST /agencies":                       "admin reviewer",
	"GET /agencies/:id":                    "admin reviewer mcn_manager",
	"GET /agencies/:id/edit":               "admin reviewer",
	"POST /agencies/:id":                   "admin reviewer",
	"POST /agencies/:id/managers":          "admin",
	"POST /agencies/:id/quota":             "admin reviewer",
	"GET /mcn-bonuses":                     "admin reviewer",
	"POST /mcn-bonuses/compute":            "admin reviewer",
	"POST /mcn-bonuses/decide":             "admin reviewer",
	"POST /settings/mcn-rule":              "admin",
	"POST /creators/:id/feature":           "admin reviewer",
	"POST /creators/:id/unfeature":         "admin reviewer",
	"GET /leaderboard":                     "admin reviewer",
	"POST /leaderboard/publish":            "admin reviewer",
	"GET /top-creators":                    "public",
	"GET /impact":                          "admin reviewer mcn_manager",
	"GET /impact.csv":                      "admin reviewer mcn_manager",
	"GET /impact.xlsx":                     "admin reviewer mcn_manager",
	"GET /impact/agencies":                 "admin reviewer",
	"GET /impact/agencies.csv":             "admin reviewer",
	"GET /impact/agencies.xlsx":            "admin reviewer",
	"GET /notifications":                   "all",
	"POST /notifications/read":             "all",
	"POST /transfers":                      "mcn_manager",
	"POST /transfers/:id/decision":         "creator",
	"GET /reauth":                          "all",
	"POST /reauth":                         "all",
	"GET /account/password":                "all",
	"POST /account/password":               "all",
	"POST /settings/users/:id/disabled":    "admin",
	"POST /settings/users/:id/reset":       "admin",
	"GET /reset/:token":                    "public",
	"POST /reset/:token":                   "public",
	"GET /audit":                           "admin reviewer",
	"GET /settings":                        "admin",
	"POST /settings/subjects/:id":          "admin",
	"POST /settings/reasons":               "admin",
	"POST /settings/reasons/:id":           "admin",
	"GET /settings/users":                  "admin",
	"POST /settings/users":                 "admin",
	"GET /settings/bonus-rule":             "admin",
	"POST /settings/bonus-rule":            "admin",
	"GET /settings/tax-rule":               "admin",
	"POST /settings/tax-rule":              "admin",
	"GET /settings/risk-thresholds":        "admin",
	"POST /settings/risk-thresholds":       "admin",
	"GET /settings/pacing":                 "admin",
	"POST /settings/pacing":                "admin",
	"POST /settings/pools/:name":           "admin",
	"POST /settings/confirm-thresholds":    "admin",
	"POST /settings/programme-budget":      "admin",
	"GET /settings/changes":                "admin",
	"POST /settings/changes/:id/approve":   "admin",
	"POST /settings/changes/:id/reject":    "admin",
	"POST /settings/changes/:id/withdraw":  "admin",
	"GET /settings/api-tokens":             "admin",
	"POST /settings/api-tokens":            "admin",
	"POST /settings/api-tokens/:id/revoke": "admin",

	"POST /api/v1/performance":              "api",
	"GET /performance/import":               "admin reviewer",
	"POST /performance/import":              "admin reviewer",
	"GET /performance/import/sample.csv":    "admin reviewer",
	"GET /performance/import/:id":           "admin reviewer",
	"POST /performance/import/:id/confirm":  "admin reviewer",
	"GET /bonuses":                          "admin reviewer mcn_manager",
	"POST /bonuses/compute":                 "admin reviewer",
	"POST /bonuses/decide":                  "admin reviewer",
	"POST /bonuses/adjustments/decide":      "admin reviewer",
	"GET /bonuses/:id":                      "admin reviewer mcn_manager",
	"POST /bonuses/:id/appeal":              "creator",
	"POST /bonuses/:id/appeal-decision":     "admin reviewer",
	"GET /me/statement.csv":                 "creator",
	"GET /me/payee":                         "creator",
	"POST /me/payee":                        "creator",
	"GET /agency/payee":                     "mcn_manager",
	"POST /agency/payee":                    "mcn_manager",
	"GET /payees":                           "admin reviewer",
	"POST /payees/:id/verify":               "admin reviewer",
	"GET /payouts":                          "admin reviewer",
	"POST /payouts":                         "admin reviewer",
	"GET /payouts/:id":                      "admin reviewer",
	"POST /payouts/:id/freeze":              "admin reviewer",
	"GET /payouts/:id/export.csv":           "admin reviewer",
	"GET /payouts/:id/export.xlsx":          "admin reviewer",
	"POST /payouts/:id/paid":                "admin reviewer",
	"POST /payouts/:id/bank-result":         "admin reviewer",
	"GET /invoices":                         "admin reviewer mcn_manager",
	"GET /invoices/new":                     "mcn_manager",
	"POST /invoices":                        "mcn_manager",
	"GET /invoices/:id/pdf":                 "admin reviewer mcn_manager",
	"POST /invoices/:id/confirm":            "admin reviewer",
	"POST /invoices/:id/reject":             "admin reviewer",
	"GET /payouts/tax-report.csv":           "admin reviewer",
	"GET /payouts/tax-report.xlsx":          "admin reviewer",
	"GET /agency/settlement":                "mcn_manager",
	"POST /agency/settlement":               "mcn_manager",
	"POST /settings/min-payout":             "admin",
	"POST /settings/holding-days":           "admin",
	"GET /me/weeks/:week/history":           "creator",
	"GET /creators/:id/weeks/:week/history": "admin reviewer mcn_manager",
	"POST /performance/contents":            "admin reviewer",
	"GET /performance/contents/sample.csv":  "admin reviewer",
}

// Allowed roles that may still get 404 because the id in the path belongs to
// a record only its owner can use (another user's upload, another creator's bonus).
var ownerOnly = map[string]bool{
	"GET /invite/:token": true, "POST /invite/:token": true, "GET /reset/:token": true, "POST /reset/:token": true,
	"GET /creators/import/:id": true, "POST /creators/import/:id/confirm": true, "GET /creators/import/:id/failed.csv": true,
	"GET /performance/import/:id": true, "POST /performance/import/:id/confirm": true,
	"POST /bonuses/:id/appeal": true, "POST /transfers/:id/decision": true,
	// The invoice form and its upload name a payable in the query or the form; without one there is nothing to invoice.
	"GET /invoices/new": true, "POST /invoices": true,
}

var roleLogins = map[string]string{"admin": "admin", "reviewer": "reviewer", "mcn_manager": "mcnA", "creator": "creator"}

// TestRouteAccessMatrix requests every route as anonymous and as every role,
// with ids of records the role's own tenant holds, and checks the outcome:
// anonymous users are sent to sign in, other roles get 404.
func TestRouteAccessMatrix(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	routes := a.server.Routes()
	seen := map[string]bool{}
	for _, r := range routes {
		seen[r.Method+" "+r.Path] = true
	}
	for key := range expectedAccess {
		if !seen[key] {
			t.Errorf("expectedAccess lists %s, which is not a route", key)
		}
	}
	// A settings change waiting for a second admin, for the /settings/changes/:id routes.
	invoice := a.recordInvoice(t)
	change, err := a.store.ProposePoolTotal(ctx, a.actor("admin"), models.PoolMCN, models.DefaultMCNPoolFen-100)
	if err != nil {
		t.Fatal(err)
	}
	clients := map[string]*client{"anonymous": a.anon()}
	for role, who := range roleLogins {
		clients[role] = a.login(who)
	}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		want, ok := expectedAccess[key]
		if !ok {
			t.Errorf("route %s has no expected access in this test; decide who may use it", key)
			continue
		}
		id := a.creatorA.ID
		switch {
		case strings.HasPrefix(r.Path, "/agencies/"):
			id = a.agencyA.ID
		case strings.HasPrefix(r.Path, "/bonuses/"):
			id = a.bonusC.ID
		case strings.HasPrefix(r.Path, "/payouts/"):
			id = a.batch.ID
		case strings.HasPrefix(r.Path, "/invoices/"):
			id = invoice.ID
		case strings.HasPrefix(r.Path, "/settings/users/"):
			id = a.spare
		case strings.HasPrefix(r.Path, "/settings/changes/"):
			id = change.ID
		case strings.HasPrefix(r.Path, "/settings/"):
			id = 1
		}
		path := strings.NewReplacer(":id", itoa(id), ":token", "no-such-token", ":name", "creators", ":week", lastWeek.String()).Replace(r.Path)
		if want == "api" {
			if r.Allow == nil {
				t.Errorf("%s is public in the route table: the API is a group that checks a token before any handler", key)
			}
			checkAPIRoute(t, a, key, r.Method, path, clients)
			continue
		}
		for name, c := range clients {
			t.Run(key+" as "+name, func(t *testing.T) {
				c.t = t
				if key == "POST /logout" && name != "anonymous" {
					// Signing out ends every session of that user; carry on with a new one.
					defer func() { clients[name] = a.login(roleLogins[name]) }()
				}
				var res response
				if r.Method == http.MethodGet {
					res = c.get(path)
				} else {
					res = c.postForm(path, url.Values{})
				}
				allowed := want == "public" || (name != "anonymous" && (want == "all" || strings.Contains(" "+want+" ", " "+name+" ")))
				switch {
				case name == "anonymous" && !allowed:
					if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
						t.Fatalf("anonymous: status %d location %q, want redirect to /login", res.StatusCode, res.Header.Get("Location"))
					}
				case !allowed:
					if res.StatusCode != http.StatusNotFound {
						t.Fatalf("status %d, want 404", res.StatusCode)
					}
				default:
					if res.StatusCode == http.StatusNotFound && !ownerOnly[key] {
						t.Fatalf("allowed role got 404: %s", res.body)
					}
					if res.StatusCode >= 500 || res.StatusCode == http.StatusForbidden {
						t.Fatalf("allowed role got %d: %s", res.StatusCode, res.body)
					}
					if res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login") && r.Path != "/" && r.Path != "/login" && key != "POST /logout" && !strings.HasPrefix(r.Path, "/invite") {
						t.Fatalf("allowed role was sent to sign in")
					}
				}
			})
		}
	}
}

// checkAPIRoute checks a route of the API group: a session (anonymous or any
// role's) is no token and gets 401, as does a wrong token; a valid token
// reaches the handler, until it has sent more than the rate limit allows,
// which answers 429 with Retry-After; another token is not held back by it.
func checkAPIRoute(t *testing.T, a *app, key, method, path string, clients map[string]*client) {
	call := func(c *client, token string) response {
		req, err := http.NewRequest(method, a.ts.URL+path, strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return c.do(req)
	}
	isJSONError := func(res response) bool {
		var body struct{ Error string }
		return json.Unmarshal([]byte(res.body), &body) == nil && body.Error != ""
	}
	for name, c := range clients {
		t.Run(key+" as "+name, func(t *testing.T) {
			c.t = t
			if res := call(c, ""); res.StatusCode != http.StatusUnauthorized || !isJSONError(res) {
				t.Fatalf("no token: status %d, want 401 with a JSON error: %s", res.StatusCode, res.body)
			}
		})
	}
	t.Run(key+" with tokens", func(t *testing.T) {
		c := a.anon()
		c.t = t
		if res := call(c, "cip_not-a-token"); res.StatusCode != http.StatusUnauthorized || !isJSONError(res) {
			t.Fatalf("bad token: status %d, want 401: %s", res.StatusCode, res.body)
		}
		token, _, err := a.store.CreateAPIToken(ctx, a.actor("admin"), "access matrix "+key)
		if err != nil {
			t.Fatal(err)
		}
		res := call(c, token)
		if code := res.StatusCode; code == http.StatusUnauthorized || code == http.StatusNotFound || code == http.StatusTooManyRequests || code >= 500 {
			t.Fatalf("good token did not reach the handler: %d %s", code, res.body)
		}
		limited := false
		for i := 0; i < 3*web.APIBurst && !limited; i++ {
			res = call(c, token)
			limited = res.StatusCode == http.StatusTooManyRequests
		}
		if !limited {
			t.Fatalf("%d requests in a burst were never limited", 3*web.APIBurst)
		}
		if res.Header.Get("Retry-After") == "" || !isJSONError(res) {
			t.Fatalf("429 without Retry-After or JSON error: %v %s", res.Header, res.body)
		}
		other, _, err := a.store.CreateAPIToken(ctx, a.actor("admin"), "another feed "+key)
		if err != nil {
			t.Fatal(err)
		}
		if res := call(c, other); res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusUnauthorized {
			t.Fatalf("another token was held back by the first one's limit: %d", res.StatusCode)
		}
	})
}

// TestOtherTenantsAnswer404 asks, as each agency's manager and as a creator,
// for records that belong to someone else.
func TestOtherTenantsAnswer404(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mcnA := a.login("mcnA")
	creator := a.login("creator")
	cases := []struct {
		name string
		c    *client
		do   func(c *client) response
	}{
		{"manager reads other agency's creator", mcnA, func(c *client) response { return c.get("/creators/" + itoa(a.creatorB.ID)) }},
		{"manager re-invites other agency's creator", mcnA, func(c *client) response {
			return c.postForm("/creators/"+itoa(a.creatorB.ID)+"/invitation", url.Values{})
		}},
		{"manager reads other agency", mcnA, func(c *client) response { return c.get("/agencies/" + itoa(a.agencyB.ID)) }},
		{"manager cannot decide", mcnA, func(c *client) response {
			return c.postForm("/creators/"+itoa(a.creatorA.ID)+"/decision", url.Values{"action": {"qualify"}})
		}},
		{"creator reads another creator", creator, func(c *client) response { return c.get("/creators/" + itoa(a.creatorB.ID)) }},
		{"creator reads own record through staff URL", creator, func(c *client) response { return c.get("/creators/" + itoa(a.creatorA.ID)) }},
		{"unknown id", mcnA, func(c *client) response { return c.get("/creators/999999") }},
		{"malformed id", mcnA, func(c *client) response { return c.get("/creators/abc") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.t = t
			res := tc.do(tc.c)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d, want 404", res.StatusCode)
			}
			if strings.Contains(res.body, "Bob Live") {
				t.Fatal("the 404 page reveals the record")
			}
		})
	}
	// The manager's list shows only their own agency's creators.
	list := mcnA.get("/creators")
	if !strings.Contains(list.body, "Alice Reviews") || strings.Contains(list.body, "Bob Live") {
		t.Fatalf("manager list leaks or misses creators: %s", list.body)
	}
	// The agency filter cannot be used to peek at another agency.
	peek := mcnA.get("/creators?agency=" + itoa(a.agencyB.ID))
	if strings.Contains(peek.body, "Bob Live") {
		t.Fatal("agency filter leaked another agency's creator")
	}
}

// TestEveryTenantRouteRefusesOtherTenantsIDs is generated from the route table:
// every route with an id that an MCN manager or a creator may use is asked
// with an id belonging to someone else, and must answer 404.
func TestEveryTenantRouteRefusesOtherTenantsIDs(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	// A bonus and a payout-free record in agency B, and a transfer for creator B.
	bob := a.qualifiedCreator("jd_cr_bob002", &a.agencyB.ID)
	a.perf(lastWeek, bob.AccountID, 1, 0, 0, 0)
	if _, err := a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	otherBonus := a.bonusOf(bob.ID)
	tr, err := a.store.RequestTransfer(ctx, a.actor("mcnA"), a.creatorB.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	foreign := map[string]uint{"/creators/": a.creatorB.ID, "/agencies/": a.agencyB.ID, "/bonuses/": otherBonus.ID, "/transfers/": tr.ID}
	checked := 0
	for _, role := range []string{"mcn_manager", "creator"} {
		c := a.login(roleLogins[role])
		for _, r := range a.server.Routes() {
			key := r.Method + " " + r.Path
			allowed := strings.Contains(" "+expectedAccess[key]+" ", " "+role+" ") || expectedAccess[key] == "all"
			if !allowed || !strings.Contains(r.Path, ":id") {
				continue
			}
			var id uint
			for prefix, v := range foreign {
				if strings.HasPrefix(r.Path, prefix) {
					id = v
				}
			}
			if id == 0 {
				continue // uploads are keyed by their uploader, covered by the import tests
			}
			path := strings.Replace(r.Path, ":id", itoa(id), 1)
			var res response
			if r.Method == http.MethodGet {
				res = c.get(path)
			} else {
				res = c.postForm(path, url.Values{"decision": {"accept"}, "message": {"mine"}})
			}
			checked++
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s as %s with another tenant's id: %d", key, role, res.StatusCode)
			}
		}
	}
	if checked < 6 {
		t.Fatalf("only %d tenant routes checked", checked)
	}
	got, err := a.store.GetCreator(ctx, models.SystemActor(), a.creatorB.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AgencyID == nil || *got.AgencyID != a.agencyB.ID {
		t.Fatal("a refused request changed another tenant's creator")
	}
}
