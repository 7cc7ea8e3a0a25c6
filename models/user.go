package models

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Role is what a user may see and do; see DESIGN.md "Who uses it".
type Role string

// The four roles.
const (
	RoleAdmin      Role = "admin"
	RoleReviewer   Role = "reviewer"
	RoleMCNManager Role = "mcn_manager"
	RoleCreator    Role = "creator"
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleReviewer, RoleMCNManager, RoleCreator}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// IsStaff reports whether r is JD staff (admin or reviewer), who see everything.
func (r Role) IsStaff() bool { return r == RoleAdmin || r == RoleReviewer }

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// User is a person who signs in.
type User struct {
	ID             uint   `gorm:"primaryKey"`
	Email          string `gorm:"size:254;not null;uniqueIndex"`
	PasswordHash   string `gorm:"size:100;not null"`
	Role           Role   `gorm:"size:20;not null;index"`
	AgencyID       *uint  `gorm:"index"`
	Agency         *Agency
	CreatorID      *uint  `gorm:"uniqueIndex"`
	SessionVersion int    `gorm:"not null;default:1"`
	Disabled       bool   `gorm:"not null;default:false"`
	Language       string `gorm:"size:8;not null;default:''"` // the pages' language; "" = from the browser
	LastLoginAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NewUser is a request to create a user account.
type NewUser struct {
	Email     string
	Password  string
	Role      Role
	AgencyID  *uint
	CreatorID *uint
}

// NormalizeEmail trims and lower-cases an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateEmail returns a message naming the problem with s, or the zero Msg.
func ValidateEmail(s string) Msg {
	if s == "" {
		return Msg{ID: "err_email_required"}
	}
	if msg := CheckText(s, false); !msg.IsZero() {
		return msg // net/mail takes any non-ASCII character, invisible ones too
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return Msg{ID: "err_email_invalid"}
	}
	return Msg{}
}

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords holds passwords too common to accept, lower case.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// ValidatePassword returns a message naming the problem with p, or the zero Msg.
func ValidatePassword(p string) Msg {
	switch {
	case len([]rune(p)) < MinPasswordLength:
		return M("err_password_short", "N", MinPasswordLength)
	case strings.TrimSpace(p) == "":
		return Msg{ID: "err_password_spaces"}
	case len(p) > 72:
		return Msg{ID: "err_password_long"}
	case commonPasswords[strings.ToLower(p)]:
		return Msg{ID: "err_password_common"}
	}
	return Msg{}
}

// CheckPassword confirms the signed-in user's password (before a sensitive
// action). It is throttled with the same counters as sign-in, checked before
// the password; a wrong one is audited.
func (s *Store) CheckPassword(ctx context.Context, a *Actor, password string) error {
	var u User
	if err := s.r(ctx).First(&u, a.UserID).Error; err != nil {
		return notFound(err)
	}
	if err := s.checkThrottled(ctx, a, &u, u.Email, password, "auth.reauth_failed"); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error { return throttledSuccess(tx, u.Email, a.IP) })
}

// checkThrottled compares password with u's (u nil: an unknown email) under
// the sign-in throttle: refused without a comparison while a counter is
// locked; a failure counted and audited as failAction. On success the caller
// ends it with throttledSuccess in the transaction that acts on it.
func (s *Store) checkThrottled(ctx context.Context, a *Actor, u *User, email, password, failAction string) error {
	now := s.now()
	if err := throttleCheck(s.r(ctx), email, a.IP, now); err != nil {
		if aerr := s.tx(ctx, func(tx *gorm.DB) error {
			return appendAuditTallied(tx, a, "auth.throttled", "user", userIDOf(u), map[string]any{"email": truncateRunes(NormalizeEmail(email), maxAuditEmail)})
		}); aerr != nil {
			return aerr
		}
		return err
	}
	if u == nil {
		// Spend the same time as a real check so timing does not reveal which emails exist.
		_ = bcrypt.CompareHashAndPassword(s.dummyPasswordHash(), []byte(password))
	}
	if u == nil || u.Disabled || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		var locked *ThrottledError
		err := s.tx(ctx, func(tx *gorm.DB) error {
			if err := appendAudit(tx, a, failAction, "user", userIDOf(u), nil, map[string]any{"email": truncateRunes(NormalizeEmail(email), maxAuditEmail)}); err != nil {
				return err
			}
			var err error
			locked, err = throttleFail(tx, a, userIDOf(u), email, a.IP, now)
			return err
		})
		if err != nil {
			return err
		}
		if locked != nil {
			return fmt.Errorf("%w: %w", ErrBadCredentials, locked)
		}
		return ErrBadCredentials
	}
	return nil
}

