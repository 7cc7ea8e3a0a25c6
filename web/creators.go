package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

func (s *Server) creatorList(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	f := models.CreatorFilter{
		Search: c.QueryParam("q"),
		Sort:   c.QueryParam("sort"),
		Desc:   c.QueryParam("dir") == "desc",
	}
	if st := models.CreatorState(c.QueryParam("state")); st.Valid() {
		f.State = st
	}
	if id := optionalID(c.QueryParam("subject")); id != nil {
		f.SubjectID = *id
	}
	if a.IsStaff() {
		f.AgencyID, f.AgencyName = agencyParam(c.QueryParam("agency"))
	}
	f.Featured = c.QueryParam("featured") == "1"
	page := pageParam(c)
	rows, total, err := s.store.ListCreators(ctx, a, f, page)
	if err != nil {
		return err
	}
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return err
	}
	listRows, err := s.creatorRowsFeatured(c, rows, subjectNameMap(ctx, areas))
	if err != nil {
		return err
	}
	reasons, err := s.store.ReasonCodes(ctx, models.ReasonForCreator, false)
	if err != nil {
		return err
	}
	for i, cr := range rows {
		if cr.State == models.StateRejected && cr.StateReason != "" {
			listRows[i].Reason = reasonLabel(ctx, reasons, cr.StateReason)
		}
	}
	v := views.CreatorListView{
		Title:     tr(c, "nav_creators"),
		Featured:  f.Featured,
		Rows:      listRows,
		Pager:     seekPager(c, page, total, rows, func(cr models.Creator) string { return models.CreatorCursor(cr, f) }),
		Search:    f.Search,
		States:    stateOptions(ctx, string(f.State)),
		Subjects:  subjectOptions(ctx, areas, f.SubjectID, tr(c, "all_subject_areas"), false),
		CanEnrol:  true,
		CanImport: true,
	}
	if a.IsStaff() {
		v.ShowAgency = true
		if v.Agencies, err = s.agencyFilter(c, c.QueryParam("agency")); err != nil {
			return err
		}
	} else {
		v.Title = tr(c, "nav_our_creators")
	}
	if f.State == models.StatePending {
		v.Title = tr(c, "pending_creators")
		if a.IsStaff() {
			v.Bulk = &views.BulkCreatorForm{Reasons: reasonOptions(ctx, reasons)}
		}
	}
	q := url.Values{}
	for k, vals := range c.QueryParams() {
		if k != "page" && k != "sort" && k != "dir" {
			q[k] = vals
		}
	}
	sortKey := f.Sort
	if _, ok := models.CreatorSorts[sortKey]; !ok {
		sortKey, f.Desc = "enrolled", true
	}
	v.Sorts = map[string]views.SortLink{}
	for key, label := range map[string]string{"name": "col_name", "followers": "col_followers", "state": "col_state", "enrolled": "col_enrolled"} {
		v.Sorts[key] = views.SortLink{Label: tr(c, label), Key: key, Current: sortKey, Desc: f.Desc, BaseURL: "/creators", Query: q}
	}
	active := "creators"
	if f.State == models.StatePending && a.IsStaff() {
		active = "review"
	}
	return render(c, http.StatusOK, views.CreatorListPage(s.meta(c, v.Title, active), v))
}

func (s *Server) creatorFormView(c echo.Context, values map[string]string, errs views.FieldErrors) (views.CreatorFormView, error) {
	ctx := c.Request().Context()
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return views.CreatorFormView{}, err
	}
	v := views.CreatorFormView{Values: values, Errors: errs, Subjects: subjectOptions(c.Request().Context(), areas, 0, "", true)}
	for _, ct := range models.ContentTypes {
		v.ContentTypes = append(v.ContentTypes, views.Option{Value: string(ct), Label: tr(c, contentTypeLabel(ct))})
	}
	if actor(c).IsStaff() {
		ags, err := s.store.AgencyOptions(ctx)
		if err != nil {
			return v, err
		}
		v.Agencies = agencyOptions(ags, 0, tr(c, "independent_no_agency"))
	}
	return v, nil
}

