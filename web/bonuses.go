package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// bonusFilterKeys are the query parameters of the bonus queue.
var bonusFilterKeys = []string{"week", "state", "subject", "agency", "min", "max", "q", "sort", "appeal", "risk"}

// parseBonusFilter reads the queue filter; get returns a parameter by name.
func parseBonusFilter(get func(string) string, a *models.Actor) (models.BonusFilter, map[string]string, models.FieldErrors) {
	raw := map[string]string{}
	for _, k := range bonusFilterKeys {
		if v := strings.TrimSpace(get(k)); v != "" {
			raw[k] = v
		}
	}
	errs := models.FieldErrors{}
	f := models.BonusFilter{Search: raw["q"]}
	if w := raw["week"]; w != "" {
		if wk, err := models.ParseWeek(w); err != nil {
			errs["week"], _ = models.MsgOf(err)
		} else {
			f.Week = wk.String()
		}
	}
	if st := models.BonusState(raw["state"]); st.Valid() {
		f.State = st
	}
	if raw["appeal"] == models.AppealPending {
		f.AppealState = models.AppealPending
	}
	if id := optionalID(raw["subject"]); id != nil {
		f.SubjectID = *id
	}
	if a.IsStaff() {
		f.AgencyID, f.AgencyName = agencyParam(raw["agency"])
		f.Risk = riskParam(raw["risk"])
	}
	for key, dst := range map[string]*int64{"min": &f.MinFen, "max": &f.MaxFen} {
		if raw[key] == "" {
			continue
		}
		fen, err := models.ParseYuan(raw[key])
		if err != nil {
			errs[key], _ = models.MsgOf(err)
			continue
		}
		*dst = fen
	}
	switch raw["sort"] {
	case "amount_asc":
		f.Sort = "amount"
	case "gmv":
		f.Sort, f.Desc = "gmv", true
	case "name":
		f.Sort = "name"
	case "oldest":
		f.Sort = "waiting"
	case "risk":
		f.Sort, f.Desc = "risk", true
	default:
		f.Sort, f.Desc = "amount", true
	}
	return f, raw, errs
}

func (s *Server) bonusQueue(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	if c.QueryParam("type") == "adjustments" && a.IsStaff() {
		return s.adjustmentQueue(c)
	}
	f, raw, errs := parseBonusFilter(c.QueryParam, a)
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	page := pageParam(c)
	rows, totals, err := s.store.ListBonuses(ctx, a, f, page)
	if err != nil {
		return err
	}
	v, err := s.bonusQueueView(c, raw, fieldErrors(c, errs))
	if err != nil {
		return err
	}
	v.Pager = seekPager(c, page, totals.Count, rows, func(r models.BonusRow) string { return models.BonusCursor(r, f) })
	v.Count, v.Total = totals.Count, models.FormatYuan(totals.SumFen)
	now := s.now()
	holdDays, err := s.store.HoldingDays(ctx)
	if err != nil {
		return err
	}
	for _, r := range rows {
		row := views.BonusRowView{ID: r.ID, Creator: r.DisplayName, AccountID: r.AccountID, Agency: r.AgencyName, Week: r.Week,
			GMV: models.FormatYuan(r.GMVFen), Amount: models.FormatYuan(r.AmountFen), State: string(r.State), Appeal: r.AppealState}
		if row.Agency == "" {
			row.Agency = tr(c, "independent")
		}
		if r.State == models.BonusProposed || r.State == models.BonusAwaitingSecond {
			row.Waiting = waited(c.Request().Context(), now.Sub(r.ProposedAt))
		} else if r.State == models.BonusApproved {
			row.Waiting = s.payableNote(c, r.Week, holdDays, now) // when the holding period lets it be paid
		}
		v.Rows = append(v.Rows, row)
	}
	if err := s.addRiskBadges(c, rows, v.Rows); err != nil {
		return err
	}
	return render(c, status, views.BonusQueuePage(s.meta(c, tr(c, "nav_weekly_bonuses"), "bonuses"), v))
}

