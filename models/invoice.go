package models

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Invoice states: recorded by the agency, then confirmed or rejected by staff.
const (
	InvoiceWaiting   = "waiting"
	InvoiceConfirmed = "confirmed"
	InvoiceRejected  = "rejected"
)

// InvoiceStates lists the invoice states in display order (each has a label
// "invoice_state_<state>" in every language).
var InvoiceStates = []string{InvoiceWaiting, InvoiceConfirmed, InvoiceRejected}

// Hold reasons of an agency payable (catalogue IDs; "" means invoiced).
const (
	HoldInvoiceMissing     = "hold_invoice_missing"
	HoldInvoiceUnconfirmed = "hold_invoice_unconfirmed"
	HoldInvoiceAmount      = "hold_invoice_amount"
)

// MaxInvoicePDFBytes is the largest invoice PDF the portal keeps.
const MaxInvoicePDFBytes = 5 << 20

// AgencyInvoice is the VAT invoice an agency issues for one payable, with its
// PDF kept in the database. At most one invoice per payable waits for staff
// at a time; a rejected one is replaced by a new one, and so is a confirmed
// one whose payable's gross has changed since.
type AgencyInvoice struct {
	ID       uint   `gorm:"primaryKey"`
	AgencyID uint   `gorm:"not null;index:idx_agency_invoice_payable,priority:1;uniqueIndex:idx_agency_invoice_waiting,priority:1,where:state = 'waiting'"`
	Kind     string `gorm:"size:12;not null;index:idx_agency_invoice_payable,priority:2;uniqueIndex:idx_agency_invoice_waiting,priority:2"`
	Period   string `gorm:"size:8;not null;index:idx_agency_invoice_payable,priority:3;uniqueIndex:idx_agency_invoice_waiting,priority:3"`
	// Code is the 10- or 12-digit invoice code; empty for a fully digital
	// e-invoice (数电发票), whose Number has 20 digits instead of 8.
	Code         string `gorm:"size:12;not null"`
	Number       string `gorm:"size:20;not null;index"`
	IssuedOn     string `gorm:"size:10;not null"` // CST date 2006-01-02
	AmountFen    int64  `gorm:"not null;check:chk_agency_invoice_amount,amount_fen > 0"`
	Filename     string `gorm:"size:255;not null"`
	PDF          []byte `gorm:"not null"`
	PDFSize      int    `gorm:"not null"`
	State        string `gorm:"size:10;not null;index:idx_agency_invoice_state,priority:1"`
	RejectReason string `gorm:"size:500;not null"`
	RecordedByID uint   `gorm:"not null"`
	CreatedAt    time.Time
	DecidedByID  *uint
	DecidedAt    *time.Time
}

// invoiceListColumns are the columns of an invoice without its PDF: lists
// and holds never read the blob.
const invoiceListColumns = "agency_invoices.id, agency_invoices.agency_id, agency_invoices.kind, agency_invoices.period, agency_invoices.code, " +
	"agency_invoices.number, agency_invoices.issued_on, agency_invoices.amount_fen, agency_invoices.filename, agency_invoices.pdf_size, " +
	"agency_invoices.state, agency_invoices.reject_reason, agency_invoices.recorded_by_id, agency_invoices.created_at, " +
	"agency_invoices.decided_by_id, agency_invoices.decided_at"

// Refusals of invoice actions.
var (
	// ErrInvoiceWaiting means an invoice for the payable already waits for staff.
	ErrInvoiceWaiting = sentinel("err_invoice_waiting", "an invoice for this payable is already waiting for confirmation")
	// ErrInvoiceCovered means a confirmed invoice of the current gross already covers the payable.
	ErrInvoiceCovered = sentinel("err_invoice_covered", "a confirmed invoice already covers this payable")
	// ErrInvoiceReasonRequired means a rejection came without its reason.
	ErrInvoiceReasonRequired = sentinel("err_invoice_reason_required", "a rejected invoice needs a reason")
)