func (s *Server) creatorForm(c echo.Context) error {
	v, err := s.creatorFormView(c, map[string]string{"content_type": "video"}, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CreatorFormPage(s.meta(c, tr(c, "enrol_creator"), "enrol"), v))
}

var creatorFormFields = []string{"display_name", "account_id", "subject1", "subject2", "subject3", "content_type", "followers", "contact_email", "contact_phone", "agency_id"}

func (s *Server) creatorCreate(c echo.Context) error {
	values := map[string]string{}
	for _, f := range creatorFormFields {
		values[f] = c.FormValue(f)
	}
	e := models.Enrolment{
		DisplayName: values["display_name"], AccountID: values["account_id"],
		Subjects:    []string{values["subject1"], values["subject2"], values["subject3"]},
		ContentType: values["content_type"], Followers: values["followers"],
		ContactEmail: values["contact_email"], ContactPhone: values["contact_phone"],
	}
	if values["subject1"] == "" && (values["subject2"] != "" || values["subject3"] != "") {
		e.Subjects = nil // a second area without a primary is no primary at all
	}
	res, err := s.store.EnrolCreator(c.Request().Context(), actor(c), optionalID(values["agency_id"]), e)
	if fe, ok := models.AsFieldErrors(err); ok {
		errs := fieldErrors(c, fe)
		if errors.Is(err, models.ErrCreatorTaken) && actor(c).Role == models.RoleMCNManager {
			errs["account_id"] = tr(c, "taken_request_transfer", "Why", trMsg(c, fe["account_id"]))
		}
		v, verr := s.creatorFormView(c, values, errs)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.CreatorFormPage(s.meta(c, tr(c, "enrol_creator"), "enrol"), v))
	}
	if err != nil {
		return err
	}
	if err := s.addFlash(c, "success", tr(c, "flash_enrolled", "Name", res.Creator.DisplayName)); err != nil {
		return err
	}
	if res.Invitation != nil {
		// The link goes to the creator's own email only: whoever enrols them never sees it.
		if err := s.mailOneLink(c, inviteLink, res.Invitation); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/creators/"+itoa(res.Creator.ID))
}

func (s *Server) creatorDetail(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.creatorDetailView(c, id)
	if err != nil {
		return err
	}
	if v.RecentWeeks, err = s.recentWeeks(c, id); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CreatorDetailPage(s.meta(c, v.Name, "creators"), v))
}

