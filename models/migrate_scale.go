package models

import (
	"strings"
	"time"

	"gorm.io/gorm"
)

// Migration steps 5 and 6, frozen as they shipped (commits 2b50246 and
// afdae67): indexes for the bonus queue, creators' year totals and a search
// key for names.

type bonusV5 struct {
	ID                uint       `gorm:"primaryKey"`
	CreatorID         uint       `gorm:"not null;uniqueIndex:idx_bonus_creator_week,priority:1"`
	Creator           *creatorV3 `gorm:"constraint:OnDelete:RESTRICT"`
	Week              string     `gorm:"size:8;not null;uniqueIndex:idx_bonus_creator_week,priority:2;index:idx_bonus_week_state_amount,priority:1;index:idx_bonus_week_state_proposed,priority:1;index:idx_bonus_week_subject_state_amount,priority:1"`
	AgencyID          *uint      `gorm:"index:idx_bonus_agency_week,priority:1"`
	SubjectID         uint       `gorm:"not null;index;index:idx_bonus_week_subject_state_amount,priority:2"`
	State             string     `gorm:"size:16;not null;index:idx_bonus_week_state_amount,priority:2;index:idx_bonus_week_state_proposed,priority:2;index:idx_bonus_state;index:idx_bonus_week_subject_state_amount,priority:3"`
	AmountFen         int64      `gorm:"not null;check:chk_bonus_amount,amount_fen >= 0 AND amount_fen <= 3000000;index:idx_bonus_week_state_amount,priority:3;index:idx_bonus_week_subject_state_amount,priority:4"`
	GMVFen            int64      `gorm:"not null"`
	RuleVersion       uint       `gorm:"not null"`
	Breakdown         string     `gorm:"type:text;not null"`
	ProposedAt        time.Time  `gorm:"not null;index:idx_bonus_week_state_proposed,priority:3"`
	FirstApproverID   *uint
	FirstApprovedAt   *time.Time
	DecidedByID       *uint
	DecidedAt         *time.Time
	Reason            string `gorm:"size:40"`
	Note              string `gorm:"size:500"`
	PayoutBatchID     *uint  `gorm:"index"`
	PaidAt            *time.Time
	AppealState       string `gorm:"size:12;index"`
	AppealMessage     string `gorm:"size:1000"`
	AppealedAt        *time.Time
	AppealNote        string `gorm:"size:500"`
	AppealDecidedByID *uint
	AppealDecidedAt   *time.Time
	UpdatedAt         time.Time
}

func (bonusV5) TableName() string { return "bonuses" }

// migrateQueueIndex is migration step 5: the queue's common filter (week,
// subject area, state) sorted by amount has its own index.
func migrateQueueIndex(tx *gorm.DB) error { return tx.AutoMigrate(&bonusV5{}) }

type creatorYearTotalV6 struct {
	CreatorID uint  `gorm:"primaryKey;autoIncrement:false"`
	Year      int   `gorm:"primaryKey;autoIncrement:false;index:idx_year_totals_year"`
	GMVFen    int64 `gorm:"not null"`
	Views     int64 `gorm:"not null"`
	Weeks     int64 `gorm:"not null"`
}

func (creatorYearTotalV6) TableName() string { return "creator_year_totals" }

type creatorV6 struct {
	ID                uint      `gorm:"primaryKey;index:idx_creators_enrolled_id,priority:2"`
	DisplayName       string    `gorm:"size:80;not null;index"`
	SearchName        string    `gorm:"size:80;not null;default:''"`
	AccountID         string    `gorm:"size:40;not null;uniqueIndex"`
	PrimarySubjectID  uint      `gorm:"not null;index:idx_creators_subject_state,priority:1"`
	Subject2ID        *uint     `gorm:"index"`
	Subject3ID        *uint     `gorm:"index"`
	ContentType       string    `gorm:"size:10;not null"`
	Followers         int64     `gorm:"not null"`
	ContactEmail      string    `gorm:"size:254"`
	ContactPhone      string    `gorm:"size:40"`
	AgencyID          *uint     `gorm:"index:idx_creators_agency_state,priority:1"`
	Agency            *agencyV1 `gorm:"constraint:OnDelete:RESTRICT"`
	State             string    `gorm:"size:12;not null;index:idx_creators_agency_state,priority:2;index:idx_creators_subject_state,priority:2;index:idx_creators_state_enrolled,priority:1"`
	StateReason       string    `gorm:"size:40"`
	StateNote         string    `gorm:"size:500"`
	EnrolledAt        time.Time `gorm:"not null;index;index:idx_creators_state_enrolled,priority:2;index:idx_creators_enrolled_id,priority:1"`
	EnrolledByID      *uint
	QualifiedAt       *time.Time `gorm:"index;index:idx_creators_qualified_agency,priority:2"`
	QualifiedAgencyID *uint      `gorm:"index:idx_creators_qualified_agency,priority:1"`
	StateChangedAt    time.Time  `gorm:"not null"`
}