// InvoiceStateError refuses a decision on an invoice that no longer waits.
type InvoiceStateError struct{ State string }

func (e InvoiceStateError) Error() string { return "invoice is " + e.State }

// Msg names the problem for a person.
func (e InvoiceStateError) Msg() Msg {
	return M("err_invoice_not_waiting", "State", Word("invoice_state_"+e.State))
}

// InvoiceAmountError refuses an invoice whose amount is not the payable's gross.
type InvoiceAmountError struct{ AmountFen, GrossFen int64 }

func (e InvoiceAmountError) Error() string { return "invoice amount differs from the gross" }

// Msg names both amounts.
func (e InvoiceAmountError) Msg() Msg {
	return M("err_invoice_amount_mismatch", "Amount", Fen(e.AmountFen), "Gross", Fen(e.GrossFen))
}

// InvoiceInput is what an agency's manager records for one payable.
type InvoiceInput struct {
	Kind     string
	Period   string
	Code     string
	Number   string
	IssuedOn string // 2006-01-02
	Amount   string // yuan, as typed
	Filename string
	PDF      []byte
}

// PayableRow is money owed to an agency that needs its invoice, with the
// gross it must be for and why it is held ("" when invoiced).
type PayableRow struct {
	PayableRef
	GrossFen int64
	Hold     string
}

// InvoiceRow is an invoice without its PDF, with its agency's name.
type InvoiceRow struct {
	AgencyInvoice
	AgencyName string
}

// CheckInvoiceNumber checks an invoice's code and number as printed on a
// Chinese VAT invoice: a 10- or 12-digit code with an 8-digit number, or a
// fully digital e-invoice (数电发票) with a 20-digit number and no code.
func CheckInvoiceNumber(code, number string) FieldErrors {
	fe := FieldErrors{}
	switch {
	case code != "" && (!allDigits(code) || (len(code) != 10 && len(code) != 12)):
		fe["code"] = M("err_invoice_code_format", "Value", code)
	case number == "":
		fe["number"] = Msg{ID: "err_invoice_number_empty"}
	case !allDigits(number) || (len(number) != 8 && len(number) != 20):
		fe["number"] = M("err_invoice_number_format", "Value", number)
	case len(number) == 8 && code == "":
		fe["code"] = Msg{ID: "err_invoice_code_needed"}
	case len(number) == 20 && code != "":
		fe["code"] = Msg{ID: "err_invoice_digital_no_code"}
	}
	return fe
}

// CheckInvoicePDF says what is wrong with an uploaded invoice file (a zero
// Msg when nothing): it must be present, at most MaxInvoicePDFBytes, and a
// PDF by its bytes — whatever its name or the browser's content type say.
func CheckInvoicePDF(data []byte) Msg {
	switch {
	case len(data) == 0:
		return Msg{ID: "err_invoice_pdf_missing"}
	case len(data) > MaxInvoicePDFBytes:
		return M("err_invoice_pdf_too_large", "N", MaxInvoicePDFBytes>>20)
	}
	if kind := http.DetectContentType(data); !bytes.HasPrefix(data, []byte("%PDF-")) || kind != "application/pdf" {
		return M("err_invoice_not_pdf", "Type", kind)
	}
	return Msg{}
}

// checkIssuedOn reads an invoice date: a CST calendar date, not after today.
func checkIssuedOn(s string, now time.Time) (string, Msg) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), CST)
	if err != nil {
		return "", M("err_date_format", "Example", day(now))
	}
	if on := day(d); on > day(now) {
		return "", M("err_invoice_date_future", "Date", on)
	}
	return day(d), Msg{}
}

// managerAgency is the agency of an MCN manager; anyone else may not act for one.
func managerAgency(a *Actor) (uint, error) {
	if a.Role != RoleMCNManager || a.AgencyID == nil {
		return 0, ErrForbidden
	}
	return *a.AgencyID, nil
}

