package models

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits on an enrolment CSV file.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 50_000
)

// EnrolmentCSVHeader is the header of the sample file.
var EnrolmentCSVHeader = []string{"display_name", "account_id", "primary_subject", "other_subjects", "content_type", "followers", "contact_email", "contact_phone"}

// Header aliases accepted besides the English names, for files made in Chinese.
var enrolmentHeaderAliases = map[string]string{
	"昵称": "display_name", "名称": "display_name", "达人名称": "display_name",
	"京东创作者账号": "account_id", "账号": "account_id", "创作者账号": "account_id",
	"主领域": "primary_subject", "其他领域": "other_subjects",
	"内容类型": "content_type", "粉丝数": "followers",
	"邮箱": "contact_email", "电话": "contact_phone", "手机": "contact_phone",
}

var requiredEnrolmentColumns = []string{"display_name", "account_id", "primary_subject", "content_type", "followers"}

// CSVRow is one data row of an enrolment file with the line it came from.
type CSVRow struct {
	Line      int
	Enrolment Enrolment
	Err       Msg               // a problem found while reading the row itself
	Header    map[string]string // column name -> the file's own header for it (shared by all rows)
	Columns   []string          // the file's header row as written (shared by all rows)
	Fields    []string          // the row's values as written, for giving failed rows back
}

// Files in a form the portal does not read; each one's message says what to do.
var (
	// ErrFileUTF16 is a file saved as UTF-16 ("Unicode text" in Excel), with or without a BOM.
	ErrFileUTF16 = sentinel("err_file_utf16", "the file is UTF-16 text; save it as CSV (UTF-8 or GBK) and upload it again")
	// ErrFileCROnly is a file whose lines end in CR alone (classic Mac OS), which reads as one long line.
	ErrFileCROnly = sentinel("err_file_cr_only", "the file uses CR line endings only (old Mac format); save it as CSV with Windows or Unix line endings and upload it again")
)

// DecodeText turns an uploaded file into UTF-8: a UTF-8 BOM is dropped, valid
// UTF-8 is kept, anything else is read as GB18030 (a superset of GBK, what
// Excel and WPS save in China). A UTF-16 file is refused with ErrFileUTF16:
// without its BOM it is valid UTF-8 full of NULs, with it GB18030 reads it as
// nonsense, and either way the header would not be found.
func DecodeText(data []byte) ([]byte, error) {
	if looksUTF16(data) {
		return nil, ErrFileUTF16
	}
	if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		data = data[3:]
	}
	if utf8.Valid(data) {
		return data, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return nil, errMsg("err_file_encoding")
	}
	return out, nil
}

// looksUTF16 reports whether data starts with a UTF-16 byte-order mark, or
// has NUL bytes in a quarter or more of its even or odd positions (the high
// bytes of the ASCII commas, digits and line breaks every CSV is full of).
func looksUTF16(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return true
	}
	sample := data[:min(len(data), 4096)]
	var nul [2]int
	for i, b := range sample {
		if b == 0 {
			nul[i%2]++
		}
	}
	half := len(sample) / 2
	return half > 0 && (nul[0]*4 >= half || nul[1]*4 >= half)
}

// csvRecord is one data row of an uploaded file, with its line number.
type csvRecord struct {
	Line   int
	fields []string
	cols   map[string]int
	names  map[string]string // column name -> the header as the file spells it
	header []string          // the header row as written
	Err    Msg               // a problem with the row's shape
}

// Column is the file's own header for a column (its Chinese alias, say), so a
// report names the column the way the person who made the file knows it.
func (r csvRecord) Column(name string) string {
	if h, ok := r.names[name]; ok {
		return h
	}
	return name
}

// Get returns a column's trimmed value, or "" when the row is short.
func (r csvRecord) Get(name string) string {
	if i, ok := r.cols[name]; ok && i < len(r.fields) {
		return strings.TrimSpace(r.fields[i])
	}
	return ""
}

