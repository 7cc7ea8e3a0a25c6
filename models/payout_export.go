package models

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// PayoutHeader names the columns of exported payout files; the web layer
// writes them in the reader's language, in this order.
var PayoutHeader = []string{"batch_id", "batch_checksum", "creator_account_id", "display_name", "agency", "week", "amount_yuan", "amount_fen"}

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
		strconv.FormatUint(uint64(b.ID), 10), b.Checksum, SafeCell(l.AccountID), SafeCell(l.DisplayName), SafeCell(l.Agency),
		l.Week, YuanDecimal(l.AmountFen), strconv.FormatInt(l.AmountFen, 10),
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

// WritePayoutXLSX writes a batch as a spreadsheet with amounts as numbers;
// header labels the PayoutHeader columns.
func WritePayoutXLSX(w io.Writer, b *PayoutBatch, lines []PayoutLine, header []string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for i, l := range lines {
		rec := payoutRecord(b, l)
		row := []any{int64(b.ID), rec[1], rec[2], rec[3], rec[4], rec[5], excelize.Cell{Value: float64(l.AmountFen) / 100, StyleID: 0}, l.AmountFen}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
