package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
	"github.com/jd/creator-portal/static"
	"github.com/jd/creator-portal/web"
	"github.com/jd/creator-portal/web/mail"
	"github.com/jd/creator-portal/web/mail/mailtest"
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
	creatorC *models.Creator // qualified, agency A, with an approved bonus for last week in an open payout batch
	bonusC   *models.Bonus
	batch    *models.PayoutBatch
	raw      *gorm.DB
	token    string // a live API token's secret
	spare    uint   // a reviewer account no test signs in as, for user admin routes
	outbox   string // the folder the portal's mail is written to
	mailer   *switchableSender
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
// Its mail goes to an outbox folder of its own (a.mails reads it), as it does
// without SMTP_URL; links in it point at the test server.
func serveStore(t *testing.T, store *models.Store) *app {
	t.Helper()
	return serveStoreWith(t, store, nil)
}

// serveStoreWith serves the portal with mail through sender (nil: the test outbox).
func serveStoreWith(t *testing.T, store *models.Store, sender mail.Sender) *app {
	t.Helper()
	var logOut io.Writer = io.Discard
	if os.Getenv("TEST_SERVER_LOG") != "" {
		logOut = os.Stderr // TEST_SERVER_LOG=1 shows the server's log, errors included
	}
	a := &app{t: t, store: store, mailer: &switchableSender{}}
	if sender == nil {
		outbox, err := mail.NewOutbox(filepath.Join(t.TempDir(), "outbox"))
		if err != nil {
			t.Fatal(err)
		}
		a.outbox, sender = outbox.Dir(), outbox
	}
	a.mailer.next = sender
	// The listener first, so links in mail can name the server's address.
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	a.server = web.New(store, web.Config{
		SessionSecret: []byte("0123456789abcdef0123456789abcdef-test"),
		Static:        static.FS,
		Logger:        slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Mail:          mail.Config{Sender: a.mailer, BaseURL: base},
	})
	ts.Config.Handler = a.server.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	a.ts = ts
	return a
}

// switchableSender passes mail on, or fails every message while down is set.
type switchableSender struct {
	mu   sync.Mutex
	down error
	next mail.Sender
}

func (s *switchableSender) Send(ctx context.Context, msgs []mail.Message) []error {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down != nil {
		errs := make([]error, len(msgs))
		for i := range errs {
			errs[i] = down
		}
		return errs
	}
	return s.next.Send(ctx, msgs)
}

func (s *switchableSender) String() string { return "test mail" }

// mailDown makes every email fail until mailUp.
func (a *app) mailDown() {
	a.mailer.mu.Lock()
	a.mailer.down = errors.New("550 test: the mail server is down")
	a.mailer.mu.Unlock()
}

func (a *app) mailUp() {
	a.mailer.mu.Lock()
	a.mailer.down = nil
	a.mailer.mu.Unlock()
}

// mails reads the test outbox: what the portal has emailed, oldest first.
func (a *app) mails() []mailtest.Received {
	a.t.Helper()
	if a.outbox == "" {
		a.t.Fatal("this app sends mail elsewhere, not to the test outbox")
	}
	return mailtest.ReadOutbox(a.t, a.outbox)
}