// creatorDetailView loads one creator the actor may see, with what they may do to it.
func (s *Server) creatorDetailView(c echo.Context, id uint) (views.CreatorDetailView, error) {
	ctx := c.Request().Context()
	a := actor(c)
	cr, err := s.store.GetCreator(ctx, a, id)
	if err != nil {
		return views.CreatorDetailView{}, err
	}
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return views.CreatorDetailView{}, err
	}
	reasons, err := s.store.ReasonCodes(ctx, models.ReasonForCreator, false)
	if err != nil {
		return views.CreatorDetailView{}, err
	}
	names := subjectNameMap(ctx, areas)
	v := views.CreatorDetailView{
		ID: cr.ID, Name: cr.DisplayName, AccountID: cr.AccountID, Agency: tr(c, "independent"),
		ContentType: tr(c, contentTypeLabel(cr.ContentType)), Followers: cr.Followers, Email: cr.ContactEmail, Phone: cr.ContactPhone,
		State: string(cr.State), Reason: reasonLabel(c.Request().Context(), reasons, cr.StateReason), Note: cr.StateNote,
		Enrolled: models.FormatCST(cr.EnrolledAt),
	}
	if cr.Agency != nil {
		v.Agency = cr.Agency.Name
		if a.Role != models.RoleCreator {
			v.AgencyHref = "/agencies/" + itoa(cr.Agency.ID)
		}
	}
	for _, sid := range cr.SubjectIDs() {
		v.Subjects = append(v.Subjects, names[sid])
	}
	if cr.QualifiedAt != nil {
		v.Qualified = i18n.From(ctx).Date(cr.QualifiedAt.In(models.CST))
	}
	now := s.now()
	v.Today = now.In(models.CST).Format("2006-01-02")
	feature, err := s.store.CurrentFeature(ctx, cr.ID, now)
	if err != nil {
		return v, err
	}
	if feature != nil {
		v.Featured = i18n.T(ctx, "until", "Date", feature.ToDay)
		if feature.Note != "" {
			v.Featured += ": " + feature.Note
		}
	}
	if cr.State == models.StateQualified {
		st, err := s.store.CreatorStanding(ctx, cr.ID, now)
		if err != nil {
			return v, err
		}
		if st.Rank > 0 {
			v.Rank = rankText(c, st)
		}
	}
	if a.Role == models.RoleCreator {
		return v, nil
	}
	if cr.ResubmittedAt != nil {
		v.Resubmitted = models.FormatCST(*cr.ResubmittedAt)
		v.ResubmitNote = cr.ResubmitNote
		v.IsResubmission = cr.IsResubmission()
		if cr.ResubmittedReason != "" {
			v.ResubmittedReason = reasonLabel(ctx, reasons, cr.ResubmittedReason)
		}
	}
	// Featuring is for qualified creators; a feature that outlived the qualification can still be stopped.
	v.CanFeature = a.IsStaff() && (cr.State == models.StateQualified || feature != nil)
	v.CanResubmit = a.Role == models.RoleMCNManager && cr.State == models.StateRejected
	v.NextPending = a.IsStaff() && cr.State != models.StatePending
	v.CanInvite = true
	if v.HasAccount, err = s.store.CreatorHasAccount(ctx, cr.ID); err != nil {
		return v, err
	}
	if a.IsStaff() {
		for _, act := range models.ActionsFrom(cr.State) {
			v.Actions = append(v.Actions, views.ActionView{Action: string(act), Label: actionLabel(c.Request().Context(), act), NeedsReason: models.CreatorTransitions[act].NeedsReason})
		}
		v.Reasons = reasonOptions(c.Request().Context(), reasons)
	}
	history, err := s.store.AuditFor(ctx, "creator", cr.ID)
	if err != nil {
		return v, err
	}
	if v.History, err = s.historyRows(c, history); err != nil {
		return v, err
	}
	return v, nil
}

func (s *Server) creatorDecide(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	action := models.CreatorAction(c.FormValue("action"))
	d := models.Decision{CreatorID: id, Action: action, Reason: c.FormValue("reason-" + string(action)), Note: c.FormValue("note")}
	cr, err := s.store.DecideCreator(c.Request().Context(), actor(c), d)
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.creatorDetailView(c, id)
		if verr != nil {
			return verr
		}
		v.Errors = fieldErrors(c, fe)
		return render(c, http.StatusUnprocessableEntity, views.CreatorDetailPage(s.meta(c, v.Name, "creators"), v))
	}
	if errors.Is(err, models.ErrInvalidTransition) {
		msg, _ := trErr(c, err)
		return s.redirectWithFlash(c, "/creators/"+itoa(id), "error", msg)
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/creators/"+itoa(id), "success", tr(c, "flash_creator_state", "Name", cr.DisplayName, "State", views.StateLabel(c.Request().Context(), string(cr.State))))
}

func (s *Server) creatorReinvite(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	link, err := s.store.ReissueInvitation(c.Request().Context(), actor(c), id)
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/creators/"+itoa(id), "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	if err := s.mailOneLink(c, inviteLink, link); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/creators/"+itoa(id))
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

func (s *Server) creatorFeature(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = s.store.FeatureCreator(c.Request().Context(), actor(c), id, c.FormValue("from"), c.FormValue("to"), c.FormValue("note"))
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/creators/"+itoa(id), "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/creators/"+itoa(id), "success", tr(c, "flash_featured", "From", c.FormValue("from"), "To", c.FormValue("to")))
}

func (s *Server) creatorUnfeature(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = s.store.EndFeature(c.Request().Context(), actor(c), id, s.now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/creators/"+itoa(id), "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/creators/"+itoa(id), "success", tr(c, "flash_unfeatured"))
}
