package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migrateAuditHMACAndThrottles is migration step 8. Its structs are frozen as
// they were that day.
func migrateAuditHMACAndThrottles(tx *gorm.DB) error {
	type auditEntry struct {
		Seq int64 `gorm:"not null;default:0"`
	}
	type auditTallyV8 struct {
		ActorKey string `gorm:"primaryKey;size:80"`
		Action   string `gorm:"primaryKey;size:64"`
		Minute   int64  `gorm:"primaryKey;autoIncrement:false"`
		Count    int64  `gorm:"not null"`
		EntrySeq int64  `gorm:"not null;index:idx_audit_tallies_entry_seq"`
	}
	type signInThrottleV8 struct {
		Key         string `gorm:"primaryKey;size:300"`
		Failures    int    `gorm:"not null"`
		WindowStart int64  `gorm:"not null"`
		LockedUntil int64  `gorm:"not null;default:0"`
		UpdatedAt   int64  `gorm:"not null;index:idx_sign_in_throttles_updated_at"`
	}
	if err := tx.Table("audit_entries").AutoMigrate(&auditEntry{}); err != nil {
		return err
	}
	if err := tx.Table("audit_tallies").AutoMigrate(&auditTallyV8{}); err != nil {
		return err
	}
	if err := tx.Table("sign_in_throttles").AutoMigrate(&signInThrottleV8{}); err != nil {
		return err
	}
	n, brokenAt, err := rechainAudit(tx)
	if err != nil {
		return err
	}
	if err := tx.Exec("CREATE UNIQUE INDEX IF NOT EXISTS idx_audit_seq ON audit_entries (seq)").Error; err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	// The log says itself when and how it was re-chained, and whether the old chain held before.
	previous := "intact"
	if brokenAt != 0 {
		previous = fmt.Sprintf("broken at entry id %d", brokenAt)
	}
	return appendAudit(tx, SystemActor(), "audit.rechained", "audit", 0, nil, map[string]any{"entries": n, "previous_chain": previous, "chain": "hmac-sha256"})
}

// rechainAudit numbers the existing entries in id order and chains them with
// the HMAC under the store's key. It first checks the old SHA-256 chain and
// reports where it broke (0 if it held), so the re-chaining cannot quietly
// bless an edit made before it.
func rechainAudit(tx *gorm.DB) (count int64, brokenAt uint, err error) {
	key, err := auditKeyOf(tx)
	if err != nil {
		return 0, 0, err
	}
	oldPrev, prev := "", ""
	var lastID uint
	for {
		var batch []AuditEntry
		if err := tx.Where("id > ?", lastID).Order("id").Limit(1000).Find(&batch).Error; err != nil {
			return 0, 0, err
		}
		if len(batch) == 0 {
			return count, brokenAt, nil
		}
		for i := range batch {
			e := &batch[i]
			e.At = e.At.UTC().Truncate(time.Microsecond)
			if brokenAt == 0 && (e.PrevHash != oldPrev || e.legacyHash() != e.Hash) {
				brokenAt = e.ID
			}
			oldPrev = e.Hash
			count++
			e.Seq, e.PrevHash = count, prev
			e.Hash = e.mac(key)
			if err := tx.Model(&AuditEntry{}).Where("id = ?", e.ID).
				Updates(map[string]any{"seq": e.Seq, "prev_hash": e.PrevHash, "hash": e.Hash}).Error; err != nil {
				return 0, 0, err
			}
			prev, lastID = e.Hash, e.ID
		}
	}
}
