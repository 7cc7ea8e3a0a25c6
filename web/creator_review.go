package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// resubmitFields are the resubmission form's fields.
var resubmitFields = []string{"display_name", "subject1", "subject2", "subject3", "content_type", "followers", "contact_phone", "note"}

// resubmitView is the resubmission form for a rejected creator of the
// manager's agency, filled with values (the creator's details at first).
func (s *Server) resubmitView(c echo.Context, id uint, values map[string]string, errs views.FieldErrors) (views.ResubmitView, error) {
	detail, err := s.creatorDetailView(c, id)
	if err != nil {
		return views.ResubmitView{}, err
	}
	form, err := s.creatorFormView(c, values, errs)
	if err != nil {
		return views.ResubmitView{}, err
	}
	form.Agencies = nil
	return views.ResubmitView{ID: id, Name: detail.Name, AccountID: detail.AccountID, Reason: detail.Reason, Note: detail.Note, Form: form}, nil
}

// resubmitForm shows a rejected creator's details to correct, with a note for the reviewer.
func (s *Server) resubmitForm(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cr, err := s.store.GetCreator(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	if cr.State != models.StateRejected {
		msg, _ := trErr(c, models.NotRejectedError{Name: cr.DisplayName, State: cr.State})
		return s.redirectWithFlash(c, "/creators/"+itoa(id), "error", msg)
	}
	values := map[string]string{
		"display_name": cr.DisplayName, "subject1": itoa(cr.PrimarySubjectID), "content_type": string(cr.ContentType),
		"followers": strconv.FormatInt(cr.Followers, 10), "contact_phone": cr.ContactPhone,
	}
	if cr.Subject2ID != nil {
		values["subject2"] = itoa(*cr.Subject2ID)
	}
	if cr.Subject3ID != nil {
		values["subject3"] = itoa(*cr.Subject3ID)
	}
	v, err := s.resubmitView(c, id, values, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ResubmitPage(s.meta(c, tr(c, "resubmit_title", "Name", v.Name), "creators"), v))
}

// resubmit puts a rejected creator back to pending with corrected details.
func (s *Server) resubmit(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, f := range resubmitFields {
		values[f] = c.FormValue(f)
	}
	r := models.Resubmission{
		CreatorID: id, DisplayName: values["display_name"], Subjects: []string{values["subject1"], values["subject2"], values["subject3"]},
		ContentType: values["content_type"], Followers: values["followers"], ContactPhone: values["contact_phone"], Note: values["note"],
	}
	if values["subject1"] == "" && (values["subject2"] != "" || values["subject3"] != "") {
		r.Subjects = nil // a second area without a primary is no primary at all
	}
	cr, err := s.store.ResubmitCreator(c.Request().Context(), actor(c), r)
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.resubmitView(c, id, values, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.ResubmitPage(s.meta(c, tr(c, "resubmit_title", "Name", v.Name), "creators"), v))
	}
	if errors.Is(err, models.ErrNotRejected) {
		msg, _ := trErr(c, err)
		return s.redirectWithFlash(c, "/creators/"+itoa(id), "error", msg)
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/creators/"+itoa(id), "success", tr(c, "flash_resubmitted", "Name", cr.DisplayName))
}

// creatorsBulkDecide qualifies or rejects the creators selected on the pending
// list, with one reason; creators decided meanwhile are skipped and counted.
func (s *Server) creatorsBulkDecide(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var ids []uint
	for _, v := range form["ids"] {
		if n, err := strconv.ParseUint(v, 10, 32); err == nil {
			ids = append(ids, uint(n))
		}
	}
	action := models.CreatorAction(c.FormValue("action"))
	back := "/creators?state=pending"
	res, err := s.store.DecideCreators(c.Request().Context(), actor(c), models.BulkCreatorDecision{
		CreatorIDs: ids, Action: action, Reason: c.FormValue("reason"), Note: c.FormValue("note"),
	})
	if _, ok := models.AsFieldErrors(err); ok {
		msg, _ := trErr(c, err)
		return s.redirectWithFlash(c, back, "error", msg)
	}
	if err != nil {
		return err
	}
	state := models.StateQualified
	if action == models.ActionReject {
		state = models.StateRejected
	}
	msg := tr(c, "flash_bulk_creators", "State", views.StateLabel(c.Request().Context(), string(state)), "Decided", res.Decided)
	kind := "success"
	if res.Skipped > 0 {
		msg += " " + tr(c, "flash_bulk_creators_skipped", "Skipped", res.Skipped)
		kind = "info"
	}
	return s.redirectWithFlash(c, back, kind, msg)
}

// nextPending goes on to the next pending creator in the pending list's
// order after the one given, or back to the list when none is left.
func (s *Server) nextPending(c echo.Context) error {
	after := optionalID(c.QueryParam("after"))
	var from uint
	if after != nil {
		from = *after
	}
	id, err := s.store.NextPendingCreator(c.Request().Context(), actor(c), from)
	if err != nil {
		return err
	}
	if id == 0 {
		return s.redirectWithFlash(c, "/creators?state=pending", "info", tr(c, "flash_no_more_pending"))
	}
	return c.Redirect(http.StatusSeeOther, "/creators/"+itoa(id))
}