// readCSV decodes a file (UTF-8, BOM or GBK), maps its header (names or
// aliases, case-insensitive) and returns its non-blank rows with line numbers.
// A problem with the file as a whole is an error naming the line.
func readCSV(data []byte, expected, required []string, aliases map[string]string) ([]csvRecord, error) {
	return readCSVWithin(data, expected, required, aliases, MaxImportBytes, MaxImportRows)
}

// readCSVWithin is readCSV with explicit size limits (the command-line import takes larger files).
func readCSVWithin(data []byte, expected, required []string, aliases map[string]string, maxBytes, maxRows int) ([]csvRecord, error) {
	if len(data) > maxBytes {
		return nil, errMsg("err_file_too_large", "N", maxBytes>>20)
	}
	text, err := DecodeText(data)
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(text, '\n') < 0 && bytes.IndexByte(text, '\r') >= 0 {
		return nil, ErrFileCROnly
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errMsg("err_file_empty")
	}
	if err != nil {
		return nil, csvErr(1, err)
	}
	cols := map[string]int{}
	names := map[string]string{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		if alias, ok := aliases[strings.TrimSpace(h)]; ok {
			key = alias
		}
		if _, dup := cols[key]; dup && key != "" {
			return nil, errMsg("err_csv_column_twice", "Column", h)
		}
		cols[key] = i
		names[key] = strings.TrimSpace(h)
	}
	var missing []string
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, errMsg("err_csv_header_lacks", "Missing", strings.Join(missing, ", "), "Expected", strings.Join(expected, ","))
	}
	var rows []csvRecord
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, csvErr(pe.StartLine, err)
			}
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rows) >= maxRows {
			return nil, errMsg("err_file_too_many_rows", "N", maxRows)
		}
		row := csvRecord{Line: line, fields: rec, cols: cols, names: names, header: header}
		if len(rec) > len(header) {
			row.Err = M("err_csv_row_fields", "N", len(rec), "Header", len(header))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, errMsg("err_file_no_rows")
	}
	return rows, nil
}

// ParseEnrolmentCSV reads an enrolment file. A problem with the file as a
// whole is an error; a problem with one row is reported on that row.
func ParseEnrolmentCSV(data []byte) ([]CSVRow, error) {
	recs, err := readCSV(data, EnrolmentCSVHeader, requiredEnrolmentColumns, enrolmentHeaderAliases)
	if err != nil {
		return nil, err
	}
	rows := make([]CSVRow, len(recs))
	var header map[string]string
	if len(recs) > 0 {
		header = recs[0].names
	}
	for i, rec := range recs {
		subjects := []string{rec.Get("primary_subject")}
		if other := rec.Get("other_subjects"); other != "" {
			subjects = append(subjects, strings.FieldsFunc(other, func(r rune) bool { return r == ';' || r == '|' || r == '；' || r == '、' })...)
		}
		rows[i] = CSVRow{Line: rec.Line, Err: rec.Err, Header: header, Columns: rec.header, Fields: rec.fields, Enrolment: Enrolment{
			DisplayName: rec.Get("display_name"), AccountID: rec.Get("account_id"), Subjects: subjects,
			ContentType: rec.Get("content_type"), Followers: rec.Get("followers"),
			ContactEmail: rec.Get("contact_email"), ContactPhone: rec.Get("contact_phone"),
		}}
	}
	return rows, nil
}

// csvErr names what encoding/csv could not read on a line.
func csvErr(line int, err error) error {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return errMsg("err_csv_bare_quote", "N", line)
	case errors.Is(err, csv.ErrQuote):
		return errMsg("err_csv_quote", "N", line)
	}
	return errMsg("err_csv_unreadable", "N", line)
}

// SampleEnrolmentCSV is the downloadable example file: header labels the
// EnrolmentCSVHeader columns (English names or accepted Chinese ones) and
// rows are in the reader's words (web builds them from the catalogue).
func SampleEnrolmentCSV(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	w.Flush()
	return b.Bytes()
}
