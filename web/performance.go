package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

func (s *Server) performanceImportForm(c echo.Context) error {
	v := views.PerformanceImportView{Sample: models.WeekOf(s.now()).Prev().String()}
	return render(c, http.StatusOK, views.PerformanceImportPage(s.meta(c, tr(c, "perf_title"), "performance"), v))
}

func (s *Server) performanceSample(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="performance-sample.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", models.SamplePerformanceCSV(s.now(), columnLabels(c, models.PerformanceCSVHeader)))
}

// readUpload reads the "file" field of a multipart form within the import
// size limit; a problem comes back as a message in the request's language.
func readUpload(c echo.Context) (string, []byte, string) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, tr(c, "err_choose_file")
	}
	if fh.Size > models.MaxImportBytes {
		return "", nil, tr(c, "err_file_too_large", "N", models.MaxImportBytes>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, tr(c, "err_upload_unreadable")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, models.MaxImportBytes+1))
	if err != nil {
		return "", nil, tr(c, "err_upload_unreadable")
	}
	return fh.Filename, data, ""
}

func (s *Server) performanceImportUpload(c echo.Context) error {
	refuse := func(msg string) error {
		v := views.PerformanceImportView{Sample: models.WeekOf(s.now()).Prev().String(), Errors: views.FieldErrors{"file": msg}}
		return render(c, http.StatusUnprocessableEntity, views.PerformanceImportPage(s.meta(c, tr(c, "perf_title"), "performance"), v))
	}
	name, data, problem := readUpload(c)
	if problem != "" {
		return refuse(problem)
	}
	p, err := s.store.UploadPerformanceCSV(c.Request().Context(), actor(c), name, data)
	if fe, ok := models.AsFieldErrors(err); ok {
		return refuse(trMsg(c, fe["file"]))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/performance/import/"+itoa(p.ImportID))
}

func performanceView(c echo.Context, p *models.PerformancePreview) views.PerformanceImportView {
	v := views.PerformanceImportView{ImportID: p.ImportID, Filename: p.Filename, Rows: p.Rows, OK: p.OK, Confirmed: p.Confirmed,
		Inserted: p.Result.Inserted, Updated: p.Result.Updated}
	for _, pr := range p.Problems {
		v.Problems = append(v.Problems, tr(c, "line_problem", "Line", pr.Row, "Problem", rowProblem(c, pr)))
	}
	return v
}

func (s *Server) performanceImportPreview(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.store.PreviewPerformanceImport(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.renderPerformanceImport(c, p)
}

func (s *Server) performanceImportConfirm(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.store.ConfirmPerformanceImport(c.Request().Context(), actor(c), id)
	if errors.Is(err, models.ErrImportConfirmed) {
		return s.redirectWithFlash(c, "/performance/import/"+itoa(id), "info", tr(c, "flash_already_imported"))
	}
	if err != nil {
		return err
	}
	return s.renderPerformanceImport(c, p)
}

// MaxAPIBody bounds one API request; larger batches are split by the sender.
const MaxAPIBody = 4 << 20

// apiPerformanceRow is one row of the API body. Numbers must be JSON integers.
type apiPerformanceRow struct {
	CreatorAccountID string `json:"creator_account_id"`
	Videos           *int64 `json:"videos"`
	LiveSessions     *int64 `json:"live_sessions"`
	Views            *int64 `json:"views"`
	Orders           *int64 `json:"orders"`
	GMVFen           *int64 `json:"gmv_fen"`
	// Optional (issue 16): absent means no refunds.
	RefundedOrders *int64 `json:"refunded_orders"`
	RefundedGMVFen *int64 `json:"refunded_gmv_fen"`
}

// apiRowProblem is a row problem as the API reports it, in English: the API
// speaks to programs and their operators, whatever a browser prefers.
type apiRowProblem struct {
	Row   int    `json:"row"`
	Field string `json:"field,omitempty"`
	Error string `json:"error"`
}

// apiProblems renders row problems for the API.
func apiProblems(ps []models.RowProblem) []apiRowProblem {
	loc := i18n.For(i18n.EN)
	out := make([]apiRowProblem, len(ps))
	for i, p := range ps {
		out[i] = apiRowProblem{Row: p.Row, Field: p.Field, Error: loc.Msg(p.Msg)}
	}
	return out
}

// apiPerformance is POST /api/v1/performance, in the API group (web/api.go:
// token checked and rate-limited before it runs): all or nothing.
func (s *Server) apiPerformance(c echo.Context) error {
	a := apiActor(c)
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxAPIBody+1))
	if err != nil {
		return c.JSON(http.StatusBadRequest, apiError{Error: "the body could not be read"})
	}
	if len(body) > MaxAPIBody {
		return c.JSON(http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("the body is larger than %d MB; send smaller batches", MaxAPIBody>>20)})
	}
	var req struct {
		Week     string            `json:"week"`
		Rows     []json.RawMessage `json:"rows"`
		Contents []json.RawMessage `json:"contents"` // the week's content items (web/performance_content.go)
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return c.JSON(http.StatusBadRequest, apiError{Error: "the body is not the expected JSON: " + err.Error()})
	}
	// One JSON value and nothing after it (whitespace aside): a body such as
	// {...}{...} or {...}garbage is a sender's mistake, not something to half-read.
	if err := dec.Decode(&json.RawMessage{}); !errors.Is(err, io.EOF) {
		return c.JSON(http.StatusBadRequest, apiError{Error: "the body has more after its JSON object; send exactly one JSON object"})
	}
	if len(req.Rows) == 0 && len(req.Contents) == 0 {
		return c.JSON(http.StatusBadRequest, apiError{Error: "rows is empty", Errors: []apiRowProblem{{Row: -1, Field: "rows", Error: "send at least one row"}}})
	}
	if len(req.Rows)+len(req.Contents) > models.MaxImportRows {
		return c.JSON(http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("at most %d rows per request", models.MaxImportRows)})
	}
	inputs := make([]models.PerformanceInput, 0, len(req.Rows))
	positions := make([]int, 0, len(req.Rows))
	var problems []models.RowProblem
	for i, raw := range req.Rows {
		var r apiPerformanceRow
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.DisallowUnknownFields()
		if err := d.Decode(&r); err != nil {
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
		in := models.PerformanceInput{AccountID: r.CreatorAccountID, Week: req.Week,
			Videos: num("videos", r.Videos), LiveSessions: num("live_sessions", r.LiveSessions),
			Views: num("views", r.Views), Orders: num("orders", r.Orders), GMVFen: num("gmv_fen", r.GMVFen),
			RefundedOrders: optionalNum(r.RefundedOrders), RefundedGMVFen: optionalNum(r.RefundedGMVFen)}
		if len(problems) == before {
			inputs, positions = append(inputs, in), append(positions, i)
		}
	}
	// Check the rows that decoded too, so one answer lists every problem.
	checked, err := s.store.CheckPerformance(c.Request().Context(), inputs, positions)
	if err != nil {
		return err
	}
	problems = append(problems, checked...)
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Row < problems[j].Row })
	contents, contentProblems, err := s.apiContents(c, req.Contents, req.Week)
	if err != nil {
		return err
	}
	if problems = append(problems, contentProblems...); len(problems) > 0 {
		return c.JSON(http.StatusBadRequest, apiError{Error: "the batch was not imported; fix these rows", Errors: apiProblems(problems)})
	}
	// The source names the token: the API actor is "api:<token name>" (AuthenticateAPIToken).
	res, problems, err := s.store.IngestPerformance(c.Request().Context(), a, a.Email, inputs, contents...)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return c.JSON(http.StatusBadRequest, apiError{Error: "the batch was not imported; fix these rows", Errors: apiProblems(problems)})
	}
	return c.JSON(http.StatusOK, res)
}

// optionalNum is an optional API number as the shared validation reads it ("" when absent).
func optionalNum(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

// rowDecodeProblem names the field of a JSON type error, such as a fraction where fen must be whole.
func rowDecodeProblem(i int, err error) models.RowProblem {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return models.RowProblem{Row: i, Field: te.Field, Msg: models.M("api_not_whole_number", "Field", te.Field, "Value", te.Value)}
	}
	return models.RowProblem{Row: i, Msg: models.M("api_row_invalid", "Problem", err.Error())}
}