// throttledSuccess ends a successful check inside the transaction that acts
// on it: refused if a lock began meanwhile (concurrent wrong guesses on other
// servers), else the account's own counter is cleared.
func throttledSuccess(tx *gorm.DB, email, ip string) error {
	now := nowOf(tx)
	if err := throttleCheck(tx, email, ip, now); err != nil {
		return err
	}
	return throttleSucceed(tx, email, now)
}

func userIDOf(u *User) uint {
	if u == nil {
		return 0
	}
	return u.ID
}

// ChangePassword sets a new password after checking the current one, and
// ends every session of the user.
func (s *Store) ChangePassword(ctx context.Context, a *Actor, current, next string) error {
	if err := s.CheckPassword(ctx, a, current); err != nil {
		if errors.Is(err, ErrBadCredentials) && !errors.As(err, new(*ThrottledError)) {
			return FieldErrors{"current": Msg{ID: "err_current_password_wrong"}}
		}
		return err
	}
	if msg := ValidatePassword(next); !msg.IsZero() {
		return FieldErrors{"password": msg}
	}
	hash, err := s.hashPassword(next)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", a.UserID).
			Updates(map[string]any{"password_hash": hash, "session_version": gorm.Expr("session_version + 1")}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "auth.password_changed", "user", a.UserID, nil, nil)
	})
}

// SetUserDisabled disables or re-enables a user (admin only). Disabling ends
// their sessions at once.
func (s *Store) SetUserDisabled(ctx context.Context, a *Actor, userID uint, disabled bool) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	if userID == a.UserID {
		return FieldErrors{"user": Msg{ID: "err_disable_own_account"}}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.First(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Model(&User{}).Where("id = ?", userID).
			Updates(map[string]any{"disabled": disabled, "session_version": gorm.Expr("session_version + 1")}).Error; err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return appendAudit(tx, a, action, "user", userID, map[string]any{"disabled": u.Disabled}, map[string]any{"disabled": disabled})
	})
}

func (n *NewUser) validate() FieldErrors {
	fe := FieldErrors{}
	n.Email = NormalizeEmail(n.Email)
	if msg := ValidateEmail(n.Email); !msg.IsZero() {
		fe["email"] = msg
	}
	if msg := ValidatePassword(n.Password); !msg.IsZero() {
		fe["password"] = msg
	}
	switch {
	case !n.Role.Valid():
		fe["role"] = Msg{ID: "err_role_unknown"}
	case n.Role == RoleMCNManager && n.AgencyID == nil:
		fe["agency"] = Msg{ID: "err_manager_needs_agency"}
	case n.Role == RoleCreator && n.CreatorID == nil:
		fe["creator"] = Msg{ID: "err_creator_account_needs_record"}
	case n.Role != RoleMCNManager && n.AgencyID != nil:
		fe["agency"] = Msg{ID: "err_only_managers_in_agency"}
	}
	return fe
}

// hashPassword hashes p with bcrypt at the store's cost (WithPasswordCost).
func (s *Store) hashPassword(p string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(p), s.passwordCost)
	return string(h), err
}

// dummyPasswordHash is a hash at the store's cost that no password matches:
// comparing with it spends the time of a real check.
func (s *Store) dummyPasswordHash() []byte {
	s.dummyHashOnce.Do(func() {
		s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not-a-real-password"), s.passwordCost)
	})
	return s.dummyHash
}

