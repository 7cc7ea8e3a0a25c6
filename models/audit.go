package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// AuditEntry is one append-only record of a change of state. The application
// only ever inserts these rows.
type AuditEntry struct {
	ID         uint      `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	ActorID    *uint     `gorm:"index:idx_audit_actor_at,priority:1"`
	ActorEmail string    `gorm:"size:254;not null"`
	Action     string    `gorm:"size:64;not null;index:idx_audit_action_at,priority:1"`
	ObjectType string    `gorm:"size:32;not null;index:idx_audit_object,priority:1"`
	ObjectID   uint      `gorm:"not null;index:idx_audit_object,priority:2"`
	Before     string    `gorm:"type:text"`
	After      string    `gorm:"type:text"`
	IP         string    `gorm:"size:64"`
}

func appendAudit(tx *gorm.DB, a *Actor, action, objectType string, objectID uint, before, after any) error {
	e := AuditEntry{
		At:         time.Now().UTC(),
		ActorEmail: "system",
		Action:     action,
		ObjectType: objectType,
		ObjectID:   objectID,
		Before:     toJSON(before),
		After:      toJSON(after),
	}
	if a != nil {
		if a.UserID != 0 {
			id := a.UserID
			e.ActorID = &id
		}
		if a.Email != "" {
			e.ActorEmail = a.Email
		}
		e.IP = a.IP
	}
	return tx.Create(&e).Error
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Actor      string // email, exact or prefix
	Action     string // exact or prefix such as "creator."
	ObjectType string
	ObjectID   uint
	From, To   time.Time // To is exclusive
}

// ListAudit returns audit entries, newest first, for staff.
func (s *Store) ListAudit(ctx context.Context, a *Actor, f AuditFilter, page Page) ([]AuditEntry, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrForbidden
	}
	q := s.r(ctx).Model(&AuditEntry{})
	if f.Actor != "" {
		q = q.Where("actor_email LIKE ?"+likeEscape, likePrefix(NormalizeEmail(f.Actor)))
	}
	if f.Action != "" {
		q = q.Where("action LIKE ?"+likeEscape, likePrefix(f.Action))
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != 0 {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var es []AuditEntry
	err := q.Order("id DESC").Limit(page.Size).Offset(page.Offset()).Find(&es).Error
	return es, total, err
}

// AuditFor lists the history of one object, oldest first.
func (s *Store) AuditFor(ctx context.Context, objectType string, id uint) ([]AuditEntry, error) {
	var es []AuditEntry
	err := s.r(ctx).Where("object_type = ? AND object_id = ?", objectType, id).Order("id").Limit(500).Find(&es).Error
	return es, err
}
