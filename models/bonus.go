package models

import (
	"encoding/json"
	"time"
)

// BonusState is where a weekly bonus stands.
type BonusState string

// Bonus states. A bonus charges the pool when it becomes approved.
const (
	BonusProposed       BonusState = "proposed"
	BonusAwaitingSecond BonusState = "awaiting_second"
	BonusApproved       BonusState = "approved"
	BonusRejected       BonusState = "rejected"
	BonusPaid           BonusState = "paid"
)

// BonusStates lists the states in display order.
var BonusStates = []BonusState{BonusProposed, BonusAwaitingSecond, BonusApproved, BonusRejected, BonusPaid}

// Valid reports whether st is a known state.
func (st BonusState) Valid() bool {
	for _, v := range BonusStates {
		if v == st {
			return true
		}
	}
	return false
}

// Appeal states of a rejected bonus.
const (
	AppealPending    = "pending"
	AppealUpheld     = "upheld"
	AppealOverturned = "overturned"
)

// AppealStates lists the appeal states in display order (each has a label in every language).
var AppealStates = []string{AppealPending, AppealUpheld, AppealOverturned}

// Bonus is one creator's weekly bonus: at most one per creator per week.
// Agency and subject are copied from the creator when computed, so the
// queue filters without joins and history keeps who delivered the week.
type Bonus struct {
	ID                uint       `gorm:"primaryKey;index:idx_bonus_week_subject_amount,priority:4;index:idx_bonus_week_amount,priority:3;index:idx_bonus_week_risk,priority:4"`
	CreatorID         uint       `gorm:"not null;uniqueIndex:idx_bonus_creator_week,priority:1"`
	Creator           *Creator   `gorm:"constraint:OnDelete:RESTRICT"`
	Week              string     `gorm:"size:8;not null;uniqueIndex:idx_bonus_creator_week,priority:2;index:idx_bonus_agency_week,priority:2;index:idx_bonus_week_state_amount,priority:1;index:idx_bonus_week_state_proposed,priority:1;index:idx_bonus_week_subject_amount,priority:1;index:idx_bonus_week_amount,priority:1;index:idx_bonus_week_risk,priority:1"`
	AgencyID          *uint      `gorm:"index:idx_bonus_agency_week,priority:1"`
	SubjectID         uint       `gorm:"not null;index:idx_bonus_week_subject_amount,priority:2"`
	State             BonusState `gorm:"size:16;not null;index:idx_bonus_agency_week,priority:3;index:idx_bonus_week_state_amount,priority:2;index:idx_bonus_week_state_proposed,priority:2;index:idx_bonus_state_amount,priority:1;index:idx_bonus_state_risk,priority:1"`
	AmountFen         int64      `gorm:"not null;check:chk_bonus_amount,amount_fen >= 0 AND amount_fen <= 3000000;index:idx_bonus_agency_week,priority:4;index:idx_bonus_week_state_amount,priority:3;index:idx_bonus_week_subject_amount,priority:3;index:idx_bonus_state_amount,priority:2;index:idx_bonus_week_amount,priority:2;index:idx_bonus_week_risk,priority:3"`
	GMVFen            int64      `gorm:"not null"`
	RuleFen           int64      `gorm:"not null;default:0"` // the rule's amount before pacing (0: not paced)
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
	// RiskCount and RiskMask sum up the bonus's risk flags (bonus_risk_flags):
	// how many, and which kinds as bits in RiskKinds order.
	RiskCount int   `gorm:"not null;default:0;index:idx_bonus_week_risk,priority:2;index:idx_bonus_state_risk,priority:2"`
	RiskMask  int64 `gorm:"not null;default:0"`
}

// TableName is spelled out: GORM's inflection would call it "bonus".
func (Bonus) TableName() string { return "bonuses" }

// Explain decodes the stored breakdown.
func (b *Bonus) Explain() Breakdown {
	var out Breakdown
	_ = json.Unmarshal([]byte(b.Breakdown), &out)
	return out
}