// CreateUser adds a user account with a password chosen by the caller: only
// the operator's command line and the seeds do that (by is SystemActor()).
// People signed in to the portal invite instead (InviteUser), so that
// nobody chooses or learns another person's password.
func (s *Store) CreateUser(ctx context.Context, by *Actor, n NewUser) (*User, error) {
	if by == nil || by.Role != RoleAdmin || by.UserID != 0 {
		return nil, ErrForbidden
	}
	if fe := n.validate(); len(fe) > 0 {
		return nil, fe
	}
	hash, err := s.hashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	u := &User{Email: n.Email, PasswordHash: hash, Role: n.Role, AgencyID: n.AgencyID, CreatorID: n.CreatorID, SessionVersion: 1}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if n.AgencyID != nil {
			if err := tx.First(&Agency{}, *n.AgencyID).Error; err != nil {
				return FieldErrors{"agency": Msg{ID: "err_no_such_agency"}}
			}
		}
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return fieldErr("email", EmailTakenError{Email: n.Email})
			}
			return err
		}
		return appendAudit(tx, by, "user.create", "user", u.ID, nil, userAudit(u))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func userAudit(u *User) map[string]any {
	m := map[string]any{"email": u.Email, "role": u.Role, "disabled": u.Disabled}
	if u.AgencyID != nil {
		m["agency_id"] = *u.AgencyID
	}
	if u.CreatorID != nil {
		m["creator_id"] = *u.CreatorID
	}
	return m
}

// Authenticate checks an email and password. Unknown email and wrong password
// give the same error, and both are audited as failed sign-ins. Attempts are
// throttled per account and per address (a *ThrottledError, also wrapped in
// the failure that started a lock).
func (s *Store) Authenticate(ctx context.Context, email, password, ip string) (*User, error) {
	email = NormalizeEmail(email)
	var u User
	err := s.r(ctx).Where("email = ?", email).First(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	known := &u
	if err != nil {
		known = nil
	}
	anon := &Actor{Email: email, IP: ip}
	if err := s.checkThrottled(ctx, anon, known, email, password, "auth.login_failed"); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := throttledSuccess(tx, email, ip); err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", now).Error; err != nil {
			return err
		}
		return appendAudit(tx, &Actor{UserID: u.ID, Email: u.Email, Role: u.Role, IP: ip}, "auth.login", "user", u.ID, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	u.LastLoginAt = &now
	return &u, nil
}

// SetLanguage records the language the signed-in user reads the portal in.
// lang is checked by the caller against the languages the pages speak.
func (s *Store) SetLanguage(ctx context.Context, a *Actor, lang string) error {
	if a == nil || a.UserID == 0 {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&User{}).Where("id = ?", a.UserID).UpdateColumn("language", lang).Error
	})
}

// UserByID loads an enabled user with their agency, for the session middleware.
func (s *Store) UserByID(ctx context.Context, id uint) (*User, error) {
	var u User
	err := s.r(ctx).Preload("Agency").Where("id = ? AND disabled = ?", id, false).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &u, err
}

// RecordLogout audits a sign-out and bumps the session version so copies of
// the old cookie stop working.
func (s *Store) RecordLogout(ctx context.Context, a *Actor) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", a.UserID).
			Update("session_version", gorm.Expr("session_version + 1")).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "auth.logout", "user", a.UserID, nil, nil)
	})
}

// UsersOfAgency lists the manager accounts of an agency.
func (s *Store) UsersOfAgency(ctx context.Context, agencyID uint) ([]User, error) {
	var us []User
	err := s.r(ctx).Where("agency_id = ?", agencyID).Order("email").Find(&us).Error
	return us, err
}

// ListUsers lists users for the admin page, optionally by role, a page at a time.
func (s *Store) ListUsers(ctx context.Context, role Role, page Page) ([]User, int64, error) {
	q := s.r(ctx).Model(&User{})
	if role != "" {
		q = q.Where("role = ?", role)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var us []User
	err := q.Preload("Agency").Order("email").Limit(page.Size).Offset(page.Offset()).Find(&us).Error
	return us, total, err
}