func (s *Server) bonusQueueView(c echo.Context, raw map[string]string, errs views.FieldErrors) (views.BonusQueueView, error) {
	ctx := c.Request().Context()
	a := actor(c)
	v := views.BonusQueueView{Filter: raw, Errors: errs, CanDecide: a.IsStaff(), ComputeFor: models.WeekOf(s.now()).Prev().String()}
	weeks, err := s.store.ComputedWeeks(ctx, 60)
	if err != nil {
		return v, err
	}
	v.Weeks = []views.Option{{Value: "", Label: tr(c, "all_weeks")}}
	for _, w := range weeks {
		v.Weeks = append(v.Weeks, views.Option{Value: w, Label: w, Selected: raw["week"] == w})
	}
	v.States = []views.Option{{Value: "", Label: tr(c, "all_states")}}
	for _, st := range models.BonusStates {
		v.States = append(v.States, views.Option{Value: string(st), Label: views.BonusStateLabel(ctx, string(st)), Selected: raw["state"] == string(st)})
	}
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return v, err
	}
	sel, _ := strconv.ParseUint(raw["subject"], 10, 32)
	v.Subjects = subjectOptions(ctx, areas, uint(sel), tr(c, "all_subject_areas"), false)
	v.Sorts = []views.Option{{Value: "", Label: tr(c, "sort_largest")}, {Value: "amount_asc", Label: tr(c, "sort_smallest")},
		{Value: "gmv", Label: tr(c, "sort_gmv")}, {Value: "name", Label: tr(c, "sort_name")}, {Value: "oldest", Label: tr(c, "sort_oldest")}}
	if a.IsStaff() {
		v.Sorts = append(v.Sorts, views.Option{Value: "risk", Label: tr(c, "sort_risk")})
		v.Risks = riskOptions(c, raw["risk"])
	}
	for i := range v.Sorts {
		v.Sorts[i].Selected = v.Sorts[i].Value == raw["sort"]
	}
	if a.IsStaff() {
		if v.Agencies, err = s.agencyFilter(c, raw["agency"]); err != nil {
			return v, err
		}
		reasons, err := s.store.ReasonCodes(ctx, models.ReasonForBonus, true)
		if err != nil {
			return v, err
		}
		v.Reasons = reasonOptions(c.Request().Context(), reasons)
		pool, err := s.store.GetPool(ctx, models.PoolCreators)
		if err != nil {
			return v, err
		}
		v.PoolLeft, v.PoolTotal = models.FormatYuan(pool.LeftFen()), models.FormatYuan(pool.TotalFen)
		week := "" // no week filtered: the newest computed week's budget
		if wk, err := models.ParseWeek(raw["week"]); err == nil {
			week = wk.String()
		}
		if v.Budget, err = s.budgetPanel(c, models.PoolCreators, week); err != nil {
			return v, err
		}
	}
	return v, nil
}

// reasonOptions offers the active reasons, in the page's language.
func reasonOptions(ctx context.Context, reasons []models.ReasonCode) []views.Option {
	out := []views.Option{{Value: "", Label: i18n.T(ctx, "choose_reason")}}
	for _, r := range reasons {
		if r.Active {
			out = append(out, views.Option{Value: r.Code, Label: i18n.From(ctx).ReasonLabel(r.Code, r.Label)})
		}
	}
	return out
}

// waited says how long a proposal has waited, in days or hours.
func waited(ctx context.Context, d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return i18n.T(ctx, "waited_days", "N", int(d.Hours()/24))
	case d >= time.Hour:
		return i18n.T(ctx, "waited_hours", "N", int(d.Hours()))
	default:
		return i18n.T(ctx, "waited_under_hour")
	}
}

func (s *Server) bonusCompute(c echo.Context) error {
	res, err := s.store.ComputeWeek(c.Request().Context(), actor(c), c.FormValue("week"))
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/bonuses", "error", trMsg(c, fe["week"]))
	}
	if err != nil {
		return err
	}
	msg := tr(c, "flash_week_computed", "Week", res.Week, "Version", res.RuleVersion, "Created", res.Created, "Updated", res.Updated,
		"Decided", res.Decided, "Removed", res.Removed, "Total", models.FormatYuan(res.TotalFen), "Capped", res.Capped)
	return s.redirectWithFlash(c, "/bonuses?week="+url.QueryEscape(res.Week)+"&state=proposed", "success", msg)
}

