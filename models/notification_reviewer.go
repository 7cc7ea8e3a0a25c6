package models

import "gorm.io/gorm"

// Notifications to reviewers (issue 14): a bonus waits for their second
// approval, a creator's appeal arrived.
const (
	NotifySecondApproval = "notify_second_approval" // Count, Amount (Fen): one per reviewer per batch of first approvals
	NotifyAppealArrived  = "notify_appeal_arrived"  // Name, Period
)

// Targets of reviewers' notifications.
const (
	TargetBonus          = "bonus"               // one weekly bonus, by ID
	TargetSecondApproval = "second_approval"     // the weekly queue of bonuses awaiting a second approval
	TargetMCNSecond      = "mcn_second_approval" // the monthly MCN bonuses awaiting a second approval
)

// notifyStaffExcept tells every active member of staff who may decide
// bonuses (reviewers and admins) except the one user who may not act on it
// (the first approver, the reviewer who rejected; 0 for nobody).
func notifyStaffExcept(tx *gorm.DB, except uint, m Msg, to Target) error {
	args, err := encodeArgs(m.Args)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO notifications (user_id, kind, args, target_type, target_id, legacy_text, created_at)
		SELECT id, ?, ?, ?, ?, '', ? FROM users WHERE role IN ? AND disabled = ? AND id <> ?`,
		m.ID, args, to.Type, to.ID, nowOf(tx).UTC(), []Role{RoleReviewer, RoleAdmin}, false, except).Error
}

// notifySecondApprovers tells the other reviewers that count bonuses worth
// fen, first-approved by a, wait for their second approval: one notification
// each for the whole batch, however many bonuses it held.
func (k bonusKind) notifySecondApprovers(tx *gorm.DB, a *Actor, count int, fen int64) error {
	if count == 0 {
		return nil
	}
	to := Target{Type: TargetSecondApproval}
	if k.owner == "agency_id" {
		to.Type = TargetMCNSecond
	}
	return notifyStaffExcept(tx, a.UserID, M(NotifySecondApproval, "Count", count, "Amount", Fen(fen)), to)
}
