package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// schemaMigration records one applied migration step.
type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migrations is append-only: never edit or reorder a step that has shipped;
// add a new one. Each step runs in its own transaction.
var migrations = []func(tx *gorm.DB) error{
	// 1: the foundation tables and the fixed reference data.
	func(tx *gorm.DB) error {
		if err := tx.AutoMigrate(&Setting{}, &Agency{}, &User{}, &SubjectArea{}, &ReasonCode{},
			&Creator{}, &CreatorInvitation{}, &CreatorImport{}, &AuditEntry{}); err != nil {
			return err
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(cloneSubjects()).Error; err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(cloneReasons(DefaultReasonCodes)).Error
	},
	// 2: weekly performance, API tokens, the bonus rule, bonuses, pools, payout batches; reason codes gain a kind.
	func(tx *gorm.DB) error {
		if err := tx.AutoMigrate(&ReasonCode{}, &WeeklyPerformance{}, &PerformanceImport{}, &APIToken{},
			&BonusRuleVersion{}, &Pool{}, &PayoutBatch{}, &Bonus{}); err != nil {
			return err
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(cloneReasons(DefaultBonusReasonCodes)).Error; err != nil {
			return err
		}
		pools := []Pool{{Name: PoolCreators, TotalFen: DefaultCreatorPoolFen}, {Name: PoolMCN, TotalFen: DefaultMCNPoolFen}}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&pools).Error; err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&BonusRuleVersion{Version: 1, Rule: toJSON(DefaultBonusRule), CreatedAt: time.Now().UTC()}).Error
	},
	// 3: agency quotas and monthly MCN bonuses; quota credit is kept on the creator; payout batches gain a kind;
	// published top-100 lists; featured creators; notifications; transfers between agencies.
	func(tx *gorm.DB) error {
		if err := tx.AutoMigrate(&Creator{}, &AgencyQuota{}, &MCNBonus{}, &PayoutBatch{}, &TopListEntry{}, &Feature{}, &Notification{}, &Transfer{}); err != nil {
			return err
		}
		return tx.Exec("UPDATE creators SET qualified_agency_id = agency_id WHERE qualified_at IS NOT NULL AND qualified_agency_id IS NULL").Error
	},
	// 4: the audit log becomes a hash chain (entries written before are chained in order); password reset links.
	func(tx *gorm.DB) error {
		if err := tx.AutoMigrate(&AuditEntry{}, &PasswordReset{}); err != nil {
			return err
		}
		prev := ""
		var lastID uint
		for {
			var batch []AuditEntry
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
				e.Hash = e.legacyHash()
				if err := tx.Model(&AuditEntry{}).Where("id = ?", e.ID).Updates(map[string]any{"at": e.At, "prev_hash": e.PrevHash, "hash": e.Hash}).Error; err != nil {
					return err
				}
				prev, lastID = e.Hash, e.ID
			}
		}
	},
	// 5: the queue's common filter (week, subject area, state) sorted by amount has its own index.
	func(tx *gorm.DB) error { return tx.AutoMigrate(&Bonus{}) },
	// 6: programme scale: creators' year totals (kept by ingest), a search key for names, indexes for the
	// queue's pages and the dashboard's counts.
	func(tx *gorm.DB) error {
		if err := tx.AutoMigrate(&CreatorYearTotal{}, &Creator{}, &Bonus{}); err != nil {
			return err
		}
		// Indexes the composite ones above now serve; each one more slowed computing a week.
		for _, idx := range []string{"idx_bonus_state", "idx_bonuses_subject_id", "idx_bonus_week_subject_state_amount"} {
			if err := tx.Exec("DROP INDEX IF EXISTS " + idx).Error; err != nil {
				return err
			}
		}
		if err := backfillSearchNames(tx); err != nil {
			return err
		}
		if tx.Dialector.Name() == "postgres" {
			// Prefix search compares bytes (see prefixRange); the index must use the same order.
			if err := tx.Exec(`CREATE INDEX IF NOT EXISTS idx_creators_search_c ON creators (search_name COLLATE "C")`).Error; err != nil {
				return err
			}
		}
		return rebuildYearTotals(tx)
	},
	// 7: each user's language for the pages.
	func(tx *gorm.DB) error { return tx.AutoMigrate(&User{}) },
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
}

func cloneSubjects() []SubjectArea {
	out := make([]SubjectArea, len(DefaultSubjectAreas))
	for i, s := range DefaultSubjectAreas {
		s.Active = true
		out[i] = s
	}
	return out
}

func cloneReasons(defaults []ReasonCode) []ReasonCode {
	out := make([]ReasonCode, len(defaults))
	for i, r := range defaults {
		r.Active = true
		if r.Kind == "" {
			r.Kind = ReasonForCreator
		}
		out[i] = r
	}
	return out
}

// migrate applies the steps the database has not seen yet.
func (s *Store) migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return err
	}
	for i, step := range migrations {
		version := i + 1
		err := db.WithContext(withAuditKey(ctx, s.auditKey)).Transaction(func(tx *gorm.DB) error {
			if s.driver == "postgres" {
				// Serialise concurrent starters on one lock so a step runs once.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(727274)").Error; err != nil {
					return err
				}
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
			return tx.Create(&schemaMigration{Version: version, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("step %d: %w", version, err)
		}
	}
	return nil
}