// payableGross is what the agency is owed for one payable and must invoice,
// or ErrNotFound when it is not (yet) owed anything for it: an MCN bonus
// approved (or already paid), a settlement week with approved or paid
// bonuses of an agency that settles for its creators.
func payableGross(tx *gorm.DB, r PayableRef) (int64, error) {
	switch r.Kind {
	case PayableMCNBonus:
		var b MCNBonus
		err := tx.Select("amount_fen").Where("agency_id = ? AND month = ? AND state IN ?", r.AgencyID, r.Period, []BonusState{BonusApproved, BonusPaid}).First(&b).Error
		if err != nil {
			return 0, notFound(err)
		}
		return b.AmountFen, nil
	case PayableSettlement:
		var ag Agency
		if err := tx.Select("id, settlement").First(&ag, r.AgencyID).Error; err != nil {
			return 0, notFound(err)
		}
		if ag.Settlement != SettleThroughAgency {
			return 0, ErrNotFound
		}
		gross, err := settlementGrossFen(tx, r.AgencyID, r.Period)
		if err != nil {
			return 0, err
		}
		if gross <= 0 {
			return 0, ErrNotFound
		}
		return gross, nil
	}
	return 0, ErrNotFound
}

// openPayables lists what an agency is owed and has not been paid yet:
// approved MCN bonuses, and, when it settles for its creators, the weeks with
// approved weekly bonuses (gross: approved and paid ones of the week, as
// settlementGrossFen counts them). Oldest first.
func openPayables(tx *gorm.DB, agencyID uint) (map[PayableRef]int64, error) {
	out := map[PayableRef]int64{}
	var months []MCNBonus
	if err := tx.Select("month, amount_fen").Where("agency_id = ? AND state = ?", agencyID, BonusApproved).Find(&months).Error; err != nil {
		return nil, err
	}
	for _, m := range months {
		out[PayableRef{AgencyID: agencyID, Kind: PayableMCNBonus, Period: m.Month}] = m.AmountFen
	}
	var ag Agency
	if err := tx.Select("id, settlement").First(&ag, agencyID).Error; err != nil {
		return nil, notFound(err)
	}
	if ag.Settlement != SettleThroughAgency {
		return out, nil
	}
	var weeks []struct {
		Week string
		Sum  int64
	}
	if err := settledBonuses(tx).Select("week, COALESCE(SUM(amount_fen), 0) AS sum").
		Where("agency_id = ?", agencyID).
		Where("week IN (?)", tx.Table("bonuses").Select("DISTINCT week").Where("agency_id = ? AND state = ?", agencyID, BonusApproved)).
		Group("week").Scan(&weeks).Error; err != nil {
		return nil, err
	}
	for _, w := range weeks {
		out[PayableRef{AgencyID: agencyID, Kind: PayableSettlement, Period: w.Week}] = w.Sum
	}
	return out, nil
}

// AgencyPayables lists the manager's agency's payables awaiting payment, each
// with its gross and why it is held ("" when a confirmed invoice covers it),
// oldest period first.
func (s *Store) AgencyPayables(ctx context.Context, a *Actor) ([]PayableRow, error) {
	agencyID, err := managerAgency(a)
	if err != nil {
		return nil, err
	}
	db := s.r(ctx)
	gross, err := openPayables(db, agencyID)
	if err != nil {
		return nil, err
	}
	holds, err := invoiceHolds(db, gross)
	if err != nil {
		return nil, err
	}
	rows := make([]PayableRow, 0, len(gross))
	for r, g := range gross {
		rows = append(rows, PayableRow{PayableRef: r, GrossFen: g, Hold: holds[r]})
	}
	sort.Slice(rows, func(i, j int) bool {
		si, sj := periodStart(rows[i].PayableRef), periodStart(rows[j].PayableRef)
		if !si.Equal(sj) {
			return si.Before(sj)
		}
		return rows[i].Kind < rows[j].Kind
	})
	return rows, nil
}

