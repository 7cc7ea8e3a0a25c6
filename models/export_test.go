package models

import (
	"context"

	"gorm.io/gorm"
)

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
		&TaxRuleVersion{}, &Payee{}, &PerformanceRevision{}, &PerformanceContent{}, &BonusAdjustment{}, &PayoutLineAdjustment{}, &BonusRiskFlag{}, &PeriodBudget{}, &JobRun{}, &APIRateLimit{},
		&ImpactWeekTotal{}, &ImpactAgencyWeekTotal{},
		&CreatorUplift{}, &UpliftSubjectCohort{}, &UpliftAgencyCohort{}, &SubjectWeekMedian{}}
}

// LockKeyPerformanceIngest is the advisory-lock key performance ingest holds.
const LockKeyPerformanceIngest = lockKeyPerformanceIngest

// AdvisoryLockSQL is how the portal takes an advisory lock (one argument: the key).
const AdvisoryLockSQL = advisoryLockSQL

// SeedPeriodBudget fixes a week's or month's budget directly (issue 17, the
// guard's tests), with what approvals already charged to it.
func (s *Store) SeedPeriodBudget(ctx context.Context, pool, period string, budgetFen, committedFen int64) error {
	now := s.now().UTC()
	return s.db.WithContext(ctx).Create(&PeriodBudget{Pool: pool, Period: period, BudgetFen: budgetFen, CommittedFen: committedFen,
		WeightPercent: DefaultWeightPercent, Policy: PolicyProRata, FactorPPM: PPM, FixedAt: now, UpdatedAt: now}).Error
}

// ApproveLosingTheRace approves a weekly bonus as a reviewer who read it just
// before someone else rejected it: the approval charges, then loses the race.
func (s *Store) ApproveLosingTheRace(ctx context.Context, a *Actor, id uint) (Outcome, error) {
	var o Outcome
	err := s.tx(ctx, func(tx *gorm.DB) error {
		capFen, fourEyesFen, err := weeklyBonuses.limits(tx)
		if err != nil {
			return err
		}
		rows, err := loadDecidable(tx, weeklyBonuses, []uint{id})
		if err != nil {
			return err
		}
		if err := tx.Table("bonuses").Where("id = ?", id).Update("state", BonusRejected).Error; err != nil {
			return err
		}
		o, err = approveOne(tx, a, weeklyBonuses, rows[id], capFen, fourEyesFen, s.now().UTC())
		return err
	})
	return o, err
}

// ClearPacingPlan switches pacing off again, so benchmarks compare a compute
// with and without it.
func (s *Store) ClearPacingPlan(ctx context.Context) error {
	return s.db.WithContext(ctx).Where("key = ?", pacingPlanKey).Delete(&Setting{}).Error
}

// RebuildImpactWeeks recomputes the weekly impact aggregates from the base tables (issue 19).
func (s *Store) RebuildImpactWeeks(ctx context.Context) error {
	return s.db.WithContext(ctx).Transaction(rebuildImpactWeeks)
}

// LockKeyAuditChain is the audit chain's advisory lock key, for lock-order tests.
const LockKeyAuditChain = lockKeyAuditChain