// mailsTo is what the portal has emailed to addr, oldest first.
func (a *app) mailsTo(addr string) []mailtest.Received {
	a.t.Helper()
	var out []mailtest.Received
	for _, m := range a.mails() {
		if slices.Contains(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// lastLinkTo is the link in the latest email to addr; the test fails without one.
func (a *app) lastLinkTo(addr string) string {
	a.t.Helper()
	ms := a.mailsTo(addr)
	if len(ms) == 0 {
		a.t.Fatalf("no email to %s", addr)
	}
	link := ms[len(ms)-1].Link()
	if !strings.HasPrefix(link, a.ts.URL+"/") {
		a.t.Fatalf("email to %s has no link to the portal:\n%s", addr, ms[len(ms)-1].Text)
	}
	return link
}

// newDemoApp serves the demo programme that `make run` loads.
func newDemoApp(t *testing.T) *app {
	t.Helper()
	store, raw := modeltest.NewStoreWithDB(t)
	if _, err := store.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	a := serveStore(t, store)
	a.raw = raw
	return a
}

func newApp(t *testing.T) *app {
	t.Helper()
	return newAppMailingThrough(t, nil)
}

// newAppMailingThrough is newApp with its mail sent through sender (nil: the test outbox).
func newAppMailingThrough(t *testing.T, sender mail.Sender) *app {
	t.Helper()
	store, raw := modeltest.NewStoreWithDB(t)
	a := serveStoreWith(t, store, sender)
	a.raw = raw
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
	a.creatorC = a.qualifiedCreator("jd_cr_carol1", &a.agencyA.ID)
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
	// Carol has one approved bonus for last week, in an open payout batch.
	a.perf(lastWeek, "jd_cr_carol1", 3, 0, 0, 0)
	rev := a.actor("reviewer")
	_, err = store.ComputeWeek(ctx, rev, lastWeek.String())
	must(err)
	a.bonusC = a.bonusOf(a.creatorC.ID)
	_, err = store.ApproveBonuses(ctx, rev, []uint{a.bonusC.ID})
	must(err)
	a.payable()
	a.batch, _, err = store.CreatePayoutBatch(ctx, rev, models.PayCreators, []uint{a.bonusC.ID})
	must(err)
	a.token, _, err = store.CreateAPIToken(ctx, a.actor("admin"), "test feed")
	must(err)
	spare, err := store.CreateUser(ctx, sys, models.NewUser{Email: "spare@t.test", Password: testPassword, Role: models.RoleReviewer})
	must(err)
	a.spare = spare.ID
	return a
}

var lastWeek = models.WeekOf(time.Now()).Prev()

// actor is a test user as the models see them.
func (a *app) actor(who string) *models.Actor {
	a.t.Helper()
	var u models.User
	if err := a.raw.Where("email = ?", testUsers[who]).First(&u).Error; err != nil {
		a.t.Fatal(err)
	}
	return models.ActorFor(&u, "127.0.0.1")
}

// qualifiedCreator enrols a creator qualified three months ago.
func (a *app) qualifiedCreator(account string, agency *uint) *models.Creator {
	a.t.Helper()
	sys := models.SystemActor()
	res, err := a.store.EnrolCreator(ctx, sys, agency, models.Enrolment{DisplayName: "Creator " + strings.TrimPrefix(account, "jd_cr_"), AccountID: account,
		Subjects: []string{"skincare"}, ContentType: "both", Followers: "20000"})
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.store.DecideCreator(ctx, sys, models.Decision{CreatorID: res.Creator.ID, Action: models.ActionQualify}); err != nil {
		a.t.Fatal(err)
	}
	if err := a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, -3, 0), res.Creator.ID).Error; err != nil {
		a.t.Fatal(err)
	}
	return res.Creator
}

// perf records one week of performance.
func (a *app) perf(week models.WeekLabel, account string, videos, live, views, gmvFen int64) {
	a.t.Helper()
	_, probs, err := a.store.IngestPerformance(ctx, models.SystemActor(), "test", []models.PerformanceInput{{AccountID: account, Week: week.String(),
		Videos: strconv.FormatInt(videos, 10), LiveSessions: strconv.FormatInt(live, 10), Views: strconv.FormatInt(views, 10),
		Orders: "1", GMVFen: strconv.FormatInt(gmvFen, 10)}})
	if err != nil || len(probs) > 0 {
		a.t.Fatalf("perf: %v %v", err, probs)
	}
}

func (a *app) bonusOf(creatorID uint) *models.Bonus {
	a.t.Helper()
	var b models.Bonus
	if err := a.raw.Where("creator_id = ? AND week = ?", creatorID, lastWeek.String()).First(&b).Error; err != nil {
		a.t.Fatal(err)
	}
	return &b
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
		if ck.Name == "_csrf" || ck.Name == "__Host-csrf" {
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

// payable gives everyone owed money so far verified payee details and every
// open agency payable a confirmed invoice (the portal's own seeding), so a
// test about paying is not about holds. Call it again after adding creators.
// The holding period is set to none, so recent weeks are payable at once.
func (a *app) payable() {
	if err := a.store.SetHoldingDays(ctx, models.SystemActor(), 0); err != nil {
		panic(err)
	}
	if _, err := a.store.SeedPayees(ctx, models.SystemActor()); err != nil {
		panic(err)
	}
	if _, err := a.store.SeedInvoices(ctx, models.SystemActor()); err != nil {
		panic(err)
	}
}
