package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Agency is an MCN agency that enrols creators.
type Agency struct {
	ID           uint   `gorm:"primaryKey"`
	Name         string `gorm:"size:120;not null;uniqueIndex"`
	ContactName  string `gorm:"size:120"`
	ContactEmail string `gorm:"size:254"`
	ContactPhone string `gorm:"size:40"`
	// Settlement is how the agency's creators are paid: SettleDirect (each
	// creator) or SettleThroughAgency (one line to the agency, which invoices).
	Settlement string `gorm:"size:8;not null;default:direct"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// How an agency's creators' weekly bonuses are paid (issue 15).
const (
	SettleDirect        = "direct"
	SettleThroughAgency = "agency"
)

// AgencyInput is the editable part of an agency.
type AgencyInput struct {
	Name         string
	ContactName  string
	ContactEmail string
	ContactPhone string
}

func (in *AgencyInput) validate() FieldErrors {
	fe := FieldErrors{}
	in.Name = strings.TrimSpace(in.Name)
	in.ContactName = strings.TrimSpace(in.ContactName)
	in.ContactEmail = NormalizeEmail(in.ContactEmail)
	in.ContactPhone = strings.TrimSpace(in.ContactPhone)
	switch n := len([]rune(in.Name)); {
	case n == 0:
		fe["name"] = Msg{ID: "err_name_required"}
	case n > 120:
		fe["name"] = M("err_name_too_long", "N", 120)
	}
	if in.ContactEmail != "" {
		if msg := ValidateEmail(in.ContactEmail); !msg.IsZero() {
			fe["contact_email"] = msg
		}
	}
	if len(in.ContactPhone) > 40 {
		fe["contact_phone"] = M("err_phone_too_long", "N", 40)
	}
	checkTexts(fe, map[string]string{"name": in.Name, "contact_name": in.ContactName, "contact_phone": in.ContactPhone})
	return fe
}

func agencyAudit(a *Agency) map[string]any {
	return map[string]any{"name": a.Name, "contact_name": a.ContactName, "contact_email": a.ContactEmail, "contact_phone": a.ContactPhone}
}

// CreateAgency adds an agency (staff only).
func (s *Store) CreateAgency(ctx context.Context, a *Actor, in AgencyInput) (*Agency, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	if fe := in.validate(); len(fe) > 0 {
		return nil, fe
	}
	ag := &Agency{Name: in.Name, ContactName: in.ContactName, ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(ag).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"name": M("err_agency_name_taken", "Name", in.Name)}
			}
			return err
		}
		return appendAudit(tx, a, "agency.create", "agency", ag.ID, nil, agencyAudit(ag))
	})
	return ag, err
}

// UpdateAgency edits an agency (staff only).
func (s *Store) UpdateAgency(ctx context.Context, a *Actor, id uint, in AgencyInput) (*Agency, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	if fe := in.validate(); len(fe) > 0 {
		return nil, fe
	}
	var ag Agency
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&ag, id).Error; err != nil {
			return notFound(err)
		}
		before := agencyAudit(&ag)
		ag.Name, ag.ContactName, ag.ContactEmail, ag.ContactPhone = in.Name, in.ContactName, in.ContactEmail, in.ContactPhone
		if err := tx.Save(&ag).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"name": M("err_agency_name_taken", "Name", in.Name)}
			}
			return err
		}
		return appendAudit(tx, a, "agency.update", "agency", ag.ID, before, agencyAudit(&ag))
	})
	return &ag, err
}

// GetAgency loads one agency: staff see any, a manager only their own.
func (s *Store) GetAgency(ctx context.Context, a *Actor, id uint) (*Agency, error) {
	if !a.IsStaff() && !(a.Role == RoleMCNManager && a.AgencyID != nil && *a.AgencyID == id) {
		return nil, ErrNotFound
	}
	var ag Agency
	if err := s.r(ctx).First(&ag, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &ag, nil
}

// AgencyRow is an agency with its creator counts, for lists.
type AgencyRow struct {
	Agency
	Creators  int64
	Qualified int64
	Pending   int64
}

// agencyOrder is the agencies list's order: by name, ties by id.
var agencyOrder = seekSort{Cols: []string{"name"}, ID: "id"}

// AgencyCursor is the cursor of a row of the agencies list, for the link to
// the page after (or before) it.
func AgencyCursor(r AgencyRow) string { return agencyOrder.cursor(r.ID, r.Name) }

// ListAgencies lists agencies with creator counts (staff only), searched by name.
func (s *Store) ListAgencies(ctx context.Context, a *Actor, search string, page Page) ([]AgencyRow, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrForbidden
	}
	q := s.r(ctx).Model(&Agency{})
	if search = strings.TrimSpace(search); search != "" {
		q = q.Where("LOWER(name) LIKE ?"+likeEscape, likeContains(strings.ToLower(search)))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	q, reversed, err := agencyOrder.read(q, page, total)
	if err != nil {
		return nil, total, err
	}
	var ags []Agency
	if err := q.Find(&ags).Error; err != nil {
		return nil, 0, err
	}
	if reversed {
		slices.Reverse(ags)
	}
	rows := make([]AgencyRow, len(ags))
	ids := make([]uint, len(ags))
	for i, ag := range ags {
		rows[i].Agency = ag
		ids[i] = ag.ID
	}
	if len(ids) == 0 {
		return rows, total, nil
	}
	// One grouped query for the whole page rather than one per agency.
	var counts []struct {
		AgencyID uint
		State    CreatorState
		N        int64
	}
	if err := s.r(ctx).Model(&Creator{}).Select("agency_id, state, COUNT(*) AS n").
		Where("agency_id IN ?", ids).Group("agency_id, state").Scan(&counts).Error; err != nil {
		return nil, 0, err
	}
	byID := map[uint]*AgencyRow{}
	for i := range rows {
		byID[rows[i].ID] = &rows[i]
	}
	for _, c := range counts {
		r := byID[c.AgencyID]
		r.Creators += c.N
		switch c.State {
		case StateQualified:
			r.Qualified += c.N
		case StatePending:
			r.Pending += c.N
		}
	}
	return rows, total, nil
}

// agenciesNamed selects the ids of agencies whose name starts with name, in any case.
func agenciesNamed(db *gorm.DB, name string) *gorm.DB {
	return db.Model(&Agency{}).Select("id").Where("LOWER(name) LIKE ?"+likeEscape, likePrefix(strings.ToLower(strings.TrimSpace(name))))
}

// AgencyOptions lists every agency's id and name for filters and forms.
func (s *Store) AgencyOptions(ctx context.Context) ([]Agency, error) {
	var ags []Agency
	err := s.r(ctx).Select("id, name").Order("name").Find(&ags).Error
	return ags, err
}

// AddAgencyManager invites a person to be an MCN manager of an agency (admins
// only): they set their own password through the link emailed to them.
func (s *Store) AddAgencyManager(ctx context.Context, a *Actor, agencyID uint, email string) (*OneTimeLink, error) {
	if a == nil || a.Role != RoleAdmin {
		return nil, ErrForbidden
	}
	return s.InviteUser(ctx, a, NewInvitation{Email: email, Role: RoleMCNManager, AgencyID: &agencyID})
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
