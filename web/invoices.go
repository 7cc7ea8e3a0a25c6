package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// invoices is the invoices page: staff see the invoices waiting for them, an
// agency's manager what the agency must invoice and what it has recorded.
func (s *Server) invoices(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	if a.IsStaff() {
		page := pageParam(c)
		rows, total, err := s.store.WaitingInvoices(ctx, a, page)
		if err != nil {
			return err
		}
		v := views.StaffInvoicesView{Total: total, Pager: pager(c, page, total)}
		for _, r := range rows {
			v.Rows = append(v.Rows, invoiceView(c, r))
		}
		return render(c, http.StatusOK, views.StaffInvoicesPage(s.meta(c, tr(c, "invoices_staff_title"), "invoices"), v))
	}
	payables, err := s.store.AgencyPayables(ctx, a)
	if err != nil {
		return err
	}
	recorded, err := s.store.AgencyInvoices(ctx, a)
	if err != nil {
		return err
	}
	var v views.AgencyInvoicesView
	for _, p := range payables {
		v.Payables = append(v.Payables, payableView(c, p))
	}
	for _, r := range recorded {
		v.Invoices = append(v.Invoices, invoiceView(c, r))
	}
	return render(c, http.StatusOK, views.AgencyInvoicesPage(s.meta(c, tr(c, "invoices_title"), "invoices"), v))
}

func payableView(c echo.Context, p models.PayableRow) views.PayableView {
	q := url.Values{"kind": {p.Kind}, "period": {p.Period}}
	return views.PayableView{Kind: p.Kind, Label: tr(c, "payable_kind_"+p.Kind), Period: p.Period, Gross: models.FormatYuan(p.GrossFen),
		Hold: p.Hold, Reissue: p.Hold == models.HoldInvoiceAmount,
		CanRecord: p.Hold == models.HoldInvoiceMissing || p.Hold == models.HoldInvoiceAmount, RecordURL: "/invoices/new?" + q.Encode()}
}

func invoiceView(c echo.Context, r models.InvoiceRow) views.InvoiceView {
	return views.InvoiceView{ID: r.ID, Agency: r.AgencyName, Payable: tr(c, "payable_kind_"+r.Kind), Period: r.Period, Code: r.Code,
		Number: r.Number, Date: r.IssuedOn, Amount: models.FormatYuan(r.AmountFen), State: r.State, Reason: r.RejectReason,
		Recorded: models.FormatCST(r.CreatedAt)}
}

// invoiceForm is the form recording the invoice for one of the agency's
// payables; another agency's, or one not owed, is 404.
func (s *Server) invoiceForm(c echo.Context) error {
	p, err := s.store.AgencyPayable(c.Request().Context(), actor(c), c.QueryParam("kind"), c.QueryParam("period"))
	if err != nil {
		return err
	}
	return s.renderInvoiceForm(c, http.StatusOK, views.InvoiceFormView{Payable: payableView(c, *p)})
}

func (s *Server) renderInvoiceForm(c echo.Context, status int, v views.InvoiceFormView) error {
	v.Today = s.now().In(models.CST).Format("2006-01-02")
	return render(c, status, views.InvoiceFormPage(s.meta(c, tr(c, "invoice_form_title"), "invoices"), v))
}

// invoiceRecord takes the invoice and its PDF. The file's type is read from
// its bytes by the models, never from the name or the browser's word.
func (s *Server) invoiceRecord(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	in := models.InvoiceInput{Kind: c.FormValue("kind"), Period: c.FormValue("period"), Code: c.FormValue("code"),
		Number: c.FormValue("number"), IssuedOn: c.FormValue("issued_on"), Amount: c.FormValue("amount")}
	if fh, err := c.FormFile("pdf"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		// One byte past the limit is enough for the models to refuse it.
		in.PDF, err = io.ReadAll(io.LimitReader(f, models.MaxInvoicePDFBytes+1))
		f.Close()
		if err != nil {
			return err
		}
		in.Filename = fh.Filename
	}
	inv, err := s.store.RecordInvoice(ctx, a, in)
	if fe, ok := models.AsFieldErrors(err); ok {
		p, perr := s.store.AgencyPayable(ctx, a, in.Kind, in.Period)
		if perr != nil {
			return perr
		}
		return s.renderInvoiceForm(c, http.StatusUnprocessableEntity, views.InvoiceFormView{Payable: payableView(c, *p),
			Code: in.Code, Number: in.Number, Date: in.IssuedOn, Amount: in.Amount, Errors: fieldErrors(c, fe)})
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/invoices", "success", tr(c, "flash_invoice_recorded", "Number", inv.Number))
}

// invoicePDF sends an invoice's PDF as a download: never rendered inline by
// the portal's origin, never sniffed as anything else.
func (s *Server) invoicePDF(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	name, data, err := s.store.InvoicePDF(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="invoice-`+itoa(id)+`.pdf"; filename*=UTF-8''`+strings.ReplaceAll(url.QueryEscape(name), "+", "%20"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, "application/pdf", data)
}

func (s *Server) invoiceConfirm(c echo.Context) error {
	return s.invoiceDecide(c, true)
}

func (s *Server) invoiceReject(c echo.Context) error {
	return s.invoiceDecide(c, false)
}

func (s *Server) invoiceDecide(c echo.Context, confirm bool) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var inv *models.AgencyInvoice
	if confirm {
		inv, err = s.store.ConfirmInvoice(ctx, actor(c), id)
	} else {
		inv, err = s.store.RejectInvoice(ctx, actor(c), id, c.FormValue("reason"))
	}
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return err
		}
		if m, ok := models.MsgOf(err); ok {
			return s.redirectWithFlash(c, "/invoices", "error", trMsg(c, m))
		}
		return err
	}
	agency, err := s.store.GetAgency(ctx, actor(c), inv.AgencyID)
	if err != nil {
		return err
	}
	id2 := "flash_invoice_rejected"
	if confirm {
		id2 = "flash_invoice_confirmed"
	}
	return s.redirectWithFlash(c, "/invoices", "success", tr(c, id2, "Number", inv.Number, "Agency", agency.Name))
}
