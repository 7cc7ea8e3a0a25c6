package models_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

func testPDF(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckInvoiceNumber(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, code, number string
		field, id          string // "" when accepted
	}{
		{"10-digit code, 8-digit number", "4400224130", "01234567", "", ""},
		{"12-digit code, 8-digit number", "044002241311", "01234567", "", ""},
		{"fully digital e-invoice: 20 digits, no code", "", "26442000000123456789", "", ""},
		{"11-digit code", "44002241301", "01234567", "code", "err_invoice_code_format"},
		{"letters in the code", "44002241AB", "01234567", "code", "err_invoice_code_format"},
		{"7-digit number", "4400224130", "0123456", "number", "err_invoice_number_format"},
		{"19-digit number", "", "2644200000012345678", "number", "err_invoice_number_format"},
		{"letters in the number", "4400224130", "0123456X", "number", "err_invoice_number_format"},
		{"no number", "4400224130", "", "number", "err_invoice_number_empty"},
		{"8-digit number needs its code", "", "01234567", "code", "err_invoice_code_needed"},
		{"digital e-invoice with a code", "4400224130", "26442000000123456789", "code", "err_invoice_digital_no_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fe := models.CheckInvoiceNumber(c.code, c.number)
			if c.field == "" {
				if len(fe) > 0 {
					t.Fatalf("refused: %v", fe)
				}
				return
			}
			if fe[c.field].ID != c.id || len(fe) != 1 {
				t.Fatalf("want %s on %s, got %v", c.id, c.field, fe)
			}
			if txt := english(fe[c.field]); strings.HasPrefix(txt, "err_") {
				t.Fatalf("no English words for %s", txt)
			}
		})
	}
}

func TestCheckInvoicePDFSniffsTheBytes(t *testing.T) {
	t.Parallel()
	pdf := testPDF(t, "invoice.pdf")
	big := append(append([]byte{}, pdf...), bytes.Repeat([]byte(" "), models.MaxInvoicePDFBytes-len(pdf))...)
	cases := []struct {
		name string
		data []byte
		id   string
	}{
		{"a real tiny PDF", pdf, ""},
		{"a PDF of exactly 5 MB", big, ""},
		{"one byte over 5 MB", append(big, ' '), "err_invoice_pdf_too_large"},
		{"a PNG renamed .pdf", testPDF(t, "not-a-pdf.pdf"), "err_invoice_not_pdf"},
		{"HTML that mentions %PDF- later", []byte("<html><body>%PDF-1.4</body></html>"), "err_invoice_not_pdf"},
		{"no file", nil, "err_invoice_pdf_missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := models.CheckInvoicePDF(c.data); got.ID != c.id {
				t.Fatalf("want %q, got %v", c.id, got)
			}
		})
	}
	if got := english(models.CheckInvoicePDF(testPDF(t, "not-a-pdf.pdf"))); !strings.Contains(got, "image/png") {
		t.Fatalf("the refusal should say what the file is: %q", got)
	}
}

// invoiceWorld is a world where agency A settles for its creators and is
// owed an approved monthly bonus of ¥10,000 for 2026-10 and the weekly
// bonuses of 2026-W40 (¥3,000 approved + ¥2,000 paid = ¥5,000 gross).
func invoiceWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	if err := w.raw.Exec("UPDATE agencies SET settlement = ? WHERE id = ?", models.SettleThroughAgency, w.agencyA.ID).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := w.raw.Exec(`INSERT INTO mcn_bonuses (agency_id, month, quota, delivered, state, amount_fen, proposed_at, updated_at)
		VALUES (?, '2026-10', 10, 12, 'approved', 1000000, ?, ?)`, w.agencyA.ID, now, now).Error; err != nil {
		t.Fatal(err)
	}
	for i, b := range []struct {
		state  string
		amount int64
	}{{"approved", 300000}, {"paid", 200000}, {"rejected", 900000}} {
		c := w.enrol(t, w.mcnA, "jd_cr_inv0"+string(rune('1'+i)))
		w.insertBonus(t, c.ID, w.agencyA.ID, "2026-W40", b.state, b.amount)
	}
	return w
}

func (w *world) insertBonus(t *testing.T, creator, agency uint, week, state string, amount int64) {
	t.Helper()
	now := time.Now().UTC()
	if err := w.raw.Exec(`INSERT INTO bonuses (creator_id, week, agency_id, subject_id, state, amount_fen, gmv_fen, rule_version, breakdown, proposed_at, updated_at)
		VALUES (?, ?, ?, 1, ?, ?, 0, 1, '{}', ?, ?)`, creator, week, agency, state, amount, now, now).Error; err != nil {
		t.Fatal(err)
	}
}

