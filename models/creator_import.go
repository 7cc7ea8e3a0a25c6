package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CreatorImport is an uploaded enrolment file waiting to be confirmed. The
// file is kept so that confirm imports exactly what was previewed.
type CreatorImport struct {
	ID          uint   `gorm:"primaryKey"`
	UserID      uint   `gorm:"not null;index"`
	AgencyID    *uint  `gorm:"index"`
	Filename    string `gorm:"size:200"`
	Content     []byte `gorm:"not null"`
	CreatedAt   time.Time
	ConfirmedAt *time.Time
	Created     int
	Skipped     int
	Failed      int
}

// Row outcomes in an import preview.
const (
	RowOK      = "ok"
	RowSkipped = "skipped"
	RowError   = "error"
)

// ImportRow is one line of an import preview or report.
type ImportRow struct {
	Line        int
	DisplayName string
	AccountID   string
	Status      string
	Problems    []RowProblem // why the row is refused or skipped, each naming the file's column when there is one
	Invitation  *OneTimeLink // after confirm, when the row had an email: to be emailed to the creator
}

// enrolmentColumns maps an enrolment's field to the file's column that holds it.
var enrolmentColumns = map[string]string{"subjects": "primary_subject"}

// problem is a row problem on an enrolment field, naming the column as the
// file's header spells it ("" for a problem with the whole row).
func (r CSVRow) problem(field string, m Msg) RowProblem {
	p := RowProblem{Row: r.Line, Field: field, Msg: m}
	if field == "" {
		return p
	}
	col := field
	if c, ok := enrolmentColumns[field]; ok {
		col = c
	}
	p.Column = col
	if h, ok := r.Header[col]; ok {
		p.Column = h
	}
	if field == "subjects" && len(r.Enrolment.Subjects) > 1 {
		if h, ok := r.Header["other_subjects"]; ok {
			p.Column += "/" + h // the problem may be in either column
		}
	}
	return p
}

// ImportPreview is the outcome of checking a whole file.
type ImportPreview struct {
	ImportID  uint
	Filename  string
	Rows      []ImportRow
	OK        int
	Skipped   int
	Errors    int
	Confirmed bool
}

// ErrImportConfirmed means the file was imported already.
var ErrImportConfirmed = sentinel("err_import_confirmed", "this file has already been imported")

// UploadCreatorCSV stores an uploaded file and returns its preview. A file
// that cannot be read at all is refused with an error naming the problem.
func (s *Store) UploadCreatorCSV(ctx context.Context, a *Actor, agencyID *uint, filename string, data []byte) (*ImportPreview, error) {
	agency, err := enrolmentAgency(a, agencyID)
	if err != nil {
		return nil, err
	}
	if _, err := ParseEnrolmentCSV(data); err != nil {
		return nil, FieldErrors{"file": msgOf(err)}
	}
	imp := &CreatorImport{UserID: a.UserID, AgencyID: agency, Filename: filename, Content: data}
	if err := s.db.WithContext(ctx).Create(imp).Error; err != nil {
		return nil, err
	}
	return s.PreviewCreatorImport(ctx, a, imp.ID)
}

func (s *Store) loadImport(tx *gorm.DB, a *Actor, id uint) (*CreatorImport, error) {
	var imp CreatorImport
	if err := tx.Where("id = ? AND user_id = ?", id, a.UserID).First(&imp).Error; err != nil {
		return nil, notFound(err)
	}
	return &imp, nil
}

// PreviewCreatorImport checks every row of a stored upload against the rules
// and the database, without writing anything.
func (s *Store) PreviewCreatorImport(ctx context.Context, a *Actor, id uint) (*ImportPreview, error) {
	imp, err := s.loadImport(s.r(ctx), a, id)
	if err != nil {
		return nil, err
	}
	p, _, err := s.checkImport(s.r(ctx), imp)
	return p, err
}

