package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/static"
	"github.com/jd/creator-portal/views/i18n"
	"github.com/jd/creator-portal/web"
	"github.com/jd/creator-portal/web/mail"
	"github.com/jd/creator-portal/web/mail/mailtest"
)

// Issue 12, points 9 and 11: accounts by invitation, and links that reach only
// their owner. These tests send through a real SMTP server in the test's
// process and follow the link in the message they read from it.
func TestInvitationsAndResetLinksArriveBySMTPAndWork(t *testing.T) {
	t.Parallel()
	srv, _ := mailtest.Start(t, mailtest.Options{})
	sender, err := mail.ParseSMTPURL("smtp://" + net.JoinHostPort(srv.Host, strconv.Itoa(srv.Port)) + "?tls=none&from=" + url.QueryEscape("JD Creator Portal <portal@jd.example>"))
	if err != nil {
		t.Fatal(err)
	}
	a := newAppMailingThrough(t, sender)
	en, zh := i18n.For(i18n.EN), i18n.For(i18n.ZH)
	admin := a.login("admin")

	// An admin invites a manager to agency A: the message goes to the manager alone.
	res := admin.follow(admin.postForm("/agencies/"+itoa(a.agencyA.ID)+"/managers", url.Values{"email": {"Boss@Lotus.example"}}))
	if got := res.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, en.T("flash_invitation_sent", "Email", "b***@lotus.example")) {
		t.Fatalf("flash %q", got)
	}
	got := srv.Messages()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "boss@lotus.example" || got[0].From != "portal@jd.example" {
		t.Fatalf("messages %+v", got)
	}
	m := got[0]
	if m.Subject != en.T("mail_invite_subject") || !strings.HasPrefix(m.Link(), a.ts.URL+"/invite/") {
		t.Fatalf("subject %q, link %q in:\n%s", m.Subject, m.Link(), m.Text)
	}
	if strings.Contains(res.body, strings.TrimPrefix(m.Link(), a.ts.URL+"/invite/")) {
		t.Fatal("the admin's page shows the invitation's token")
	}
	// Following the link lets the manager choose a password and sign in to their agency.
	mgr := a.anon()
	path := strings.TrimPrefix(m.Link(), a.ts.URL)
	if page := mgr.get(path); page.StatusCode != http.StatusOK || page.doc(t).Find(`[data-testid="invite-email"]`).Text() != "boss@lotus.example" {
		t.Fatalf("invitation page %d", page.StatusCode)
	}
	if r := mgr.postForm(path, url.Values{"password": {"lotus-own-password"}, "password_confirm": {"lotus-own-password"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: %d %s", r.StatusCode, r.body)
	}
	if r := mgr.postForm("/login", url.Values{"email": {"boss@lotus.example"}, "password": {"lotus-own-password"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", r.StatusCode)
	}
	if body := mgr.get("/dashboard").body; !strings.Contains(body, "Agency A") {
		t.Fatal("the new manager is not in agency A")
	}

	// A staff invitation from an admin reading Chinese is written in Chinese.
	admin.postForm("/language", url.Values{"lang": {"zh-CN"}})
	admin.postForm("/settings/users", url.Values{"email": {"rev9@jd.example"}, "role": {"reviewer"}})
	inv := srv.To("rev9@jd.example")
	if len(inv) != 1 || inv[0].Subject != zh.T("mail_invite_subject") || !strings.Contains(inv[0].Text, "rev9@jd.example") {
		t.Fatalf("staff invitation %+v", inv)
	}

	// A reset link is in the user's own language where known, else in the admin's.
	admin.postForm("/settings/users/"+itoa(a.actor("mcnB").UserID)+"/reset", url.Values{})
	reset := srv.To(testUsers["mcnB"])
	if len(reset) != 1 || reset[0].Subject != zh.T("mail_reset_subject") {
		t.Fatalf("reset mail for a user without a language: %d, %q", len(reset), subjects(reset))
	}
	if err := a.store.SetLanguage(ctx, a.actor("mcnB"), "en"); err != nil {
		t.Fatal(err)
	}
	admin.postForm("/settings/users/"+itoa(a.actor("mcnB").UserID)+"/reset", url.Values{})
	reset = srv.To(testUsers["mcnB"])
	if len(reset) != 2 || reset[1].Subject != en.T("mail_reset_subject") || !strings.Contains(reset[1].Text, testUsers["mcnB"]) {
		t.Fatalf("reset mail in the user's language: %q", subjects(reset))
	}
	victim := a.anon()
	resetPath := strings.TrimPrefix(reset[1].Link(), a.ts.URL)
	if r := victim.postForm(resetPath, url.Values{"password": {"my-own-new-secret"}, "password_confirm": {"my-own-new-secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.StatusCode)
	}
	if r := victim.postForm("/login", url.Values{"email": {testUsers["mcnB"]}, "password": {"my-own-new-secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in after reset: %d", r.StatusCode)
	}
}

// Point 11: the manager who enrols a creator never sees the creator's link —
// not after the form, not after "send again", not in the import report.
func TestTheEnrollingManagerNeverSeesTheCreatorsLink(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mgr := a.login("mcnA")
	var seen strings.Builder
	look := func(r response) response {
		seen.WriteString(r.body)
		for k, v := range r.Header {
			seen.WriteString(k + ": " + strings.Join(v, " ") + "\n")
		}
		return r
	}
	posted := look(mgr.postForm("/creators", enrolForm("jd_cr_cathy1")))
	page := look(mgr.get(posted.Header.Get("Location")))
	if got := page.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "c***@example.com") {
		t.Fatalf("flash after enrolment %q", got)
	}
	// Send again: a new link, again only by mail.
	page = look(mgr.follow(look(mgr.postForm(posted.Header.Get("Location")+"/invitation", url.Values{}))))
	if got := page.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "c***@example.com") {
		t.Fatalf("flash after sending again %q", got)
	}
	// A CSV import with an email.
	data := strings.Join(models.EnrolmentCSVHeader, ",") + "\nLi Wei Reviews,jd_cr_900001,electronics,,video,125000,liwei@example.com,\n"
	preview := look(mgr.follow(look(upload(t, mgr, "creators.csv", []byte(data)))))
	action, _ := preview.doc(t).Find(`form[action$="/confirm"]`).Attr("action")
	report := look(mgr.postForm(action, url.Values{}))
	if got := report.doc(t).Find(`[data-testid="import-invitation"]`).Text(); got != "Invitation emailed to l***@example.com." {
		t.Fatalf("import report says %q", got)
	}
	for _, path := range []string{"/creators", "/dashboard", "/notifications"} {
		look(mgr.get(path))
	}

	cathy, li := a.mailsTo("cathy@example.com"), a.mailsTo("liwei@example.com")
	if len(cathy) != 2 || len(li) != 1 || len(a.mails()) != 3 {
		t.Fatalf("mail: %d to cathy, %d to li, %d in all", len(cathy), len(li), len(a.mails()))
	}
	all := seen.String()
	if strings.Contains(all, "/invite/") {
		t.Fatal("a page the manager saw holds an invitation link")
	}
	for _, m := range append(cathy, li...) {
		token := strings.TrimPrefix(m.Link(), a.ts.URL+"/invite/")
		if len(token) < 40 || strings.Contains(all, token) {
			t.Fatalf("token %q shown to the manager", token)
		}
	}
	// The latest link works (for the creator, who has it); the first one was replaced.
	first, latest := strings.TrimPrefix(cathy[0].Link(), a.ts.URL), strings.TrimPrefix(cathy[1].Link(), a.ts.URL)
	if a.anon().get(first).StatusCode != http.StatusNotFound || a.anon().get(latest).StatusCode != http.StatusOK {
		t.Fatal("sending again should replace the earlier link")
	}
}

// Point 9: a reviewer used to create a manager account with a password of their choosing.
func TestAReviewerCannotAddAManager(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	if rev.get("/agencies/"+itoa(a.agencyA.ID)).doc(t).Find(`form[action$="/managers"]`).Length() != 0 {
		t.Fatal("a reviewer is offered the form to add a manager")
	}
	res := rev.postForm("/agencies/"+itoa(a.agencyA.ID)+"/managers", url.Values{"email": {"mole@evil.example"}, "password": {"chosen-by-reviewer"}})
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d, want 404", res.StatusCode)
	}
	var users, invitations int64
	a.raw.Model(&models.User{}).Where("email = ?", "mole@evil.example").Count(&users)
	a.raw.Model(&models.UserInvitation{}).Count(&invitations)
	if users != 0 || invitations != 0 || len(a.mails()) != 0 {
		t.Fatalf("%d users, %d invitations, %d emails after the refusal", users, invitations, len(a.mails()))
	}
	if r := a.anon().postForm("/login", url.Values{"email": {"mole@evil.example"}, "password": {"chosen-by-reviewer"}}); r.StatusCode == http.StatusSeeOther {
		t.Fatal("the reviewer's account works")
	}
	entries, _, _ := a.store.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "access.refused"}, models.NewPage(1, 5))
	if len(entries) == 0 || entries[0].ActorEmail != testUsers["reviewer"] {
		t.Fatalf("the refusal is not audited: %+v", entries)
	}
}

// The users page invites: no password field, nothing to sign in with until the invitee chooses a password.
func TestAdminsInviteStaffInsteadOfChoosingTheirPassword(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	if admin.get("/settings/users").doc(t).Find(`form[action="/settings/users"] input[name="password"]`).Length() != 0 {
		t.Fatal("the users form asks for the new user's password")
	}
	res := admin.follow(admin.postForm("/settings/users", url.Values{"email": {"rev3@jd.example"}, "role": {"reviewer"}, "password": {"admin-chose-this"}}))
	doc := res.doc(t)
	if got := doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "r***@jd.example") {
		t.Fatalf("flash %q", got)
	}
	if !strings.Contains(doc.Find(`[data-testid="pending-invitations"]`).Text(), "rev3@jd.example") {
		t.Fatal("the invitation is not listed")
	}
	if r := a.anon().postForm("/login", url.Values{"email": {"rev3@jd.example"}, "password": {"admin-chose-this"}}); r.StatusCode == http.StatusSeeOther {
		t.Fatal("signed in with the password the admin typed")
	}
	// An address that has an account already is refused on the form.
	taken := admin.postForm("/settings/users", url.Values{"email": {testUsers["reviewer"]}, "role": {"reviewer"}})
	if taken.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(taken.body, models.ErrEmailTaken.Error()) {
		t.Fatalf("taken address: %d", taken.StatusCode)
	}
	rev := a.anon()
	path := strings.TrimPrefix(a.lastLinkTo("rev3@jd.example"), a.ts.URL)
	if r := rev.postForm(path, url.Values{"password": {"reviewer-own-choice"}, "password_confirm": {"reviewer-own-choice"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: %d", r.StatusCode)
	}
	if r := rev.postForm("/login", url.Values{"email": {"rev3@jd.example"}, "password": {"reviewer-own-choice"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatal("the invited reviewer cannot sign in")
	}
	if rev.get("/bonuses").StatusCode != http.StatusOK {
		t.Fatal("the invited reviewer cannot open the queue")
	}
}

// When mail fails, what was asked for is kept, the page says the email was not
// sent, and it can be sent again.
func TestAFailedEmailKeepsTheInvitationAndSaysSo(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.mailDown()
	mgr := a.login("mcnA")
	posted := mgr.postForm("/creators", enrolForm("jd_cr_cathy1"))
	page := mgr.get(posted.Header.Get("Location"))
	doc := page.doc(t)
	flash := doc.Find(`.flash-error[data-testid="flash"]`).Text()
	if !strings.Contains(flash, "could not be sent") || !strings.Contains(flash, "c***@example.com") {
		t.Fatalf("error flash %q", flash)
	}
	var cr models.Creator
	if err := a.raw.Where("account_id = ?", "jd_cr_cathy1").First(&cr).Error; err != nil {
		t.Fatal("the enrolment was lost with the email")
	}
	var open int64
	a.raw.Model(&models.CreatorInvitation{}).Where("creator_id = ? AND used_at IS NULL", cr.ID).Count(&open)
	if open != 1 || len(a.mails()) != 0 {
		t.Fatalf("%d open invitations, %d emails", open, len(a.mails()))
	}
	if doc.Find(`[data-testid="send-invitation"]`).Length() != 1 {
		t.Fatal("no way to send the invitation again")
	}
	admin := a.login("admin")
	reset := admin.follow(admin.postForm("/settings/users/"+itoa(a.actor("mcnB").UserID)+"/reset", url.Values{}))
	if got := reset.doc(t).Find(`.flash-error`).Text(); !strings.Contains(got, "could not be sent") {
		t.Fatalf("reset with mail down: %q", got)
	}

	a.mailUp()
	again := mgr.follow(mgr.postForm("/creators/"+itoa(cr.ID)+"/invitation", url.Values{}))
	if got := again.doc(t).Find(`.flash-success`).Text(); !strings.Contains(got, "c***@example.com") {
		t.Fatalf("sending again: %q", got)
	}
	creator := a.anon()
	path := strings.TrimPrefix(a.lastLinkTo("cathy@example.com"), a.ts.URL)
	if r := creator.postForm(path, url.Values{"password": {"cathy-secret-pass"}, "password_confirm": {"cathy-secret-pass"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.StatusCode)
	}
}

func subjects(ms []mailtest.Received) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Subject
	}
	return out
}

// The server's log records an email that could not be sent (to whom, what), but
// never a link's secret: not from the mail, not from the request line.
func TestTheLogRecordsAFailedEmailButNeverALink(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var logs lockedBuffer
	srv := web.New(a.store, web.Config{SessionSecret: []byte("0123456789abcdef0123456789abcdef-test"), Static: static.FS,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), Mail: mail.Config{Sender: failingSender{}}})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	b := &app{t: t, store: a.store, raw: a.raw, server: srv, ts: ts}

	mgr := b.login("mcnA")
	mgr.postForm("/creators", enrolForm("jd_cr_cathy1"))
	if got := logs.String(); !strings.Contains(got, "email not sent") || !strings.Contains(got, "cathy@example.com") || !strings.Contains(got, "kind=invitation") {
		t.Fatalf("the failure is not logged:\n%s", got)
	}
	link, err := a.store.CreatePasswordReset(ctx, a.actor("admin"), a.actor("mcnB").UserID)
	if err != nil {
		t.Fatal(err)
	}
	anon := b.anon()
	anon.get("/reset/" + link.Token)
	anon.get("/invite/some-guessed-token-1234567890")
	got := logs.String()
	if strings.Contains(got, link.Token) || strings.Contains(got, "some-guessed-token") || !strings.Contains(got, "path=/reset/:token") {
		t.Fatalf("the log holds a link's secret:\n%s", got)
	}
}

type failingSender struct{}

func (failingSender) Send(_ context.Context, msgs []mail.Message) []error {
	errs := make([]error, len(msgs))
	for i := range errs {
		errs[i] = errors.New("451 test: try again later")
	}
	return errs
}

func (failingSender) String() string { return "nowhere" }

// lockedBuffer is a log destination handlers may write to at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