func invoiceFor(t *testing.T, kind, period, number, amount string) models.InvoiceInput {
	return models.InvoiceInput{Kind: kind, Period: period, Number: number, IssuedOn: time.Now().In(models.CST).AddDate(0, 0, -1).Format("2006-01-02"),
		Amount: amount, Filename: "fapiao.pdf", PDF: testPDF(t, "invoice.pdf")}
}

func TestRecordInvoiceRefusals(t *testing.T) {
	t.Parallel()
	w := invoiceWorld(t)
	tomorrow := time.Now().In(models.CST).AddDate(0, 0, 1).Format("2006-01-02")
	cases := []struct {
		name   string
		edit   func(in *models.InvoiceInput)
		field  string
		id     string
		inText []string
	}{
		{"amount below the gross", func(in *models.InvoiceInput) { in.Amount = "4999.99" }, "amount", "err_invoice_amount_mismatch", []string{"¥4,999.99", "¥5,000.00"}},
		{"amount above the gross", func(in *models.InvoiceInput) { in.Amount = "5,000.01" }, "amount", "err_invoice_amount_mismatch", []string{"¥5,000.01", "¥5,000.00"}},
		{"amount not a number", func(in *models.InvoiceInput) { in.Amount = "five" }, "amount", "err_amount_not_number", nil},
		{"date in the future", func(in *models.InvoiceInput) { in.IssuedOn = tomorrow }, "issued_on", "err_invoice_date_future", []string{tomorrow}},
		{"date unreadable", func(in *models.InvoiceInput) { in.IssuedOn = "20/11/2026" }, "issued_on", "err_date_format", nil},
		{"code with 11 digits", func(in *models.InvoiceInput) { in.Code, in.Number = "44002241301", "01234567" }, "code", "err_invoice_code_format", nil},
		{"PNG renamed .pdf", func(in *models.InvoiceInput) { in.PDF = testPDF(t, "not-a-pdf.pdf") }, "pdf", "err_invoice_not_pdf", nil},
		{"PDF over 5 MB", func(in *models.InvoiceInput) {
			in.PDF = append(append([]byte{}, in.PDF...), make([]byte, models.MaxInvoicePDFBytes)...)
		}, "pdf", "err_invoice_pdf_too_large", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456789", "5000.00")
			c.edit(&in)
			_, err := w.s.RecordInvoice(ctx, w.mcnA, in)
			msg := fieldError(t, err, c.field)
			if msg.ID != c.id {
				t.Fatalf("want %s, got %v", c.id, err)
			}
			for _, s := range c.inText {
				if !strings.Contains(english(msg), s) {
					t.Fatalf("%q should name %s", english(msg), s)
				}
			}
		})
	}
	var n int64
	w.raw.Table("agency_invoices").Count(&n)
	if n != 0 {
		t.Fatalf("%d invoices written by refused attempts", n)
	}
}

func TestInvoiceTenantAndPayables(t *testing.T) {
	t.Parallel()
	w := invoiceWorld(t)
	// Agency B is owed nothing: A's payables are not found for it, whatever it types.
	if _, err := w.s.RecordInvoice(ctx, w.mcnB, invoiceFor(t, models.PayableMCNBonus, "2026-10", "26442000000123456789", "10000")); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another agency's payable: %v", err)
	}
	if _, err := w.s.AgencyPayable(ctx, w.mcnB, models.PayableSettlement, "2026-W40"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another agency's payable: %v", err)
	}
	if _, err := w.s.RecordInvoice(ctx, w.rev1, invoiceFor(t, models.PayableMCNBonus, "2026-10", "26442000000123456789", "10000")); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("staff recording an invoice: %v", err)
	}
	rows, err := w.s.AgencyPayables(ctx, w.mcnA)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Kind != models.PayableSettlement || rows[0].GrossFen != 500000 || rows[0].Hold != models.HoldInvoiceMissing ||
		rows[1].Kind != models.PayableMCNBonus || rows[1].GrossFen != 1000000 {
		t.Fatalf("payables of A: %+v", rows)
	}
	inv, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableMCNBonus, "2026-10", "26442000000123456789", "10000"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.InvoicePDF(ctx, w.mcnB, inv.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another agency's PDF: %v", err)
	}
	if _, data, err := w.s.InvoicePDF(ctx, w.mcnA, inv.ID); err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("own PDF: %v", err)
	}
	// An agency paying its creators directly has no settlement to invoice.
	if err := w.raw.Exec("UPDATE agencies SET settlement = ? WHERE id = ?", models.SettleDirect, w.agencyA.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.AgencyPayable(ctx, w.mcnA, models.PayableSettlement, "2026-W40"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("settlement of a direct agency: %v", err)
	}
}

