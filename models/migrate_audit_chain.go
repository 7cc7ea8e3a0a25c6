package models

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Migration step 4, frozen as it shipped (commit ff3d44c): the audit log
// becomes a SHA-256 hash chain; single-use password reset links.

type auditEntryV4 struct {
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
	PrevHash   string    `gorm:"size:64;not null;default:''"`
	Hash       string    `gorm:"size:64;not null;default:''"`
}

func (auditEntryV4) TableName() string { return "audit_entries" }

type passwordResetV4 struct {
	ID          uint      `gorm:"primaryKey"`
	UserID      uint      `gorm:"not null;index"`
	TokenHash   string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	CreatedByID uint
	CreatedAt   time.Time
}

func (passwordResetV4) TableName() string { return "password_resets" }

// auditFieldsV4 are what the chain of steps 4 and 8 covers of an entry.
type auditFieldsV4 struct {
	prevHash   string
	seq        *int64 // covered from step 8 on
	at         time.Time
	actorID    *uint
	actorEmail string
	action     string
	objectType string
	objectID   uint
	before     string
	after      string
	ip         string
}

// write writes the covered fields to h, each ended by NUL.
func (f auditFieldsV4) write(h io.Writer) {
	actor := ""
	if f.actorID != nil {
		actor = strconv.FormatUint(uint64(*f.actorID), 10)
	}
	parts := []string{f.prevHash}
	if f.seq != nil {
		parts = append(parts, strconv.FormatInt(*f.seq, 10))
	}
	parts = append(parts, f.at.UTC().Format(time.RFC3339Nano), actor, f.actorEmail, f.action, f.objectType,
		strconv.FormatUint(uint64(f.objectID), 10), f.before, f.after, f.ip)
	for _, part := range parts {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
}

// sha256Chain is the chain hash of step 4 (no sequence number, no key).
func (f auditFieldsV4) sha256Chain() string {
	f.seq = nil
	h := sha256.New()
	f.write(h)
	return hex.EncodeToString(h.Sum(nil))
}

// hmacChain is the chain hash of step 8: HMAC-SHA256 under key, sequence number included.
func (f auditFieldsV4) hmacChain(key []byte) string {
	h := hmac.New(sha256.New, key)
	f.write(h)
	return hex.EncodeToString(h.Sum(nil))
}

func (e *auditEntryV4) fields() auditFieldsV4 {
	return auditFieldsV4{prevHash: e.PrevHash, at: e.At, actorID: e.ActorID, actorEmail: e.ActorEmail, action: e.Action,
		objectType: e.ObjectType, objectID: e.ObjectID, before: e.Before, after: e.After, ip: e.IP}
}

// migrateAuditChain is migration step 4: the audit log becomes a hash chain
// (entries written before are chained in id order); password reset links.
func migrateAuditChain(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&auditEntryV4{}, &passwordResetV4{}); err != nil {
		return err
	}
	prev := ""
	var lastID uint
	for {
		var batch []auditEntryV4
		if err := tx.Where("id > ? AND hash = ''", lastID).Order("id").Limit(1000).Find(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for i := range batch {
			e := &batch[i]
			e.At = e.At.UTC().Truncate(time.Microsecond)
			e.PrevHash = prev
			e.Hash = e.fields().sha256Chain()
			if err := tx.Model(&auditEntryV4{}).Where("id = ?", e.ID).Updates(map[string]any{"at": e.At, "prev_hash": e.PrevHash, "hash": e.Hash}).Error; err != nil {
				return err
			}
			prev, lastID = e.Hash, e.ID
		}
	}
}
