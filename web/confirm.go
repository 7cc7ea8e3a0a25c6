package web

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// The confirmation step (issue 14): an action that is large or cannot be
// undone answers its first POST with views.ConfirmPage, which restates what
// will happen and changes nothing; the page posts the same form again with
// confirm=1, and only that POST acts. It needs no JavaScript.

// confirmed reports whether the form is the confirmation page's POST.
func confirmed(c echo.Context) bool { return c.FormValue("confirm") == "1" }

// confirmOwn are the confirmation's own fields, never posted again as they came.
var confirmOwn = map[string]bool{"_csrf": true, "confirm": true, "confirm_count": true, "confirm_fen": true}

// repost is every value of the first POST, to post again from the confirmation page.
func repost(c echo.Context) ([]views.ConfirmHidden, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(form))
	for k := range form {
		if !confirmOwn[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []views.ConfirmHidden
	for _, k := range keys {
		for _, v := range form[k] {
			out = append(out, views.ConfirmHidden{Name: k, Value: v})
		}
	}
	return out, nil
}

// renderConfirm shows the confirmation page; v.Hidden gets the first POST's values.
func (s *Server) renderConfirm(c echo.Context, active string, v views.ConfirmView) error {
	hidden, err := repost(c)
	if err != nil {
		return err
	}
	v.Hidden = append(hidden, v.Hidden...)
	if v.Action == "" {
		v.Action = c.Request().URL.Path
	}
	return render(c, http.StatusOK, views.ConfirmPage(s.meta(c, v.Title, active), v))
}

// weeksText lists weeks (or months) as "2026-W47（11月16日–11月22日）、…", at most a few.
func weeksText(c echo.Context, periods []string) string {
	if len(periods) == 0 {
		return "—"
	}
	var parts []string
	for i, p := range periods {
		if i == 4 {
			parts = append(parts, tr(c, "report_and_more", "Count", len(periods)-i))
			break
		}
		if w, err := models.ParseWeek(p); err == nil {
			p = tr(c, "confirm_week_dates", "Week", p, "Dates", weekDates(c, w))
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, tr(c, "list_separator"))
}

// confirmBulkDecision shows the confirmation of a bulk approval or rejection
// when it is large — everything matching a filter, or more bonuses or money
// than the thresholds — and reports whether it did. On the confirming POST it
// checks that the selection still counts what was shown; if not it asks again.
// monthly is true for agencies' monthly bonuses (the MCN page).
func (s *Server) confirmBulkDecision(c echo.Context, ids []uint, action, back string, monthly bool) (bool, error) {
	ctx := c.Request().Context()
	summarise, path, active, period, pool := s.store.SummariseBonuses, "/bonuses/decide", "bonuses", tr(c, "col_week"), ""
	if monthly {
		summarise, path, active, period, pool = s.store.SummariseMCNBonuses, "/mcn-bonuses/decide", "mcn", tr(c, "col_month"), "_mcn"
	}
	sel, err := summarise(ctx, actor(c), ids)
	if err != nil {
		return false, err
	}
	all := c.FormValue("all") == "1"
	changed := ""
	if confirmed(c) {
		if c.FormValue("confirm_count") == strconv.Itoa(sel.Count) && c.FormValue("confirm_fen") == strconv.FormatInt(sel.AmountFen, 10) {
			return false, nil
		}
		changed = tr(c, "confirm_selection_changed")
	} else {
		th, err := s.store.ConfirmThresholds(ctx)
		if err != nil {
			return false, err
		}
		if sel.Count == 0 || (!all && !th.Needs(sel.Count, sel.AmountFen)) {
			return false, nil // nothing would change, or little: decided at once
		}
	}
	amount := models.FormatYuan(sel.AmountFen)
	v := views.ConfirmView{Changed: changed, Cancel: back, Action: path,
		Hidden: []views.ConfirmHidden{{Name: "confirm_count", Value: strconv.Itoa(sel.Count)}, {Name: "confirm_fen", Value: strconv.FormatInt(sel.AmountFen, 10)}}}
	scope := tr(c, "confirm_scope_selected")
	if all {
		scope = tr(c, "confirm_scope_all")
	}
	v.Facts = []views.ConfirmFact{
		{Label: tr(c, "confirm_scope"), Value: scope, TestID: "confirm-scope"},
		{Label: tr(c, "confirm_bonus_count"), Value: views.Count(int64(sel.Count)), TestID: "confirm-count"},
		{Label: tr(c, "confirm_amount"), Value: amount, TestID: "confirm-amount"},
		{Label: period, Value: weeksText(c, sel.Weeks), TestID: "confirm-weeks"},
	}
	if skipped := sel.Selected - sel.Count; skipped > 0 {
		v.Facts = append(v.Facts, views.ConfirmFact{Label: tr(c, "confirm_skipped"), Value: views.Count(int64(skipped)), TestID: "confirm-skipped"})
	}
	if all && excludeFlagged(c) {
		fact, err := s.flaggedLeftOut(c)
		if err != nil {
			return false, err
		}
		v.Facts = append(v.Facts, fact)
	}
	if action == "approve" {
		v.Title = tr(c, "confirm_approve_title")
		v.Lead = tr(c, "confirm_approve_lead", "Count", views.Count(int64(sel.Count)), "Amount", amount)
		v.Warning = tr(c, "confirm_approve_warning"+pool)
		v.Confirm = tr(c, "confirm_approve_button", "Count", views.Count(int64(sel.Count)))
	} else {
		v.Title = tr(c, "confirm_reject_title")
		v.Lead = tr(c, "confirm_reject_lead", "Count", views.Count(int64(sel.Count)), "Amount", amount)
		v.Warning = tr(c, "confirm_reject_warning")
		v.Confirm = tr(c, "confirm_reject_button", "Count", views.Count(int64(sel.Count)))
		reasons, err := s.store.ReasonCodes(ctx, models.ReasonForBonus, false)
		if err != nil {
			return false, err
		}
		label := c.FormValue("reason")
		for _, r := range reasons {
			if r.Code == label {
				label = i18n.From(ctx).ReasonLabel(r.Code, r.Label)
			}
		}
		v.Facts = append(v.Facts, views.ConfirmFact{Label: tr(c, "reason_to_reject"), Value: label, TestID: "confirm-reason"})
	}
	return true, s.renderConfirm(c, active, v)
}

// confirmBatchPaid shows what marking a whole batch paid will do. A batch that
// may not be paid answers with why, as the payment itself would.
func (s *Server) confirmBatchPaid(c echo.Context, id uint) error {
	back := "/payouts/" + itoa(id)
	plan, err := s.store.PlanBatchPaid(c.Request().Context(), actor(c), id)
	if done, err := s.refuseBatchPaid(c, id, err); done || err != nil {
		return err
	}
	amount := models.FormatYuan(plan.AmountFen)
	v := views.ConfirmView{Title: tr(c, "confirm_paid_title", "ID", id), Cancel: back,
		Lead:    tr(c, "confirm_paid_lead", "ID", id, "Count", views.Count(int64(plan.Lines)), "Amount", amount),
		Warning: tr(c, "confirm_paid_warning"), Confirm: tr(c, "confirm_paid_button"),
		Facts: []views.ConfirmFact{
			{Label: tr(c, "confirm_batch"), Value: "#" + itoa(id), TestID: "confirm-batch"},
			{Label: tr(c, "confirm_lines_to_pay"), Value: views.Count(int64(plan.Lines)), TestID: "confirm-count"},
			{Label: tr(c, "confirm_amount"), Value: amount, TestID: "confirm-amount"},
			{Label: tr(c, "col_week"), Value: weeksText(c, plan.Periods), TestID: "confirm-weeks"},
		}}
	if plan.AlreadyPaid > 0 {
		v.Facts = append(v.Facts, views.ConfirmFact{Label: tr(c, "confirm_already_paid"), Value: views.Count(int64(plan.AlreadyPaid)), TestID: "confirm-already-paid"})
	}
	return s.renderConfirm(c, "payouts", v)
}

// refuseBatchPaid answers a refused whole-batch payment on the batch's page
// and reports whether it did.
func (s *Server) refuseBatchPaid(c echo.Context, id uint, err error) (bool, error) {
	var mis models.UnresolvedMismatchesError
	switch fe, ok := models.AsFieldErrors(err); {
	case err == nil:
		return false, nil
	case errors.As(err, &mis):
		return true, s.redirectWithFlash(c, "/payouts/"+itoa(id), "error", trMsg(c, mis.Msg()))
	case ok:
		return true, s.redirectWithFlash(c, "/payouts/"+itoa(id), "error", trMsg(c, fe["batch"]))
	}
	return true, err
}

// confirmPublish shows what publishing a year's top list will do.
func (s *Server) confirmPublish(c echo.Context, year int) error {
	plan, err := s.store.PlanTopList(c.Request().Context(), actor(c), year, s.now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/leaderboard", "error", trMsg(c, fe["year"]))
	}
	if err != nil {
		return err
	}
	replaces := tr(c, "confirm_publish_first")
	if plan.PublishedAt != nil {
		replaces = tr(c, "confirm_publish_replaces", "Count", plan.Replaces, "Date", models.FormatCST(*plan.PublishedAt))
	}
	n := views.Count(int64(plan.Count))
	return s.renderConfirm(c, "leaderboard", views.ConfirmView{Title: tr(c, "confirm_publish_title", "Year", year), Cancel: "/leaderboard",
		Lead: tr(c, "confirm_publish_lead", "Year", year, "Count", n), Warning: tr(c, "confirm_publish_warning"),
		Confirm: tr(c, "confirm_publish_button", "Year", year),
		Facts: []views.ConfirmFact{
			{Label: tr(c, "confirm_year"), Value: strconv.Itoa(year), TestID: "confirm-year"},
			{Label: tr(c, "confirm_publish_count"), Value: n, TestID: "confirm-count"},
			{Label: tr(c, "confirm_publish_notified"), Value: n, TestID: "confirm-notified"},
			{Label: tr(c, "confirm_publish_previous"), Value: replaces, TestID: "confirm-replaces"},
		}})
}

// confirmPoolLower shows what lowering a pool will do, and reports whether it
// did: raising a pool, or the confirming POST, goes straight on.
func (s *Server) confirmPoolLower(c echo.Context, name, label string, totalFen int64) (bool, error) {
	if confirmed(c) {
		return false, nil
	}
	pool, err := s.store.GetPool(c.Request().Context(), name)
	if err != nil || totalFen >= pool.TotalFen {
		return false, err
	}
	from, to := models.FormatYuan(pool.TotalFen), models.FormatYuan(totalFen)
	return true, s.renderConfirm(c, "settings", views.ConfirmView{Title: tr(c, "confirm_pool_title", "Pool", label), Cancel: "/settings/bonus-rule",
		Lead: tr(c, "confirm_pool_lead", "Pool", label, "From", from, "To", to), Warning: tr(c, "confirm_pool_warning"),
		Confirm: tr(c, "confirm_pool_button"),
		Facts: []views.ConfirmFact{
			{Label: tr(c, "pool"), Value: label, TestID: "confirm-pool"},
			{Label: tr(c, "confirm_pool_now"), Value: from, TestID: "confirm-from"},
			{Label: tr(c, "confirm_pool_new"), Value: to, TestID: "confirm-to"},
			{Label: tr(c, "confirm_pool_lower_by"), Value: models.FormatYuan(pool.TotalFen - totalFen), TestID: "confirm-amount"},
			{Label: tr(c, "pool_committed"), Value: models.FormatYuan(pool.CommittedFen), TestID: "confirm-committed"},
		}})
}

// confirmThresholdsSave keeps when bulk decisions ask for confirmation (a
// plain admin setting: it moves no money, so no second admin is needed).
func (s *Server) confirmThresholdsSave(c echo.Context) error {
	values := map[string]string{"confirm_count": strings.TrimSpace(c.FormValue("confirm_count")), "confirm_amount": strings.TrimSpace(c.FormValue("confirm_amount"))}
	count, err := strconv.Atoi(values["confirm_count"])
	if err != nil {
		count = 0 // refused as out of range, with the range
	}
	fen, ferr := models.ParseYuan(values["confirm_amount"])
	err = s.store.SetConfirmThresholds(c.Request().Context(), actor(c), models.ConfirmThresholds{Count: count, AmountFen: fen})
	if fe, ok := models.AsFieldErrors(err); ok && ferr != nil {
		fe["confirm_amount"], _ = models.MsgOf(ferr)
	}
	return s.settingsResult(c, values, err, tr(c, "flash_confirm_thresholds_saved"))
}
