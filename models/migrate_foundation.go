package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Migration step 1, frozen: the tables and the reference data as the first
// release made them (commit 20143ad). Later steps change these tables with
// their own frozen structs; never edit these.

type settingV1 struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"type:text;not null"`
}

func (settingV1) TableName() string { return "settings" }

type agencyV1 struct {
	ID           uint   `gorm:"primaryKey"`
	Name         string `gorm:"size:120;not null;uniqueIndex"`
	ContactName  string `gorm:"size:120"`
	ContactEmail string `gorm:"size:254"`
	ContactPhone string `gorm:"size:40"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (agencyV1) TableName() string { return "agencies" }

type userV1 struct {
	ID             uint      `gorm:"primaryKey"`
	Email          string    `gorm:"size:254;not null;uniqueIndex"`
	PasswordHash   string    `gorm:"size:100;not null"`
	Role           string    `gorm:"size:20;not null;index"`
	AgencyID       *uint     `gorm:"index"`
	Agency         *agencyV1 // makes the foreign key fk_users_agency
	CreatorID      *uint     `gorm:"uniqueIndex"`
	SessionVersion int       `gorm:"not null;default:1"`
	Disabled       bool      `gorm:"not null;default:false"`
	LastLoginAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (userV1) TableName() string { return "users" }

type subjectAreaV1 struct {
	ID     uint   `gorm:"primaryKey"`
	Code   string `gorm:"size:40;not null;uniqueIndex"`
	Name   string `gorm:"size:80;not null;uniqueIndex"`
	Active bool   `gorm:"not null;default:true"`
}

func (subjectAreaV1) TableName() string { return "subject_areas" }

type reasonCodeV1 struct {
	ID     uint   `gorm:"primaryKey"`
	Code   string `gorm:"size:40;not null;uniqueIndex"`
	Label  string `gorm:"size:120;not null"`
	Active bool   `gorm:"not null;default:true"`
}

func (reasonCodeV1) TableName() string { return "reason_codes" }

type creatorV1 struct {
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
	QualifiedAt      *time.Time `gorm:"index"`
	StateChangedAt   time.Time  `gorm:"not null"`
}

func (creatorV1) TableName() string { return "creators" }

type creatorInvitationV1 struct {
	ID          uint       `gorm:"primaryKey"`
	CreatorID   uint       `gorm:"not null;index"`
	Creator     *creatorV1 `gorm:"constraint:OnDelete:CASCADE"`
	Email       string     `gorm:"size:254;not null"`
	TokenHash   string     `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt   time.Time  `gorm:"not null"`
	UsedAt      *time.Time
	CreatedByID *uint
	CreatedAt   time.Time
}

func (creatorInvitationV1) TableName() string { return "creator_invitations" }

type creatorImportV1 struct {
	ID          uint   `gorm:"primaryKey"`
	UserID      uint   `gorm:"not null;index"`
	AgencyID    *uint  `gorm:"index"`
	Filename    string `gorm:"size:200"`
	Content     []byte `gorm:"not null"`
	CreatedAt   time.Time
	ConfirmedAt *time.Time
	Created     int
	Skipped     int
	Failed      int
}

func (creatorImportV1) TableName() string { return "creator_imports" }

type auditEntryV1 struct {
	ID         uint      `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	ActorID    *uint     `gorm:"index:idx_audit_actor_at,priority:1"`
	ActorEmail string    `gorm:"size:254;not null"`
	Action     string    `gorm:"size:64;not null;index:idx_audit_action_at,priority:1"`
	ObjectType string    `gorm:"size:32;not null;index:idx_audit_object,priority:1"`
	ObjectID   uint      `gorm:"not null;index:idx_audit_object,priority:2"`
	Before     string    `gorm:"type:text"`
	After      string    `gorm:"type:text"`
	IP         string    `gorm:"size:64"`
}

func (auditEntryV1) TableName() string { return "audit_entries" }

// subjectAreasV1 are the 20 subject areas the programme started with.
var subjectAreasV1 = []subjectAreaV1{
	{Code: "electronics", Name: "Electronic devices"},
	{Code: "household", Name: "Household goods"},
	{Code: "fashion", Name: "Fashion"},
	{Code: "skincare", Name: "Skincare"},
	{Code: "car_accessories", Name: "Car accessories"},
	{Code: "appliances", Name: "Home appliances"},
	{Code: "mobile_phones", Name: "Mobile phones"},
	{Code: "computers", Name: "Computers and office"},
	{Code: "food", Name: "Food and drink"},
	{Code: "fresh", Name: "Fresh produce"},
	{Code: "baby", Name: "Mother and baby"},
	{Code: "beauty", Name: "Beauty and make-up"},
	{Code: "health", Name: "Health"},
	{Code: "sports", Name: "Sports and outdoors"},
	{Code: "books", Name: "Books"},
	{Code: "toys", Name: "Toys"},
	{Code: "pets", Name: "Pet supplies"},
	{Code: "jewellery", Name: "Jewellery and watches"},
	{Code: "furniture", Name: "Furniture"},
	{Code: "travel", Name: "Travel"},
}

// reasonCodesV1 are the reasons for rejecting or suspending a creator the programme started with.
var reasonCodesV1 = []reasonCodeV1{
	{Code: "below_follower_threshold", Label: "Below follower threshold"},
	{Code: "duplicate_account", Label: "Duplicate account"},
	{Code: "content_policy", Label: "Content policy"},
	{Code: "incomplete_information", Label: "Incomplete information"},
	{Code: "suspected_fraud", Label: "Suspected fraud"},
}

// migrateFoundation is migration step 1: users, agencies, subject areas,
// reason codes, creators, their invitations and imports, the audit log; the
// subject areas and creator reason codes.
func migrateFoundation(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&settingV1{}, &agencyV1{}, &userV1{}, &subjectAreaV1{}, &reasonCodeV1{},
		&creatorV1{}, &creatorInvitationV1{}, &creatorImportV1{}, &auditEntryV1{}); err != nil {
		return err
	}
	subjects := make([]subjectAreaV1, len(subjectAreasV1))
	for i, s := range subjectAreasV1 {
		s.Active = true
		subjects[i] = s
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&subjects).Error; err != nil {
		return err
	}
	reasons := make([]reasonCodeV1, len(reasonCodesV1))
	for i, r := range reasonCodesV1 {
		r.Active = true
		reasons[i] = r
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&reasons).Error
}
