package models

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// PayoutHeader names the columns of exported payout files; the web layer
// writes them in the reader's language, in this order.
// It carries what a bank's bulk transfer needs (issue 15): the line
// reference, the payee's name, account, bank and branch, the net amount and
// the purpose, with gross and tax withheld beside them.
var PayoutHeader = []string{"batch_id", "batch_checksum", "line_ref", "payee_name", "account_number", "bank", "branch", "purpose",
	"gross_fen", "tax_fen", "net_yuan", "net_fen"}

// SafeCell stops a spreadsheet from reading text as a formula: a cell that
// begins with =, +, -, @ (or a tab or carriage return) is prefixed with a quote.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func payoutRecord(b *PayoutBatch, l PayoutLine) []string {
	return []string{
		strconv.FormatUint(uint64(b.ID), 10), b.Checksum, l.Ref, SafeCell(l.Pay.Name), SafeCell(l.Pay.Account), SafeCell(l.Pay.Bank),
		SafeCell(l.Pay.Branch), SafeCell(l.Purpose), strconv.FormatInt(l.GrossFen, 10), strconv.FormatInt(l.TaxFen, 10),
		YuanDecimal(l.NetFen), strconv.FormatInt(l.NetFen, 10),
	}
}

// WritePayoutCSV writes a batch as UTF-8 CSV with a BOM, so Excel shows Chinese
// names; header labels the PayoutHeader columns.
func WritePayoutCSV(w io.Writer, b *PayoutBatch, lines []PayoutLine, header []string) error {
	if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, l := range lines {
		if err := cw.Write(payoutRecord(b, l)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Column widths of the payout XLSX, in characters, in PayoutHeader order.
var payoutXLSXWidths = []float64{10, 20, 16, 24, 24, 20, 24, 34, 14, 12, 16, 14}

// PayoutYuanFormat is the number format of the XLSX's yuan column: ¥ with
// thousands separators and two decimals.
const PayoutYuanFormat = `"¥"#,##0.00`

// WritePayoutXLSX writes a batch as a spreadsheet a person can read and a
// bank can import: amounts as numbers (yuan formatted as ¥ with thousands
// separators, fen as whole numbers), widths that fit, the header row frozen
// and in bold, and a last row totalLabel with the sums (as formulas, with
// their values). header labels the PayoutHeader columns.
func WritePayoutXLSX(w io.Writer, b *PayoutBatch, lines []PayoutLine, header []string, totalLabel string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	yuanFmt := PayoutYuanFormat
	yuan, err := f.NewStyle(&excelize.Style{CustomNumFmt: &yuanFmt})
	if err != nil {
		return err
	}
	yuanTotal, err := f.NewStyle(&excelize.Style{CustomNumFmt: &yuanFmt, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	whole, err := f.NewStyle(&excelize.Style{NumFmt: 1}) // 0
	if err != nil {
		return err
	}
	wholeTotal, err := f.NewStyle(&excelize.Style{NumFmt: 1, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := startSheet(sw, payoutXLSXWidths, header, bold); err != nil {
		return err
	}
	var grossFen, taxFen, totalFen int64
	for i, l := range lines {
		rec := payoutRecord(b, l)
		grossFen += l.GrossFen
		taxFen += l.TaxFen
		totalFen += l.NetFen
		row := []any{int64(b.ID), rec[1], rec[2], rec[3], rec[4], rec[5], rec[6], rec[7],
			excelize.Cell{Value: l.GrossFen, StyleID: whole}, excelize.Cell{Value: l.TaxFen, StyleID: whole},
			excelize.Cell{Value: float64(l.NetFen) / 100, StyleID: yuan}, excelize.Cell{Value: l.NetFen, StyleID: whole}}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	last := len(lines) + 1 // the last line's row
	sum := func(col string) string {
		if len(lines) == 0 {
			return ""
		}
		return fmt.Sprintf("SUM(%s2:%s%d)", col, col, last)
	}
	total := []any{excelize.Cell{Value: totalLabel, StyleID: bold}, nil, nil, nil, nil, nil, nil, nil,
		excelize.Cell{Value: grossFen, Formula: sum("I"), StyleID: wholeTotal},
		excelize.Cell{Value: taxFen, Formula: sum("J"), StyleID: wholeTotal},
		excelize.Cell{Value: float64(totalFen) / 100, Formula: sum("K"), StyleID: yuanTotal},
		excelize.Cell{Value: totalFen, Formula: sum("L"), StyleID: wholeTotal}}
	cell, _ := excelize.CoordinatesToCellName(1, last+1)
	if err := sw.SetRow(cell, total); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func taxReportRecord(r TaxReportRow) []string {
	return []string{SafeCell(r.Name), SafeCell(r.AccountID), r.Month, strconv.FormatInt(r.GrossFen, 10), strconv.FormatInt(r.TaxFen, 10),
		strconv.FormatInt(r.NetFen, 10)}
}

// WriteTaxReportCSV writes the yearly tax report as UTF-8 CSV with a BOM;
// header labels the TaxReportHeader columns.
func WriteTaxReportCSV(w io.Writer, rows []TaxReportRow, header []string) error {
	if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(taxReportRecord(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTaxReportXLSX writes the yearly tax report as a spreadsheet like the
// payout file: a bold frozen header, amounts as whole fen, a total row.
func WriteTaxReportXLSX(w io.Writer, rows []TaxReportRow, header []string, totalLabel string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	whole, err := f.NewStyle(&excelize.Style{NumFmt: 1})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := startSheet(sw, []float64{24, 22, 10, 14, 14, 14}, header, bold); err != nil {
		return err
	}
	var gross, tax, net int64
	for i, r := range rows {
		rec := taxReportRecord(r)
		gross, tax, net = gross+r.GrossFen, tax+r.TaxFen, net+r.NetFen
		row := []any{rec[0], rec[1], rec[2], excelize.Cell{Value: r.GrossFen, StyleID: whole}, excelize.Cell{Value: r.TaxFen, StyleID: whole},
			excelize.Cell{Value: r.NetFen, StyleID: whole}}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, len(rows)+2)
	if err := sw.SetRow(cell, []any{excelize.Cell{Value: totalLabel, StyleID: bold}, nil, nil, excelize.Cell{Value: gross, StyleID: bold},
		excelize.Cell{Value: tax, StyleID: bold}, excelize.Cell{Value: net, StyleID: bold}}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// startSheet begins a streamed sheet as both downloads want it: column
// widths, a frozen bold header row. Widths and panes must come before the
// first row in a stream.
func startSheet(sw *excelize.StreamWriter, widths []float64, header []string, bold int) error {
	for i, width := range widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	return sw.SetRow("A1", cells)
}
