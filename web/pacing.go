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

// The programme's period and pacing (issue 17): one admin proposes, a second
// approves on the changes page.

// emptyWeightRows is how many empty rows the weights table offers (no JavaScript needed).
const emptyWeightRows = 3

func planView(c echo.Context, p models.PacingPlan) views.PacingPlanView {
	return views.PacingPlanView{CreatorsPeriod: models.PeriodText(p.CreatorsStart, p.CreatorsEnd), MCNPeriod: models.PeriodText(p.MCNStart, p.MCNEnd),
		Policy: tr(c, string(p.Policy.Word())), Weights: models.WeightsText(p.Weights)}
}

func (s *Server) pacingSettingsView(c echo.Context, values map[string]string, rows []views.WeightRowView, errs views.FieldErrors) (views.PacingSettingsView, error) {
	ctx := c.Request().Context()
	cur, err := s.store.PacingPlanNow(ctx)
	if err != nil {
		return views.PacingSettingsView{}, err
	}
	if values == nil {
		values = map[string]string{"creators_start": cur.CreatorsStart, "creators_end": cur.CreatorsEnd, "mcn_start": cur.MCNStart,
			"mcn_end": cur.MCNEnd, "policy": string(cur.Policy)}
		for _, w := range cur.Weights {
			rows = append(rows, views.WeightRowView{Period: w.Period, Percent: strconv.FormatInt(w.Percent, 10)})
		}
	}
	for range emptyWeightRows {
		rows = append(rows, views.WeightRowView{})
	}
	v := views.PacingSettingsView{Set: cur.IsSet(), Current: planView(c, cur), Values: values, Weights: rows, Errors: errs}
	for _, p := range models.Policies {
		v.Policies = append(v.Policies, string(p))
	}
	if v.Pending, err = s.pendingCount(c); err != nil {
		return v, err
	}
	if cur.IsSet() {
		now := s.now()
		for _, p := range []struct{ name, title, leftID string }{{models.PoolCreators, tr(c, "pacing_outlook_creators"), "pacing_outlook_left_weeks"},
			{models.PoolMCN, tr(c, "pacing_outlook_mcn"), "pacing_outlook_left_months"}} {
			pool, err := s.store.GetPool(ctx, p.name)
			if err != nil {
				return v, err
			}
			o := views.PoolOutlookView{Pool: p.name, Title: p.title, Left: models.FormatYuan(pool.LeftFen()), LeftID: p.leftID}
			for _, r := range models.PlanOutlook(cur, p.name, pool.LeftFen(), now) {
				o.Rows = append(o.Rows, views.OutlookRowView{Period: r.Period, Weight: models.WeightText(r.WeightPercent), Budget: models.FormatYuan(r.BudgetFen)})
			}
			v.Outlook = append(v.Outlook, o)
		}
	}
	return v, nil
}

func (s *Server) pacingForm(c echo.Context) error {
	v, err := s.pacingSettingsView(c, nil, nil, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.PacingPage(s.meta(c, tr(c, "pacing_title"), "settings"), v))
}

// parsePacingForm reads the form into a plan. Empty weight rows are
// ignored; a weight that is not a whole number is named by its row.
func parsePacingForm(c echo.Context) (models.PacingPlan, map[string]string, []views.WeightRowView, models.FieldErrors) {
	values := map[string]string{}
	for _, f := range []string{"creators_start", "creators_end", "mcn_start", "mcn_end", "policy"} {
		values[f] = strings.TrimSpace(c.FormValue(f))
	}
	p := models.PacingPlan{CreatorsStart: values["creators_start"], CreatorsEnd: values["creators_end"], MCNStart: values["mcn_start"],
		MCNEnd: values["mcn_end"], Policy: models.OverSubscriptionPolicy(values["policy"]), Weights: []models.PeriodWeight{}}
	var numberErr *models.Msg
	n, err := strconv.Atoi(c.FormValue("weight_rows"))
	if err != nil { // a form without the count: read every row there may be
		n = models.MaxPlanWeights + emptyWeightRows
	}
	n = min(max(n, 0), models.MaxPlanWeights+emptyWeightRows)
	var rows []views.WeightRowView
	for i := 1; i <= n; i++ {
		period := strings.TrimSpace(c.FormValue("weight_period_" + strconv.Itoa(i)))
		percent := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.FormValue("weight_percent_"+strconv.Itoa(i))), "%"))
		if period == "" && percent == "" {
			continue
		}
		rows = append(rows, views.WeightRowView{Period: period, Percent: percent})
		pc, err := strconv.ParseInt(percent, 10, 64)
		if err != nil && numberErr == nil {
			m := models.M("err_weight_percent_number", "N", len(rows), "Period", period)
			numberErr = &m
		}
		// A bad number stays in as 0, so the model's row numbers match the form's.
		p.Weights = append(p.Weights, models.PeriodWeight{Period: period, Percent: pc})
	}
	// Rows past the table's limit are not read: a form that fills one is
	// refused whole rather than saved without it.
	if params, err := c.FormParams(); err == nil {
		for key, vals := range params {
			at, ok := strings.CutPrefix(key, "weight_period_")
			if !ok {
				at, ok = strings.CutPrefix(key, "weight_percent_")
			}
			if i, err := strconv.Atoi(at); ok && (err != nil || i > n || i < 1) && strings.TrimSpace(strings.Join(vals, "")) != "" {
				m := models.M("err_weights_too_many", "N", models.MaxPlanWeights)
				numberErr = &m
				break
			}
		}
	}
	fe := p.Validate()
	if numberErr != nil {
		fe["weights"] = *numberErr
	}
	return p, values, rows, fe
}

