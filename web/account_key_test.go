package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// Agency B holds jd_cr_bob001. Agency A's manager types it in capitals or
// with spaces, by form and by file: both are refused with the clear message,
// and a transfer request in any case goes through instead.
func TestEnrolAnotherAgencysCreatorInAnotherCaseIsRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.login("mcnA")
	for _, variant := range []string{"JD_CR_BOB001", " jd_cr_bob001 "} {
		form := enrolForm(variant)
		form.Del("contact_email")
		res := c.postForm("/creators", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("form %q: status %d, want 422", variant, res.StatusCode)
		}
		got := res.doc(t).Find(`[data-testid="error-account_id"]`).Text()
		if !strings.Contains(got, "already enrolled by another agency") || !strings.Contains(got, "request a transfer") {
			t.Fatalf("form %q: account error %q", variant, got)
		}
	}
	for _, variant := range []string{"JD_CR_BOB001", "  jd_cr_bob001  "} {
		csv := "display_name,account_id,primary_subject,content_type,followers\n" + "Bob Copy," + variant + ",electronics,video,10\n"
		doc := c.follow(upload(t, c, "case.csv", []byte(csv))).doc(t)
		if s := doc.Find(`[data-testid="import-summary"]`).Text(); !strings.Contains(s, "0 ready") || !strings.Contains(s, "1 with errors") {
			t.Fatalf("file with %q: summary %q", variant, s)
		}
		if row := doc.Find(`[data-testid="import-row"]`).Text(); !strings.Contains(row, "already enrolled by another agency") {
			t.Errorf("file with %q: the row reads %q", variant, row)
		}
	}
	var n int64
	a.raw.Model(&models.Creator{}).Where("LOWER(account_id) = ?", "jd_cr_bob001").Count(&n)
	if n != 1 {
		t.Fatalf("%d creators hold jd_cr_bob001", n)
	}
	res := c.follow(c.postForm("/transfers", url.Values{"account_id": {"JD_CR_BOB001"}}))
	if !strings.Contains(res.body, "transfer") || strings.Contains(res.body, "no creator is enrolled") {
		t.Fatalf("transfer request: %s", res.body)
	}
	var open int64
	a.raw.Model(&models.Transfer{}).Where("creator_id = ? AND state = ?", a.creatorB.ID, models.TransferRequested).Count(&open)
	if open != 1 {
		t.Fatalf("%d open transfers for Bob, want 1", open)
	}
}
