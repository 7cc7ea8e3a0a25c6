package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

func enrolForm(account string) url.Values {
	return url.Values{"display_name": {"Cathy Unboxed"}, "account_id": {account}, "subject1": {"1"}, "subject2": {"3"},
		"content_type": {"both"}, "followers": {"12,000"}, "contact_email": {"cathy@example.com"}}
}

func TestEnrolByFormShowsFieldErrorsAndCreatesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	form := enrolForm("jd_cr_cathy1")
	form.Set("followers", "lots")
	form.Set("display_name", "")
	res := c.postForm("/creators", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	doc := res.doc(t)
	if got := doc.Find(`[data-testid="error-followers"]`).Text(); !strings.Contains(got, "whole number") {
		t.Errorf("followers error %q", got)
	}
	if got := doc.Find(`[data-testid="error-display_name"]`).Text(); !strings.Contains(got, "required") {
		t.Errorf("display name error %q", got)
	}
	if v, _ := doc.Find(`input[name="account_id"]`).Attr("value"); v != "jd_cr_cathy1" {
		t.Errorf("the form lost the typed account id: %q", v)
	}
	_, total, _ := a.store.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{Search: "jd_cr_cathy1"}, models.NewPage(1, 5))
	if total != 0 {
		t.Fatal("an invalid form created a creator")
	}
}

func TestEnrolByFormThenInvitationSignIn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	res := c.follow(c.postForm("/creators", enrolForm("jd_cr_cathy1")))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Cathy Unboxed is enrolled") {
		t.Fatalf("after enrolment: %d %s", res.StatusCode, res.body)
	}
	doc := res.doc(t)
	if doc.Find(`[data-testid="state"]`).First().Text() != "Pending" {
		t.Error("a new creator should be pending")
	}
	// The invitation went to Cathy's own email; the manager's page only says where.
	if got := doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "emailed to c***@example.com") {
		t.Fatalf("flash after enrolment: %q", got)
	}
	link := a.lastLinkTo("cathy@example.com")
	path := strings.TrimPrefix(link, a.ts.URL)
	if strings.Contains(res.body, "/invite/") || strings.Contains(res.body, strings.TrimPrefix(path, "/invite/")) {
		t.Fatal("the manager's page shows the invitation link")
	}

	// The creator opens the link and sets a password.
	creator := a.anon()
	page := creator.get(path)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, "cathy@example.com") {
		t.Fatalf("invitation page: %d", page.StatusCode)
	}
	short := creator.postForm(path, url.Values{"password": {"short"}, "password_confirm": {"short"}})
	if short.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(short.body, "at least 12 characters") {
		t.Fatalf("short password: %d", short.StatusCode)
	}
	ok := creator.postForm(path, url.Values{"password": {"cathy-secret-pass"}, "password_confirm": {"cathy-secret-pass"}})
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", ok.StatusCode, ok.body)
	}
	// Single use.
	if again := a.anon().get(path); again.StatusCode != http.StatusNotFound {
		t.Fatalf("second use of the link: %d", again.StatusCode)
	}
	signin := creator.postForm("/login", url.Values{"email": {"cathy@example.com"}, "password": {"cathy-secret-pass"}})
	if signin.Header.Get("Location") != "/dashboard" {
		t.Fatalf("creator sign-in: %d", signin.StatusCode)
	}
	me := creator.get("/me")
	if !strings.Contains(me.body, "Cathy Unboxed") || !strings.Contains(me.body, "Pending") {
		t.Fatalf("/me: %s", me.body)
	}
}