// selectedBonusIDs reads the ticked ids, or every id matching the posted
// filter when "all" is ticked.
func (s *Server) selectedBonusIDs(c echo.Context, a *models.Actor) ([]uint, map[string]string, error) {
	f, raw, errs := parseBonusFilter(func(k string) string { return c.FormValue("f_" + k) }, a)
	if c.FormValue("all") == "1" {
		if len(errs) > 0 {
			return nil, raw, models.FieldErrors{"ids": models.Msg{ID: "err_filter_invalid"}}
		}
		if excludeFlagged(c) {
			f, _ = f.WithoutFlagged() // the confirmation says what was left out
		}
		f.Funded = c.FormValue("action") == "approve" // ¥0 proposals (unfunded by pacing) are not approved
		ids, err := s.store.BonusIDs(c.Request().Context(), a, f, models.MaxBulk+1)
		return ids, raw, err
	}
	ids, err := formIDs(c)
	if err != nil {
		return nil, raw, err
	}
	if c.FormValue("this_page") == "1" { // "select all on this page": the rows the page listed
		for _, v := range c.Request().Form["page_ids"] {
			if id := optionalID(v); id != nil {
				ids = append(ids, *id)
			}
		}
	}
	return ids, raw, nil
}

func queueURL(raw map[string]string) string {
	q := url.Values{}
	for k, v := range raw {
		q.Set(k, v)
	}
	if len(q) == 0 {
		return "/bonuses"
	}
	return "/bonuses?" + q.Encode()
}

func (s *Server) bonusDecide(c echo.Context) error {
	a := actor(c)
	ids, raw, err := s.selectedBonusIDs(c, a)
	back := queueURL(raw)
	if b := c.FormValue("back"); strings.HasPrefix(b, "/bonuses/") {
		back = b
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, back, "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	var rep *models.DecisionReport
	action := c.FormValue("action")
	switch action {
	case "approve":
		if big, err := s.store.AnyNeedsFourEyes(c.Request().Context(), false, ids); err != nil {
			return err
		} else if big && !s.passwordIsFresh(c) {
			return s.askPassword(c, back)
		}
	case "reject":
		if len(ids) > 0 && strings.TrimSpace(c.FormValue("reason")) == "" { // refused before the confirmation step, not after it
			return s.redirectWithFlash(c, back, "error", strings.Join(fieldMessages(c, models.FieldErrors{"reason": models.Msg{ID: "err_reject_reason_required"}}), " "))
		}
	default:
		return httpError(http.StatusBadRequest, "choose_approve_reject")
	}
	if len(ids) > 0 {
		if asked, err := s.confirmBulkDecision(c, ids, action, back, false); asked || err != nil {
			return err
		}
	}
	if action == "approve" {
		rep, err = s.store.ApproveBonuses(c.Request().Context(), a, ids)
	} else {
		rep, err = s.store.RejectBonuses(c.Request().Context(), a, ids, c.FormValue("reason"), c.FormValue("note"))
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, back, "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	return s.flashReport(c, back, rep, tr(c, "creator_pool_left"))
}

// fieldMessages turns field errors into sentences for a flash, in the request's language.
func fieldMessages(c echo.Context, fe models.FieldErrors) []string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		t := trMsg(c, fe[k])
		first, size := utf8.DecodeRuneInString(t)
		out = append(out, string(unicode.ToUpper(first))+t[size:]+tr(c, "full_stop"))
	}
	return out
}

// flashReport tells the reviewer what happened to every selected bonus.
func (s *Server) flashReport(c echo.Context, back string, rep *models.DecisionReport, pool string) error {
	var parts []string
	if rep.Approved > 0 {
		parts = append(parts, tr(c, "report_approved", "Count", rep.Approved, "Amount", models.FormatYuan(rep.ApprovedFen)))
	}
	if rep.Awaiting > 0 {
		parts = append(parts, tr(c, "report_awaiting", "Count", rep.Awaiting))
	}
	if rep.Rejected > 0 {
		parts = append(parts, tr(c, "report_rejected", "Count", rep.Rejected))
	}
	if len(parts) > 0 {
		if err := s.addFlash(c, "success", tr(c, "report_summary", "Parts", strings.Join(parts, tr(c, "list_separator")), "Pool", pool, "Left", models.FormatYuan(rep.PoolLeftFen))); err != nil {
			return err
		}
	}
	if rep.Refused > 0 {
		var why []string
		for _, o := range rep.Outcomes {
			if o.Result == "refused" && len(why) < 10 {
				name := o.Name
				if name == "" { // no such bonus: its number is all there is
					name = "#" + itoa(o.BonusID)
				}
				why = append(why, tr(c, "report_row", "Name", name, "Problem", trMsg(c, o.Msg())))
			}
		}
		more := ""
		if rep.Refused > len(why) {
			more = tr(c, "report_and_more", "Count", rep.Refused-len(why))
		}
		if err := s.addFlash(c, "error", tr(c, "report_refused", "Count", rep.Refused, "Why", strings.Join(why, tr(c, "list_separator")), "More", more)); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, back)
}
