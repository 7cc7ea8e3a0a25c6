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
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(cloneReasons()).Error
	},
}

func cloneSubjects() []SubjectArea {
	out := make([]SubjectArea, len(DefaultSubjectAreas))
	for i, s := range DefaultSubjectAreas {
		s.Active = true
		out[i] = s
	}
	return out
}

func cloneReasons() []ReasonCode {
	out := make([]ReasonCode, len(DefaultReasonCodes))
	for i, r := range DefaultReasonCodes {
		r.Active = true
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
		err := db.Transaction(func(tx *gorm.DB) error {
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
