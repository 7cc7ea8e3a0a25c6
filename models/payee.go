package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Payee is who receives money: a creator paid directly (an individual with a
// resident ID and a bank card or Alipay account) or an agency (a company with
// its unified social credit code and corporate bank account). One per owner.
// The ID number and the account are stored encrypted (see payee_crypto.go),
// with masked copies for the pages. Any change makes the payee unverified
// until a reviewer verifies it again; the history is the audit log (masked).
type Payee struct {
	ID      uint   `gorm:"primaryKey"`
	Kind    string `gorm:"size:8;not null;uniqueIndex:idx_payees_owner,priority:1"` // PayeeCreator or PayeeAgency
	OwnerID uint   `gorm:"not null;uniqueIndex:idx_payees_owner,priority:2"`        // creators.id or agencies.id
	Name    string `gorm:"size:120;not null"`                                       // legal or company name
	Method  string `gorm:"size:8;not null"`                                         // PayByBank or PayByAlipay
	// IDNumberEnc is the resident ID or credit code, encrypted; IDNumberMasked is what pages show.
	IDNumberEnc    string `gorm:"type:text;not null"`
	IDNumberMasked string `gorm:"size:24;not null"`
	// AccountEnc is the bank account or Alipay account, encrypted; AccountMasked is what pages show.
	AccountEnc    string `gorm:"type:text;not null"`
	AccountMasked string `gorm:"size:64;not null"`
	Bank          string `gorm:"size:80;not null;default:''"`
	Branch        string `gorm:"size:120;not null;default:''"`
	// Revision counts the saved versions: a reviewer verifies the revision they saw.
	Revision     int  `gorm:"not null;default:1"`
	Verified     bool `gorm:"not null;default:false;index:idx_payees_verified,priority:1"`
	VerifiedAt   *time.Time
	VerifiedByID *uint
	VerifyNote   string `gorm:"size:500;not null;default:''"`
	CreatedAt    time.Time
	UpdatedAt    time.Time `gorm:"index:idx_payees_verified,priority:2"`
}

// PayeeInput is what a creator or an agency manager enters. IDNumber and
// Account left blank keep the numbers saved before (pages never show them
// in full, so the form cannot carry them back).
type PayeeInput struct {
	Name     string
	IDNumber string
	Method   string // PayByBank or PayByAlipay (agencies: always PayByBank)
	Account  string
	Bank     string
	Branch   string
}

// PayeeSaved is what saving changed.
type PayeeSaved struct {
	Payee     Payee
	Unchanged bool // the details were already these: nothing saved, nothing reset
	// AccountChanged: an existing payee's account (or way of being paid)
	// changed. The payee was notified in the app; Mail lists whom to email.
	AccountChanged bool
	Mail           []MailTo
}

// MailTo is a person to email, in their language ("" when not chosen).
type MailTo struct {
	Email    string
	Language string
}

// Payee errors.
var (
	ErrPayeeChangedMeanwhile = sentinel("err_payee_changed_meanwhile", "payee details changed since they were shown")
	ErrPayeeAlreadyVerified  = sentinel("err_payee_already_verified", "payee already verified")
	ErrPayeeNoteRequired     = sentinel("err_payee_verify_note_required", "a note is required to verify payee details")
)

// Notification kinds of payees.
const (
	NotifyPayeeAccountChanged = "notify_payee_account_changed" // Account (masked)
	NotifyPayeeVerified       = "notify_payee_verified"        // -
)

// Targets of payee notifications.
const (
	TargetMyPayee     = "my_payee"     // the creator's payee details (ID 0)
	TargetAgencyPayee = "agency_payee" // an agency's payee details, by agency ID
)

var (
	alipayPhone = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	alipayEmail = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Field limits.
const (
	maxPayeeName   = 120
	maxPayeeBank   = 80
	maxPayeeBranch = 120
	maxVerifyNote  = 500
)

// validate checks the input for a payee of kind; the numbers are compacted
// (spaces and dashes removed). prev is the payee saved before, nil for a new one.
func (in *PayeeInput) validate(kind string, prev *Payee) FieldErrors {
	fe := FieldErrors{}
	in.Name = strings.TrimSpace(in.Name)
	in.Bank, in.Branch = strings.TrimSpace(in.Bank), strings.TrimSpace(in.Branch)
	in.IDNumber = compactNumber(in.IDNumber)
	in.Method = strings.TrimSpace(in.Method)
	if kind == PayeeAgency {
		in.Method = PayByBank
	}
	if in.Method == PayByAlipay {
		in.Account = strings.TrimSpace(in.Account)
		if !strings.Contains(in.Account, "@") {
			in.Account = compactNumber(in.Account)
		}
	} else {
		in.Account = compactNumber(in.Account)
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		fe["name"] = Msg{ID: "err_payee_name_required"}
	case n > maxPayeeName:
		fe["name"] = M("err_name_too_long", "N", maxPayeeName)
	}
	keepsID := in.IDNumber == "" && prev != nil
	switch {
	case keepsID:
	case in.IDNumber == "":
		fe["id_number"] = Msg{ID: "err_payee_id_required"}
	case kind == PayeeCreator && !ValidResidentID(in.IDNumber):
		fe["id_number"] = Msg{ID: "err_payee_resident_id"}
	case kind == PayeeAgency && !ValidUSCC(in.IDNumber):
		fe["id_number"] = Msg{ID: "err_payee_uscc"}
	}
	if in.Method != PayByBank && in.Method != PayByAlipay {
		fe["method"] = Msg{ID: "err_payee_method"}
		return fe
	}
	// A blank account keeps the saved one only while the way of being paid stays the same.
	keepsAccount := in.Account == "" && prev != nil && prev.Method == in.Method
	switch {
	case keepsAccount:
	case in.Account == "":
		fe["account"] = Msg{ID: "err_payee_account_required"}
	case in.Method == PayByAlipay:
		if !alipayPhone.MatchString(in.Account) && !alipayEmail.MatchString(in.Account) || len(in.Account) > 100 {
			fe["account"] = Msg{ID: "err_payee_alipay"}
		}
	case kind == PayeeCreator:
		if len(in.Account) < 12 || len(in.Account) > 19 || !ValidLuhn(in.Account) {
			fe["account"] = Msg{ID: "err_payee_card"}
		}
	default:
		// Corporate accounts carry no check digit: digits, as banks number them.
		if len(in.Account) < 8 || len(in.Account) > 32 || !allDigits(in.Account) {
			fe["account"] = Msg{ID: "err_payee_corporate_account"}
		}
	}
	if in.Method == PayByBank {
		switch n := utf8.RuneCountInString(in.Bank); {
		case n == 0:
			fe["bank"] = Msg{ID: "err_payee_bank_required"}
		case n > maxPayeeBank:
			fe["bank"] = M("err_payee_too_long", "N", maxPayeeBank)
		}
		switch n := utf8.RuneCountInString(in.Branch); {
		case n == 0:
			fe["branch"] = Msg{ID: "err_payee_branch_required"}
		case n > maxPayeeBranch:
			fe["branch"] = M("err_payee_too_long", "N", maxPayeeBranch)
		}
	} else {
		in.Bank, in.Branch = "", ""
	}
	checkTexts(fe, map[string]string{"name": in.Name, "bank": in.Bank, "branch": in.Branch})
	return fe
}

// mayKeepPayee reports whether a keeps the payee details of kind/ownerID:
// the creator their own, a manager their agency's.
func mayKeepPayee(a *Actor, kind string, ownerID uint) bool {
	switch kind {
	case PayeeCreator:
		return a != nil && a.Role == RoleCreator && a.CreatorID != nil && *a.CreatorID == ownerID
	case PayeeAgency:
		return a != nil && a.Role == RoleMCNManager && a.AgencyID != nil && *a.AgencyID == ownerID
	}
	return false
}

// mayReadPayee: the payee's keeper, and staff.
func mayReadPayee(a *Actor, kind string, ownerID uint) bool {
	return a.IsStaff() || mayKeepPayee(a, kind, ownerID)
}

// payeeAudit is a payee as the audit log keeps it: numbers masked, never plain.
type payeeAudit struct {
	Kind     string `json:"kind"`
	OwnerID  uint   `json:"owner_id"`
	Name     string `json:"name"`
	Method   string `json:"method"`
	IDNumber string `json:"id_number"`
	Account  string `json:"account"`
	Bank     string `json:"bank,omitempty"`
	Branch   string `json:"branch,omitempty"`
	Revision int    `json:"revision"`
	Verified bool   `json:"verified"`
	Note     string `json:"note,omitempty"`
}

func (p *Payee) audited() payeeAudit {
	return payeeAudit{Kind: p.Kind, OwnerID: p.OwnerID, Name: p.Name, Method: p.Method, IDNumber: p.IDNumberMasked,
		Account: p.AccountMasked, Bank: p.Bank, Branch: p.Branch, Revision: p.Revision, Verified: p.Verified, Note: p.VerifyNote}
}

// GetPayee returns the payee details of kind/ownerID as a may read them
// (numbers masked); ErrNotFound when there are none, or a may not see them.
func (s *Store) GetPayee(ctx context.Context, a *Actor, kind string, ownerID uint) (*Payee, error) {
	if !mayReadPayee(a, kind, ownerID) {
		return nil, ErrNotFound
	}
	var p Payee
	err := s.r(ctx).Where("kind = ? AND owner_id = ?", kind, ownerID).First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &p, err
}

// SavePayee saves the payee details of kind/ownerID entered by a (the
// creator, or a manager of the agency). New or changed details are
// unverified; a changed account (or way of being paid) of an existing payee
// notifies its people in the app and returns whom to email.
func (s *Store) SavePayee(ctx context.Context, a *Actor, kind string, ownerID uint, in PayeeInput) (PayeeSaved, error) {
	if !mayKeepPayee(a, kind, ownerID) {
		return PayeeSaved{}, ErrNotFound
	}
	var out PayeeSaved
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := payeeCipherOf(tx)
		if err != nil {
			return err
		}
		var prev *Payee
		var old Payee
		switch err := tx.Where("kind = ? AND owner_id = ?", kind, ownerID).First(&old).Error; {
		case err == nil:
			prev = &old
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		if fe := in.validate(kind, prev); len(fe) > 0 {
			return fe
		}
		p := Payee{Kind: kind, OwnerID: ownerID, Revision: 1}
		var oldID, oldAccount string
		if prev != nil {
			p = *prev
			if oldID, err = c.open(prev.IDNumberEnc, payeeAAD(kind, ownerID, "id_number")); err != nil {
				return err
			}
			if oldAccount, err = c.open(prev.AccountEnc, payeeAAD(kind, ownerID, "account")); err != nil {
				return err
			}
			if in.IDNumber == "" {
				in.IDNumber = oldID
			}
			if in.Account == "" {
				in.Account = oldAccount
			}
			if in.Name == prev.Name && in.Method == prev.Method && in.IDNumber == oldID && in.Account == oldAccount &&
				in.Bank == prev.Bank && in.Branch == prev.Branch {
				out = PayeeSaved{Payee: *prev, Unchanged: true}
				return nil
			}
		}
		before := any(nil)
		if prev != nil {
			before = prev.audited()
		}
		p.Name, p.Method, p.Bank, p.Branch = in.Name, in.Method, in.Bank, in.Branch
		if prev == nil || in.IDNumber != oldID {
			if p.IDNumberEnc, err = c.seal(in.IDNumber, payeeAAD(kind, ownerID, "id_number")); err != nil {
				return err
			}
			p.IDNumberMasked = MaskIDNumber(in.IDNumber)
		}
		accountChanged := prev != nil && (in.Account != oldAccount || in.Method != prev.Method)
		if prev == nil || accountChanged {
			if p.AccountEnc, err = c.seal(in.Account, payeeAAD(kind, ownerID, "account")); err != nil {
				return err
			}
			p.AccountMasked = MaskAccount(in.Method, in.Account)
		}
		p.Verified, p.VerifiedAt, p.VerifiedByID, p.VerifyNote = false, nil, nil, ""
		if prev != nil {
			// Only over the revision read: of two saves at once, one wins and
			// the other is told the details changed meanwhile.
			p.Revision = prev.Revision + 1
			res := tx.Model(&Payee{}).Where("id = ? AND revision = ?", prev.ID, prev.Revision).Select("*").Omit("id", "created_at").Updates(&p)
			if err = res.Error; err == nil && res.RowsAffected != 1 {
				return ErrPayeeChangedMeanwhile
			}
		} else {
			err = tx.Create(&p).Error
		}
		if err != nil {
			return err
		}
		action := "payee.create"
		if prev != nil {
			action = "payee.update"
		}
		if err := appendAudit(tx, a, action, "payee", p.ID, before, p.audited()); err != nil {
			return err
		}
		out = PayeeSaved{Payee: p, AccountChanged: accountChanged}
		if accountChanged {
			msg := M(NotifyPayeeAccountChanged, "Account", p.AccountMasked)
			if out.Mail, err = notifyPayee(tx, &p, msg); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// notifyPayee tells the people of a payee (the creator's account, or the
// agency's managers) in the app, and returns them for an email.
func notifyPayee(tx *gorm.DB, p *Payee, m Msg) ([]MailTo, error) {
	var users []User
	q := tx.Select("id", "email", "language").Where("disabled = ?", false)
	if p.Kind == PayeeCreator {
		q = q.Where("creator_id = ?", p.OwnerID)
	} else {
		q = q.Where("agency_id = ? AND role = ?", p.OwnerID, RoleMCNManager)
	}
	if err := q.Order("id").Find(&users).Error; err != nil {
		return nil, err
	}
	args, err := encodeArgs(m.Args)
	if err != nil {
		return nil, err
	}
	to := Target{Type: TargetMyPayee}
	if p.Kind == PayeeAgency {
		to = Target{Type: TargetAgencyPayee, ID: p.OwnerID}
	}
	var mail []MailTo
	for _, u := range users {
		n := Notification{UserID: u.ID, Kind: m.ID, Args: args, TargetType: to.Type, TargetID: to.ID, CreatedAt: nowOf(tx).UTC()}
		if err := tx.Create(&n).Error; err != nil {
			return nil, err
		}
		mail = append(mail, MailTo{Email: u.Email, Language: u.Language})
	}
	return mail, nil
}

// VerifyPayee marks revision rev of a payee verified, with the reviewer's
// note. Refused when the details changed since the reviewer saw them, or are
// verified already.
func (s *Store) VerifyPayee(ctx context.Context, a *Actor, payeeID uint, rev int, note string) (*Payee, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, ErrPayeeNoteRequired
	}
	if utf8.RuneCountInString(note) > maxVerifyNote {
		return nil, FieldErrors{"note": M("err_note_too_long", "N", maxVerifyNote)}
	}
	if msg := CheckText(note, true); !msg.IsZero() {
		return nil, FieldErrors{"note": msg}
	}
	var p Payee
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&p, payeeID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if p.Revision != rev {
			return ErrPayeeChangedMeanwhile
		}
		if p.Verified {
			return ErrPayeeAlreadyVerified
		}
		before := p.audited()
		now := nowOf(tx)
		res := tx.Model(&Payee{}).Where("id = ? AND revision = ? AND verified = ?", p.ID, rev, false).
			Updates(map[string]any{"verified": true, "verified_at": now, "verified_by_id": a.UserID, "verify_note": note})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrPayeeChangedMeanwhile
		}
		uid := a.UserID
		p.Verified, p.VerifiedAt, p.VerifiedByID, p.VerifyNote = true, &now, &uid, note
		if err := appendAudit(tx, a, "payee.verify", "payee", p.ID, before, p.audited()); err != nil {
			return err
		}
		_, err := notifyPayee(tx, &p, M(NotifyPayeeVerified))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// PayeeListRow is a payee on the staff list, with who it belongs to.
type PayeeListRow struct {
	Payee
	OwnerName string // the creator's display name or the agency's name
}

// Payees lists payees for staff, the longest-waiting unverified first (or,
// verified true, the verified ones, latest first), a page at a time, with
// the total.
func (s *Store) Payees(ctx context.Context, a *Actor, verified bool, page Page) ([]PayeeListRow, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrForbidden
	}
	var total int64
	if err := s.r(ctx).Model(&Payee{}).Where("verified = ?", verified).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	order := "payees.updated_at ASC, payees.id ASC"
	if verified {
		order = "payees.updated_at DESC, payees.id DESC"
	}
	var rows []PayeeListRow
	err := s.r(ctx).Table("payees").
		Select("payees.*, COALESCE(creators.display_name, agencies.name, '') AS owner_name").
		Joins("LEFT JOIN creators ON payees.kind = ? AND creators.id = payees.owner_id", PayeeCreator).
		Joins("LEFT JOIN agencies ON payees.kind = ? AND agencies.id = payees.owner_id", PayeeAgency).
		Where("payees.verified = ?", verified).Order(order).
		Offset((page.Number - 1) * page.Size).Limit(page.Size).Scan(&rows).Error
	return rows, total, err
}

// PayeeVersion is one entry of a payee's history: a saved version or a
// verification, as the audit log keeps it (numbers masked).
type PayeeVersion struct {
	At       time.Time
	By       string // the email of who did it
	Action   string // "payee.create", "payee.update" or "payee.verify"
	Name     string
	IDNumber string // masked
	Account  string // masked
	Bank     string
	Branch   string
	Verified bool
	Note     string
}

// PayeeHistory is the payee's saved versions and verifications, newest
// first, read from the audit log.
func (s *Store) PayeeHistory(ctx context.Context, a *Actor, p *Payee, limit int) ([]PayeeVersion, error) {
	if !mayReadPayee(a, p.Kind, p.OwnerID) {
		return nil, ErrNotFound
	}
	var rows []AuditEntry
	if err := s.r(ctx).Where("object_type = ? AND object_id = ?", "payee", p.ID).Order("seq DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]PayeeVersion, 0, len(rows))
	for _, e := range rows {
		var v payeeAudit
		if err := json.Unmarshal([]byte(e.After), &v); err != nil {
			return nil, fmt.Errorf("payee history %d: %w", e.ID, err)
		}
		out = append(out, PayeeVersion{At: e.At, By: e.ActorEmail, Action: e.Action, Name: v.Name, IDNumber: v.IDNumber, Account: v.Account,
			Bank: v.Bank, Branch: v.Branch, Verified: v.Verified, Note: v.Note})
	}
	return out, nil
}
