package web_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// The manager of an agency that settles for its creators sees last week's
// settlement waiting for an invoice, tries a picture renamed .pdf (refused,
// whatever its name), records the VAT invoice with its real PDF; a reviewer
// opens the PDF and confirms it; the manager sees the payment as invoiced.
func TestBrowserJourneyInvoice(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base := a.ts.URL
		lang := string(loc.Lang)
		gross := a.settleThroughA(t)
		dir := t.TempDir()
		fake, real := filepath.Join(dir, "发票-截图.pdf"), filepath.Join(dir, "增值税电子普通发票.pdf")
		for path, src := range map[string]string{fake: "not-a-pdf.pdf", real: "invoice.pdf"} {
			if err := os.WriteFile(path, invoicePDFBytes(t, src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		row := `[data-testid="payable-row"][data-kind="settlement"]`

		signInAs(t, ctx, base, loc, testUsers["mcnA"], testPassword)
		goTo(t, ctx, base, "/invoices")
		if got := text(t, ctx, row+` [data-testid="payable-gross"]`); got != models.FormatYuan(gross) {
			t.Fatalf("gross %q, want %s", got, models.FormatYuan(gross))
		}
		if got := text(t, ctx, row+` [data-testid="payable-status"]`); got != loc.T(models.HoldInvoiceMissing) {
			t.Fatalf("status %q, want %q", got, loc.T(models.HoldInvoiceMissing))
		}
		shoot(t, ctx, "journey-invoice-payables-"+lang)

		load(t, ctx, row+` [data-testid="record-invoice"]`)
		today := time.Now().In(models.CST).Format("2006-01-02")
		do(t, ctx, chromedp.SendKeys(`#number`, "26442000000123456789"), chromedp.SetValue(`#issued_on`, today),
			chromedp.SendKeys(`#amount`, models.YuanDecimal(gross)), chromedp.SetUploadFiles(`#pdf`, []string{fake}))
		load(t, ctx, `[data-testid="invoice-submit"]`)
		if got := text(t, ctx, `[data-testid="error-pdf"]`); !strings.Contains(got, "image/png") {
			t.Fatalf("the picture renamed .pdf: error %q", got)
		}
		shoot(t, ctx, "journey-invoice-not-a-pdf-"+lang)
		do(t, ctx, chromedp.SetUploadFiles(`#pdf`, []string{real}))
		load(t, ctx, `[data-testid="invoice-submit"]`)
		wantFlash(t, ctx, loc.T("flash_invoice_recorded", "Number", "26442000000123456789"))
		if got := text(t, ctx, `[data-testid="invoice-state"]`); got != loc.T("invoice_state_waiting") {
			t.Fatalf("invoice state %q", got)
		}
		if got := text(t, ctx, row+` [data-testid="payable-status"]`); got != loc.T(models.HoldInvoiceUnconfirmed) {
			t.Fatalf("status %q", got)
		}
		shoot(t, ctx, "journey-invoice-recorded-"+lang)
		signOut(t, ctx)

		signInAs(t, ctx, base, loc, testUsers["reviewer"], testPassword)
		goTo(t, ctx, base, "/invoices")
		if n := count(t, ctx, `[data-testid="waiting-invoice-row"]`); n != 1 {
			t.Fatalf("%d invoices waiting", n)
		}
		if pdf := fetchDownload(t, ctx, `[data-testid="invoice-pdf"]`); !bytes.Equal(pdf, invoicePDFBytes(t, "invoice.pdf")) {
			t.Fatalf("the PDF opened is not the one uploaded: %q", pdf[:min(len(pdf), 20)])
		}
		shoot(t, ctx, "journey-invoice-queue-"+lang)
		load(t, ctx, `[data-testid="invoice-confirm"]`)
		wantFlash(t, ctx, loc.T("flash_invoice_confirmed", "Number", "26442000000123456789", "Agency", "Agency A"))
		shoot(t, ctx, "journey-invoice-confirmed-"+lang)
		signOut(t, ctx)

		signInAs(t, ctx, base, loc, testUsers["mcnA"], testPassword)
		goTo(t, ctx, base, "/invoices")
		if got := text(t, ctx, row+` [data-testid="payable-status"]`); got != loc.T("invoice_invoiced") {
			t.Fatalf("after confirmation the payable shows %q, want %q", got, loc.T("invoice_invoiced"))
		}
		if got := text(t, ctx, `[data-testid="invoice-state"]`); got != loc.T("invoice_state_confirmed") {
			t.Fatalf("invoice state %q", got)
		}
		shoot(t, ctx, "journey-invoice-invoiced-"+lang)
	})
}
