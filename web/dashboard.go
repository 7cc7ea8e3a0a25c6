package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

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
		v := views.MCNDashboardView{ByState: stateCounts(byState), TotalCreators: sum(byState), Pending: creatorRows(pending, subjects)}
		if u := CurrentUser(c); u.Agency != nil {
			v.Agency = u.Agency.Name
		}
		if v.Quota, err = s.quotaView(c, *a.AgencyID); err != nil {
			return err
		}
		return render(c, http.StatusOK, views.MCNDashboardPage(s.meta(c, "Dashboard", "dashboard"), v))
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
	chart := views.BarChart{ID: "subjects", Title: "Creators by primary subject area", Unit: "Creators"}
	for _, sa := range areas {
		chart.Bars = append(chart.Bars, views.Bar{Label: sa.Name, Value: bySubject[sa.ID], Href: "/creators?subject=" + itoa(sa.ID)})
	}
	v := views.StaffDashboardView{TotalCreators: sum(byState), Agencies: agencies, ByState: stateCounts(byState), BySubject: chart}
	return render(c, http.StatusOK, views.StaffDashboardPage(s.meta(c, "Dashboard", "dashboard"), v))
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