func TestEnrolAccountHeldByAnotherAgency(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	form := enrolForm(a.creatorB.AccountID)
	form.Del("contact_email")
	res := c.postForm("/creators", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	if got := res.doc(t).Find(`[data-testid="error-account_id"]`).Text(); !strings.HasPrefix(got, models.ErrCreatorTaken.Error()) || !strings.Contains(got, "request a transfer") {
		t.Fatalf("account error %q", got)
	}
	if strings.Contains(res.body, "Agency B") {
		t.Fatal("the refusal names the other agency")
	}
}

func upload(t *testing.T, c *client, file string, data []byte) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf())
	fw, _ := w.CreateFormFile("file", file)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+"/creators/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestImportPreviewConfirmAndReimport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	data, err := os.ReadFile("../models/testdata/creators_bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	preview := c.follow(upload(t, c, "creators_bad.csv", data))
	doc := preview.doc(t)
	summary := doc.Find(`[data-testid="import-summary"]`).Text()
	if !strings.Contains(summary, "2 ready") || !strings.Contains(summary, "6 with errors") {
		t.Fatalf("summary %q", summary)
	}
	rows := doc.Find(`[data-testid="import-row"]`)
	if rows.Length() != 8 {
		t.Fatalf("%d preview rows, want 8", rows.Length())
	}
	// Line 4 is the row with an unknown subject area; the report names the line and the problem.
	line4 := rows.Eq(2).Text()
	if !strings.Contains(line4, "4") || !strings.Contains(line4, "unknown subject area") {
		t.Fatalf("line 4 reads %q", line4)
	}
	// Nothing is written before confirm.
	_, before, _ := a.store.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{}, models.NewPage(1, 5))
	action, _ := doc.Find(`form[action$="/confirm"]`).Attr("action")
	report := c.postForm(action, url.Values{})
	if report.StatusCode != http.StatusOK || !strings.Contains(report.body, "2 enrolled") {
		t.Fatalf("confirm: %d %s", report.StatusCode, report.body)
	}
	_, after, _ := a.store.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{}, models.NewPage(1, 5))
	if after-before != 2 {
		t.Fatalf("confirm created %d creators, want 2", after-before)
	}
	// Confirming twice (a double click) adds nothing.
	twice := c.follow(c.postForm(action, url.Values{}))
	if !strings.Contains(twice.body, "already been imported") {
		t.Fatalf("second confirm: %s", twice.body)
	}
	// Re-uploading the same file: the good rows are now "already enrolled".
	again := c.follow(upload(t, c, "creators_bad.csv", data)).doc(t).Find(`[data-testid="import-summary"]`).Text()
	if !strings.Contains(again, "0 ready") || !strings.Contains(again, "2 already enrolled") {
		t.Fatalf("re-upload summary %q", again)
	}
	// Another manager cannot open this import.
	if res := a.login("mcnB").get(strings.TrimSuffix(action, "/confirm")); res.StatusCode != http.StatusNotFound {
		t.Fatalf("other manager opened the import: %d", res.StatusCode)
	}
}

