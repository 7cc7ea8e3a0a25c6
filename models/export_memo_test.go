package models

import (
	"time"

	"gorm.io/driver/postgres"
)

// Hooks for the memo-notification tests (issue 18): a store whose memos
// never expire by age, so only a notification can refresh them.

// WithMemoTTL sets both memos' lifetimes.
func WithMemoTTL(ttl time.Duration) Option {
	return func(s *Store) { s.ranks.ttl, s.counts.ttl = ttl, ttl }
}

// ListenerPID is the backend of the connection FollowChanges listens on (0 while it is not listening).
func (s *Store) ListenerPID() uint32 { return s.changes.listenerPID.Load() }

// MemoNotificationsSent counts the NOTIFYs this store has sent.
func (s *Store) MemoNotificationsSent() int64 { return s.changes.sent.Load() }

// PostgresDSN is the connection string the store was opened with (PostgreSQL only).
func (s *Store) PostgresDSN() string { return s.db.Dialector.(*postgres.Dialector).DSN }
