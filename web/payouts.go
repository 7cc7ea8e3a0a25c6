package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) payoutList(c echo.Context) error {
	page := pageParam(c)
	batches, total, err := s.store.ListPayoutBatches(c.Request().Context(), actor(c), page)
	if err != nil {
		return err
	}
	v := views.PayoutListView{Pager: pager(c, page, total), Year: strconv.Itoa(s.now().In(models.CST).Year())}
	for _, b := range batches {
		v.Rows = append(v.Rows, views.PayoutBatchRow{ID: b.ID, Created: models.FormatCST(b.CreatedAt), State: b.State, Count: b.Count,
			Total: models.FormatYuan(b.TotalFen), Tax: models.FormatYuan(b.TaxFen), Net: models.FormatYuan(b.NetFen), Checksum: b.Checksum})
	}
	held, err := s.store.HeldPayouts(c.Request().Context(), actor(c), heldListed)
	if err != nil {
		return err
	}
	v.Held = heldView(c, held)
	return render(c, http.StatusOK, views.PayoutListPage(s.meta(c, tr(c, "payout_batches"), "payouts"), v))
}

func (s *Server) payoutCreate(c echo.Context) error {
	a := actor(c)
	ids, raw, err := s.selectedBonusIDs(c, a)
	back := queueURL(raw)
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, back, "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	batch, skipped, err := s.store.CreatePayoutBatch(c.Request().Context(), a, models.PayCreators, ids)
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, back, "error", fieldMessages(c, fe)[0])
	}
	if err != nil {
		return err
	}
	msg := tr(c, "flash_batch_made", "ID", batch.ID, "Count", batch.Count, "Total", models.FormatYuan(batch.TotalFen))
	if skipped > 0 {
		msg += " " + tr(c, "flash_batch_skipped", "Count", skipped)
	}
	if len(batch.Held) > 0 {
		msg += " " + heldFlash(c, batch.Held)
	}
	return s.redirectWithFlash(c, "/payouts/"+itoa(batch.ID), "success", msg)
}

func (s *Server) payoutDetailView(c echo.Context, id uint) (views.PayoutDetailView, error) {
	b, lines, err := s.store.GetPayoutBatch(c.Request().Context(), actor(c), id)
	if err != nil {
		return views.PayoutDetailView{}, err
	}
	v := views.PayoutDetailView{ID: b.ID, State: b.State, Count: b.Count, Total: models.FormatYuan(b.TotalFen), Tax: models.FormatYuan(b.TaxFen),
		Net: models.FormatYuan(b.NetFen), Checksum: b.Checksum, Created: models.FormatCST(b.CreatedAt), OpenMismatches: b.OpenMismatches}
	for _, l := range lines {
		v.Lines = append(v.Lines, payoutLineView(c, b.Kind, l))
	}
	return v, nil
}

func (s *Server) payoutDetail(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.payoutDetailView(c, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.PayoutDetailPage(s.meta(c, tr(c, "payout_batch_n", "ID", id), "payouts"), v))
}

func (s *Server) payoutExportCSV(c echo.Context) error  { return s.payoutExport(c, "csv") }
func (s *Server) payoutExportXLSX(c echo.Context) error { return s.payoutExport(c, "xlsx") }

// payoutFreeze freezes an open batch for the bank (an explicit POST: no GET
// changes state), then sends the browser on to download the file.
func (s *Server) payoutFreeze(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	format := c.FormValue("format")
	if format != "csv" && format != "xlsx" {
		return httpError(http.StatusBadRequest, "payout_format_unknown")
	}
	if _, _, err := s.store.FreezePayoutBatch(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/payouts/"+itoa(id)+"/export."+format)
}

// payoutExport sends the bank file of a frozen batch.
func (s *Server) payoutExport(c echo.Context, format string) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	b, lines, err := s.store.PayoutBatchFile(c.Request().Context(), actor(c), id, format)
	if errors.Is(err, models.ErrBatchNotFrozen) {
		return httpError(http.StatusConflict, "payout_not_frozen")
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
	if format == "csv" {
		err = models.WritePayoutCSV(&buf, b, lines, columnLabels(c, models.PayoutHeader))
	} else {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = models.WritePayoutXLSX(&buf, b, lines, columnLabels(c, models.PayoutHeader), tr(c, "payout_total_row"))
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="payout-batch-%d-%s.%s"`, b.ID, b.Checksum, format))
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

func (s *Server) payoutPaid(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if !confirmed(c) { // marking paid cannot be undone: say what it will do first
		return s.confirmBatchPaid(c, id)
	}
	paid, err := s.store.MarkBatchPaid(c.Request().Context(), actor(c), id)
	if done, err := s.refuseBatchPaid(c, id, err); done || err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/payouts/"+itoa(id), "success", tr(c, "flash_lines_marked_paid", "Count", paid))
}

func (s *Server) payoutBankResult(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		v, err := s.payoutDetailView(c, id)
		if err != nil {
			return err
		}
		v.Errors = views.FieldErrors{"file": msg}
		return render(c, http.StatusUnprocessableEntity, views.PayoutDetailPage(s.meta(c, tr(c, "payout_batch_n", "ID", id), "payouts"), v))
	}
	_, data, problem := readUpload(c)
	if problem != "" {
		return refuse(problem)
	}
	rep, err := s.store.ApplyBankResult(c.Request().Context(), actor(c), id, data)
	if fe, ok := models.AsFieldErrors(err); ok {
		return refuse(trMsg(c, fe["file"]))
	}
	if err != nil {
		return err
	}
	v, err := s.payoutDetailView(c, id)
	if err != nil {
		return err
	}
	for _, m := range rep.Mismatches {
		v.Mismatches = append(v.Mismatches, tr(c, "line_problem", "Line", m.Line, "Problem", trMsg(c, m.Msg())))
	}
	meta := s.meta(c, tr(c, "payout_batch_n", "ID", id), "payouts")
	meta.Flash = append(meta.Flash, views.Flash{Kind: "success", Message: tr(c, "flash_bank_result", "Paid", rep.Paid, "Mismatched", len(rep.Mismatches))})
	return render(c, http.StatusOK, views.PayoutDetailPage(meta, v))
}
