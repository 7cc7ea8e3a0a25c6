package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration step 3, frozen as it shipped (commit 1a08d93): agency quotas,
// monthly MCN bonuses, the top-100 lists, featured creators, notifications
// and transfers.

type creatorV3 struct {
	ID               uint      `gorm:"primaryKey"`
	DisplayName      string    `gorm:"size:80;not null;index"`
	AccountID        string    `gorm:"size:40;not null;uniqueIndex"`
	PrimarySubjectID uint      `gorm:"not null;index:idx_creators_subject_state,priority:1"`
	Subject2ID       *uint     `gorm:"index"`
	Subject3ID       *uint     `gorm:"index"`
	ContentType      string    `gorm:"size:10;not null"`
	Followers        int64     `gorm:"not null"`
	ContactEmail     string    `gorm:"size:254"`
	ContactPhone     string    `gorm:"size:40"`
	AgencyID         *uint     `gorm:"index:idx_creators_agency_state,priority:1"`
	Agency           *agencyV1 `gorm:"constraint:OnDelete:RESTRICT"`
	State            string    `gorm:"size:12;not null;index:idx_creators_agency_state,priority:2;index:idx_creators_subject_state,priority:2;index:idx_creators_state_enrolled,priority:1"`
	StateReason      string    `gorm:"size:40"`
	StateNote        string    `gorm:"size:500"`
	EnrolledAt       time.Time `gorm:"not null;index;index:idx_creators_state_enrolled,priority:2"`
	EnrolledByID     *uint
	QualifiedAt      *time.Time `gorm:"index;index:idx_creators_qualified_agency,priority:2"`
	// QualifiedAgencyID is the agency the creator belonged to when first qualified: quota credit stays with it.
	QualifiedAgencyID *uint     `gorm:"index:idx_creators_qualified_agency,priority:1"`
	StateChangedAt    time.Time `gorm:"not null"`
}

func (creatorV3) TableName() string { return "creators" }

type agencyQuotaV3 struct {
	ID          uint   `gorm:"primaryKey"`
	AgencyID    uint   `gorm:"not null;uniqueIndex:idx_agency_quota_from,priority:1"`
	FromMonth   string `gorm:"size:7;not null;uniqueIndex:idx_agency_quota_from,priority:2"`
	Quota       int    `gorm:"not null"`
	CreatedByID *uint
	CreatedAt   time.Time
}

func (agencyQuotaV3) TableName() string { return "agency_quota" }

type mcnBonusV3 struct {
	ID              uint      `gorm:"primaryKey"`
	AgencyID        uint      `gorm:"not null;uniqueIndex:idx_mcn_bonus_agency_month,priority:1"`
	Month           string    `gorm:"size:7;not null;uniqueIndex:idx_mcn_bonus_agency_month,priority:2;index:idx_mcn_bonus_month_state,priority:1"`
	Quota           int       `gorm:"not null"`
	Delivered       int       `gorm:"not null"`
	State           string    `gorm:"size:16;not null;index:idx_mcn_bonus_month_state,priority:2"`
	AmountFen       int64     `gorm:"not null;check:chk_mcn_bonus_amount,amount_fen >= 0 AND amount_fen <= 500000000"`
	ProposedAt      time.Time `gorm:"not null"`
	FirstApproverID *uint
	FirstApprovedAt *time.Time
	DecidedByID     *uint
	DecidedAt       *time.Time
	Reason          string `gorm:"size:40"`
	Note            string `gorm:"size:500"`
	PayoutBatchID   *uint  `gorm:"index"`
	PaidAt          *time.Time
	UpdatedAt       time.Time
}

func (mcnBonusV3) TableName() string { return "mcn_bonuses" }

type payoutBatchV3 struct {
	ID          uint   `gorm:"primaryKey"`
	Kind        string `gorm:"size:8;not null;default:creator"`
	CreatedByID uint   `gorm:"not null"`
	State       string `gorm:"size:10;not null;index"`
	Count       int    `gorm:"not null"`
	TotalFen    int64  `gorm:"not null"`
	Checksum    string `gorm:"size:64;not null"`
	CreatedAt   time.Time
	ExportedAt  *time.Time
	PaidAt      *time.Time
}

func (payoutBatchV3) TableName() string { return "payout_batches" }

type topListEntryV3 struct {
	ID          uint   `gorm:"primaryKey"`
	Year        int    `gorm:"not null;uniqueIndex:idx_top_year_rank,priority:1"`
	Rank        int    `gorm:"not null;uniqueIndex:idx_top_year_rank,priority:2"`
	DisplayName string `gorm:"size:80;not null"`
	Subject     string `gorm:"size:80;not null"`
	Agency      string `gorm:"size:120;not null"`
	PublishedAt time.Time
}

func (topListEntryV3) TableName() string { return "top_list_entries" }

type featureV3 struct {
	ID          uint   `gorm:"primaryKey"`
	CreatorID   uint   `gorm:"not null;index:idx_feature_creator_dates,priority:1"`
	FromDay     string `gorm:"size:10;not null;index:idx_feature_creator_dates,priority:2"`
	ToDay       string `gorm:"size:10;not null;index:idx_feature_to"`
	Note        string `gorm:"size:500"`
	CreatedByID uint
	CreatedAt   time.Time
	EndedAt     *time.Time
}

func (featureV3) TableName() string { return "features" }

type notificationV3 struct {
	ID        uint   `gorm:"primaryKey"`
	UserID    uint   `gorm:"not null;index:idx_notification_user_read,priority:1"`
	Kind      string `gorm:"size:32;not null"`
	Message   string `gorm:"size:500;not null"`
	Link      string `gorm:"size:200"`
	CreatedAt time.Time
	ReadAt    *time.Time `gorm:"index:idx_notification_user_read,priority:2"`
}

func (notificationV3) TableName() string { return "notifications" }

type transferV3 struct {
	ID             uint      `gorm:"primaryKey"`
	CreatorID      uint      `gorm:"not null;index"`
	FromAgencyID   *uint     `gorm:"index"`
	ToAgencyID     uint      `gorm:"not null;index"`
	ToAgency       *agencyV1 // makes the foreign key fk_transfers_to_agency
	RequestedByID  uint      `gorm:"not null"`
	State          string    `gorm:"size:10;not null;index:idx_transfer_state_month,priority:1"`
	EffectiveMonth string    `gorm:"size:7;index:idx_transfer_state_month,priority:2"`
	CreatedAt      time.Time
	DecidedAt      *time.Time
	AppliedAt      *time.Time
}

func (transferV3) TableName() string { return "transfers" }

// migrateQuotas is migration step 3: agency quotas and monthly MCN bonuses;
// quota credit is kept on the creator (existing qualified creators credit
// their agency); payout batches gain a kind; published top-100 lists;
// featured creators; notifications; transfers between agencies.
func migrateQuotas(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&creatorV3{}, &agencyQuotaV3{}, &mcnBonusV3{}, &payoutBatchV3{}, &topListEntryV3{},
		&featureV3{}, &notificationV3{}, &transferV3{}); err != nil {
		return err
	}
	return tx.Exec("UPDATE creators SET qualified_agency_id = agency_id WHERE qualified_at IS NOT NULL AND qualified_agency_id IS NULL").Error
}
