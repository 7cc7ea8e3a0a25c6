package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// schemaMigration records one applied migration step.
type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migrations is append-only: never edit or reorder a step that has shipped;
// add a new one. Each step runs in its own transaction.
//
// A step describes the schema as it was on its day: it declares its own
// structs (frozen copies with a TableName method, named after the step that
// made them, such as creatorV6) or runs SQL valid on SQLite and PostgreSQL,
// and inserts its own copies of reference data. It never migrates today's
// model structs nor reads today's defaults: a field added to a model without
// a step of its own must not appear in test databases only.
// TestMigrationsUpgradeEveryEarlierStep and TestSchemaMatchesTheModels check it.
var migrations = []func(tx *gorm.DB) error{
	// 1: the foundation tables and the fixed reference data.
	migrateFoundation,
	// 2: weekly performance, API tokens, the bonus rule, bonuses, pools, payout batches; reason codes gain a kind.
	migrateBonuses,
	// 3: agency quotas and monthly MCN bonuses; quota credit is kept on the creator; payout batches gain a kind;
	// published top-100 lists; featured creators; notifications; transfers between agencies.
	migrateQuotas,
	// 4: the audit log becomes a hash chain (entries written before are chained in order); password reset links.
	migrateAuditChain,
	// 5: the queue's common filter (week, subject area, state) sorted by amount has its own index.
	migrateQueueIndex,
	// 6: programme scale: creators' year totals (kept by ingest), a search key for names, indexes for the
	// queue's pages and the dashboard's counts.
	migrateScale,
	// 7: each user's language for the pages.
	migrateUserLanguage,
	// 8: the audit log chained by HMAC under a key outside the database, with gapless sequence numbers
	// (existing entries re-chained once); refusals tallied per minute; sign-in failures counted in the database.
	migrateAuditHMACAndThrottles,
	// 9: money settings change by proposal and a second admin's approval; the programme's budgets become a setting.
	migrateSettingsChanges,
	// 10: invitations to staff and MCN manager accounts (issue 12: nobody chooses another person's password).
	migrateUserInvitations,
	// 11: creators' account IDs are unique regardless of case and spaces (account_key); stops, listing them, on collisions.
	migrateAccountKeys,
	// 12: notifications stored as a kind, JSON arguments and a target instead of an English sentence and a URL (old ones read back; the rest kept as legacy_text).
	migrateNotificationMessages,
	// 13: a rejected creator can be resubmitted by its agency: when, the agency's note and the rejection it answers.
	migrateCreatorResubmission,
	// 14: published top-100 lines keep their creator and whether they were featured when published (backfilled by unique display name).
	migrateTopListCreators,
	// 15: a payout batch keeps how many lines of its latest bank result are unresolved (issue 14: no whole-batch payment over them).
	migratePayoutMismatches,
	// 16: monthly MCN bonuses get rejection reasons of their own (reason codes of kind "mcn_bonus").
	migrateMCNBonusReasons,
	// 17: an agency chooses how its creators' money flows: paid to each creator (direct) or settled through the agency.
	migrateAgencySettlement,
	// 18: agencies' VAT invoices (with the PDF) for their monthly bonuses and settlement weeks.
	migrateAgencyInvoices,
	// 19: the individual income tax rule, versioned (issue 15); version 1 is China's labour-remuneration withholding.
	migrateTaxRule,
	// 20: payout lines: one per payee per batch, with gross, tax withheld, net and a reference for the bank
	// (batches made before get one line per bonus).
	migratePayoutLines,
	// 21: payees: who is paid (a creator or an agency), ID number and account encrypted under a key outside the database, verified by a reviewer.
	migratePayees,
	// 22: a payout line keeps its payee as verified when the batch was made; its bank file pays exactly that.
	migratePayoutPayeeSnapshot,
	// 23: weekly performance gains refunds and an untrusted mark; every change of a week's figures keeps a revision;
	// a week's content items (videos, live sessions); reason codes that distrust a week's performance (issue 16).
	migratePerformanceHistory,
	// 24: adjustments of decided weekly bonuses (clawbacks and top-ups, decided like bonuses) and what each payout line settled of them (issue 16).
	migrateBonusAdjustments,
	// 25: the default weekly-bonus reason that means untrusted figures (suspected fake views or orders) distrusts
	// a week's performance: a week rejected for one leaves the year-to-date standings (issue 16).
	migrateDistrustReasons,
	// 26: a performance upload says what it holds: weekly performance (empty) or the week's content items (issue 16).
	migrateContentImport,
	// 27: risk flags of weekly bonuses (issue 16): a row per flag with its figures; on the bonus their count and
	// kinds, indexed by (week, risk count, amount) for the queue's "sort by risk" and (state, risk count) for the dashboard.
	migrateRiskFlags,
	migratePacing,
	migrateJobRuns,
	// 30: weekly bonuses indexed by (agency, week, state, amount): a decision's summary for the agency's managers (issue 18).
	migrateBonusAgencyWeekIndex,
	// 31: an index for an MCN manager's creators list in its order (agency, enrolled, id), so its pages seek
	// instead of sorting the agency's creators (issue 18, keyset pagination).
	migratePagesIndex,
	// 32: API rate limits every server shares (a token bucket per token digest).
	migrateAPIRateLimits,
	// 33: the weekly rows' impact credit (agency, subject area, qualified when first reported) and the weekly
	// impact aggregates per subject area and per agency, built from the base tables (issue 19).
	migrateImpactWeeks,
	// 34: the uplift after qualifying and the subject areas' weekly medians (issue 19).
	migrateImpactUplift,
}

