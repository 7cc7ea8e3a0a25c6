package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// Risk triage in the bonus queue (issue 16, point 8): flags as badges with
// their reasons, a filter by flag, a sort by risk, "approve everything
// matching" without flagged proposals unless "include flagged" is ticked,
// the flags explained on the bonus page, and waiting proposals by flag on
// the dashboard.

// riskParam reads the queue's risk filter ("" when unknown).
func riskParam(v string) string {
	if models.ValidRiskFilter(v) {
		return v
	}
	return ""
}

// riskOptions offers the risk filter: all, any flag, no flag, each kind.
func riskOptions(c echo.Context, selected string) []views.Option {
	out := []views.Option{{Value: "", Label: tr(c, "risk_filter_all")}, {Value: models.RiskAny, Label: tr(c, "risk_filter_any")},
		{Value: models.RiskNone, Label: tr(c, "risk_filter_none")}}
	for _, k := range models.RiskKinds {
		out = append(out, views.Option{Value: string(k), Label: riskKindLabel(c, k)})
	}
	for i := range out {
		out[i].Selected = out[i].Value == selected
	}
	return out
}

// riskKindLabel is a kind's short badge label ("risk_kind_<kind>"; each
// kind's label comes with its detector, so a kind without one reads as its
// name rather than a missing message).
func riskKindLabel(c echo.Context, k models.RiskKind) string {
	return i18n.From(c.Request().Context()).Label("risk_kind_", string(k))
}

// riskBadgeViews shows flags as badges: the short label, and why in words and numbers.
func riskBadgeViews(c echo.Context, flags []models.RiskFlag) []views.RiskBadge {
	out := make([]views.RiskBadge, len(flags))
	for i, f := range flags {
		out[i] = views.RiskBadge{Kind: string(f.Kind), Label: riskKindLabel(c, f.Kind), Why: trMsg(c, f.Msg())}
	}
	return out
}

// addRiskBadges gives the queue's rows of flagged bonuses their badges: one
// query for the whole page, whether or not it shows a flagged row, so a
// page's queries stay the same as the data grows.
func (s *Server) addRiskBadges(c echo.Context, rows []models.BonusRow, out []views.BonusRowView) error {
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	flags, err := s.store.RiskFlagsOf(c.Request().Context(), actor(c), ids)
	if err != nil {
		return err
	}
	for i := range out {
		out[i].Flags = riskBadgeViews(c, flags[out[i].ID])
	}
	return nil
}

// addRiskFlags explains a bonus's flags on its page.
func (s *Server) addRiskFlags(c echo.Context, v *views.BonusDetailView) error {
	flags, err := s.store.BonusRiskFlags(c.Request().Context(), actor(c), v.ID)
	if err != nil {
		return err
	}
	v.ShowFlags, v.Flags = true, riskBadgeViews(c, flags)
	return nil
}

// excludeFlagged reports whether a bulk approval of everything matching
// leaves flagged proposals out (the reviewer did not tick "include flagged").
func excludeFlagged(c echo.Context) bool {
	return c.FormValue("action") == "approve" && c.FormValue("include_flagged") != "1"
}

// flaggedLeftOut is the confirmation's line for the flagged proposals an
// approval of everything matching leaves out: how many and how much.
func (s *Server) flaggedLeftOut(c echo.Context) (views.ConfirmFact, error) {
	ctx := c.Request().Context()
	a := actor(c)
	f, _, _ := parseBonusFilter(func(k string) string { return c.FormValue("f_" + k) }, a)
	fact := views.ConfirmFact{Label: tr(c, "confirm_left_out"), TestID: "confirm-left-out"}
	var sel models.Selection
	if _, left := f.WithoutFlagged(); left != nil {
		ids, err := s.store.BonusIDs(ctx, a, *left, models.MaxBulk+1)
		if err != nil {
			return fact, err
		}
		if sel, err = s.store.SummariseBonuses(ctx, a, ids); err != nil {
			return fact, err
		}
	}
	fact.Value = tr(c, "confirm_left_out_value", "Count", views.Count(int64(sel.Count)), "Amount", models.FormatYuan(sel.AmountFen))
	return fact, nil
}

// fillFlagged adds waiting proposals by flag to the staff dashboard.
func (s *Server) fillFlagged(c echo.Context, v *views.StaffDashboardView) error {
	kinds, err := s.store.FlaggedWaiting(c.Request().Context())
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if k.Count == 0 {
			continue
		}
		v.AnyFlagged = true
		v.Flagged = append(v.Flagged, views.FlaggedKindView{Kind: string(k.Kind), Label: riskKindLabel(c, k.Kind), Count: views.Count(k.Count),
			Amount: models.FormatYuan(k.TotalFen), Href: "/bonuses?" + url.Values{"risk": {string(k.Kind)}}.Encode()})
	}
	return nil
}
