package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// Content items (issue 16): the second file type of the performance upload
// page, and the API's "contents" array. Preview and confirm share the
// performance upload's routes; renderPerformanceImport picks the page.

func (s *Server) contentSample(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="content-items-sample.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", models.SampleContentCSV(s.now(), columnLabels(c, models.ContentCSVHeader)))
}

func (s *Server) contentUpload(c echo.Context) error {
	refuse := func(msg string) error {
		v := views.PerformanceImportView{Sample: models.WeekOf(s.now()).Prev().String(), ContentErrors: views.FieldErrors{"contents_file": msg}}
		return render(c, http.StatusUnprocessableEntity, views.PerformanceImportPage(s.meta(c, tr(c, "perf_title"), "performance"), v))
	}
	name, data, problem := readUpload(c)
	if problem != "" {
		return refuse(problem)
	}
	p, err := s.store.UploadContentCSV(c.Request().Context(), actor(c), name, data)
	if fe, ok := models.AsFieldErrors(err); ok {
		return refuse(trMsg(c, fe["file"]))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/performance/import/"+itoa(p.ImportID))
}

// renderPerformanceImport shows an upload's preview or report: a
// performance file's page, or a content-items file's.
func (s *Server) renderPerformanceImport(c echo.Context, p *models.PerformancePreview) error {
	if p.Kind != models.ImportKindContents {
		return render(c, http.StatusOK, views.PerformanceImportPage(s.meta(c, tr(c, "perf_title"), "performance"), performanceView(c, p)))
	}
	v := views.ContentImportView{ImportID: p.ImportID, Filename: p.Filename, Rows: p.Rows, OK: p.OK, Confirmed: p.Confirmed,
		Items: p.Result.Inserted, Weeks: p.Result.Updated}
	for _, pr := range p.Problems {
		v.Problems = append(v.Problems, tr(c, "line_problem", "Line", pr.Row, "Problem", rowProblem(c, pr)))
	}
	return render(c, http.StatusOK, views.ContentImportPage(s.meta(c, tr(c, "perf_contents_title"), "performance"), v))
}

// apiContentItem is one item of the API body's "contents" array. Numbers
// must be JSON integers; week defaults to the body's week.
type apiContentItem struct {
	CreatorAccountID string `json:"creator_account_id"`
	Week             string `json:"week"`
	ContentID        string `json:"content_id"`
	Kind             string `json:"kind"`
	Views            *int64 `json:"views"`
	Orders           *int64 `json:"orders"`
	GMVFen           *int64 `json:"gmv_fen"`
}

// apiContents decodes and checks the API body's content items; problems
// name their field as "contents[i].field".
func (s *Server) apiContents(c echo.Context, raws []json.RawMessage, week string) ([]models.ContentInput, []models.RowProblem, error) {
	ins := make([]models.ContentInput, 0, len(raws))
	positions := make([]int, 0, len(raws))
	var problems []models.RowProblem
	for i, raw := range raws {
		var it apiContentItem
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.DisallowUnknownFields()
		if err := d.Decode(&it); err != nil {
			problems = append(problems, rowDecodeProblem(i, err))
			continue
		}
		before := len(problems)
		num := func(field string, v *int64) string {
			if v == nil {
				problems = append(problems, models.RowProblem{Row: i, Field: field, Msg: models.M("err_column_required", "Column", field)})
				return ""
			}
			return strconv.FormatInt(*v, 10)
		}
		in := models.ContentInput{AccountID: it.CreatorAccountID, Week: it.Week, ContentID: it.ContentID, Kind: it.Kind,
			Views: num("views", it.Views), Orders: num("orders", it.Orders), GMVFen: num("gmv_fen", it.GMVFen)}
		if in.Week == "" {
			in.Week = week
		}
		if len(problems) == before {
			ins, positions = append(ins, in), append(positions, i)
		}
	}
	checked, err := s.store.CheckContents(c.Request().Context(), ins, positions)
	if err != nil {
		return nil, nil, err
	}
	return ins, models.ContentPaths(append(problems, checked...)), nil
}
