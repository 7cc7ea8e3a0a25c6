package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
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
	// Hash chains the log: each entry's hash covers its content and the
	// previous entry's hash, so editing or deleting a row breaks the chain.
	PrevHash string `gorm:"size:64;not null;default:''"`
	Hash     string `gorm:"size:64;not null;default:''"`
}

// computeHash is the entry's hash over a canonical form of its content.
func (e *AuditEntry) computeHash() string {
	actor := ""
	if e.ActorID != nil {
		actor = strconv.FormatUint(uint64(*e.ActorID), 10)
	}
	h := sha256.New()
	for _, part := range []string{e.PrevHash, e.At.UTC().Format(time.RFC3339Nano), actor, e.ActorEmail, e.Action, e.ObjectType,
		strconv.FormatUint(uint64(e.ObjectID), 10), e.Before, e.After, e.IP} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func appendAudit(tx *gorm.DB, a *Actor, action, objectType string, objectID uint, before, after any) error {
	e := AuditEntry{
		At:         time.Now().UTC().Truncate(time.Microsecond),
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
	if tx.Dialector.Name() == "postgres" {
		// One writer at a time extends the chain; SQLite's IMMEDIATE transactions already ensure it.
		if err := tx.Exec("SELECT pg_advisory_xact_lock(727275)").Error; err != nil {
			return err
		}
	}
	var last AuditEntry
	if err := tx.Select("hash").Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	e.PrevHash = last.Hash
	e.Hash = e.computeHash()
	return tx.Create(&e).Error
}

// AuditCheck is the outcome of verifying the audit chain.
type AuditCheck struct {
	Checked  int
	BrokenAt uint   // the first entry whose hash or link does not match; 0 when intact
	Problem  string // what is wrong with it
}

// VerifyAudit walks the whole log in order and reports the first broken link.
func (s *Store) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	var res AuditCheck
	prev := ""
	var lastID uint
	for {
		var batch []AuditEntry
		if err := s.r(ctx).Where("id > ?", lastID).Order("id").Limit(5000).Find(&batch).Error; err != nil {
			return res, err
		}
		if len(batch) == 0 {
			return res, nil
		}
		for i := range batch {
			e := &batch[i]
			res.Checked++
			switch {
			case e.PrevHash != prev:
				res.BrokenAt, res.Problem = e.ID, "it does not link to the entry before it (an entry was removed or replaced)"
				return res, nil
			case e.computeHash() != e.Hash:
				res.BrokenAt, res.Problem = e.ID, "its content does not match its hash (it was edited)"
				return res, nil
			}
			prev, lastID = e.Hash, e.ID
		}
	}
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

// AuditRefusal records a refused request: a role that may not use a route,
// or an id outside the actor's tenant. Both look like "not found" to the user.
func (s *Store) AuditRefusal(ctx context.Context, a *Actor, method, path string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return appendAudit(tx, a, "access.refused", "request", 0, nil, map[string]any{"method": method, "path": path})
	})
}