// TestInvoiceHoldsThroughItsLife walks a payable through every hold: none
// recorded, waiting, rejected, replaced, confirmed, and the gross changing
// after confirmation.
func TestInvoiceHoldsThroughItsLife(t *testing.T) {
	t.Parallel()
	w := invoiceWorld(t)
	week := models.PayableRef{AgencyID: w.agencyA.ID, Kind: models.PayableSettlement, Period: "2026-W40"}
	month := models.PayableRef{AgencyID: w.agencyA.ID, Kind: models.PayableMCNBonus, Period: "2026-10"}
	other := models.PayableRef{AgencyID: w.agenB.ID, Kind: models.PayableMCNBonus, Period: "2026-10"}
	holds := func(gross int64) map[models.PayableRef]string {
		t.Helper()
		h, err := models.InvoiceHolds(w.raw, map[models.PayableRef]int64{week: gross, month: 1000000, other: 1000000})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	want := func(step string, gross int64, wantWeek string) {
		t.Helper()
		if h := holds(gross); h[week] != wantWeek || h[month] != models.HoldInvoiceMissing || h[other] != models.HoldInvoiceMissing {
			t.Fatalf("%s: %v", step, h)
		}
	}
	want("nothing recorded", 500000, models.HoldInvoiceMissing)

	first, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456789", "5000"))
	if err != nil {
		t.Fatal(err)
	}
	want("waiting", 500000, models.HoldInvoiceUnconfirmed)
	if _, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456780", "5000")); !errors.Is(err, models.ErrInvoiceWaiting) {
		t.Fatalf("a second invoice while one waits: %v", err)
	}
	if _, err := w.s.RejectInvoice(ctx, w.rev1, first.ID, " "); !errors.Is(err, models.ErrInvoiceReasonRequired) {
		t.Fatalf("rejecting without a reason: %v", err)
	}
	if _, err := w.s.ConfirmInvoice(ctx, w.mcnA, first.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a manager confirming: %v", err)
	}
	if _, err := w.s.RejectInvoice(ctx, w.rev1, first.ID, "The PDF shows another buyer"); err != nil {
		t.Fatal(err)
	}
	want("rejected", 500000, models.HoldInvoiceMissing)
	if _, err := w.s.ConfirmInvoice(ctx, w.rev1, first.ID); !errors.As(err, new(models.InvoiceStateError)) {
		t.Fatalf("confirming a rejected invoice: %v", err)
	}

	// The rejected invoice is replaced by a new one (its number may be reused), which staff confirm.
	second, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456789", "5000"))
	if err != nil {
		t.Fatalf("replacing a rejected invoice: %v", err)
	}
	if _, err := w.s.ConfirmInvoice(ctx, w.rev2, second.ID); err != nil {
		t.Fatal(err)
	}
	want("confirmed", 500000, "")
	if _, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456781", "5000")); !errors.Is(err, models.ErrInvoiceCovered) {
		t.Fatalf("another invoice for a covered payable: %v", err)
	}
	if _, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableMCNBonus, "2026-10", "26442000000123456789", "10000")); fieldError(t, err, "number").ID != "err_invoice_duplicate" {
		t.Fatalf("the same invoice number for another payable: %v", err)
	}

	// The week's gross changes after confirmation (a late approval): the invoice no longer matches.
	c := w.enrol(t, w.mcnA, "jd_cr_inv09")
	w.insertBonus(t, c.ID, w.agencyA.ID, "2026-W40", "approved", 100000)
	want("gross changed", 600000, models.HoldInvoiceAmount)
	rows, err := w.s.AgencyPayables(ctx, w.mcnA)
	if err != nil || rows[0].Hold != models.HoldInvoiceAmount || rows[0].GrossFen != 600000 {
		t.Fatalf("the manager is told: %+v %v", rows, err)
	}
	if _, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456782", "5000")); fieldError(t, err, "amount").ID != "err_invoice_amount_mismatch" {
		t.Fatalf("the old amount again: %v", err)
	}
	third, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456782", "6000"))
	if err != nil {
		t.Fatalf("a new invoice for the new gross: %v", err)
	}
	want("new invoice waiting", 600000, models.HoldInvoiceUnconfirmed)
	// The gross moves again before staff look: confirming is refused, naming both amounts.
	w.insertBonus(t, w.enrol(t, w.mcnA, "jd_cr_inv10").ID, w.agencyA.ID, "2026-W40", "approved", 50000)
	_, err = w.s.ConfirmInvoice(ctx, w.rev1, third.ID)
	if !errors.As(err, new(models.InvoiceAmountError)) || !strings.Contains(errText(err), "¥6,000.00") || !strings.Contains(errText(err), "¥6,500.00") {
		t.Fatalf("confirming an invoice the gross has outgrown: %v", err)
	}

	// Every decision is audited, and the agency's managers are told.
	var audits int64
	w.raw.Table("audit_entries").Where("action IN ?", []string{"invoice.record", "invoice.confirm", "invoice.reject"}).Count(&audits)
	if audits != 5 {
		t.Fatalf("%d audit rows, want 3 recorded + 1 rejected + 1 confirmed", audits)
	}
	var notes []string
	w.raw.Table("notifications").Where("user_id = ?", w.mcnA.UserID).Order("id").Pluck("kind", &notes)
	if strings.Join(notes, ",") != models.NotifyInvoiceRejected+","+models.NotifyInvoiceConfirmed {
		t.Fatalf("notifications of A's manager: %v", notes)
	}
}

