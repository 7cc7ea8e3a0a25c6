package models

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// reasonCodeMCN is a reason code as this step writes it (the reason_codes
// table of step 2, whose kind column now also holds "mcn_bonus").
type reasonCodeMCN struct {
	ID     uint `gorm:"primaryKey"`
	Kind   string
	Code   string
	Label  string
	Active bool
}

func (reasonCodeMCN) TableName() string { return "reason_codes" }

// mcnBonusReasonCodesV13 are the reasons for rejecting an agency's monthly
// bonus the programme starts with, frozen as this step wrote them.
var mcnBonusReasonCodesV13 = []reasonCodeMCN{
	{Kind: "mcn_bonus", Code: "mcn_quota_not_met", Label: "Quota not met as reported"},
	{Kind: "mcn_bonus", Code: "mcn_data_disputed", Label: "Agency data disputed"},
	{Kind: "mcn_bonus", Code: "mcn_creators_ineligible", Label: "Delivered creators found ineligible"},
	{Kind: "mcn_bonus", Code: "mcn_duplicate_claim", Label: "Duplicate claim for the month"},
}

// migrateMCNBonusReasons gives monthly MCN bonuses reasons of their own
// (issue 14): reason codes gain the scope "mcn_bonus" beside "creator" and
// "bonus" (weekly bonuses), and the programme's MCN-bonus reasons are added.
// The kind column (size 10) already holds the new scope; existing reasons,
// and MCN bonuses rejected with a weekly-bonus reason, keep their codes and
// labels unchanged. A code an admin already uses is left alone.
func migrateMCNBonusReasons(tx *gorm.DB) error {
	reasons := make([]reasonCodeMCN, len(mcnBonusReasonCodesV13))
	for i, r := range mcnBonusReasonCodesV13 {
		r.Active = true
		reasons[i] = r
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&reasons).Error
}
