package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/web/mail"
)

func (s *Server) importView(c echo.Context, errs views.FieldErrors) (views.ImportView, error) {
	v := views.ImportView{Errors: errs}
	if actor(c).IsStaff() {
		ags, err := s.store.AgencyOptions(c.Request().Context())
		if err != nil {
			return v, err
		}
		v.Agencies = agencyOptions(ags, 0, tr(c, "independent_no_agency"))
	}
	return v, nil
}

func (s *Server) importForm(c echo.Context) error {
	v, err := s.importView(c, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CreatorImportPage(s.meta(c, tr(c, "import_title"), "import"), v))
}

func (s *Server) importSample(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="creators-sample.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", models.SampleEnrolmentCSV(columnLabels(c, models.EnrolmentCSVHeader)))
}

func (s *Server) importUpload(c echo.Context) error {
	refuse := func(msg string) error {
		v, err := s.importView(c, views.FieldErrors{"file": msg})
		if err != nil {
			return err
		}
		return render(c, http.StatusUnprocessableEntity, views.CreatorImportPage(s.meta(c, tr(c, "import_title"), "import"), v))
	}
	name, data, problem := readUpload(c)
	if problem != "" {
		return refuse(problem)
	}
	p, err := s.store.UploadCreatorCSV(c.Request().Context(), actor(c), optionalID(c.FormValue("agency_id")), name, data)
	if fe, ok := models.AsFieldErrors(err); ok {
		return refuse(trMsg(c, fe["file"]))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/creators/import/"+itoa(p.ImportID))
}

func (s *Server) importPreview(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.store.PreviewCreatorImport(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CreatorImportPage(s.meta(c, tr(c, "import_title"), "import"), importViewOf(c, p)))
}

func (s *Server) importConfirm(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.store.ConfirmCreatorImport(c.Request().Context(), actor(c), id)
	if errors.Is(err, models.ErrImportConfirmed) {
		return s.redirectWithFlash(c, "/creators", "info", tr(c, "flash_already_imported"))
	}
	if err != nil {
		return err
	}
	// The new creators' invitations go to their own emails, now that the import has committed.
	var links []*models.OneTimeLink
	for _, r := range p.Rows {
		if r.Invitation != nil {
			links = append(links, r.Invitation)
		}
	}
	errs := s.mailLinks(c, inviteLink, links)
	v := importViewOf(c, p)
	for i, j := 0, 0; i < len(p.Rows); i++ {
		if p.Rows[i].Invitation == nil {
			continue
		}
		masked := mail.Mask(p.Rows[i].Invitation.Email)
		if errs[j] != nil {
			v.Rows[i].Invitation, v.Rows[i].InvitationFailed = tr(c, "import_invitation_not_sent", "Email", masked), true
		} else {
			v.Rows[i].Invitation = tr(c, "import_invitation_sent", "Email", masked)
		}
		j++
	}
	// The report says which emails went out, which only this response knows, so it is rendered now.
	return render(c, http.StatusOK, views.CreatorImportPage(s.meta(c, tr(c, "import_title"), "import"), v))
}

func importViewOf(c echo.Context, p *models.ImportPreview) views.ImportView {
	v := views.ImportView{ImportID: p.ImportID, Filename: p.Filename, OK: p.OK, Skipped: p.Skipped, Failed: p.Errors, Confirmed: p.Confirmed}
	for _, r := range p.Rows {
		v.Rows = append(v.Rows, views.ImportRowView{Line: r.Line, Name: r.DisplayName, AccountID: r.AccountID, Status: r.Status, Message: rowProblems(c, r.Problems)})
	}
	return v
}
