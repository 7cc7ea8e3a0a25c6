package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// holdingDaysSave keeps the holding period (a plain admin setting like the
// minimum payout: it moves no money, it only makes approved money wait).
func (s *Server) holdingDaysSave(c echo.Context) error {
	values := map[string]string{"holding_days": strings.TrimSpace(c.FormValue("holding_days"))}
	days, perr := strconv.Atoi(values["holding_days"])
	if perr != nil {
		days = -1 // refused as out of range, with the range
	}
	err := s.store.SetHoldingDays(c.Request().Context(), actor(c), days)
	return s.settingsResult(c, values, err, tr(c, "flash_holding_days_saved", "N", days))
}

// figuresText says a week's figures in a few words: GMV, refunds, net GMV, views and content.
func figuresText(c echo.Context, f models.Figures) string {
	return tr(c, "adjust_figures", "GMV", models.FormatYuan(f.GMVFen), "Refunded", models.FormatYuan(f.RefundedGMVFen),
		"Net", models.FormatYuan(f.NetGMVFen()), "Views", f.Views, "Content", f.Videos+f.LiveSessions)
}

// signedYuan shows a signed amount: +¥6,000.00 or −¥2,000.00.
func signedYuan(fen int64) string {
	if fen < 0 {
		return "−" + models.FormatYuan(-fen)
	}
	return "+" + models.FormatYuan(fen)
}

// adjustmentRow maps an adjustment for the queue.
func adjustmentRow(c echo.Context, r models.AdjustmentRow) views.AdjustmentRowView {
	from, to := r.Figures()
	v := views.AdjustmentRowView{ID: r.ID, BonusID: r.BonusID, Creator: r.DisplayName, Account: r.AccountID, Agency: r.AgencyName, Week: r.Week,
		Amount: signedYuan(r.AmountFen), Clawback: r.Clawback(), Reason: trMsg(c, r.ReasonMsg()), From: figuresText(c, from), To: figuresText(c, to),
		State: string(r.State)}
	if r.State == models.BonusApproved {
		v.Settled = tr(c, "adjust_settled", "Settled", models.FormatYuan(absFen(r.SettledFen)), "Amount", models.FormatYuan(absFen(r.AmountFen)))
	}
	return v
}

