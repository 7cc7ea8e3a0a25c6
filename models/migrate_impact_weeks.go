package models

import "gorm.io/gorm"

// weeklyCreditV33 is the weekly rows' impact credit as step 33 adds it (issue
// 19): the agency (0: none) and primary subject area a week was first
// reported under, and whether its creator was qualified by the week's end.
type weeklyCreditV33 struct {
	CreditAgencyID  uint `gorm:"not null;default:0"`
	CreditSubjectID uint `gorm:"not null;default:0"`
	CreditQualified bool `gorm:"not null;default:false"`
}

func (weeklyCreditV33) TableName() string { return "weekly_performances" }

// impactWeekV33 is impact_weeks as step 33 makes it: per week and subject area.
type impactWeekV33 struct {
	Week            string `gorm:"primaryKey;size:8"`
	SubjectID       uint   `gorm:"primaryKey;autoIncrement:false"`
	Creators        int64  `gorm:"not null;default:0"`
	Posted          int64  `gorm:"not null;default:0"`
	Qualified       int64  `gorm:"not null;default:0"`
	QualifiedPosted int64  `gorm:"not null;default:0"`
	Videos          int64  `gorm:"not null;default:0"`
	LiveSessions    int64  `gorm:"not null;default:0"`
	Views           int64  `gorm:"not null;default:0"`
	Orders          int64  `gorm:"not null;default:0"`
	GMVFen          int64  `gorm:"not null;default:0"`
	RefundedGMVFen  int64  `gorm:"not null;default:0"`
	BonusFen        int64  `gorm:"not null;default:0"`
	Bonuses         int64  `gorm:"not null;default:0"`
}

func (impactWeekV33) TableName() string { return "impact_weeks" }

// impactAgencyWeekV33 is impact_agency_weeks as step 33 makes it: per week
// and agency, with an (agency, week) index for one agency's range.
type impactAgencyWeekV33 struct {
	Week            string `gorm:"primaryKey;size:8;index:idx_impact_agency_weeks_agency,priority:2"`
	AgencyID        uint   `gorm:"primaryKey;autoIncrement:false;index:idx_impact_agency_weeks_agency,priority:1"`
	Creators        int64  `gorm:"not null;default:0"`
	Posted          int64  `gorm:"not null;default:0"`
	Qualified       int64  `gorm:"not null;default:0"`
	QualifiedPosted int64  `gorm:"not null;default:0"`
	Videos          int64  `gorm:"not null;default:0"`
	LiveSessions    int64  `gorm:"not null;default:0"`
	Views           int64  `gorm:"not null;default:0"`
	Orders          int64  `gorm:"not null;default:0"`
	GMVFen          int64  `gorm:"not null;default:0"`
	RefundedGMVFen  int64  `gorm:"not null;default:0"`
	BonusFen        int64  `gorm:"not null;default:0"`
	Bonuses         int64  `gorm:"not null;default:0"`
}

func (impactAgencyWeekV33) TableName() string { return "impact_agency_weeks" }

// migrateImpactWeeks adds the weekly rows' impact credit, backfilled from the
// creators as they are now (the best record there is of who delivered past
// weeks), an (agency, week) index over the weekly rows for one agency's own
// rows, and the two aggregate tables, built from the base tables.
//
// Cost at programme scale (5M weekly rows), once: adding the columns with a
// constant default changes no row on PostgreSQL 11+ or SQLite, but the
// backfill rewrites every weekly row (on PostgreSQL a new version of each:
// minutes, and the table's size doubles until VACUUM), the index is built
// over 5M rows while writes to weekly_performances wait, and the rebuild
// reads them once more. Run it in a quiet hour; ingest waits meanwhile.
func migrateImpactWeeks(tx *gorm.DB) error {
	for _, col := range []string{"CreditAgencyID", "CreditSubjectID", "CreditQualified"} {
		if !tx.Migrator().HasColumn(&weeklyCreditV33{}, col) {
			if err := tx.Migrator().AddColumn(&weeklyCreditV33{}, col); err != nil {
				return err
			}
		}
	}
	if err := tx.Exec("CREATE INDEX IF NOT EXISTS idx_perf_credit_agency_week ON weekly_performances (credit_agency_id, week)").Error; err != nil {
		return err
	}
	if err := tx.AutoMigrate(&impactWeekV33{}, &impactAgencyWeekV33{}); err != nil {
		return err
	}
	// Today's rebuild: it reads only columns this step and earlier ones made.
	return rebuildImpactWeeks(tx)
}