// periodStart is when a payable's period begins (a month or an ISO week), to
// list months and weeks in the order they happened.
func periodStart(r PayableRef) time.Time {
	if r.Kind == PayableMCNBonus {
		if m, err := ParseMonth(r.Period); err == nil {
			return m.Start()
		}
	} else if w, err := ParseWeek(r.Period); err == nil {
		return w.Start()
	}
	return time.Time{}
}

// AgencyPayable is one payable of the manager's agency, for the invoice form;
// ErrNotFound when the agency is owed nothing for it.
func (s *Store) AgencyPayable(ctx context.Context, a *Actor, kind, period string) (*PayableRow, error) {
	agencyID, err := managerAgency(a)
	if err != nil {
		return nil, err
	}
	ref := PayableRef{AgencyID: agencyID, Kind: kind, Period: period}
	db := s.r(ctx)
	gross, err := payableGross(db, ref)
	if err != nil {
		return nil, err
	}
	holds, err := invoiceHolds(db, map[PayableRef]int64{ref: gross})
	if err != nil {
		return nil, err
	}
	return &PayableRow{PayableRef: ref, GrossFen: gross, Hold: holds[ref]}, nil
}

// RecordInvoice records the VAT invoice an agency's manager issued for one of
// its payables; it waits for staff to confirm it. The amount must be the
// payable's gross exactly, the date not in the future, the file a PDF of at
// most 5 MB. Audited.
func (s *Store) RecordInvoice(ctx context.Context, a *Actor, in InvoiceInput) (*AgencyInvoice, error) {
	agencyID, err := managerAgency(a)
	if err != nil {
		return nil, err
	}
	now := s.now()
	inv := &AgencyInvoice{AgencyID: agencyID, Kind: in.Kind, Period: in.Period, Code: strings.TrimSpace(in.Code),
		Number: strings.TrimSpace(in.Number), Filename: cleanFilename(in.Filename), State: InvoiceWaiting, RecordedByID: a.UserID}
	fe := CheckInvoiceNumber(inv.Code, inv.Number)
	var msg Msg
	if inv.IssuedOn, msg = checkIssuedOn(in.IssuedOn, now); !msg.IsZero() {
		fe["issued_on"] = msg
	}
	amount, err := ParseYuan(in.Amount)
	if err != nil {
		fe["amount"] = msgOf(err)
	}
	if msg := CheckInvoicePDF(in.PDF); !msg.IsZero() {
		fe["pdf"] = msg
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		ref := PayableRef{AgencyID: agencyID, Kind: in.Kind, Period: in.Period}
		gross, err := payableGross(tx, ref)
		if err != nil {
			return err
		}
		if _, bad := fe["amount"]; !bad && amount != gross {
			fe["amount"] = InvoiceAmountError{AmountFen: amount, GrossFen: gross}.Msg()
		}
		if len(fe) > 0 {
			return fe
		}
		var others []AgencyInvoice
		if err := tx.Select("id, state, amount_fen").Where("agency_id = ? AND kind = ? AND period = ? AND state <> ?",
			agencyID, in.Kind, in.Period, InvoiceRejected).Find(&others).Error; err != nil {
			return err
		}
		for _, o := range others {
			if o.State == InvoiceWaiting {
				return fieldErr("number", ErrInvoiceWaiting)
			}
			if o.AmountFen == gross {
				return fieldErr("number", ErrInvoiceCovered)
			}
		}
		var dup int64
		if err := tx.Model(&AgencyInvoice{}).Where("code = ? AND number = ? AND state <> ?", inv.Code, inv.Number, InvoiceRejected).
			Count(&dup).Error; err != nil {
			return err
		}
		if dup > 0 {
			return FieldErrors{"number": M("err_invoice_duplicate", "Number", inv.Number)}
		}
		inv.AmountFen, inv.PDF, inv.PDFSize = amount, in.PDF, len(in.PDF)
		if err := tx.Create(inv).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "invoice.record", "agency_invoice", inv.ID, nil, map[string]any{"agency_id": agencyID, "kind": inv.Kind,
			"period": inv.Period, "code": inv.Code, "number": inv.Number, "issued_on": inv.IssuedOn, "amount_fen": inv.AmountFen, "pdf_size": inv.PDFSize})
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// cleanFilename keeps the last part of an uploaded file's name, printable and short.
func cleanFilename(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	if name == "" {
		name = "invoice.pdf"
	}
	// The file is a PDF whatever the uploader called it: a download never
	// comes back as .hta, .html or .svg.
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	return name
}

// AgencyInvoices lists the invoices the manager's agency has recorded,
// newest first (the last 200).
func (s *Store) AgencyInvoices(ctx context.Context, a *Actor) ([]InvoiceRow, error) {
	agencyID, err := managerAgency(a)
	if err != nil {
		return nil, err
	}
	var rows []InvoiceRow
	err = s.r(ctx).Table("agency_invoices").Select(invoiceListColumns+", ag.name AS agency_name").
		Joins("JOIN agencies ag ON ag.id = agency_invoices.agency_id").
		Where("agency_invoices.agency_id = ?", agencyID).Order("agency_invoices.id DESC").Limit(200).Scan(&rows).Error
	return rows, err
}

// WaitingInvoices is a page of the invoices waiting for staff to confirm
// them, oldest first, and how many wait in all.
func (s *Store) WaitingInvoices(ctx context.Context, a *Actor, page Page) ([]InvoiceRow, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrForbidden
	}
	var total int64
	if err := s.r(ctx).Model(&AgencyInvoice{}).Where("state = ?", InvoiceWaiting).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []InvoiceRow
	err := s.r(ctx).Table("agency_invoices").Select(invoiceListColumns+", ag.name AS agency_name").
		Joins("JOIN agencies ag ON ag.id = agency_invoices.agency_id").
		Where("agency_invoices.state = ?", InvoiceWaiting).Order("agency_invoices.id ASC").
		Offset(page.Offset()).Limit(page.Size).Scan(&rows).Error
	return rows, total, err
}

