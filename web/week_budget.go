package web

import (
	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// budgetPanel is the panel of a week's (PoolCreators) or month's (PoolMCN)
// budget above the review queue (issue 17); period "" shows the newest
// computed one. Nil when nothing is computed yet.
func (s *Server) budgetPanel(c echo.Context, pool, period string) (*views.BudgetPanelView, error) {
	p, err := s.store.BudgetPanelOf(c.Request().Context(), pool, period)
	if err != nil || p.Period == "" {
		return nil, err
	}
	monthly := pool == models.PoolMCN
	v := &views.BudgetPanelView{Heading: tr(c, "budget_panel_heading", "Period", p.Period)}
	if period == "" {
		newest := "budget_panel_newest_week"
		if monthly {
			newest = "budget_panel_newest_month"
		}
		v.Heading = tr(c, "budget_panel_heading_newest", "Period", p.Period, "Which", tr(c, newest))
	}
	if p.Budget == nil {
		switch {
		case p.PlanSet:
			v.NoBudget = tr(c, "budget_panel_none_outside", "Period", p.Period)
		case monthly:
			v.NoBudget = tr(c, "budget_panel_none_unset_month")
		default:
			v.NoBudget = tr(c, "budget_panel_none_unset_week")
		}
		v.SettingsLink = actor(c).Role == models.RoleAdmin
		return v, nil
	}
	v.SettingsLink = actor(c).Role == models.RoleAdmin
	b := p.Budget
	v.Budget, v.Committed, v.Left = models.FormatYuan(b.BudgetFen), models.FormatYuan(b.CommittedFen), models.FormatYuan(p.LeftFen())
	v.Waiting = tr(c, "budget_panel_waiting_value", "Amount", models.FormatYuan(p.WaitingFen), "Count", views.Count(p.WaitingCount))
	v.Policy = "—"
	if b.Policy != "" {
		v.Policy = tr(c, string(b.Policy.Word()))
	}
	v.Factor = models.FactorText(b.FactorPPM)
	if b.FactorPPM >= models.PPM {
		v.Factor = tr(c, "budget_panel_factor_none", "Factor", v.Factor)
	}
	if over := p.OverFen(); over > 0 {
		v.Over = tr(c, "budget_panel_over", "Period", p.Period, "Over", models.FormatYuan(over), "Left", v.Left, "Waiting", models.FormatYuan(p.WaitingFen))
	}
	return v, nil
}
