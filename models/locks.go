package models

import "gorm.io/gorm"

// PostgreSQL advisory locks, taken with pg_advisory_xact_lock and released
// when the transaction ends. Each key serialises one kind of work across every
// portal process on the database; two kinds of work must never share a key,
// or one waits for the other for nothing. On SQLite write transactions already
// run one at a time, and these locks are not taken.
const (
	// lockKeyMigrate serialises processes that start at once, so each migration
	// step runs once.
	lockKeyMigrate int64 = 727274
	// lockKeyAuditChain serialises appends to the audit log: each entry takes the
	// next sequence number and the hash of the entry before it.
	lockKeyAuditChain int64 = 727275
	// lockKeyPerformanceIngest serialises performance ingest (API batches and
	// CSV imports): it moves creators' year totals by the difference to the
	// weekly rows it reads, so two ingests must not read the same old rows.
	// (Until issue 13 it shared lockKeyAuditChain's key, which held every audit
	// writer back for the length of an import.) An ingest takes it before
	// lockKeyAuditChain, and so must everything that takes both (a rejection
	// that distrusts weeks, a qualification): the other order deadlocks.
	lockKeyPerformanceIngest int64 = 727276
	// lockKeySettingsChanges serialises decisions on settings proposals, so two
	// approvals checked against each other's old values cannot both pass.
	lockKeySettingsChanges int64 = 727281
)

// advisoryLockSQL takes a key within the current schema: the data a lock
// guards lives in one schema, so portals (or parallel tests) on other schemas
// of the same server do not wait for each other.
const advisoryLockSQL = "SELECT pg_advisory_xact_lock(CAST(? AS integer), hashtext(current_schema()))"

// advisoryLock takes key for the rest of tx on PostgreSQL; elsewhere it does nothing.
func advisoryLock(tx *gorm.DB, key int64) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec(advisoryLockSQL, key).Error
}
