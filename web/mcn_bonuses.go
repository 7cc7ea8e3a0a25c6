package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) mcnBonusesView(c echo.Context, errs views.FieldErrors) (views.MCNBonusesView, error) {
	ctx := c.Request().Context()
	a := actor(c)
	v := views.MCNBonusesView{Month: c.QueryParam("month"), State: c.QueryParam("state"), IsAdmin: a.Role == models.RoleAdmin,
		ComputeFor: models.MonthOf(s.now()).Prev().String(), Errors: errs}
	month := ""
	if m, err := models.ParseMonth(v.Month); err == nil {
		month = m.String()
	}
	state := models.BonusState(v.State)
	if !state.Valid() {
		state = ""
	}
	page := pageParam(c)
	rows, totals, err := s.store.ListMCNBonuses(ctx, a, month, state, page)
	if err != nil {
		return v, err
	}
	v.Pager, v.Count, v.Total = seekPager(c, page, totals.Count, rows, models.MCNBonusCursor), totals.Count, models.FormatYuan(totals.SumFen)
	for _, r := range rows {
		v.Rows = append(v.Rows, views.MCNBonusRowView{ID: r.ID, Agency: r.AgencyName, AgencyID: r.AgencyID, Month: r.Month, Quota: r.Quota,
			Delivered: r.Delivered, Amount: models.FormatYuan(r.AmountFen), State: string(r.State)})
	}
	v.Months = []views.Option{{Value: "", Label: tr(c, "all_months")}}
	for m, i := models.MonthOf(s.now()).Prev(), 0; i < 12; m, i = m.Prev(), i+1 {
		v.Months = append(v.Months, views.Option{Value: m.String(), Label: m.String(), Selected: m.String() == month})
	}
	v.States = []views.Option{{Value: "", Label: tr(c, "all_states")}}
	for _, st := range models.BonusStates {
		v.States = append(v.States, views.Option{Value: string(st), Label: views.BonusStateLabel(c.Request().Context(), string(st)), Selected: st == state})
	}
	// Only the reasons for MCN bonuses are offered (issue 14); the model refuses any other.
	reasons, err := s.store.ReasonCodes(ctx, models.ReasonForMCNBonus, true)
	if err != nil {
		return v, err
	}
	v.Reasons = reasonOptions(c.Request().Context(), reasons)
	pool, err := s.store.GetPool(ctx, models.PoolMCN)
	if err != nil {
		return v, err
	}
	v.PoolLeft, v.PoolTotal = models.FormatYuan(pool.LeftFen()), models.FormatYuan(pool.TotalFen)
	if v.Budget, err = s.budgetPanel(c, models.PoolMCN, month); err != nil { // "" : the newest computed month
		return v, err
	}
	rule, err := s.store.MCNRuleNow(ctx)
	if err != nil {
		return v, err
	}
	v.Rule = map[string]string{"quota": strconv.Itoa(rule.DefaultQuota), "meet": models.FormatYuan(rule.MeetFen), "per_extra": models.FormatYuan(rule.PerExtraFen),
		"max": models.FormatYuan(rule.MaxFen), "four_eyes": models.FormatYuan(rule.FourEyesFen),
		"meet_plain": models.YuanDecimal(rule.MeetFen), "per_extra_plain": models.YuanDecimal(rule.PerExtraFen),
		"max_plain": models.YuanDecimal(rule.MaxFen), "four_eyes_plain": models.YuanDecimal(rule.FourEyesFen)}
	return v, nil
}

func (s *Server) mcnBonuses(c echo.Context) error {
	v, err := s.mcnBonusesView(c, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.MCNBonusesPage(s.meta(c, tr(c, "mcn_title"), "mcn"), v))
}

func (s *Server) mcnCompute(c echo.Context) error {
	res, err := s.store.ComputeMonth(c.Request().Context(), actor(c), c.FormValue("month"), s.now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/mcn-bonuses", "error", trMsg(c, fe["month"]))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/mcn-bonuses?month="+res.Month, "success", tr(c, "flash_mcn_computed",
		"Month", res.Month, "Agencies", res.Agencies, "Created", res.Created, "Updated", res.Updated, "Decided", res.Decided, "Removed", res.Removed, "Total", models.FormatYuan(res.TotalFen)))
}

func (s *Server) mcnDecide(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	ids, err := formIDs(c)
	if err != nil {
		return err
	}
	var rep *models.DecisionReport
	switch action := c.FormValue("action"); action {
	case "approve":
		if big, err := s.store.AnyNeedsFourEyes(ctx, true, ids); err != nil {
			return err
		} else if big && !s.passwordIsFresh(c) {
			return s.askPassword(c, "/mcn-bonuses")
		}
		if asked, err := s.confirmBulkDecision(c, ids, action, "/mcn-bonuses", true); asked || err != nil {
			return err
		}
		rep, err = s.store.ApproveMCNBonuses(ctx, a, ids)
	case "reject":
		if strings.TrimSpace(c.FormValue("reason")) != "" { // without a reason the rejection is refused at once
			if asked, err := s.confirmBulkDecision(c, ids, action, "/mcn-bonuses", true); asked || err != nil {
				return err
			}
		}
		rep, err = s.store.RejectMCNBonuses(ctx, a, ids, c.FormValue("reason"), c.FormValue("note"))
	case "payout":
		batch, skipped, err := s.store.CreatePayoutBatch(ctx, a, models.PayAgencies, ids)
		if fe, ok := models.AsFieldErrors(err); ok {
			return s.redirectWithFlash(c, "/mcn-bonuses", "error", strings.Join(fieldMessages(c, fe), " "))
		}
		if err != nil {
			return err
		}
		msg := tr(c, "flash_batch_made", "ID", batch.ID, "Count", batch.Count, "Total", models.FormatYuan(batch.TotalFen))
		if skipped > 0 {
			msg += " " + tr(c, "flash_batch_skipped", "Count", skipped)
		}
		return s.redirectWithFlash(c, "/payouts/"+itoa(batch.ID), "success", msg)
	default:
		return httpError(http.StatusBadRequest, "choose_approve_reject_payout")
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/mcn-bonuses", "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	return s.flashReport(c, "/mcn-bonuses", rep, tr(c, "mcn_pool_left"))
}

func (s *Server) mcnRuleSave(c echo.Context) error {
	quota, qerr := strconv.Atoi(strings.TrimSpace(c.FormValue("default_quota")))
	errs := models.FieldErrors{}
	if qerr != nil {
		errs["default_quota"] = models.Msg{ID: "err_quota_whole_number"}
	}
	money := func(field string) int64 {
		v, err := models.ParseYuan(c.FormValue(field))
		if err != nil {
			errs[field] = msgOfErr(err)
		}
		return v
	}
	rule := models.MCNRule{DefaultQuota: quota, MeetFen: money("meet"), PerExtraFen: money("per_extra"), MaxFen: money("max"), FourEyesFen: money("four_eyes")}
	err := error(errs)
	var ch *models.SettingsChange
	if len(errs) == 0 {
		// A second admin approves it before it applies (a change of the quota alone is proposed as such).
		ch, err = s.store.ProposeMCNRule(c.Request().Context(), actor(c), rule)
	}
	if errors.Is(err, models.ErrNoChange) {
		err = models.FieldErrors{"_": msgOfErr(err)}
	}
	if fe, ok := models.AsFieldErrors(err); ok && len(fe) > 0 {
		v, verr := s.mcnBonusesView(c, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.MCNBonusesPage(s.meta(c, tr(c, "mcn_title"), "mcn"), v))
	}
	if err != nil {
		return err
	}
	return s.proposed(c, ch)
}
