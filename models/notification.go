package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Notification is an in-app message to one user about a decision that concerns them.
type Notification struct {
	ID        uint   `gorm:"primaryKey"`
	UserID    uint   `gorm:"not null;index:idx_notification_user_read,priority:1"`
	Kind      string `gorm:"size:32;not null"`
	Message   string `gorm:"size:500;not null"`
	Link      string `gorm:"size:200"`
	CreatedAt time.Time
	ReadAt    *time.Time `gorm:"index:idx_notification_user_read,priority:2"`
}

// notifyCreator tells the creator's account, if they have one, in the same transaction as the change.
func notifyCreator(tx *gorm.DB, creatorID uint, kind, message, link string) error {
	return tx.Exec(`INSERT INTO notifications (user_id, kind, message, link, created_at)
		SELECT id, ?, ?, ?, ? FROM users WHERE creator_id = ? AND disabled = ?`,
		kind, message, link, time.Now().UTC(), creatorID, false).Error
}

// notifyAgency tells every manager of an agency.
func notifyAgency(tx *gorm.DB, agencyID *uint, kind, message, link string) error {
	if agencyID == nil {
		return nil
	}
	return tx.Exec(`INSERT INTO notifications (user_id, kind, message, link, created_at)
		SELECT id, ?, ?, ?, ? FROM users WHERE agency_id = ? AND role = ? AND disabled = ?`,
		kind, message, link, time.Now().UTC(), *agencyID, RoleMCNManager, false).Error
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
	if err := q.Order("id DESC").Limit(page.Size).Offset(page.Offset()).Find(&out).Error; err != nil {
		return nil, 0, err
	}
	var unread []uint
	for _, n := range out {
		if n.ReadAt == nil {
			unread = append(unread, n.ID)
		}
	}
	if len(unread) > 0 {
		err := s.db.WithContext(ctx).Model(&Notification{}).Where("id IN ? AND user_id = ?", unread, a.UserID).Update("read_at", time.Now().UTC()).Error
		if err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}
