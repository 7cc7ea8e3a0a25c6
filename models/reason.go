package models

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"gorm.io/gorm"
)

// ReasonCode is an admin-kept reason for rejecting or suspending a creator.
type ReasonCode struct {
	ID     uint   `gorm:"primaryKey"`
	Code   string `gorm:"size:40;not null;uniqueIndex"`
	Label  string `gorm:"size:120;not null"`
	Active bool   `gorm:"not null;default:true"`
}

// DefaultReasonCodes are created with the schema.
var DefaultReasonCodes = []ReasonCode{
	{Code: "below_follower_threshold", Label: "Below follower threshold"},
	{Code: "duplicate_account", Label: "Duplicate account"},
	{Code: "content_policy", Label: "Content policy"},
	{Code: "incomplete_information", Label: "Incomplete information"},
	{Code: "suspected_fraud", Label: "Suspected fraud"},
}

var reasonCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// ReasonCodes lists reason codes; activeOnly hides retired ones.
func (s *Store) ReasonCodes(ctx context.Context, activeOnly bool) ([]ReasonCode, error) {
	q := s.r(ctx).Order("label")
	if activeOnly {
		q = q.Where("active = ?", true)
	}
	var out []ReasonCode
	return out, q.Find(&out).Error
}

// CreateReasonCode adds a reason code (admin only).
func (s *Store) CreateReasonCode(ctx context.Context, a *Actor, code, label string) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	code, label = strings.TrimSpace(code), strings.TrimSpace(label)
	fe := FieldErrors{}
	if !reasonCodePattern.MatchString(code) {
		fe["code"] = "code must be 2-40 lower-case letters, digits or underscores, starting with a letter"
	}
	if label == "" || len([]rune(label)) > 120 {
		fe["label"] = "label is required and must be at most 120 characters"
	}
	if len(fe) > 0 {
		return fe
	}
	rc := ReasonCode{Code: code, Label: label, Active: true}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&rc).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"code": "this code already exists"}
			}
			return err
		}
		return appendAudit(tx, a, "reason.create", "reason_code", rc.ID, nil, map[string]any{"code": code, "label": label})
	})
}

// UpdateReasonCode relabels or (de)activates a reason code (admin only).
func (s *Store) UpdateReasonCode(ctx context.Context, a *Actor, id uint, label string, active bool) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	label = strings.TrimSpace(label)
	if label == "" || len([]rune(label)) > 120 {
		return FieldErrors{"label": "label is required and must be at most 120 characters"}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var rc ReasonCode
		if err := tx.First(&rc, id).Error; err != nil {
			return notFound(err)
		}
		before := map[string]any{"label": rc.Label, "active": rc.Active}
		if err := tx.Model(&rc).Updates(map[string]any{"label": label, "active": active}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "reason.update", "reason_code", id, before, map[string]any{"label": label, "active": active})
	})
}
