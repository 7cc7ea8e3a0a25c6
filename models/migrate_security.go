package models

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Migration step 8, frozen as it shipped (commit eea3b56).

type auditSeqV8 struct {
	Seq int64 `gorm:"not null;default:0"`
}

func (auditSeqV8) TableName() string { return "audit_entries" }

type auditTallyV8 struct {
	ActorKey string `gorm:"primaryKey;size:80"`
	Action   string `gorm:"primaryKey;size:64"`
	Minute   int64  `gorm:"primaryKey;autoIncrement:false"`
	Count    int64  `gorm:"not null"`
	EntrySeq int64  `gorm:"not null;index:idx_audit_tallies_entry_seq"`
}

func (auditTallyV8) TableName() string { return "audit_tallies" }

type signInThrottleV8 struct {
	Key         string `gorm:"primaryKey;size:300"`
	Failures    int    `gorm:"not null"`
	WindowStart int64  `gorm:"not null"`
	LockedUntil int64  `gorm:"not null;default:0"`
	UpdatedAt   int64  `gorm:"not null;index:idx_sign_in_throttles_updated_at"`
}

func (signInThrottleV8) TableName() string { return "sign_in_throttles" }

// auditEntryV8 is an audit_entries row as step 8 reads and writes it.
type auditEntryV8 struct {
	ID         uint `gorm:"primaryKey"`
	Seq        int64
	At         time.Time
	ActorID    *uint
	ActorEmail string
	Action     string
	ObjectType string
	ObjectID   uint
	Before     string
	After      string
	IP         string
	PrevHash   string
	Hash       string
}

func (auditEntryV8) TableName() string { return "audit_entries" }

func (e *auditEntryV8) fields() auditFieldsV4 {
	return auditFieldsV4{prevHash: e.PrevHash, at: e.At, actorID: e.ActorID, actorEmail: e.ActorEmail, action: e.Action,
		objectType: e.ObjectType, objectID: e.ObjectID, before: e.Before, after: e.After, ip: e.IP}
}

// hmacChain is the entry's HMAC-SHA256 link under key, with its sequence number.
func (e *auditEntryV8) hmacChain(key []byte) string {
	f := e.fields()
	f.seq = &e.Seq
	return f.hmacChain(key)
}

// migrateAuditHMACAndThrottles is migration step 8: the audit log chained by
// HMAC under a key outside the database, with gapless sequence numbers
// (existing entries re-chained once, and the re-chaining itself logged);
// refusals tallied per minute; sign-in failures counted in the database.
func migrateAuditHMACAndThrottles(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&auditSeqV8{}, &auditTallyV8{}, &signInThrottleV8{}); err != nil {
		return err
	}
	key, err := auditKeyOf(tx)
	if err != nil {
		return err
	}
	n, brokenAt, last, err := rechainAuditV8(tx, key)
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
	after, err := json.Marshal(map[string]any{"entries": n, "previous_chain": previous, "chain": "hmac-sha256"})
	if err != nil {
		return err
	}
	e := auditEntryV8{
		Seq:        n + 1,
		At:         time.Now().UTC().Truncate(time.Microsecond),
		ActorEmail: "system",
		Action:     "audit.rechained",
		ObjectType: "audit",
		After:      string(after),
		PrevHash:   last,
	}
	e.Hash = e.hmacChain(key)
	return tx.Create(&e).Error
}

// rechainAuditV8 numbers the existing entries in id order and chains them with
// the HMAC under key. It first checks the old SHA-256 chain and reports where
// it broke (0 if it held), so the re-chaining cannot quietly bless an edit
// made before it. It returns the number of entries and the last hash.
func rechainAuditV8(tx *gorm.DB, key []byte) (count int64, brokenAt uint, last string, err error) {
	oldPrev := ""
	var lastID uint
	for {
		var batch []auditEntryV8
		if err := tx.Where("id > ?", lastID).Order("id").Limit(1000).Find(&batch).Error; err != nil {
			return 0, 0, "", err
		}
		if len(batch) == 0 {
			return count, brokenAt, last, nil
		}
		for i := range batch {
			e := &batch[i]
			e.At = e.At.UTC().Truncate(time.Microsecond)
			if brokenAt == 0 && (e.PrevHash != oldPrev || e.fields().sha256Chain() != e.Hash) {
				brokenAt = e.ID
			}
			oldPrev = e.Hash
			count++
			e.Seq, e.PrevHash = count, last
			e.Hash = e.hmacChain(key)
			if err := tx.Model(&auditEntryV8{}).Where("id = ?", e.ID).
				Updates(map[string]any{"seq": e.Seq, "prev_hash": e.PrevHash, "hash": e.Hash}).Error; err != nil {
				return 0, 0, "", err
			}
			last, lastID = e.Hash, e.ID
		}
	}
}

// AuditRechain returns, when state says the step that re-chains the audit log
// under the audit key is still to run, a function to call after migrating:
// it reports what that step recorded (entries, whether the old chain held), so
// the start that ran it can say so in its log.
func (s *Store) AuditRechain(state SchemaState) func(ctx context.Context) (string, bool, error) {
	step := 0
	want := reflect.ValueOf(migrateAuditHMACAndThrottles).Pointer()
	for i, m := range migrations {
		if reflect.ValueOf(m).Pointer() == want {
			step = i + 1
		}
	}
	if !slices.Contains(state.Missing, step) {
		return nil
	}
	return s.lastRechain
}

func (s *Store) lastRechain(ctx context.Context) (string, bool, error) {
	var e AuditEntry
	err := s.r(ctx).Where("action = ?", "audit.rechained").Order("seq DESC").Limit(1).Find(&e).Error
	return e.After, e.ID != 0, err
}
