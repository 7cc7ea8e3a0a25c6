package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// settleThroughA makes agency A settle for its creators: Carol's approved
// bonus of last week becomes a payable of A. It returns that week's gross.
// (Her bonus first leaves the harness's open batch, where it is on a line of
// her own: money paid to a creator directly is never the agency's to invoice.)
func (a *app) settleThroughA(t *testing.T) int64 {
	t.Helper()
	for _, q := range []string{
		"DELETE FROM payout_line_bonuses WHERE line_id IN (SELECT id FROM payout_lines WHERE batch_id = ?)",
		"DELETE FROM payout_lines WHERE batch_id = ?",
		"UPDATE bonuses SET payout_batch_id = NULL WHERE payout_batch_id = ?",
	} {
		if err := a.raw.Exec(q, a.batch.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := a.raw.Exec("UPDATE agencies SET settlement = ? WHERE id = ?", models.SettleThroughAgency, a.agencyA.ID).Error; err != nil {
		t.Fatal(err)
	}
	p, err := a.store.AgencyPayable(ctx, a.actor("mcnA"), models.PayableSettlement, lastWeek.String())
	if err != nil {
		t.Fatal(err)
	}
	return p.GrossFen
}

func invoicePDFBytes(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recordInvoice has agency A record a waiting invoice for last week's settlement.
func (a *app) recordInvoice(t *testing.T) *models.AgencyInvoice {
	t.Helper()
	gross := a.settleThroughA(t)
	inv, err := a.store.RecordInvoice(ctx, a.actor("mcnA"), models.InvoiceInput{Kind: models.PayableSettlement, Period: lastWeek.String(),
		Number: "26442000000123456789", IssuedOn: time.Now().In(models.CST).Format("2006-01-02"), Amount: models.YuanDecimal(gross),
		Filename: "fapiao.pdf", PDF: invoicePDFBytes(t, "invoice.pdf")})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// uploadInvoice posts the invoice form with a file, as a browser does.
func uploadInvoice(t *testing.T, c *client, fields url.Values, filename string, data []byte) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("pdf", filename) // the browser says application/octet-stream; nobody listens
		fw.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+"/invoices", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func invoiceFields(gross int64) url.Values {
	return url.Values{"kind": {models.PayableSettlement}, "period": {lastWeek.String()}, "code": {""}, "number": {"26442000000123456789"},
		"issued_on": {time.Now().In(models.CST).Format("2006-01-02")}, "amount": {models.YuanDecimal(gross)}}
}

func TestInvoiceUploadErrorsAreShownOnTheForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	gross := a.settleThroughA(t)
	c := a.login("mcnA")
	page := c.get("/invoices").doc(t)
	row := page.Find(`[data-testid="payable-row"][data-kind="settlement"]`)
	if row.Length() != 1 || !strings.Contains(row.Find(`[data-testid="payable-gross"]`).Text(), models.FormatYuan(gross)) {
		t.Fatalf("the payable is not listed with its gross %s: %q", models.FormatYuan(gross), page.Find(`[data-testid="payables"]`).Text())
	}
	form := c.get(row.Find(`[data-testid="record-invoice"]`).AttrOr("href", "")).doc(t)
	if !strings.Contains(form.Find(`[data-testid="invoice-for"]`).Text(), models.FormatYuan(gross)) {
		t.Fatalf("the form does not say the amount owed: %q", form.Find(`[data-testid="invoice-for"]`).Text())
	}

	fields := invoiceFields(gross)
	fields.Set("amount", models.YuanDecimal(gross+1))
	fields.Set("code", "4400224130") // a code with a 20-digit number
	res := uploadInvoice(t, c, fields, "fapiao.pdf", invoicePDFBytes(t, "not-a-pdf.pdf"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	doc := res.doc(t)
	for field, want := range map[string][]string{
		"pdf":    {"image/png"},
		"amount": {models.FormatYuan(gross + 1), models.FormatYuan(gross)},
		"code":   {"fully digital e-invoice"},
	} {
		got := doc.Find(`[data-testid="error-` + field + `"]`).Text()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("error on %s %q should say %q", field, got, w)
			}
		}
	}
	if v, _ := doc.Find(`#number`).Attr("value"); v != "26442000000123456789" {
		t.Fatalf("the typed number is lost: %q", v)
	}
	var n int64
	a.raw.Model(&models.AgencyInvoice{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d invoices stored from a refused upload", n)
	}
	if res := uploadInvoice(t, c, invoiceFields(gross), "", nil); res.StatusCode != http.StatusUnprocessableEntity ||
		res.doc(t).Find(`[data-testid="error-pdf"]`).Length() != 1 {
		t.Fatalf("no file: status %d", res.StatusCode)
	}
}

func TestInvoicesOfAnotherAgencyAre404(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	inv := a.recordInvoice(t)
	b := a.login("mcnB")
	for _, path := range []string{"/invoices/" + itoa(inv.ID) + "/pdf", "/invoices/new?kind=settlement&period=" + lastWeek.String()} {
		if res := b.get(path); res.StatusCode != http.StatusNotFound {
			t.Fatalf("%s as agency B: status %d", path, res.StatusCode)
		}
	}
	if res := uploadInvoice(t, b, invoiceFields(a.bonusC.AmountFen), "fapiao.pdf", invoicePDFBytes(t, "invoice.pdf")); res.StatusCode != http.StatusNotFound {
		t.Fatalf("agency B invoicing A's payable: status %d", res.StatusCode)
	}
	page := b.get("/invoices").doc(t)
	if page.Find(`[data-testid="invoice-row"]`).Length() != 0 || page.Find(`[data-testid="payable-row"]`).Length() != 0 {
		t.Fatal("agency B sees agency A's invoices or payables")
	}
	if res := a.login("mcnA").get("/invoices/" + itoa(inv.ID) + "/pdf"); res.StatusCode != http.StatusOK {
		t.Fatalf("agency A's own PDF: status %d", res.StatusCode)
	}
}

func TestStaffOpenAndConfirmAnInvoice(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	gross := a.settleThroughA(t)
	m := a.login("mcnA")
	res := m.follow(uploadInvoice(t, m, invoiceFields(gross), "../../fapiao 11月.pdf", invoicePDFBytes(t, "invoice.pdf")))
	if !strings.Contains(res.body, "26442000000123456789") || res.doc(t).Find(`[data-testid="invoice-state"]`).Text() != "Waiting for confirmation" {
		t.Fatalf("the recorded invoice is not listed as waiting: %s", res.doc(t).Find(`[data-testid="invoices"]`).Text())
	}

	r := a.login("reviewer")
	queue := r.get("/invoices").doc(t)
	if queue.Find(`[data-testid="waiting-invoice-row"]`).Length() != 1 || !strings.Contains(queue.Find(`[data-testid="invoices-waiting"]`).Text(), "1") {
		t.Fatalf("the staff queue: %q", queue.Find("main").Text())
	}
	pdf := r.get(queue.Find(`[data-testid="invoice-pdf"]`).AttrOr("href", ""))
	h := pdf.Header
	if pdf.StatusCode != http.StatusOK || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || !strings.HasPrefix(pdf.body, "%PDF-") {
		t.Fatalf("PDF: %d %v", pdf.StatusCode, h)
	}
	if strings.Contains(h.Get("Content-Disposition"), "../") {
		t.Fatalf("the uploaded name's path reaches the download: %q", h.Get("Content-Disposition"))
	}

	var inv models.AgencyInvoice
	a.raw.Select("id").First(&inv)
	done := r.follow(r.postForm("/invoices/"+itoa(inv.ID)+"/confirm", url.Values{}))
	if f := done.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(f, "confirmed") {
		t.Fatalf("flash %q", f)
	}
	if done.doc(t).Find(`[data-testid="waiting-invoice-row"]`).Length() != 0 {
		t.Fatal("the confirmed invoice still waits")
	}
	// Confirming twice says what happened instead of failing.
	again := r.follow(r.postForm("/invoices/"+itoa(inv.ID)+"/confirm", url.Values{}))
	if f := again.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(f, "Confirmed") {
		t.Fatalf("confirming again: flash %q", f)
	}
	var audits int64
	a.raw.Table("audit_entries").Where("action = ? AND object_id = ?", "invoice.confirm", inv.ID).Count(&audits)
	if audits != 1 {
		t.Fatalf("%d audit rows for the confirmation", audits)
	}
	status := m.get("/invoices").doc(t).Find(`[data-testid="payable-row"][data-kind="settlement"] [data-testid="payable-status"]`).Text()
	if !strings.Contains(status, "Invoiced") {
		t.Fatalf("the payable shows %q, want invoiced", status)
	}

	// A late approval changes the week's gross: the confirmed invoice no longer matches, and the manager is told.
	now := time.Now().UTC()
	if err := a.raw.Exec(`INSERT INTO bonuses (creator_id, week, agency_id, subject_id, state, amount_fen, gmv_fen, rule_version, breakdown, proposed_at, updated_at)
		VALUES (?, ?, ?, 1, 'approved', 12345, 0, 1, '{}', ?, ?)`, a.creatorA.ID, lastWeek.String(), a.agencyA.ID, now, now).Error; err != nil {
		t.Fatal(err)
	}
	row := m.get("/invoices").doc(t).Find(`[data-testid="payable-row"][data-kind="settlement"]`)
	if got, want := row.Find(`[data-testid="payable-status"]`).Text(), models.FormatYuan(gross+12345); !strings.Contains(got, "issue a new invoice for "+want) {
		t.Fatalf("after the gross changed the payable shows %q", got)
	}
	if row.Find(`[data-testid="record-invoice"]`).Length() != 1 {
		t.Fatal("the manager cannot issue the new invoice")
	}
}

func TestStaffRejectAnInvoiceWithAReason(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	inv := a.recordInvoice(t)
	r := a.login("reviewer")
	if f := r.follow(r.postForm("/invoices/"+itoa(inv.ID)+"/reject", url.Values{"reason": {" "}})).doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(f, "Say why") {
		t.Fatalf("rejecting without a reason: flash %q", f)
	}
	r.postForm("/invoices/"+itoa(inv.ID)+"/reject", url.Values{"reason": {"Buyer name is wrong"}})
	m := a.login("mcnA")
	page := m.get("/invoices").doc(t)
	if page.Find(`[data-testid="invoice-state"]`).Text() != "Rejected" || page.Find(`[data-testid="invoice-reason"]`).Text() != "Buyer name is wrong" {
		t.Fatalf("the manager does not see the rejection: %q", page.Find(`[data-testid="invoices"]`).Text())
	}
	if page.Find(`[data-testid="payable-row"] [data-testid="record-invoice"]`).Length() != 1 {
		t.Fatal("a rejected invoice cannot be replaced")
	}
	if n := m.get("/notifications").body; !strings.Contains(n, "Buyer name is wrong") {
		t.Fatal("the manager was not notified of the rejection")
	}
}
