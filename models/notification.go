package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Notification is an in-app message to one user about a decision that
// concerns them, stored as data: a kind (the message's catalogue ID), its
// arguments as JSON and a target, rendered in the reader's language when
// shown. Notifications stored before issue 13 that could not be read back
// into a kind keep their English sentence in LegacyText, shown as it is.
type Notification struct {
	ID         uint   `gorm:"primaryKey"`
	UserID     uint   `gorm:"not null;index:idx_notification_user_read,priority:1"`
	Kind       string `gorm:"size:32;not null"`
	Args       string `gorm:"type:text;not null;default:''"`
	TargetType string `gorm:"size:24;not null;default:''"`
	TargetID   uint   `gorm:"not null;default:0"`
	LegacyText string `gorm:"size:500;not null;default:''"`
	CreatedAt  time.Time
	ReadAt     *time.Time `gorm:"index:idx_notification_user_read,priority:2"`
}

// Notification kinds: each is the catalogue ID of its message, with the
// arguments it takes.
const (
	NotifyBonusApproved      = "notify_bonus_approved"       // Amount (Fen), Period (a week or a month)
	NotifyBonusRejected      = "notify_bonus_rejected"       // Period, Reason (Reason)
	NotifyCreatorState       = "notify_creator_state"        // Name, State (Word)
	NotifyCreatorStateReason = "notify_creator_state_reason" // Name, State (Word), Reason (Reason)
	NotifyQuotaMet           = "notify_quota_met"            // Quota, Month
	NotifyAppealUpheld       = "notify_appeal_upheld"        // Period
	NotifyAppealOverturned   = "notify_appeal_overturned"    // Period
	NotifyTransferRequested  = "notify_transfer_requested"   // Agency
	NotifyTransferAccepted   = "notify_transfer_accepted"    // Month (the creator joins on its first day)
	NotifyTransferDeclined   = "notify_transfer_declined"    // -
	NotifyTransferLeaving    = "notify_transfer_leaving"     // Month (the creator leaves on its first day)
	NotifyTopCreator         = "notify_top_creator"          // Rank, Top, Year (lists published before issue 14)
	NotifyTopCreatorRanked   = "notify_top_creator_ranked"   // Rank, Of, Top, Year, Through: the creator's Standing
	NotifyTopCreatorOfAgency = "notify_top_creator_agency"   // Name, Rank, Top, Year
	NotifyAdjustmentApproved = "notify_adjustment_approved"  // Amount (Fen, signed), Period, Why (Word: an Adjust… code)
	NotifyAdjustmentRejected = "notify_adjustment_rejected"  // Amount (Fen, signed), Period, Reason (Reason)
)

// Target is what a notification links to: an object by its type and ID, or a
// page by its route name (ID 0). web builds the link.
type Target struct {
	Type string
	ID   uint
}

// Targets of notifications.
const (
	TargetCreator     = "creator"      // a creator's record, by ID (for their agency)
	TargetMe          = "me"           // a creator's own page
	TargetDashboard   = "dashboard"    // the signed-in user's dashboard
	TargetTopCreators = "top_creators" // the public top 100
)

// CreatorStateWord is the catalogue ID of a creator state as it reads inside
// a sentence ("… is now rejected").
func CreatorStateWord(s CreatorState) Word { return Word("word_creator_" + string(s)) }

// Message is the notification's message as data; ok is false for a
// notification kept as LegacyText.
func (n Notification) Message() (m Msg, ok bool, err error) {
	if n.LegacyText != "" {
		return Msg{}, false, nil
	}
	args, err := decodeArgs(n.Args)
	if err != nil {
		return Msg{}, false, fmt.Errorf("notification %d: %w", n.ID, err)
	}
	return Msg{ID: n.Kind, Args: args}, true, nil
}

// Target is what the notification links to (Type "" when nothing).
func (n Notification) Target() Target { return Target{Type: n.TargetType, ID: n.TargetID} }

// notifyCreator tells the creator's account, if they have one, in the same transaction as the change.
func notifyCreator(tx *gorm.DB, creatorID uint, m Msg, to Target) error {
	args, err := encodeArgs(m.Args)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO notifications (user_id, kind, args, target_type, target_id, legacy_text, created_at)
		SELECT id, ?, ?, ?, ?, '', ? FROM users WHERE creator_id = ? AND disabled = ?`,
		m.ID, args, to.Type, to.ID, nowOf(tx).UTC(), creatorID, false).Error
}

// notifyAgency tells every manager of an agency.
func notifyAgency(tx *gorm.DB, agencyID *uint, m Msg, to Target) error {
	if agencyID == nil {
		return nil
	}
	args, err := encodeArgs(m.Args)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO notifications (user_id, kind, args, target_type, target_id, legacy_text, created_at)
		SELECT id, ?, ?, ?, ?, '', ? FROM users WHERE agency_id = ? AND role = ? AND disabled = ?`,
		m.ID, args, to.Type, to.ID, nowOf(tx).UTC(), *agencyID, RoleMCNManager, false).Error
}

// UnreadCount counts a user's unread notifications (shown in the header).
func (s *Store) UnreadCount(ctx context.Context, userID uint) (int64, error) {
	var n int64
	err := s.r(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// Notifications lists a user's notifications, newest first, and marks the
// ones shown as read.
func (s *Store) Notifications(ctx context.Context, a *Actor, page Page) ([]Notification, int64, error) {
	var total int64
	q := s.r(ctx).Model(&Notification{}).Where("user_id = ?", a.UserID)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Notification
	// Newest first by time: a week's decisions notice, updated as decisions come in, comes back to the top.
	if err := q.Order("created_at DESC, id DESC").Limit(page.Size).Offset(page.Offset()).Find(&out).Error; err != nil {
		return nil, 0, err
	}
	var unread []uint
	for _, n := range out {
		if n.ReadAt == nil {
			unread = append(unread, n.ID)
		}
	}
	if len(unread) > 0 {
		err := s.db.WithContext(ctx).Model(&Notification{}).Where("id IN ? AND user_id = ?", unread, a.UserID).Update("read_at", s.now().UTC()).Error
		if err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// MarkAllNotificationsRead marks every unread notification of the acting
// user read and says how many were. Reading is not a change of programme
// state, so, like opening the list, it is not audited.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, a *Actor) (int64, error) {
	if a.UserID == 0 {
		return 0, ErrForbidden
	}
	res := s.db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", a.UserID).Update("read_at", s.now().UTC())
	return res.RowsAffected, res.Error
}
