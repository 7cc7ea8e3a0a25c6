package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
	"github.com/jd/creator-portal/web/mail"
)

func (s *Server) importView(c echo.Context, errs views.FieldErrors) (views.ImportView, error) {
	v := views.ImportView{Errors: errs}
	areas, err := s.store.SubjectAreas(c.Request().Context())
	if err != nil {
		return v, err
	}
	for _, a := range areas {
		if a.Active {
			v.Subjects = append(v.Subjects, views.AcceptedValue{Code: a.Code, Words: subjectName(c.Request().Context(), a)})
		}
	}
	for _, ct := range models.ContentTypes {
		v.Contents = append(v.Contents, views.AcceptedValue{Code: string(ct),
			Words: tr(c, "content_"+string(ct)) + "、" + strings.ReplaceAll(tr(c, "input_words_content_"+string(ct)), "|", "、")})
	}
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

// importSample is the example file in the reader's words (subject areas and
// content types as the pages name them), with account IDs no demo agency
// holds, so it imports as downloaded. In Chinese it starts with a BOM: Excel
// on Chinese Windows reads UTF-8 without one as GBK.
func (s *Server) importSample(c echo.Context) error {
	subject := func(code string) string { return tr(c, "subject_"+code) }
	content := func(ct models.ContentType) string { return tr(c, "content_"+string(ct)) }
	rows := [][]string{
		{tr(c, "sample_creator_1"), "jd_cr_900001", subject("electronics"), subject("mobile_phones") + ";" + subject("computers"), content(models.ContentVideo), "125000", "liwei@example.com", "+86 138 0000 0001"},
		{tr(c, "sample_creator_2"), "jd_cr_900002", subject("household"), "", content(models.ContentLive), "48000", "", ""},
	}
	data := models.SampleEnrolmentCSV(columnLabels(c, models.EnrolmentCSVHeader), rows)
	if i18n.From(c.Request().Context()).Lang == i18n.ZH {
		data = append([]byte("\uFEFF"), data...)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="creators-sample.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", data)
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

// importFailed gives back an upload's refused rows as a file to fix and
// upload again: the columns as uploaded (header as written) and a last column
// saying what is wrong with each row, in the reader's language. It is UTF-8
// with a BOM, which Excel opens correctly and the import reads back (the
// problem column is not one the import knows, so it is ignored).
//
// The rows come from the upload kept in the database, never from the client,
// and only for the user who uploaded it (another user's import is 404); an
// upload is kept like any import record, so the link keeps working.
func (s *Server) importFailed(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := s.store.FailedCreatorImportRows(c.Request().Context(), actor(c), id)
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/creators/import", "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	// A file downloaded here before and uploaded again has a problem column
	// already (in either language): it is replaced, not repeated.
	isProblem := func(h string) bool {
		h = strings.TrimSpace(h)
		return strings.EqualFold(h, i18n.For(i18n.EN).T("col_problem")) || h == i18n.For(i18n.ZH).T("col_problem")
	}
	var keep []int
	width := len(f.Columns)
	for _, r := range f.Rows {
		width = max(width, len(r.Fields))
	}
	header := []string{}
	for i := 0; i < width; i++ {
		h := ""
		if i < len(f.Columns) {
			h = f.Columns[i]
		}
		if !isProblem(h) {
			keep = append(keep, i)
			header = append(header, h)
		}
	}
	header = append(header, tr(c, "col_problem"))
	rows := make([][]string, 0, len(f.Rows))
	for _, r := range f.Rows {
		out := make([]string, 0, len(header))
		for _, i := range keep {
			v := ""
			if i < len(r.Fields) {
				v = r.Fields[i]
			}
			out = append(out, v)
		}
		out = append(out, tr(c, "import_failed_line", "N", r.Line)+rowProblems(c, r.Problems))
		rows = append(rows, out)
	}
	data := append([]byte("\uFEFF"), models.SampleEnrolmentCSV(header, rows)...)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="creators-failed-`+itoa(id)+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", data)
}

func importViewOf(c echo.Context, p *models.ImportPreview) views.ImportView {
	v := views.ImportView{ImportID: p.ImportID, Filename: p.Filename, OK: p.OK, Skipped: p.Skipped, Failed: p.Errors, Confirmed: p.Confirmed}
	for _, r := range p.Rows {
		v.Rows = append(v.Rows, views.ImportRowView{Line: r.Line, Name: r.DisplayName, AccountID: r.AccountID, Status: r.Status, Message: rowProblems(c, r.Problems)})
	}
	return v
}
