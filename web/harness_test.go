package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
	"github.com/jd/creator-portal/static"
	"github.com/jd/creator-portal/web"
)

var ctx = context.Background()

// app is the whole portal on a throwaway database, served by httptest, with
// a small programme: two agencies, staff, and one creator in each agency.
type app struct {
	t        *testing.T
	store    *models.Store
	server   *web.Server
	ts       *httptest.Server
	agencyA  *models.Agency
	agencyB  *models.Agency
	creatorA *models.Creator // enrolled by agency A, has a creator login
	creatorB *models.Creator // enrolled by agency B
}

const testPassword = "correct-horse-battery"

// Users of the test programme, by role name used in tests.
var testUsers = map[string]string{
	"admin":    "admin@t.test",
	"reviewer": "reviewer@t.test",
	"mcnA":     "mcn-a@t.test",
	"mcnB":     "mcn-b@t.test",
	"creator":  "creator-a@t.test",
}

// serveStore builds the portal on store exactly as main.go does and serves it.
func serveStore(t *testing.T, store *models.Store) *app {
	t.Helper()
	srv := web.New(store, web.Config{
		SessionSecret: []byte("0123456789abcdef0123456789abcdef-test"),
		Static:        static.FS,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &app{t: t, store: store, server: srv, ts: ts}
}

// newDemoApp serves the demo programme that `make run` loads.
func newDemoApp(t *testing.T) *app {
	t.Helper()
	store := modeltest.NewStore(t)
	if _, err := store.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	return serveStore(t, store)
}

func newApp(t *testing.T) *app {
	t.Helper()
	store := modeltest.NewStore(t)
	a := serveStore(t, store)
	sys := models.SystemActor()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	a.agencyA, err = store.CreateAgency(ctx, sys, models.AgencyInput{Name: "Agency A"})
	must(err)
	a.agencyB, err = store.CreateAgency(ctx, sys, models.AgencyInput{Name: "Agency B"})
	must(err)
	resA, err := store.EnrolCreator(ctx, sys, &a.agencyA.ID, models.Enrolment{DisplayName: "Alice Reviews", AccountID: "jd_cr_alice1", Subjects: []string{"electronics"}, ContentType: "video", Followers: "5000"})
	must(err)
	resB, err := store.EnrolCreator(ctx, sys, &a.agencyB.ID, models.Enrolment{DisplayName: "Bob Live", AccountID: "jd_cr_bob001", Subjects: []string{"fashion"}, ContentType: "live", Followers: "9000"})
	must(err)
	a.creatorA, a.creatorB = resA.Creator, resB.Creator
	for key, email := range testUsers {
		n := models.NewUser{Email: email, Password: testPassword}
		switch key {
		case "admin":
			n.Role = models.RoleAdmin
		case "reviewer":
			n.Role = models.RoleReviewer
		case "mcnA":
			n.Role, n.AgencyID = models.RoleMCNManager, &a.agencyA.ID
		case "mcnB":
			n.Role, n.AgencyID = models.RoleMCNManager, &a.agencyB.ID
		case "creator":
			n.Role, n.CreatorID = models.RoleCreator, &a.creatorA.ID
		}
		_, err := store.CreateUser(ctx, sys, n)
		must(err)
	}
	return a
}

// client is one browser-like session: a cookie jar, no automatic redirects.
type client struct {
	t    *testing.T
	app  *app
	http *http.Client
}

func (a *app) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, app: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs in as one of testUsers and fails the test if that does not work.
func (a *app) login(who string) *client {
	a.t.Helper()
	c := a.anon()
	res := c.postForm("/login", url.Values{"email": {testUsers[who]}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login as %s: status %d: %s", who, res.StatusCode, res.body)
	}
	return c
}

type response struct {
	*http.Response
	body string
}

func (r response) doc(t *testing.T) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.ts.URL+path, nil)
	return c.do(req)
}

// csrf fetches a page to obtain the CSRF cookie and the token forms carry.
func (c *client) csrf() string {
	c.t.Helper()
	res := c.get("/login")
	u, _ := url.Parse(c.app.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "_csrf" {
			return ck.Value
		}
	}
	c.t.Fatalf("no CSRF cookie after GET /login (status %d)", res.StatusCode)
	return ""
}

// postForm posts a form with a valid CSRF token.
func (c *client) postForm(path string, form url.Values) response {
	c.t.Helper()
	form.Set("_csrf", c.csrf())
	return c.postRaw(path, form)
}

// postRaw posts a form exactly as given.
func (c *client) postRaw(path string, form url.Values) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) follow(res response) response {
	c.t.Helper()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		c.t.Fatalf("want a redirect, got %d: %s", res.StatusCode, res.body)
	}
	return c.get(res.Header.Get("Location"))
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