// InvoicePDF is an invoice's file: staff may open any, a manager only their
// own agency's (ErrNotFound otherwise).
func (s *Store) InvoicePDF(ctx context.Context, a *Actor, id uint) (filename string, data []byte, err error) {
	q := s.r(ctx).Select("id, agency_id, filename, pdf")
	switch {
	case a.IsStaff():
	case a.Role == RoleMCNManager && a.AgencyID != nil:
		q = q.Where("agency_id = ?", *a.AgencyID)
	default:
		return "", nil, ErrNotFound
	}
	var inv AgencyInvoice
	if err := q.First(&inv, id).Error; err != nil {
		return "", nil, notFound(err)
	}
	return inv.Filename, inv.PDF, nil
}

// ConfirmInvoice confirms a waiting invoice (staff, audited): its payable may
// be paid. It is refused when the payable's gross has changed since the
// invoice was recorded; staff reject it, and the agency issues a new one.
func (s *Store) ConfirmInvoice(ctx context.Context, a *Actor, id uint) (*AgencyInvoice, error) {
	return s.decideInvoice(ctx, a, id, InvoiceConfirmed, "")
}

// RejectInvoice rejects a waiting invoice with a reason (staff, audited); the
// agency's managers are told and may record a new one.
func (s *Store) RejectInvoice(ctx context.Context, a *Actor, id uint, reason string) (*AgencyInvoice, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, fieldErr("reason", ErrInvoiceReasonRequired)
	case len([]rune(reason)) > MaxNoteLength:
		return nil, FieldErrors{"reason": M("err_note_too_long", "N", MaxNoteLength)}
	}
	if msg := CheckText(reason, true); !msg.IsZero() {
		return nil, FieldErrors{"reason": msg}
	}
	return s.decideInvoice(ctx, a, id, InvoiceRejected, reason)
}

