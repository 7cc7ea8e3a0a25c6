package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// heldListed is how many held lines the payouts page lists.
const heldListed = 50

// payoutLineView maps a payout line for the batch page: the account masked,
// an agency's creators' bonuses beside its line.
func payoutLineView(c echo.Context, kind string, l models.PayoutLine) views.PayoutLineView {
	v := views.PayoutLineView{Ref: l.Ref, PayeeKind: l.Payee.Kind, Name: l.Pay.Name, Masked: l.Pay.Masked, Purpose: purposeText(c, kind, l.Periods),
		Gross: models.FormatYuan(l.GrossFen), Tax: models.FormatYuan(l.TaxFen), Net: models.FormatYuan(l.NetFen), State: string(l.State)}
	if l.Payee.Kind == models.PayeeCreator {
		v.AccountID = l.AccountID
		if len(l.Bonuses) == 1 {
			v.BonusID = l.Bonuses[0].BonusID
		}
		return v
	}
	for _, b := range l.Bonuses {
		if b.AccountID == l.AccountID { // an MCN bonus: the agency's own
			continue
		}
		v.Bonuses = append(v.Bonuses, views.PayoutLineBonusView{BonusID: b.BonusID, Name: b.DisplayName, AccountID: b.AccountID,
			Period: b.Period, Gross: models.FormatYuan(b.GrossFen)})
	}
	return v
}

// purposeText is a line's purpose in the reader's language; the bank file
// carries the stored Chinese purpose, which is what a Chinese bank shows.
func purposeText(c echo.Context, kind string, periods []string) string {
	id := "payout_purpose_weekly"
	if kind == models.PayAgencies {
		id = "payout_purpose_monthly"
	}
	p := slices.Clone(periods)
	slices.Sort(p)
	switch len(p) {
	case 0:
		return ""
	case 1:
		return tr(c, id, "Period", p[0])
	}
	return tr(c, id+"_many", "From", p[0], "To", p[len(p)-1], "N", len(p))
}

// heldView maps what is held for the payouts page and the dashboard.
func heldView(c echo.Context, h models.HeldSummary) views.HeldView {
	var v views.HeldView
	for _, r := range h.Reasons {
		v.Reasons = append(v.Reasons, views.HeldReasonView{Reason: trMsg(c, models.Msg{ID: r.Reason}), Lines: r.Lines, Amount: models.FormatYuan(r.GrossFen)})
	}
	for _, l := range h.Lines {
		v.Lines = append(v.Lines, views.HeldLineView{Name: l.Name, Kind: l.Payee.Kind, Periods: strings.Join(l.Periods, ", "),
			Amount: models.FormatYuan(l.GrossFen), Reason: trMsg(c, l.Msg())})
	}
	if h.Partial {
		v.Partial = tr(c, "payout_held_partial", "N", models.HeldScanLimit)
	}
	return v
}

// heldFlash says after a batch is made what stayed out of it and why.
func heldFlash(c echo.Context, held []models.HeldPayout) string {
	var fen int64
	var reasons []string
	seen := map[string]bool{}
	for _, h := range held {
		fen += h.GrossFen
		if !seen[h.Reason] {
			seen[h.Reason] = true
			reasons = append(reasons, trMsg(c, h.Msg()))
		}
	}
	return tr(c, "flash_batch_held", "Count", len(held), "Amount", models.FormatYuan(fen), "Reasons", strings.Join(reasons, tr(c, "list_separator")))
}

func (s *Server) taxReportCSV(c echo.Context) error  { return s.taxReport(c, "csv") }
func (s *Server) taxReportXLSX(c echo.Context) error { return s.taxReport(c, "xlsx") }

// taxReport sends the yearly tax report per individual payee.
func (s *Server) taxReport(c echo.Context, format string) error {
	year, err := strconv.Atoi(strings.TrimSpace(c.QueryParam("year")))
	if err != nil {
		year = s.now().In(models.CST).Year()
	}
	rows, err := s.store.TaxReport(c.Request().Context(), actor(c), year)
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/payouts", "error", fieldMessages(c, fe)[0])
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
	header := columnLabels(c, models.TaxReportHeader)
	if format == "csv" {
		err = models.WriteTaxReportCSV(&buf, rows, header)
	} else {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = models.WriteTaxReportXLSX(&buf, rows, header, tr(c, "payout_total_row"))
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="tax-report-%d.%s"`, year, format))
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

func (s *Server) settlementView(c echo.Context, errs views.FieldErrors) (views.SettlementView, error) {
	a := actor(c)
	if a.AgencyID == nil {
		return views.SettlementView{}, echo.ErrNotFound
	}
	ag, err := s.store.GetAgency(c.Request().Context(), a, *a.AgencyID)
	if err != nil {
		return views.SettlementView{}, err
	}
	return views.SettlementView{Agency: ag.Name, Current: ag.Settlement, Errors: errs}, nil
}

// settlementForm shows the agency's manager how its creators are paid.
func (s *Server) settlementForm(c echo.Context) error {
	v, err := s.settlementView(c, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SettlementPage(s.meta(c, tr(c, "settlement_title"), "agencies"), v))
}

// settlementSave records the manager's choice; it applies to the next batch.
func (s *Server) settlementSave(c echo.Context) error {
	a := actor(c)
	err := s.store.SetAgencySettlement(c.Request().Context(), a, c.FormValue("settlement"))
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.settlementView(c, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.SettlementPage(s.meta(c, tr(c, "settlement_title"), "agencies"), v))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/agencies/"+itoa(*a.AgencyID), "success", tr(c, "flash_settlement_saved"))
}

// minPayoutSave keeps the minimum payout (a plain admin setting: it moves no
// money, it only lets small amounts wait).
func (s *Server) minPayoutSave(c echo.Context) error {
	values := map[string]string{"min_payout": strings.TrimSpace(c.FormValue("min_payout"))}
	fen, ferr := models.ParseYuan(values["min_payout"])
	if ferr != nil {
		fen = -1 // refused as out of range, with the range
	}
	err := s.store.SetMinPayout(c.Request().Context(), actor(c), fen)
	if fe, ok := models.AsFieldErrors(err); ok && ferr != nil {
		fe["min_payout"], _ = models.MsgOf(ferr)
	}
	return s.settingsResult(c, values, err, tr(c, "flash_min_payout_saved"))
}
