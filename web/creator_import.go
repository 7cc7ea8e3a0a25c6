package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
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
		return refuse(fe["file"])
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
	// The report carries one-time invitation links, so it is rendered now rather than after a redirect.
	return render(c, http.StatusOK, views.CreatorImportPage(s.meta(c, tr(c, "import_title"), "import"), importViewOf(c, p)))
}

func importViewOf(c echo.Context, p *models.ImportPreview) views.ImportView {
	v := views.ImportView{ImportID: p.ImportID, Filename: p.Filename, OK: p.OK, Skipped: p.Skipped, Failed: p.Errors, Confirmed: p.Confirmed}
	for _, r := range p.Rows {
		row := views.ImportRowView{Line: r.Line, Name: r.DisplayName, AccountID: r.AccountID, Status: r.Status, Message: trRowMessage(c, r.Message)}
		if r.Token != "" {
			row.InviteLink = absoluteURL(c, "/invite/"+r.Token)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}