// checkImport validates a file's rows; it returns the preview and the rows
// ready to insert, in file order.
func (s *Store) checkImport(tx *gorm.DB, imp *CreatorImport) (*ImportPreview, []validEnrolment, error) {
	rows, err := ParseEnrolmentCSV(imp.Content)
	if err != nil {
		return nil, nil, FieldErrors{"file": msgOf(err)}
	}
	var areas []SubjectArea
	if err := tx.Find(&areas).Error; err != nil {
		return nil, nil, err
	}
	subjects := NewSubjectIndex(areas, s.inputWords()...)
	p := &ImportPreview{ImportID: imp.ID, Filename: imp.Filename, Confirmed: imp.ConfirmedAt != nil}
	valid := make([]validEnrolment, len(rows))
	ok := make([]bool, len(rows))
	accountLine := map[string]int{}
	emailLine := map[string]int{}
	var accounts, emails []string
	for i, row := range rows {
		out := ImportRow{Line: row.Line, DisplayName: row.Enrolment.DisplayName, AccountID: row.Enrolment.AccountID, Status: RowOK}
		v, fe := row.Enrolment.Validate(subjects)
		switch {
		case !row.Err.IsZero():
			out.Status, out.Problems = RowError, []RowProblem{row.problem("", row.Err)}
		case len(fe) > 0:
			out.Status = RowError
			for _, f := range sortedKeys(fe) {
				out.Problems = append(out.Problems, row.problem(f, fe[f]))
			}
		case accountLine[AccountKey(v.AccountID)] != 0:
			out.Status, out.Problems = RowError, []RowProblem{row.problem("account_id", M("err_repeats_line", "N", accountLine[AccountKey(v.AccountID)]))}
		case v.ContactEmail != "" && emailLine[v.ContactEmail] != 0:
			out.Status, out.Problems = RowError, []RowProblem{row.problem("contact_email", M("err_repeats_line", "N", emailLine[v.ContactEmail]))}
		default:
			accountLine[AccountKey(v.AccountID)] = row.Line
			accounts = append(accounts, AccountKey(v.AccountID))
			if v.ContactEmail != "" {
				emailLine[v.ContactEmail] = row.Line
				emails = append(emails, v.ContactEmail)
			}
			valid[i], ok[i] = v, true
		}
		p.Rows = append(p.Rows, out)
	}
	// Look up holders (by account key) and used emails in chunks, not one query per row.
	holders := map[string]*uint{}
	for _, chunk := range chunks(accounts, 500) {
		var cs []Creator
		if err := tx.Select("account_key, agency_id").Where("account_key IN ?", chunk).Find(&cs).Error; err != nil {
			return nil, nil, err
		}
		for _, c := range cs {
			holders[c.AccountKey] = c.AgencyID
		}
	}
	usedEmails := map[string]bool{}
	for _, chunk := range chunks(emails, 500) {
		var us []User
		if err := tx.Select("email").Where("email IN ?", chunk).Find(&us).Error; err != nil {
			return nil, nil, err
		}
		for _, u := range us {
			usedEmails[u.Email] = true
		}
	}
	var ready []validEnrolment
	for i := range p.Rows {
		r := &p.Rows[i]
		if ok[i] {
			v := valid[i]
			if holder, held := holders[AccountKey(v.AccountID)]; held {
				if sameAgency(holder, imp.AgencyID) {
					r.Status, r.Problems = RowSkipped, []RowProblem{rows[i].problem("", AlreadyEnrolledError{AccountID: v.AccountID}.Msg())}
				} else {
					r.Status, r.Problems = RowError, []RowProblem{rows[i].problem("account_id", CreatorTakenError{AccountID: v.AccountID}.Msg())}
				}
			} else if v.ContactEmail != "" && usedEmails[v.ContactEmail] {
				r.Status, r.Problems = RowError, []RowProblem{rows[i].problem("contact_email", Msg{ID: "err_contact_email_in_use"})}
			} else {
				ready = append(ready, v)
			}
		}
		switch r.Status {
		case RowOK:
			p.OK++
		case RowSkipped:
			p.Skipped++
		default:
			p.Errors++
		}
	}
	return p, ready, nil
}

func chunks[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > n {
		out = append(out, xs[:n])
		xs = xs[n:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

// ConfirmCreatorImport imports the good rows of a previewed file in one
// transaction. Rows with problems are left out and reported; rows already
// enrolled by the same agency are skipped, so re-importing creates no duplicates.
func (s *Store) ConfirmCreatorImport(ctx context.Context, a *Actor, id uint) (*ImportPreview, error) {
	var p *ImportPreview
	err := s.tx(ctx, func(tx *gorm.DB) error {
		imp, err := s.loadImport(tx, a, id)
		if err != nil {
			return err
		}
		if imp.ConfirmedAt != nil {
			return ErrImportConfirmed
		}
		var ready []validEnrolment
		p, ready, err = s.checkImport(tx, imp)
		if err != nil {
			return err
		}
		invitations := map[string]*OneTimeLink{}
		for _, v := range ready {
			res, err := insertCreator(tx, a, imp.AgencyID, v)
			if err != nil {
				return fmt.Errorf("account %s: %w", v.AccountID, err)
			}
			if res.Invitation != nil {
				invitations[v.AccountID] = res.Invitation
			}
		}
		for i := range p.Rows {
			if p.Rows[i].Status == RowOK {
				p.Rows[i].Invitation = invitations[strings.TrimSpace(p.Rows[i].AccountID)]
			}
		}
		now := s.now().UTC()
		res := tx.Model(&CreatorImport{}).Where("id = ? AND confirmed_at IS NULL", imp.ID).
			Updates(map[string]any{"confirmed_at": now, "created": p.OK, "skipped": p.Skipped, "failed": p.Errors})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrImportConfirmed
		}
		p.Confirmed = true
		return appendAudit(tx, a, "import.confirm", "creator_import", imp.ID, nil,
			map[string]any{"file": imp.Filename, "created": p.OK, "skipped": p.Skipped, "errors": p.Errors})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// FailedImportRow is a refused row of an upload, as the file had it.
type FailedImportRow struct {
	Line     int
	Fields   []string // the row's values as written
	Problems []RowProblem
}

// FailedImport is what of an upload was refused: the file's header as
// written and its refused rows, so they can be given back as a file to fix
// and upload again.
type FailedImport struct {
	Filename string
	Columns  []string
	Rows     []FailedImportRow
}

// FailedCreatorImportRows checks a stored upload again and returns its
// refused rows (skipped rows, already enrolled by the agency, are not
// refused). The upload is read from the database, never from the client, and
// only by the user who uploaded it: anyone else's import is ErrNotFound.
func (s *Store) FailedCreatorImportRows(ctx context.Context, a *Actor, id uint) (*FailedImport, error) {
	imp, err := s.loadImport(s.r(ctx), a, id)
	if err != nil {
		return nil, err
	}
	rows, err := ParseEnrolmentCSV(imp.Content)
	if err != nil {
		return nil, FieldErrors{"file": msgOf(err)}
	}
	p, _, err := s.checkImport(s.r(ctx), imp)
	if err != nil {
		return nil, err
	}
	out := &FailedImport{Filename: imp.Filename}
	if len(rows) > 0 {
		out.Columns = rows[0].Columns
	}
	for i, r := range p.Rows {
		if r.Status == RowError {
			out.Rows = append(out.Rows, FailedImportRow{Line: r.Line, Fields: rows[i].Fields, Problems: r.Problems})
		}
	}
	return out, nil
}
