package web

import (
	"bytes"
	"encoding/csv"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/jd/creator-portal/models"
)

// Downloads of the impact figures: the same table the page shows, with every
// column, headers in the reader's language; amounts in fen in CSV and in yuan in XLSX.

const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) impactCSV(c echo.Context) error  { return s.impactDownload(c, "csv") }
func (s *Server) impactXLSX(c echo.Context) error { return s.impactDownload(c, "xlsx") }

// impactDownload sends the weekly figures of the page's filter; a refused
// filter sends the reader back to the page, which names the field.
func (s *Server) impactDownload(c echo.Context, format string) error {
	a := actor(c)
	q, err := s.readImpactQuery(c)
	if err != nil {
		return err
	}
	if len(q.Errors) > 0 {
		return c.Redirect(http.StatusSeeOther, "/impact?"+c.QueryString())
	}
	rep, err := s.store.Impact(c.Request().Context(), a, q.Filter)
	if _, ok := models.AsFieldErrors(err); ok {
		return c.Redirect(http.StatusSeeOther, "/impact?"+c.QueryString())
	}
	if err != nil {
		return err
	}
	weeks := reportedWeeks(rep.Weeks) // as the page shows them
	labels := make([]string, len(weeks))
	figs := make([]models.ImpactFigures, len(weeks))
	for i, w := range weeks {
		labels[i], figs[i] = w.Week, w.ImpactFigures
	}
	t := figuresTable("week", false, labels, figs, &rep.Total, tr(c, "impact_total"))
	return s.sendTable(c, t, format, impactFileName("impact", rep.Filter, format))
}

// fileHeader labels a table's columns for a file: amounts say their unit
// (fen in CSV, as all the portal's CSV money; yuan in XLSX, formatted as
// such) and shares that they are in percent.
func fileHeader(c echo.Context, t impactTable, format string) []string {
	moneyUnit := "impact_unit_yuan"
	if format == "csv" {
		moneyUnit = "impact_unit_fen"
	}
	out := []string{tr(c, "impact_col_"+t.First)}
	var kinds []cellKind
	if len(t.Rows) > 0 {
		for _, cell := range t.Rows[0].Cells {
			kinds = append(kinds, cell.Kind)
		}
	} else if t.Total != nil {
		for _, cell := range t.Total.Cells {
			kinds = append(kinds, cell.Kind)
		}
	}
	for i, k := range t.Keys {
		h := tr(c, "impact_col_"+k)
		if i < len(kinds) {
			switch kinds[i] {
			case cellFen:
				h += tr(c, moneyUnit)
			case cellPermille:
				h += tr(c, "impact_unit_percent")
			}
		}
		out = append(out, h)
	}
	return out
}

// sendTable writes a table as CSV or XLSX and sends it as a download.
func (s *Server) sendTable(c echo.Context, t impactTable, format, name string) error {
	header := fileHeader(c, t, format)
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
	var err error
	if format == "csv" {
		err = writeTableCSV(&buf, header, t)
	} else {
		contentType = xlsxContentType
		err = writeTableXLSX(&buf, header, t)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

// rowsOf is a table's rows and then its total row.
func rowsOf(t impactTable) []impactRow {
	rows := t.Rows
	if t.Total != nil {
		rows = append(append([]impactRow(nil), rows...), *t.Total)
	}
	return rows
}

func writeTableCSV(buf *bytes.Buffer, header []string, t impactTable) error {
	buf.WriteString("\ufeff") // a byte-order mark, so Excel reads the Chinese headers as UTF-8
	w := csv.NewWriter(buf)
	if err := w.Write(header); err != nil {
		return err
	}
	for _, r := range rowsOf(t) {
		rec := []string{models.SafeCell(r.Label)}
		for _, cell := range r.Cells {
			rec = append(rec, cell.file())
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// writeTableXLSX writes numbers as numbers: counts whole, yuan formatted as
// ¥ with two decimals, shares as percentages; the header frozen and in bold,
// the total row in bold.
func writeTableXLSX(buf *bytes.Buffer, header []string, t impactTable) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	yuanFmt, pctFmt := models.PayoutYuanFormat, "0.0%"
	styles := map[string]int{}
	for _, st := range []struct {
		key  string
		spec excelize.Style
	}{
		{"bold", excelize.Style{Font: &excelize.Font{Bold: true}}},
		{"yuan", excelize.Style{CustomNumFmt: &yuanFmt}},
		{"yuan-bold", excelize.Style{CustomNumFmt: &yuanFmt, Font: &excelize.Font{Bold: true}}},
		{"pct", excelize.Style{CustomNumFmt: &pctFmt}},
		{"pct-bold", excelize.Style{CustomNumFmt: &pctFmt, Font: &excelize.Font{Bold: true}}},
		{"whole", excelize.Style{NumFmt: 3}}, // #,##0
		{"whole-bold", excelize.Style{NumFmt: 3, Font: &excelize.Font{Bold: true}}},
	} {
		id, err := f.NewStyle(&st.spec)
		if err != nil {
			return err
		}
		styles[st.key] = id
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i := range header {
		width := 16.0
		if i == 0 {
			width = 28
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{Value: h, StyleID: styles["bold"]}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	rows := rowsOf(t)
	for i, r := range rows {
		suffix := ""
		label := excelize.Cell{Value: r.Label}
		if t.Total != nil && i == len(rows)-1 {
			suffix = "-bold"
			label.StyleID = styles["bold"]
		}
		out := []any{label}
		for _, cell := range r.Cells {
			switch {
			case cell.Missing:
				out = append(out, nil)
			case cell.Kind == cellFen:
				out = append(out, excelize.Cell{Value: float64(cell.N) / 100, StyleID: styles["yuan"+suffix]})
			case cell.Kind == cellPermille:
				out = append(out, excelize.Cell{Value: float64(cell.N) / 1000, StyleID: styles["pct"+suffix]})
			case cell.Kind == cellText:
				out = append(out, excelize.Cell{Value: cell.Text, StyleID: styles["bold"]})
			default:
				out = append(out, excelize.Cell{Value: cell.N, StyleID: styles["whole"+suffix]})
			}
		}
		at, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(at, out); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(buf)
}
