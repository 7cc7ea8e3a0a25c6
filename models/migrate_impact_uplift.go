package models

import (
	"time"

	"gorm.io/gorm"
)

// The uplift and median tables as step 33 makes them (issue 19).

type creatorUpliftV33 struct {
	CreatorID          uint   `gorm:"primaryKey;autoIncrement:false"`
	Week               string `gorm:"size:8;not null"`
	FirstWeek          string `gorm:"size:8;not null"`
	LastWeek           string `gorm:"size:8;not null"`
	SubjectID          uint   `gorm:"not null"`
	AgencyID           uint   `gorm:"not null"`
	Creators           int64
	BeforeVideos       int64
	BeforeLiveSessions int64
	BeforeGMVFen       int64
	AfterVideos        int64
	AfterLiveSessions  int64
	AfterGMVFen        int64
}

func (creatorUpliftV33) TableName() string { return "creator_uplifts" }

type upliftSubjectCohortV33 struct {
	Week               string `gorm:"primaryKey;size:8"`
	SubjectID          uint   `gorm:"primaryKey;autoIncrement:false"`
	Creators           int64
	BeforeVideos       int64
	BeforeLiveSessions int64
	BeforeGMVFen       int64
	AfterVideos        int64
	AfterLiveSessions  int64
	AfterGMVFen        int64
}

func (upliftSubjectCohortV33) TableName() string { return "uplift_subject_cohorts" }

type upliftAgencyCohortV33 struct {
	AgencyID           uint   `gorm:"primaryKey;autoIncrement:false"`
	Week               string `gorm:"primaryKey;size:8;index:idx_uplift_agency_week;index:idx_uplift_agency_subject,priority:2"`
	SubjectID          uint   `gorm:"primaryKey;autoIncrement:false;index:idx_uplift_agency_subject,priority:1"`
	Creators           int64
	BeforeVideos       int64
	BeforeLiveSessions int64
	BeforeGMVFen       int64
	AfterVideos        int64
	AfterLiveSessions  int64
	AfterGMVFen        int64
}

func (upliftAgencyCohortV33) TableName() string { return "uplift_agency_cohorts" }

type subjectWeekMedianV33 struct {
	SubjectID          uint   `gorm:"primaryKey;autoIncrement:false"`
	Week               string `gorm:"primaryKey;size:8"`
	Version            int64  `gorm:"not null"`
	ComputedVersion    int64  `gorm:"not null"`
	Creators           int64  `gorm:"not null"`
	MedianVideos       int64  `gorm:"not null"`
	MedianLiveSessions int64  `gorm:"not null"`
	MedianGMVFen       int64  `gorm:"not null"`
	ComputedAt         time.Time
}

func (subjectWeekMedianV33) TableName() string { return "subject_week_medians" }

// migrateImpactUplift adds the uplift aggregates and the subject medians and
// fills the uplift from the creators and weekly rows already there (the
// medians fill themselves when first read).
func migrateImpactUplift(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&creatorUpliftV33{}, &upliftSubjectCohortV33{}, &upliftAgencyCohortV33{}, &subjectWeekMedianV33{}); err != nil {
		return err
	}
	return rebuildUplift(tx)
}
