package models

import "context"

// Hooks for the external tests: they play an attacker who holds the database
// but not the audit key, and so can compute everything but the right HMAC.

// MACWithKey is the entry's HMAC under key (the attacker's guess of the key).
func (e *AuditEntry) MACWithKey(key []byte) string { return e.mac(key) }

// LegacySHA256 is the plain SHA-256 chain hash the log used before the HMAC
// (migration step 4).
func (e *AuditEntry) LegacySHA256() string {
	v4 := auditEntryV4{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorEmail: e.ActorEmail, Action: e.Action, ObjectType: e.ObjectType,
		ObjectID: e.ObjectID, Before: e.Before, After: e.After, IP: e.IP, PrevHash: e.PrevHash}
	return v4.fields().sha256Chain()
}

// MigrateTo applies the migration steps up to step k only, so that tests can
// build a database as an earlier version of the portal left it.
func (s *Store) MigrateTo(ctx context.Context, k int) (int, error) { return s.migrateTo(ctx, k) }

// MigrationSteps is the number of migration steps, the head of the schema.
func MigrationSteps() int { return len(migrations) }

// TableModels are the structs the portal reads and writes its tables with.
func TableModels() []any {
	return []any{&Setting{}, &Agency{}, &User{}, &SubjectArea{}, &ReasonCode{}, &Creator{}, &CreatorInvitation{}, &CreatorImport{},
		&AuditEntry{}, &WeeklyPerformance{}, &PerformanceImport{}, &APIToken{}, &BonusRuleVersion{}, &Pool{}, &PayoutBatch{}, &Bonus{},
		&AgencyQuota{}, &MCNBonus{}, &TopListEntry{}, &Feature{}, &Notification{}, &Transfer{}, &PasswordReset{}, &CreatorYearTotal{},
		&auditTally{}, &signInThrottle{}, &SettingsChange{}, &UserInvitation{}, &AgencyInvoice{},
		&TaxRuleVersion{}, &Payee{}, &PerformanceRevision{}, &PerformanceContent{}, &BonusAdjustment{}, &PayoutLineAdjustment{}, &BonusRiskFlag{}, &PeriodBudget{}}
}

// LockKeyPerformanceIngest is the advisory-lock key performance ingest holds.
const LockKeyPerformanceIngest = lockKeyPerformanceIngest

// AdvisoryLockSQL is how the portal takes an advisory lock (one argument: the key).
const AdvisoryLockSQL = advisoryLockSQL