func TestImportRefusesAnUnreadableFile(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	res := upload(t, c, "x.csv", []byte("name,followers\nx,1\n"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := res.doc(t).Find(`[data-testid="error-file"]`).Text(); !strings.Contains(got, "line 1") || !strings.Contains(got, "account_id") {
		t.Fatalf("error %q", got)
	}
}

func TestReviewerRejectsWithReasonAndManagerSeesIt(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	path := "/creators/" + itoa(a.creatorA.ID)
	// A rejection without a reason is refused.
	res := rev.postForm(path+"/decision", url.Values{"action": {"reject"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "choose a reason code") {
		t.Fatalf("reject without reason: %d", res.StatusCode)
	}
	res = rev.follow(rev.postForm(path+"/decision", url.Values{"action": {"reject"}, "reason-reject": {"content_policy"}, "note": {"Reposted others' videos"}}))
	if !strings.Contains(res.body, "is now Rejected") {
		t.Fatalf("after reject: %s", res.body)
	}
	// An impossible transition is refused with a message.
	res = rev.follow(rev.postForm(path+"/decision", url.Values{"action": {"qualify"}}))
	if !strings.Contains(res.body, "not possible") {
		t.Fatalf("qualify after reject: %s", res.body)
	}
	mgr := a.login("mcnA").get(path).doc(t)
	if got := mgr.Find(`[data-testid="state-reason"]`).Text(); !strings.Contains(got, "Content policy") {
		t.Errorf("manager sees reason %q", got)
	}
	if got := mgr.Find(`[data-testid="state-note"]`).Text(); !strings.Contains(got, "Reposted others' videos") {
		t.Errorf("manager sees note %q", got)
	}
	audit := rev.get("/audit?action=creator.reject").doc(t)
	row := audit.Find(`[data-testid="audit-row"]`)
	if row.Length() != 1 || !strings.Contains(row.Text(), "reviewer@t.test") || !strings.Contains(row.Text(), "Reason: Content policy") {
		t.Fatalf("audit rows: %q", row.Text())
	}
	// The creator sees the reason on their own page.
	me := a.login("creator").get("/me").doc(t)
	if !strings.Contains(me.Find(`[data-testid="my-status"]`).Text(), "Content policy") {
		t.Error("creator does not see the rejection reason")
	}
}

func TestAgencyAndManagerAccount(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	res := admin.postForm("/agencies", url.Values{"name": {"Agency A"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "already exists") {
		t.Fatalf("duplicate agency: %d", res.StatusCode)
	}
	res = admin.follow(admin.postForm("/agencies", url.Values{"name": {"Lotus Media"}, "contact_email": {"ops@lotus.example"}}))
	if !strings.Contains(res.body, "Lotus Media was added") {
		t.Fatalf("new agency: %s", res.body)
	}
	form := res.doc(t).Find(`form[action$="/managers"]`)
	if form.Find(`input[name="password"]`).Length() != 0 {
		t.Fatal("the manager form asks the admin for the manager's password")
	}
	action, _ := form.Attr("action")
	// A password in a forged form is ignored: the manager chooses their own.
	res = admin.follow(admin.postForm(action, url.Values{"email": {"boss@lotus.example"}, "password": {"lotus-manager-pw"}}))
	doc := res.doc(t)
	if got := doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "emailed to b***@lotus.example") {
		t.Fatalf("flash after inviting: %q", got)
	}
	if !strings.Contains(doc.Find(`[data-testid="pending-invitations"]`).Text(), "boss@lotus.example") {
		t.Fatal("the invitation is not listed as pending")
	}
	mgr := a.anon()
	if r := mgr.postForm("/login", url.Values{"email": {"boss@lotus.example"}, "password": {"lotus-manager-pw"}}); r.StatusCode == http.StatusSeeOther {
		t.Fatal("the manager signed in with the password the admin typed")
	}
	path := strings.TrimPrefix(a.lastLinkTo("boss@lotus.example"), a.ts.URL)
	if page := mgr.get(path); page.StatusCode != http.StatusOK || page.doc(t).Find(`[data-testid="invite-email"]`).Text() != "boss@lotus.example" {
		t.Fatalf("invitation page: %d", page.StatusCode)
	}
	if r := mgr.postForm(path, url.Values{"password": {"lotus-own-password"}, "password_confirm": {"lotus-own-password"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting the password: %d %s", r.StatusCode, r.body)
	}
	if r := mgr.postForm("/login", url.Values{"email": {"boss@lotus.example"}, "password": {"lotus-own-password"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("new manager cannot sign in: %d", r.StatusCode)
	}
	if !strings.Contains(admin.get(strings.TrimSuffix(action, "/managers")).doc(t).Find(`[data-testid="managers"]`).Text(), "boss@lotus.example") {
		t.Fatal("manager not listed")
	}
	if body := mgr.get("/dashboard").body; !strings.Contains(body, "Lotus Media") {
		t.Fatal("new manager does not land on their agency's dashboard")
	}
}

func TestAuditFilterRejectsBadDates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.login("admin").get("/audit?from=24/11/2026")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "use a date like") {
		t.Fatalf("status %d", res.StatusCode)
	}
}

func TestHistoryShowsWholeNumbers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.login("reviewer").get("/creators/" + itoa(a.creatorA.ID))
	history := res.doc(t).Find(`[data-testid="history"]`).Text()
	if !strings.Contains(history, "Followers: 5000") || strings.Contains(history, "e+") {
		t.Fatalf("history: %q", history)
	}
}

func TestOversizedUploadsAndFormsAreRefusedClearly(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	big := bytes.Repeat([]byte("x"), 13<<20)
	res := upload(t, c, "huge.csv", big)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "at most 10 MB") {
		t.Fatalf("huge upload: %d", res.StatusCode)
	}
	form := url.Values{"display_name": {strings.Repeat("y", 2<<20)}}
	res = c.postForm("/creators", form)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("huge form: %d", res.StatusCode)
	}
}

// With thousands of agencies a select of all of them would outweigh the page:
// past 50 the filter is a box for the start of a name, and it filters.
func TestAgencyFilterBecomesASearchBoxPastFiftyAgencies(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	if rev.get("/bonuses").doc(t).Find(`select#agency`).Length() != 1 {
		t.Fatal("with two agencies the filter should be a select")
	}
	for i := range 50 {
		if _, err := a.store.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: fmt.Sprintf("Zeta MCN %02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	doc := rev.get("/bonuses?agency=agency+a").doc(t)
	if doc.Find(`select#agency`).Length() != 0 || doc.Find(`input#agency[type="search"]`).AttrOr("value", "") != "agency a" {
		t.Fatal("past 50 agencies the filter is not a search box keeping what was typed")
	}
	if n := doc.Find(`[data-testid="bonus-row"]`).Length(); n != 1 || !strings.Contains(doc.Find(`[data-testid="bonuses"]`).Text(), "Agency A") {
		t.Fatalf("filtering by the start of a name shows %d rows", n)
	}
	if n := rev.get("/creators?agency=zeta").doc(t).Find(`[data-testid="creator-row"]`).Length(); n != 0 {
		t.Fatalf("agencies without creators list %d creators", n)
	}
}