func TestWaitingInvoicesArePagedForStaff(t *testing.T) {
	t.Parallel()
	w := invoiceWorld(t)
	if _, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableSettlement, "2026-W40", "26442000000123456789", "5000")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.RecordInvoice(ctx, w.mcnA, invoiceFor(t, models.PayableMCNBonus, "2026-10", "26442000000123456788", "10000")); err != nil {
		t.Fatal(err)
	}
	rows, total, err := w.s.WaitingInvoices(ctx, w.rev1, models.NewPage(2, 1))
	if err != nil || total != 2 || len(rows) != 1 || rows[0].Kind != models.PayableMCNBonus || rows[0].AgencyName != "Agency A" || rows[0].PDF != nil {
		t.Fatalf("page 2 of 1: %d %+v %v", total, rows, err)
	}
	if _, _, err := w.s.WaitingInvoices(ctx, w.mcnA, models.NewPage(1, 10)); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a manager listing the queue: %v", err)
	}
}

// The demo has an agency that settles for its creators, with one confirmed
// invoice and one waiting for a reviewer, and its manager sees them.
func TestDemoAgencySettlesWithItsInvoices(t *testing.T) {
	t.Parallel()
	s, raw := modeltest.NewStoreWithDB(t)
	if _, err := s.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	var mgr models.User
	if err := raw.Where("email = ?", "mcn2@demo.test").First(&mgr).Error; err != nil {
		t.Fatal(err)
	}
	var settlement string
	raw.Table("agencies").Where("id = ?", *mgr.AgencyID).Pluck("settlement", &settlement)
	if settlement != models.SettleThroughAgency {
		t.Fatalf("mcn2's agency settles %q", settlement)
	}
	rows, err := s.AgencyPayables(ctx, models.ActorFor(&mgr, ""))
	if err != nil {
		t.Fatal(err)
	}
	holds := map[string]int{}
	for _, r := range rows {
		holds[r.Hold]++
	}
	if holds[""] != 1 || holds[models.HoldInvoiceUnconfirmed] != 1 {
		t.Fatalf("demo payables of mcn2: %+v", rows)
	}
	if _, total, err := s.WaitingInvoices(ctx, models.SystemActor(), models.NewPage(1, 10)); err != nil || total != 1 {
		t.Fatalf("demo invoices waiting: %d %v", total, err)
	}
}

// An agency that starts settling for its creators invoices only what it will
// be paid: a week's bonuses already paid to its creators directly stay out.
func TestSettlementInvoiceLeavesOutWhatWasPaidDirectly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 3) // ¥100, ¥200, ¥300
	w.payable(t)
	if _, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids[:2]); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetAgencySettlement(ctx, w.mcnA, models.SettleThroughAgency); err != nil {
		t.Fatal(err)
	}
	rows, err := w.s.AgencyPayables(ctx, w.mcnA)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Kind != models.PayableSettlement || rows[0].GrossFen != 30000 {
		t.Fatalf("payables %+v, want the week's settlement of ¥300 only", rows)
	}
}