func absFen(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// adjustmentQueue is the reviewers' queue filtered to adjustments (/bonuses?type=adjustments).
func (s *Server) adjustmentQueue(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	raw := map[string]string{}
	f := models.AdjustmentFilter{}
	if w, err := models.ParseWeek(strings.TrimSpace(c.QueryParam("week"))); err == nil {
		f.Week, raw["week"] = w.String(), w.String()
	}
	if st := models.BonusState(c.QueryParam("state")); st.Valid() && st != models.BonusPaid {
		f.State, raw["state"] = st, string(st)
	}
	page := pageParam(c)
	rows, tot, err := s.store.ListAdjustments(ctx, a, f, page)
	if err != nil {
		return err
	}
	v := views.AdjustmentQueueView{Filter: raw, Count: tot.Count, Total: signedYuan(tot.SumFen), Pager: pager(c, page, tot.Count)}
	for _, r := range rows {
		v.Rows = append(v.Rows, adjustmentRow(c, r))
	}
	weeks, err := s.store.ComputedWeeks(ctx, 60)
	if err != nil {
		return err
	}
	v.Weeks = []views.Option{{Value: "", Label: tr(c, "all_weeks")}}
	for _, w := range weeks {
		v.Weeks = append(v.Weeks, views.Option{Value: w, Label: w, Selected: raw["week"] == w})
	}
	v.States = []views.Option{{Value: "", Label: tr(c, "all_states")}}
	for _, st := range []models.BonusState{models.BonusProposed, models.BonusAwaitingSecond, models.BonusApproved, models.BonusRejected} {
		v.States = append(v.States, views.Option{Value: string(st), Label: views.BonusStateLabel(ctx, string(st)), Selected: raw["state"] == string(st)})
	}
	reasons, err := s.store.ReasonCodes(ctx, models.ReasonForBonus, true)
	if err != nil {
		return err
	}
	v.Reasons = reasonOptions(ctx, reasons)
	pool, err := s.store.GetPool(ctx, models.PoolCreators)
	if err != nil {
		return err
	}
	v.PoolLeft = models.FormatYuan(pool.LeftFen())
	return render(c, http.StatusOK, views.AdjustmentQueuePage(s.meta(c, tr(c, "adjustments_title"), "bonuses"), v))
}

// adjustmentDecide approves or rejects the ticked adjustments (or all listed on the page).
func (s *Server) adjustmentDecide(c echo.Context) error {
	a := actor(c)
	q := url.Values{"type": {"adjustments"}}
	for _, k := range []string{"week", "state"} {
		if v := strings.TrimSpace(c.FormValue("f_" + k)); v != "" {
			q.Set(k, v)
		}
	}
	back := "/bonuses?" + q.Encode()
	ids, err := formIDs(c)
	if err != nil {
		return s.redirectWithFlash(c, back, "error", strings.Join(fieldMessages(c, models.FieldErrors{"ids": models.Msg{ID: "err_select_bonus"}}), " "))
	}
	if c.FormValue("this_page") == "1" {
		for _, v := range c.Request().Form["page_ids"] {
			if id := optionalID(v); id != nil {
				ids = append(ids, *id)
			}
		}
	}
	var rep *models.DecisionReport
	switch c.FormValue("action") {
	case "approve":
		rep, err = s.store.ApproveAdjustments(c.Request().Context(), a, ids)
	case "reject":
		rep, err = s.store.RejectAdjustments(c.Request().Context(), a, ids, c.FormValue("reason"), c.FormValue("note"))
	default:
		return httpError(http.StatusBadRequest, "choose_approve_reject")
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, back, "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	return s.flashReport(c, back, rep, tr(c, "creator_pool_left"))
}

// payableNote says when an approved bonus of week becomes payable ("可于 12月16日 起支付"), or "" once it is.
func (s *Server) payableNote(c echo.Context, week string, holdDays int, now time.Time) string {
	from, ok := models.PayableFromLabel(week, holdDays)
	if !ok || !now.Before(from) {
		return ""
	}
	return trMsg(c, models.PayableFromMsg("payable_from", from))
}

// adjustmentText is an adjustment in one line: "追回 ¥2,000.00 — 退款后重新计算".
func adjustmentText(c echo.Context, j models.AdjustmentRow) string {
	id := "adjust_topup_text"
	if j.Clawback() {
		id = "adjust_clawback_text"
	}
	return tr(c, id, "Amount", models.FormatYuan(absFen(j.AmountFen)), "Why", trMsg(c, j.ReasonMsg()))
}

// meAdjustments maps a creator's adjustments per week, with the payout lines that netted them.
func (s *Server) meAdjustments(c echo.Context, creatorID uint) (map[string][]views.MeAdjustmentView, error) {
	ctx := c.Request().Context()
	rows, err := s.store.CreatorAdjustments(ctx, actor(c), creatorID)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	netted, err := s.store.CreatorNettedLines(ctx, actor(c), creatorID)
	if err != nil {
		return nil, err
	}
	out := map[string][]views.MeAdjustmentView{}
	for _, j := range rows {
		from, to := j.Figures()
		v := views.MeAdjustmentView{Text: adjustmentText(c, j), Clawback: j.Clawback(), State: string(j.State), From: figuresText(c, from), To: figuresText(c, to)}
		for _, n := range netted[j.ID] {
			v.Netted = append(v.Netted, tr(c, "adjust_netted", "Ref", n.Ref, "Adjust", signedYuan(n.AdjustFen), "Gross", models.FormatYuan(n.GrossFen),
				"Tax", models.FormatYuan(n.TaxFen), "Net", models.FormatYuan(n.NetFen)))
		}
		if j.State == models.BonusApproved && j.OutstandingFen() != 0 {
			v.Netted = append(v.Netted, tr(c, "adjust_outstanding", "Amount", signedYuan(j.OutstandingFen())))
		}
		out[j.Week] = append(out[j.Week], v)
	}
	return out, nil
}

// statementAdjustment is an adjustment's row of the creator's statement:
// the week's dates, the current figures, the signed amount, why, both
// figures, and what payouts netted so far (in the gross column).
func statementAdjustment(c echo.Context, dates []string, j models.AdjustmentRow) []string {
	from, to := j.Figures()
	rec := make([]string, 20)
	copy(rec, dates)
	rec[3], rec[4], rec[5], rec[6], rec[7] = strconv.FormatInt(to.Videos, 10), strconv.FormatInt(to.LiveSessions, 10), strconv.FormatInt(to.Views, 10),
		strconv.FormatInt(to.Orders, 10), strconv.FormatInt(to.GMVFen, 10)
	rec[8] = adjustmentText(c, j) + " (" + views.BonusStateLabel(c.Request().Context(), string(j.State)) + ")"
	rec[9] = "adjustment_" + string(j.State)
	rec[10], rec[11] = strconv.FormatInt(j.AmountFen, 10), models.YuanDecimal(j.AmountFen)
	rec[14], rec[15] = trMsg(c, j.ReasonMsg()), j.Reason
	rec[16] = tr(c, "adjust_from") + " " + figuresText(c, from) + "; " + tr(c, "adjust_to") + " " + figuresText(c, to)
	if j.SettledFen != 0 {
		rec[17] = strconv.FormatInt(j.SettledFen, 10)
	}
	return rec
}
