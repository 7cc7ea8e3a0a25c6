package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// SubjectArea is one of the programme's subject areas. Codes never change;
// admins may rename or deactivate an area.
type SubjectArea struct {
	ID     uint   `gorm:"primaryKey"`
	Code   string `gorm:"size:40;not null;uniqueIndex"`
	Name   string `gorm:"size:80;not null;uniqueIndex"`
	Active bool   `gorm:"not null;default:true"`
}

// DefaultSubjectAreas are the programme's subject areas, numbered from 1 in
// this order. Migration step 1 creates them from its own frozen copy
// (subjectAreasV1): changing this list changes no database; a new area needs
// a step.
var DefaultSubjectAreas = []SubjectArea{
	{Code: "electronics", Name: "Electronic devices"},
	{Code: "household", Name: "Household goods"},
	{Code: "fashion", Name: "Fashion"},
	{Code: "skincare", Name: "Skincare"},
	{Code: "car_accessories", Name: "Car accessories"},
	{Code: "appliances", Name: "Home appliances"},
	{Code: "mobile_phones", Name: "Mobile phones"},
	{Code: "computers", Name: "Computers and office"},
	{Code: "food", Name: "Food and drink"},
	{Code: "fresh", Name: "Fresh produce"},
	{Code: "baby", Name: "Mother and baby"},
	{Code: "beauty", Name: "Beauty and make-up"},
	{Code: "health", Name: "Health"},
	{Code: "sports", Name: "Sports and outdoors"},
	{Code: "books", Name: "Books"},
	{Code: "toys", Name: "Toys"},
	{Code: "pets", Name: "Pet supplies"},
	{Code: "jewellery", Name: "Jewellery and watches"},
	{Code: "furniture", Name: "Furniture"},
	{Code: "travel", Name: "Travel"},
}

// DefaultSubjectName is the programme's own name for a subject area code ("" for codes admins added).
func DefaultSubjectName(code string) string {
	for _, s := range DefaultSubjectAreas {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}

// NameArg is the area's name as a message argument: the catalogue's word for
// the programme's own areas (so it reads in the reader's language), the name
// an admin gave it otherwise.
func (a SubjectArea) NameArg() any {
	if a.Code != "" && a.Name == DefaultSubjectName(a.Code) {
		return Word("subject_" + a.Code)
	}
	return a.Name
}

// SubjectAreas lists all subject areas by id.
func (s *Store) SubjectAreas(ctx context.Context) ([]SubjectArea, error) {
	var out []SubjectArea
	err := s.r(ctx).Order("id").Find(&out).Error
	return out, err
}

// UpdateSubjectArea renames or (de)activates a subject area (admin only).
func (s *Store) UpdateSubjectArea(ctx context.Context, a *Actor, id uint, name string, active bool) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 80 {
		return FieldErrors{"name": M("err_subject_name", "N", 80)}
	}
	if msg := CheckText(name, false); !msg.IsZero() {
		return FieldErrors{"name": msg}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var sa SubjectArea
		if err := tx.First(&sa, id).Error; err != nil {
			return notFound(err)
		}
		before := map[string]any{"name": sa.Name, "active": sa.Active}
		if err := tx.Model(&sa).Updates(map[string]any{"name": name, "active": active}).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"name": M("err_subject_name_taken", "Name", name)}
			}
			return err
		}
		return appendAudit(tx, a, "subject.update", "subject_area", id, before, map[string]any{"name": name, "active": active})
	})
}

// DefaultSubjectAreasWithIDs returns the default areas numbered as a fresh
// database numbers them, for validation without a database.
func DefaultSubjectAreasWithIDs() []SubjectArea {
	out := make([]SubjectArea, len(DefaultSubjectAreas))
	for i, s := range DefaultSubjectAreas {
		s.ID, s.Active = uint(i+1), true
		out[i] = s
	}
	return out
}