// SchemaState says how far a database's schema is from this portal's.
type SchemaState struct {
	// Latest is the newest migration step this portal knows.
	Latest int
	// Missing lists the steps up to Latest that the database has not applied
	// (every step for an empty database or one that is not the portal's).
	Missing []int
}

// Current reports whether the database has applied every step this portal knows.
func (st SchemaState) Current() bool { return len(st.Missing) == 0 }

// Applied is the number of the steps up to Latest that the database has applied.
func (st SchemaState) Applied() int { return st.Latest - len(st.Missing) }

// SchemaBehindError says a database's schema is older than the portal's, so
// a command that must not change the database (backup, audit verify) refuses
// to work on it; `portal migrate` brings it up to date.
type SchemaBehindError struct{ State SchemaState }

func (e *SchemaBehindError) Error() string {
	missing := make([]string, len(e.State.Missing))
	for i, v := range e.State.Missing {
		missing[i] = strconv.Itoa(v)
	}
	return fmt.Sprintf("schema behind: %d of %d migration steps applied (missing %s)", e.State.Applied(), e.State.Latest, strings.Join(missing, ", "))
}

// SchemaState reads which migration steps the database has applied. It only
// reads: it works on a store opened with ReadOnly.
func (s *Store) SchemaState(ctx context.Context) (SchemaState, error) {
	st := SchemaState{Latest: len(migrations)}
	db := s.r(WithPrimaryReads(ctx)) // a lagging replica's schema is not the one to migrate
	applied := map[int]bool{}
	if db.Migrator().HasTable(&schemaMigration{}) {
		var versions []int
		if err := db.Model(&schemaMigration{}).Pluck("version", &versions).Error; err != nil {
			return st, err
		}
		for _, v := range versions {
			applied[v] = true
		}
	}
	for v := 1; v <= st.Latest; v++ {
		if !applied[v] {
			st.Missing = append(st.Missing, v)
		}
	}
	return st, nil
}

// CheckSchema returns a *SchemaBehindError when the database has not applied
// every migration step; it changes nothing.
func (s *Store) CheckSchema(ctx context.Context) error {
	st, err := s.SchemaState(ctx)
	if err != nil {
		return err
	}
	if !st.Current() {
		return &SchemaBehindError{State: st}
	}
	return nil
}

// Migrate applies the migration steps the database has not seen yet, each in
// its own transaction, and returns how many it applied. Open does not
// migrate: `portal migrate`, `portal serve` and `portal seed` call this.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	return s.migrateTo(ctx, len(migrations))
}

// migrateTo applies the steps up to target (tests build databases as earlier
// versions left them with it).
func (s *Store) migrateTo(ctx context.Context, target int) (int, error) {
	if s.readOnly {
		return 0, errors.New("migrate: the database was opened read-only")
	}
	if target < 0 || target > len(migrations) {
		return 0, fmt.Errorf("migrate: no step %d (the last is %d)", target, len(migrations))
	}
	db := s.db.WithContext(ctx)
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return 0, err
	}
	applied := 0
	for i, step := range migrations[:target] {
		version := i + 1
		ran := false
		err := db.WithContext(withAuditKey(ctx, s.auditKey)).Transaction(func(tx *gorm.DB) error {
			// Serialise concurrent starters so a step runs once.
			if err := advisoryLock(tx, lockKeyMigrate); err != nil {
				return err
			}
			var n int64
			if err := tx.Model(&schemaMigration{}).Where("version = ?", version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := step(tx); err != nil {
				return err
			}
			ran = true
			return tx.Create(&schemaMigration{Version: version, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return applied, fmt.Errorf("step %d: %w", version, err)
		}
		if ran {
			applied++
		}
	}
	return applied, nil
}