func (creatorV6) TableName() string { return "creators" }

type bonusV6 struct {
	ID                uint       `gorm:"primaryKey;index:idx_bonus_week_subject_amount,priority:4;index:idx_bonus_week_amount,priority:3"`
	CreatorID         uint       `gorm:"not null;uniqueIndex:idx_bonus_creator_week,priority:1"`
	Creator           *creatorV6 `gorm:"constraint:OnDelete:RESTRICT"`
	Week              string     `gorm:"size:8;not null;uniqueIndex:idx_bonus_creator_week,priority:2;index:idx_bonus_week_state_amount,priority:1;index:idx_bonus_week_state_proposed,priority:1;index:idx_bonus_week_subject_amount,priority:1;index:idx_bonus_week_amount,priority:1"`
	AgencyID          *uint      `gorm:"index:idx_bonus_agency_week,priority:1"`
	SubjectID         uint       `gorm:"not null;index:idx_bonus_week_subject_amount,priority:2"`
	State             string     `gorm:"size:16;not null;index:idx_bonus_week_state_amount,priority:2;index:idx_bonus_week_state_proposed,priority:2;index:idx_bonus_state_amount,priority:1"`
	AmountFen         int64      `gorm:"not null;check:chk_bonus_amount,amount_fen >= 0 AND amount_fen <= 3000000;index:idx_bonus_week_state_amount,priority:3;index:idx_bonus_week_subject_amount,priority:3;index:idx_bonus_state_amount,priority:2;index:idx_bonus_week_amount,priority:2"`
	GMVFen            int64      `gorm:"not null"`
	RuleVersion       uint       `gorm:"not null"`
	Breakdown         string     `gorm:"type:text;not null"`
	ProposedAt        time.Time  `gorm:"not null;index:idx_bonus_week_state_proposed,priority:3"`
	FirstApproverID   *uint
	FirstApprovedAt   *time.Time
	DecidedByID       *uint
	DecidedAt         *time.Time
	Reason            string `gorm:"size:40"`
	Note              string `gorm:"size:500"`
	PayoutBatchID     *uint  `gorm:"index"`
	PaidAt            *time.Time
	AppealState       string `gorm:"size:12;index"`
	AppealMessage     string `gorm:"size:1000"`
	AppealedAt        *time.Time
	AppealNote        string `gorm:"size:500"`
	AppealDecidedByID *uint
	AppealDecidedAt   *time.Time
	UpdatedAt         time.Time
}

func (bonusV6) TableName() string { return "bonuses" }

// migrateScale is migration step 6: creators' year totals (kept by ingest
// from then on, built here from the weekly rows), a search key for names,
// indexes for the queue's pages and the dashboard's counts; three bonus
// indexes that the composite ones serve are dropped.
func migrateScale(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&creatorYearTotalV6{}, &creatorV6{}, &bonusV6{}); err != nil {
		return err
	}
	for _, idx := range []string{"idx_bonus_state", "idx_bonuses_subject_id", "idx_bonus_week_subject_state_amount"} {
		if err := tx.Exec("DROP INDEX IF EXISTS " + idx).Error; err != nil {
			return err
		}
	}
	// The search key is the display name trimmed and in lower case (Go's
	// Unicode rules: SQLite's LOWER folds only ASCII).
	var lastID uint
	for {
		var batch []struct {
			ID          uint
			DisplayName string
		}
		if err := tx.Raw("SELECT id, display_name FROM creators WHERE id > ? AND search_name = '' ORDER BY id LIMIT 1000", lastID).Scan(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, c := range batch {
			if err := tx.Exec("UPDATE creators SET search_name = ? WHERE id = ?", strings.ToLower(strings.TrimSpace(c.DisplayName)), c.ID).Error; err != nil {
				return err
			}
			lastID = c.ID
		}
	}
	if tx.Dialector.Name() == "postgres" {
		// Prefix search compares bytes; the index must use the same order.
		if err := tx.Exec(`CREATE INDEX IF NOT EXISTS idx_creators_search_c ON creators (search_name COLLATE "C")`).Error; err != nil {
			return err
		}
	} else if err := tx.Exec("CREATE INDEX IF NOT EXISTS idx_creators_search ON creators (search_name)").Error; err != nil {
		return err
	}
	if err := tx.Exec("DELETE FROM creator_year_totals").Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO creator_year_totals (creator_id, year, gmv_fen, views, weeks)
		SELECT creator_id, CAST(SUBSTR(week, 1, 4) AS INTEGER), SUM(gmv_fen), SUM(views), COUNT(*)
		FROM weekly_performances GROUP BY creator_id, CAST(SUBSTR(week, 1, 4) AS INTEGER)`).Error
}
