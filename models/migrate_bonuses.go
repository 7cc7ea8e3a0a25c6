package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Migration step 2, frozen as it shipped (commit 517a7d4): weekly
// performance, API tokens, the bonus rule, bonuses, pools and payout batches.

type reasonCodeV2 struct {
	ID     uint   `gorm:"primaryKey"`
	Kind   string `gorm:"size:10;not null;default:creator;index"`
	Code   string `gorm:"size:40;not null;uniqueIndex"`
	Label  string `gorm:"size:120;not null"`
	Active bool   `gorm:"not null;default:true"`
}

func (reasonCodeV2) TableName() string { return "reason_codes" }

type weeklyPerformanceV2 struct {
	ID           uint   `gorm:"primaryKey"`
	CreatorID    uint   `gorm:"not null;uniqueIndex:idx_perf_creator_week,priority:1"`
	Week         string `gorm:"size:8;not null;uniqueIndex:idx_perf_creator_week,priority:2;index:idx_perf_week"`
	Videos       int64  `gorm:"not null"`
	LiveSessions int64  `gorm:"not null"`
	Views        int64  `gorm:"not null"`
	Orders       int64  `gorm:"not null"`
	GMVFen       int64  `gorm:"not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (weeklyPerformanceV2) TableName() string { return "weekly_performances" }

type performanceImportV2 struct {
	ID          uint   `gorm:"primaryKey"`
	UserID      uint   `gorm:"not null;index"`
	Filename    string `gorm:"size:200"`
	Content     []byte `gorm:"not null"`
	CreatedAt   time.Time
	ConfirmedAt *time.Time
	Inserted    int
	Updated     int
	Failed      int
}

func (performanceImportV2) TableName() string { return "performance_imports" }

type apiTokenV2 struct {
	ID          uint   `gorm:"primaryKey"`
	Name        string `gorm:"size:80;not null"`
	Hint        string `gorm:"size:16;not null"`
	TokenHash   string `gorm:"size:64;not null;uniqueIndex"`
	CreatedByID uint
	CreatedAt   time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
}

func (apiTokenV2) TableName() string { return "api_tokens" }

type bonusRuleVersionV2 struct {
	Version     uint   `gorm:"primaryKey"`
	Rule        string `gorm:"type:text;not null"`
	CreatedByID *uint
	CreatedAt   time.Time
}

func (bonusRuleVersionV2) TableName() string { return "bonus_rule_versions" }

type poolV2 struct {
	Name         string `gorm:"primaryKey;size:16"`
	TotalFen     int64  `gorm:"not null;check:chk_pool_total,total_fen >= 0"`
	CommittedFen int64  `gorm:"not null;default:0;check:chk_pool_committed,committed_fen >= 0 AND committed_fen <= total_fen"`
}

func (poolV2) TableName() string { return "pools" }

type payoutBatchV2 struct {
	ID          uint   `gorm:"primaryKey"`
	CreatedByID uint   `gorm:"not null"`
	State       string `gorm:"size:10;not null;index"`
	Count       int    `gorm:"not null"`
	TotalFen    int64  `gorm:"not null"`
	Checksum    string `gorm:"size:64;not null"`
	CreatedAt   time.Time
	ExportedAt  *time.Time
	PaidAt      *time.Time
}

func (payoutBatchV2) TableName() string { return "payout_batches" }

type bonusV2 struct {
	ID                uint       `gorm:"primaryKey"`
	CreatorID         uint       `gorm:"not null;uniqueIndex:idx_bonus_creator_week,priority:1"`
	Creator           *creatorV1 `gorm:"constraint:OnDelete:RESTRICT"`
	Week              string     `gorm:"size:8;not null;uniqueIndex:idx_bonus_creator_week,priority:2;index:idx_bonus_week_state_amount,priority:1;index:idx_bonus_week_state_proposed,priority:1"`
	AgencyID          *uint      `gorm:"index:idx_bonus_agency_week,priority:1"`
	SubjectID         uint       `gorm:"not null;index"`
	State             string     `gorm:"size:16;not null;index:idx_bonus_week_state_amount,priority:2;index:idx_bonus_week_state_proposed,priority:2;index:idx_bonus_state"`
	AmountFen         int64      `gorm:"not null;check:chk_bonus_amount,amount_fen >= 0 AND amount_fen <= 3000000;index:idx_bonus_week_state_amount,priority:3"`
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

func (bonusV2) TableName() string { return "bonuses" }

// bonusReasonCodesV2 are the reasons for rejecting a bonus the programme started with.
var bonusReasonCodesV2 = []reasonCodeV2{
	{Kind: "bonus", Code: "unverified_performance", Label: "Performance could not be verified"},
	{Kind: "bonus", Code: "suspected_fake_traffic", Label: "Suspected fake views or orders"},
	{Kind: "bonus", Code: "content_removed", Label: "Content removed for a policy breach"},
	{Kind: "bonus", Code: "duplicate_claim", Label: "Duplicate claim"},
}

// bonusRuleV1 is version 1 of the bonus rule, as JSON: GMV and view tiers, ¥100
// a video, ¥300 a live session, a weekly cap of ¥30,000 and four eyes from ¥20,000.
const bonusRuleV1 = `{"gmv_tiers":[{"min":1000000,"amount_fen":50000},{"min":5000000,"amount_fen":200000},{"min":20000000,"amount_fen":800000},{"min":100000000,"amount_fen":2000000}],` +
	`"view_tiers":[{"min":100000,"amount_fen":30000},{"min":1000000,"amount_fen":150000},{"min":10000000,"amount_fen":500000}],` +
	`"per_video_fen":10000,"per_live_fen":30000,"weekly_cap_fen":3000000,"four_eyes_fen":2000000}`

// migrateBonuses is migration step 2: weekly performance, API tokens, the
// bonus rule, bonuses, pools, payout batches; reason codes gain a kind. It
// adds the bonus reason codes, the two pools (¥1,000,000,000 for creators,
// ¥5,000,000 for agencies) and version 1 of the bonus rule.
func migrateBonuses(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&reasonCodeV2{}, &weeklyPerformanceV2{}, &performanceImportV2{}, &apiTokenV2{},
		&bonusRuleVersionV2{}, &poolV2{}, &payoutBatchV2{}, &bonusV2{}); err != nil {
		return err
	}
	reasons := make([]reasonCodeV2, len(bonusReasonCodesV2))
	for i, r := range bonusReasonCodesV2 {
		r.Active = true
		reasons[i] = r
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&reasons).Error; err != nil {
		return err
	}
	pools := []poolV2{{Name: "creators", TotalFen: 100_000_000_000}, {Name: "mcn", TotalFen: 500_000_000}}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&pools).Error; err != nil {
		return err
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&bonusRuleVersionV2{Version: 1, Rule: bonusRuleV1, CreatedAt: time.Now().UTC()}).Error
}