func (s *Store) decideInvoice(ctx context.Context, a *Actor, id uint, to, reason string) (*AgencyInvoice, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	var inv AgencyInvoice
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Select(invoiceListColumns).First(&inv, id).Error; err != nil {
			return notFound(err)
		}
		if inv.State != InvoiceWaiting {
			return InvoiceStateError{State: inv.State}
		}
		if to == InvoiceConfirmed {
			gross, err := payableGross(tx, PayableRef{AgencyID: inv.AgencyID, Kind: inv.Kind, Period: inv.Period})
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			if gross != inv.AmountFen {
				return InvoiceAmountError{AmountFen: inv.AmountFen, GrossFen: gross}
			}
		}
		at := nowOf(tx).UTC()
		res := tx.Model(&AgencyInvoice{}).Where("id = ? AND state = ?", id, InvoiceWaiting).
			Updates(map[string]any{"state": to, "reject_reason": reason, "decided_by_id": a.UserID, "decided_at": at})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return InvoiceStateError{State: to}
		}
		before := inv.State
		inv.State, inv.RejectReason, inv.DecidedByID, inv.DecidedAt = to, reason, &a.UserID, &at
		kind := Word("word_payable_" + inv.Kind)
		var note Msg
		if to == InvoiceConfirmed {
			note = M(NotifyInvoiceConfirmed, "Number", inv.Number, "Kind", kind, "Period", inv.Period)
		} else {
			note = M(NotifyInvoiceRejected, "Number", inv.Number, "Kind", kind, "Period", inv.Period, "Reason", reason)
		}
		if err := notifyAgency(tx, &inv.AgencyID, note, Target{Type: TargetInvoices}); err != nil {
			return err
		}
		after := map[string]any{"state": to, "agency_id": inv.AgencyID, "kind": inv.Kind, "period": inv.Period, "number": inv.Number, "amount_fen": inv.AmountFen}
		if reason != "" {
			after["reason"] = reason
		}
		return appendAudit(tx, a, "invoice."+map[string]string{InvoiceConfirmed: "confirm", InvoiceRejected: "reject"}[to],
			"agency_invoice", id, map[string]any{"state": before}, after)
	})
	if err != nil {
		return nil, err
	}
	return &inv, nil
}

// Notifications of invoice decisions, to the agency's managers.
const (
	NotifyInvoiceConfirmed = "notify_invoice_confirmed" // Number, Kind (Word), Period
	NotifyInvoiceRejected  = "notify_invoice_rejected"  // Number, Kind (Word), Period, Reason (as typed)
)

// TargetInvoices is the agency's invoices page.
const TargetInvoices = "invoices"

// invoiceHoldsFrom decides the hold of each payable from the invoices not
// rejected that name it.
func invoiceHoldsFrom(payables map[PayableRef]int64, invoices []AgencyInvoice) map[PayableRef]string {
	type seen struct{ matched, waiting, confirmed bool }
	by := make(map[PayableRef]*seen, len(payables))
	for _, inv := range invoices {
		r := PayableRef{AgencyID: inv.AgencyID, Kind: inv.Kind, Period: inv.Period}
		gross, ok := payables[r]
		if !ok {
			continue
		}
		st := by[r]
		if st == nil {
			st = &seen{}
			by[r] = st
		}
		switch inv.State {
		case InvoiceConfirmed:
			st.confirmed = true
			st.matched = st.matched || inv.AmountFen == gross
		case InvoiceWaiting:
			st.waiting = true
		}
	}
	out := make(map[PayableRef]string, len(payables))
	for r := range payables {
		st := by[r]
		switch {
		case st == nil:
			out[r] = HoldInvoiceMissing
		case st.matched:
			out[r] = ""
		case st.waiting:
			out[r] = HoldInvoiceUnconfirmed
		case st.confirmed:
			out[r] = HoldInvoiceAmount
		default:
			out[r] = HoldInvoiceMissing
		}
	}
	return out
}
