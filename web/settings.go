package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) settingsView(c echo.Context, values map[string]string, errs views.FieldErrors) (views.SettingsView, error) {
	ctx := c.Request().Context()
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return views.SettingsView{}, err
	}
	reasons, err := s.store.ReasonCodes(ctx, "", false)
	if err != nil {
		return views.SettingsView{}, err
	}
	if values == nil {
		values = map[string]string{}
	}
	v := views.SettingsView{Values: values, Errors: errs}
	if _, posted := values["confirm_count"]; !posted {
		th, err := s.store.ConfirmThresholds(ctx)
		if err != nil {
			return v, err
		}
		values["confirm_count"], values["confirm_amount"] = strconv.Itoa(th.Count), models.YuanDecimal(th.AmountFen)
	}
	if _, posted := values["min_payout"]; !posted {
		fen, err := s.store.MinPayout(ctx)
		if err != nil {
			return v, err
		}
		values["min_payout"] = models.YuanDecimal(fen)
	}
	if _, posted := values["holding_days"]; !posted {
		days, err := s.store.HoldingDays(ctx)
		if err != nil {
			return v, err
		}
		values["holding_days"] = strconv.Itoa(days)
	}
	if v.Pending, err = s.pendingCount(c); err != nil {
		return v, err
	}
	for _, a := range areas {
		v.Subjects = append(v.Subjects, views.SubjectRowView{ID: a.ID, Code: a.Code, Name: a.Name, Shown: subjectName(c.Request().Context(), a), Active: a.Active})
	}
	for _, r := range reasons {
		v.Reasons = append(v.Reasons, views.ReasonRowView{ID: r.ID, Kind: r.Kind, Code: r.Code, Label: r.Label, Shown: reasonLabel(c.Request().Context(), reasons, r.Code), Active: r.Active,
			Distrusts: r.DistrustsPerformance})
	}
	return v, nil
}

func (s *Server) settings(c echo.Context) error {
	v, err := s.settingsView(c, map[string]string{}, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SettingsPage(s.meta(c, tr(c, "nav_settings"), "settings"), v))
}

// settingsResult ends a settings post: field errors re-render the page with 422, success flashes and redirects.
func (s *Server) settingsResult(c echo.Context, values map[string]string, err error, done string) error {
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.settingsView(c, values, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.SettingsPage(s.meta(c, tr(c, "nav_settings"), "settings"), v))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/settings", "success", done)
}

func (s *Server) subjectUpdate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = s.store.UpdateSubjectArea(c.Request().Context(), actor(c), id, c.FormValue("name"), c.FormValue("active") == "1")
	return s.settingsResult(c, map[string]string{}, err, tr(c, "flash_subject_saved"))
}

func (s *Server) reasonCreate(c echo.Context) error {
	values := map[string]string{"kind": c.FormValue("kind"), "code": c.FormValue("code"), "label": c.FormValue("label")}
	err := s.store.CreateReasonCode(c.Request().Context(), actor(c), values["kind"], values["code"], values["label"])
	return s.settingsResult(c, values, err, tr(c, "flash_reason_added"))
}

func (s *Server) reasonUpdate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if c.FormValue("has_distrusts") == "1" { // a weekly-bonus reason's form carries the "performance not trusted" box
		err = s.store.UpdateReasonCodeDistrust(c.Request().Context(), actor(c), id, c.FormValue("label"), c.FormValue("active") == "1",
			c.FormValue("distrusts_performance") == "1")
	} else {
		err = s.store.UpdateReasonCode(c.Request().Context(), actor(c), id, c.FormValue("label"), c.FormValue("active") == "1")
	}
	return s.settingsResult(c, map[string]string{}, err, tr(c, "flash_reason_saved"))
}

func (s *Server) usersView(c echo.Context, values map[string]string, errs views.FieldErrors) (views.UsersView, error) {
	page := pageParam(c)
	users, total, err := s.store.ListUsers(c.Request().Context(), "", page)
	if err != nil {
		return views.UsersView{}, err
	}
	v := views.UsersView{Pager: pager(c, page, total), Values: values, Errors: errs}
	for _, u := range users {
		row := views.UserRowView{ID: u.ID, Email: u.Email, Role: tr(c, "role_"+string(u.Role)), Disabled: u.Disabled}
		if u.Agency != nil {
			row.Agency = u.Agency.Name
		}
		if u.LastLoginAt != nil {
			row.LastSeen = models.FormatCST(*u.LastLoginAt)
		}
		v.Rows = append(v.Rows, row)
	}
	if v.Invited, err = s.pendingInvitations(c, nil); err != nil {
		return v, err
	}
	for _, r := range []models.Role{models.RoleReviewer, models.RoleAdmin} {
		v.Roles = append(v.Roles, views.Option{Value: string(r), Label: tr(c, "role_"+string(r)), Selected: values["role"] == string(r)})
	}
	return v, nil
}

func (s *Server) userList(c echo.Context) error {
	v, err := s.usersView(c, map[string]string{}, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.UsersPage(s.meta(c, tr(c, "users"), "settings"), v))
}

// userCreate invites a staff member: the invitation goes to their own email,
// and they choose their password themselves.
func (s *Server) userCreate(c echo.Context) error {
	values := map[string]string{"email": c.FormValue("email"), "role": c.FormValue("role")}
	role := models.Role(values["role"])
	var link *models.OneTimeLink
	var err error
	if role != models.RoleAdmin && role != models.RoleReviewer {
		err = models.FieldErrors{"role": models.Msg{ID: "err_staff_roles"}}
	} else {
		link, err = s.store.InviteUser(c.Request().Context(), actor(c), models.NewInvitation{Email: values["email"], Role: role})
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.usersView(c, values, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.UsersPage(s.meta(c, tr(c, "users"), "settings"), v))
	}
	if err != nil {
		return err
	}
	if err := s.mailOneLink(c, inviteLink, link); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/settings/users")
}
