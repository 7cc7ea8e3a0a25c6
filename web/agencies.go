package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) agencyList(c echo.Context) error {
	page := pageParam(c)
	rows, total, err := s.store.ListAgencies(c.Request().Context(), actor(c), c.QueryParam("q"), page)
	if err != nil {
		return err
	}
	v := views.AgencyListView{Pager: seekPager(c, page, total, rows, models.AgencyCursor), Search: c.QueryParam("q")}
	for _, r := range rows {
		v.Rows = append(v.Rows, views.AgencyRowView{ID: r.ID, Name: r.Name, Contact: r.ContactName, Creators: r.Creators, Qualified: r.Qualified, Pending: r.Pending})
	}
	return render(c, http.StatusOK, views.AgencyListPage(s.meta(c, tr(c, "nav_agencies"), "agencies"), v))
}

var agencyFormFields = []string{"name", "contact_name", "contact_email", "contact_phone"}

func agencyInput(c echo.Context) (models.AgencyInput, map[string]string) {
	values := map[string]string{}
	for _, f := range agencyFormFields {
		values[f] = c.FormValue(f)
	}
	return models.AgencyInput{Name: values["name"], ContactName: values["contact_name"], ContactEmail: values["contact_email"], ContactPhone: values["contact_phone"]}, values
}

func (s *Server) agencyNew(c echo.Context) error {
	return render(c, http.StatusOK, views.AgencyFormPage(s.meta(c, tr(c, "agency_add"), "agencies"), views.AgencyFormView{Values: map[string]string{}}))
}

func (s *Server) agencyCreate(c echo.Context) error {
	in, values := agencyInput(c)
	ag, err := s.store.CreateAgency(c.Request().Context(), actor(c), in)
	if fe, ok := models.AsFieldErrors(err); ok {
		return render(c, http.StatusUnprocessableEntity, views.AgencyFormPage(s.meta(c, tr(c, "agency_add"), "agencies"), views.AgencyFormView{Values: values, Errors: fieldErrors(c, fe)}))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/agencies/"+itoa(ag.ID), "success", tr(c, "flash_agency_added", "Name", ag.Name))
}

func (s *Server) agencyEdit(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ag, err := s.store.GetAgency(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	values := map[string]string{"name": ag.Name, "contact_name": ag.ContactName, "contact_email": ag.ContactEmail, "contact_phone": ag.ContactPhone}
	return render(c, http.StatusOK, views.AgencyFormPage(s.meta(c, tr(c, "edit_name", "Name", ag.Name), "agencies"), views.AgencyFormView{ID: id, Values: values}))
}

func (s *Server) agencyUpdate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in, values := agencyInput(c)
	ag, err := s.store.UpdateAgency(c.Request().Context(), actor(c), id, in)
	if fe, ok := models.AsFieldErrors(err); ok {
		return render(c, http.StatusUnprocessableEntity, views.AgencyFormPage(s.meta(c, tr(c, "edit"), "agencies"), views.AgencyFormView{ID: id, Values: values, Errors: fieldErrors(c, fe)}))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/agencies/"+itoa(ag.ID), "success", tr(c, "flash_saved"))
}

func (s *Server) agencyDetailView(c echo.Context, id uint) (views.AgencyDetailView, error) {
	ctx := c.Request().Context()
	a := actor(c)
	ag, err := s.store.GetAgency(ctx, a, id)
	if err != nil {
		return views.AgencyDetailView{}, err
	}
	scope := &models.Actor{Role: models.RoleMCNManager, AgencyID: &ag.ID}
	byState, err := s.store.CountByState(ctx, scope)
	if err != nil {
		return views.AgencyDetailView{}, err
	}
	managers, err := s.store.UsersOfAgency(ctx, ag.ID)
	if err != nil {
		return views.AgencyDetailView{}, err
	}
	v := views.AgencyDetailView{ID: ag.ID, Name: ag.Name, ContactName: ag.ContactName, ContactEmail: ag.ContactEmail,
		ContactPhone: ag.ContactPhone, ByState: stateCounts(byState), IsStaff: a.IsStaff(), Settlement: ag.Settlement,
		CanSetSettlement: a.Role == models.RoleMCNManager}

	if a.IsStaff() {
		for i := range v.ByState {
			v.ByState[i].Href += "&agency=" + itoa(ag.ID)
		}
	}
	for _, m := range managers {
		v.Managers = append(v.Managers, m.Email)
	}
	if a.Role == models.RoleAdmin {
		v.CanAddManager = true
		if v.Invited, err = s.pendingInvitations(c, &ag.ID); err != nil {
			return v, err
		}
	}
	if v.Quota, err = s.quotaView(c, ag.ID); err != nil {
		return v, err
	}
	v.NextMonth = models.MonthOf(s.now()).Next().String()
	overrides, err := s.store.QuotaHistory(ctx, a, ag.ID)
	if err != nil {
		return v, err
	}
	for _, o := range overrides {
		v.Overrides = append(v.Overrides, tr(c, "quota_override", "Month", o.FromMonth, "Quota", o.Quota, "Set", models.FormatCST(o.CreatedAt)))
	}
	if a.IsStaff() {
		history, err := s.store.AuditFor(ctx, "agency", ag.ID)
		if err != nil {
			return v, err
		}
		if v.History, err = s.historyRows(c, history); err != nil {
			return v, err
		}
	}
	return v, nil
}

func (s *Server) agencyDetail(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.agencyDetailView(c, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AgencyDetailPage(s.meta(c, v.Name, "agencies"), v))
}

// agencyAddManager invites a manager (admins only): the invitation goes to their
// own email, and they choose their password themselves.
func (s *Server) agencyAddManager(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := actor(c)
	if _, err := s.store.GetAgency(ctx, a, id); err != nil {
		return err
	}
	email := c.FormValue("email")
	link, err := s.store.AddAgencyManager(ctx, a, id, email)
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.agencyDetailView(c, id)
		if verr != nil {
			return verr
		}
		v.ManagerEmail, v.ManagerErrors = email, fieldErrors(c, fe)
		return render(c, http.StatusUnprocessableEntity, views.AgencyDetailPage(s.meta(c, v.Name, "agencies"), v))
	}
	if err != nil {
		return err
	}
	if err := s.mailOneLink(c, inviteLink, link); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/agencies/"+itoa(id))
}

// pendingInvitations lists invitations to accounts not yet taken up: one
// agency's managers, or everyone's when agencyID is nil.
func (s *Server) pendingInvitations(c echo.Context, agencyID *uint) ([]string, error) {
	open, err := s.store.OpenUserInvitations(c.Request().Context(), agencyID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(open))
	for _, inv := range open {
		out = append(out, tr(c, "pending_invitation", "Email", inv.Email, "Role", tr(c, "role_"+string(inv.Role)), "Until", models.FormatCST(inv.ExpiresAt)))
	}
	return out, nil
}
