package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// uncomputedShown is how many uncomputed weeks the staff dashboard lists before "and N more".
const uncomputedShown = 5

func (s *Server) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	switch a.Role {
	case models.RoleCreator:
		return c.Redirect(http.StatusSeeOther, "/me")
	case models.RoleMCNManager:
		byState, err := s.store.CountByState(ctx, a)
		if err != nil {
			return err
		}
		pending, _, err := s.store.ListCreators(ctx, a, models.CreatorFilter{State: models.StatePending, Sort: "enrolled"}, models.NewPage(1, 10))
		if err != nil {
			return err
		}
		subjects, err := s.subjectNames(c)
		if err != nil {
			return err
		}
		pendingRows, err := s.creatorRowsFeatured(c, pending, subjects)
		if err != nil {
			return err
		}
		v := views.MCNDashboardView{ByState: stateCounts(byState), TotalCreators: sum(byState), Pending: pendingRows}
		ranks, err := s.store.AgencyRanks(ctx, a, *a.AgencyID, 10, s.now())
		if err != nil {
			return err
		}
		if v.Ranks, err = s.leaderRows(c, ranks); err != nil {
			return err
		}
		if v.Transfers, err = s.transferViews(c); err != nil {
			return err
		}
		if u := CurrentUser(c); u.Agency != nil {
			v.Agency = u.Agency.Name
		}
		if v.Quota, err = s.quotaView(c, *a.AgencyID); err != nil {
			return err
		}
		return render(c, http.StatusOK, views.MCNDashboardPage(s.meta(c, tr(c, "nav_dashboard"), "dashboard"), v))
	}
	byState, err := s.store.CountByState(ctx, a)
	if err != nil {
		return err
	}
	bySubject, err := s.store.CountBySubject(ctx, a)
	if err != nil {
		return err
	}
	agencies, err := s.store.CountAgencies(ctx)
	if err != nil {
		return err
	}
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return err
	}
	chart := views.BarChart{ID: "subjects", Title: tr(c, "chart_by_subject"), Unit: tr(c, "nav_creators")}
	for _, sa := range areas {
		chart.Bars = append(chart.Bars, views.Bar{Label: subjectName(ctx, sa), Value: bySubject[sa.ID], Href: "/creators?subject=" + itoa(sa.ID)})
	}
	v := views.StaffDashboardView{TotalCreators: sum(byState), Agencies: agencies, ByState: stateCounts(byState), BySubject: chart}
	if err := s.fillMoneyPanels(c, &v); err != nil {
		return err
	}
	uncomputed, err := s.store.UncomputedWeeks(ctx, a, s.now(), uncomputedShown)
	if err != nil {
		return err
	}
	for _, w := range uncomputed.Weeks {
		v.Uncomputed = append(v.Uncomputed, views.UncomputedWeekView{Week: w.String(), Dates: weekDates(c, w)})
	}
	v.MoreUncomputed = uncomputed.Total - len(uncomputed.Weeks)
	held, err := s.store.HeldPayouts(ctx, a, 0)
	if err != nil {
		return err
	}
	v.Held = heldView(c, held).Reasons
	if err := s.fillFlagged(c, &v); err != nil {
		return err
	}
	if err := s.fillBurnDown(c, &v); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.StaffDashboardPage(s.meta(c, tr(c, "nav_dashboard"), "dashboard"), v))
}

func stateCounts(m map[models.CreatorState]int64) []views.StateCount {
	out := make([]views.StateCount, 0, len(models.CreatorStates))
	for _, st := range models.CreatorStates {
		out = append(out, views.StateCount{State: string(st), Count: m[st], Href: "/creators?state=" + string(st)})
	}
	return out
}

func sum(m map[models.CreatorState]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// fillMoneyPanels adds the pools, what waits for reviewers, weekly spend and quota attainment.
func (s *Server) fillMoneyPanels(c echo.Context, v *views.StaffDashboardView) error {
	ctx := c.Request().Context()
	now := s.now()
	for _, p := range []struct{ name, label string }{{models.PoolCreators, tr(c, "pool_creators_label")}, {models.PoolMCN, tr(c, "pool_mcn_label")}} {
		pool, err := s.store.GetPool(ctx, p.name)
		if err != nil {
			return err
		}
		v.Pools = append(v.Pools, views.PoolView{Name: p.name, Label: p.label, Total: models.FormatYuan(pool.TotalFen),
			Committed: models.FormatYuan(pool.CommittedFen), Left: models.FormatYuan(pool.LeftFen())})
		// The bar counts whole yuan so it can show the share committed.
		v.PoolBars = append(v.PoolBars, views.Progress{Label: tr(c, "yuan_committed"), Value: pool.CommittedFen / 100, Goal: pool.TotalFen / 100})
	}
	pending, err := s.store.PendingApprovals(ctx)
	if err != nil {
		return err
	}
	v.PendingWeekly = fmt.Sprintf("%s · %s", views.Count(pending.Weekly.Count), models.FormatYuan(pending.Weekly.SumFen))
	v.PendingMCN = fmt.Sprintf("%s · %s", views.Count(pending.Monthly.Count), models.FormatYuan(pending.Monthly.SumFen))
	v.Appeals, v.SecondEye = pending.Appeals, pending.SecondEye
	weeks := make([]models.WeekLabel, 12)
	for i, w := 11, models.WeekOf(now).Prev(); i >= 0; i, w = i-1, w.Prev() {
		weeks[i] = w
	}
	spend, err := s.store.WeeklySpend(ctx, weeks)
	if err != nil {
		return err
	}
	v.Spend = views.ColumnChart{ID: "spend", Title: tr(c, "chart_spend"), Unit: tr(c, "chart_spend_unit")}
	for _, w := range weeks {
		v.Spend.Points = append(v.Spend.Points, views.Point{Label: w.String()[5:], Value: spend[w.String()], Display: models.FormatYuan(spend[w.String()]), Short: views.ShortYuan(spend[w.String()])})
	}
	att, err := s.store.QuotaAttainment(ctx, now)
	if err != nil {
		return err
	}
	v.Attainment = views.ColumnChart{ID: "attainment", Title: tr(c, "chart_attainment"), Unit: tr(c, "nav_agencies")}
	for i, label := range []string{"0–24%", "25–49%", "50–74%", "75–99%", tr(c, "quota_met")} {
		v.Attainment.Points = append(v.Attainment.Points, views.Point{Label: label, Value: int64(att.Buckets[i]), Good: i == 4})
	}
	v.AttainmentMsg = tr(c, "attainment_msg", "Met", att.Met, "Agencies", att.Agencies, "Month", att.Month)
	return nil
}