// pacingPropose proposes a new period, policy and weights; they apply when a second admin approves them.
func (s *Server) pacingPropose(c echo.Context) error {
	p, values, rows, fe := parsePacingForm(c)
	var err error = fe
	var ch *models.SettingsChange
	if len(fe) == 0 {
		ch, err = s.store.ProposePacingPlan(c.Request().Context(), actor(c), p)
	}
	if errors.Is(err, models.ErrNoChange) {
		err = models.FieldErrors{"_": msgOfErr(err)}
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.pacingSettingsView(c, values, rows, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.PacingPage(s.meta(c, tr(c, "pacing_title"), "settings"), v))
	}
	if err != nil {
		return err
	}
	return s.proposed(c, ch)
}

// policyWord is a policy's name in the reader's language ("–" for none).
func policyWord(c echo.Context, code string) string {
	if code == "" {
		return "–"
	}
	return tr(c, string(models.OverSubscriptionPolicy(code).Word()))
}

// fillBurnDown adds the pools' burn-down to the staff dashboard.
func (s *Server) fillBurnDown(c echo.Context, v *views.StaffDashboardView) error {
	ctx := c.Request().Context()
	now := s.now()
	settings := ""
	if actor(c).Role == models.RoleAdmin {
		settings = "/settings/pacing" // admins steer from here: the link sits by a warning too
	}
	v.BurnDown.SettingsURL = settings
	for _, p := range []struct{ name, title string }{{models.PoolCreators, tr(c, "burn_down_creators")}, {models.PoolMCN, tr(c, "burn_down_mcn")}} {
		b, err := s.store.BurnDown(ctx, p.name, now)
		if err != nil {
			return err
		}
		if !b.Set {
			v.BurnDown = views.BurnDownSectionView{NotSet: true, SettingsURL: settings}
			return nil
		}
		v.BurnDown.Pools = append(v.BurnDown.Pools, burnDownView(c, p.title, b))
	}
	return nil
}

func burnDownView(c echo.Context, title string, b models.BurnDown) views.BurnDownView {
	months := b.Pool == models.PoolMCN
	v := views.BurnDownView{Pool: b.Pool, Title: title,
		Chart: views.ColumnChart{ID: "burn-down-" + b.Pool, Title: title, Unit: tr(c, "burn_down_committed"), LineLabel: tr(c, "burn_down_plan"),
			Sparse: len(b.Periods) > 12, NoTable: true}}
	for _, p := range b.Periods {
		label := p.Period
		if !months {
			label = p.Period[5:] // "W24": the year is in the table
		}
		row := views.BurnDownRowView{Period: p.Period, Weight: models.WeightText(p.WeightPercent), Plan: models.FormatYuan(p.PlanFen), Committed: "–", Cum: "–", Current: p.Current}
		point := views.Point{Label: label, Display: "–"}
		if p.Ended || p.Current { // periods to come have committed nothing yet: no column
			row.Committed, row.Cum = models.FormatYuan(p.CommittedFen), models.FormatYuan(p.CumCommittedFen)
			point.Value, point.Display, point.Short = p.CumCommittedFen, row.Cum, views.ShortYuan(p.CumCommittedFen)
		}
		v.Chart.Points = append(v.Chart.Points, point)
		v.Chart.Line = append(v.Chart.Line, p.PlanFen)
		v.Rows = append(v.Rows, row)
	}
	left := models.FormatYuan(b.LeftFen)
	pool, pace, unit, units := tr(c, "burn_down_pool_creators"), tr(c, "burn_down_pace_four_weeks"), "burn_down_unit_week", "burn_down_unit_weeks"
	paceID := "burn_down_pace_week"
	if months {
		pool, pace, unit, units = tr(c, "burn_down_pool_mcn"), tr(c, "burn_down_pace_four_months"), "burn_down_unit_month", "burn_down_unit_months"
		paceID = "burn_down_pace_month"
	}
	if b.Never {
		v.Pace = tr(c, "burn_down_no_pace", "Left", left)
		return v
	}
	if b.PaceOver < models.BurnDownPaceOver {
		pace = tr(c, "burn_down_pace_so_far")
	}
	v.Pace = tr(c, paceID, "Pace", models.FormatYuan(b.PaceFen), "Count", b.PaceOver, "Left", left)
	if b.Early {
		if b.EarlyBy != 1 {
			unit = units
		}
		v.Warning = true
		v.Outlook = tr(c, "burn_down_early", "Pace", pace, "Pool", pool, "RunOut", b.RunOut, "By", b.EarlyBy, "Units", tr(c, unit), "End", b.End)
	} else {
		v.Outlook = tr(c, "burn_down_lasts", "Pace", pace, "Pool", pool, "End", b.End)
	}
	return v
}
