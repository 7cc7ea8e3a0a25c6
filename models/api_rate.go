package models

import (
	"context"
	"time"
)

// API rate limits shared by a fleet (issue 18): each token's budget is one
// row, updated by one conditional upsert per request, so requests spread
// over several servers draw on the same budget. The rule is GCRA, the
// token bucket written as a single time: the bucket's theoretical arrival
// time (tat). A request is allowed when, after adding its interval, tat is
// no further ahead of now than burst intervals.

// RateLimit is a sustained rate with a burst on top.
type RateLimit struct {
	PerSecond int // requests a second, sustained (at least 1)
	Burst     int // requests at once after a quiet spell (at least 1)
}

// APIRateLimit is a token's row (see migrateAPIRateLimits): tat in unix microseconds.
type APIRateLimit struct {
	Key string `gorm:"primaryKey;size:100"`
	TAT int64  `gorm:"column:tat;not null"`
}

// TableName is api_rate_limits.
func (APIRateLimit) TableName() string { return "api_rate_limits" }

// allowAPIRequestSQL takes one request from a key's bucket if it has one:
// a new key is inserted with one request taken; an existing key's tat moves
// on by one interval only when it stays within the burst, and RETURNING
// yields a row only when the request was taken.
const allowAPIRequestSQL = `INSERT INTO api_rate_limits AS l (key, tat) VALUES (@key, CAST(@first AS bigint))
ON CONFLICT (key) DO UPDATE SET tat = (CASE WHEN l.tat > CAST(@now AS bigint) THEN l.tat ELSE CAST(@now AS bigint) END) + CAST(@interval AS bigint)
WHERE (CASE WHEN l.tat > CAST(@now AS bigint) THEN l.tat ELSE CAST(@now AS bigint) END) + CAST(@interval AS bigint) <= CAST(@last AS bigint)
RETURNING tat`

// AllowAPIRequest takes one request of limit from key's budget by the
// store's clock, and reports whether there was one. Every server on the
// database shares the budget.
func (s *Store) AllowAPIRequest(ctx context.Context, key string, limit RateLimit) (bool, error) {
	interval := int64(time.Second/time.Microsecond) / int64(max(limit.PerSecond, 1))
	now := s.now().UnixMicro()
	var taken []int64
	err := s.db.WithContext(ctx).Raw(allowAPIRequestSQL, map[string]any{
		"key": key, "now": now, "interval": interval, "first": now + interval, "last": now + interval*int64(max(limit.Burst, 1)),
	}).Scan(&taken).Error
	return len(taken) == 1, err
}

// PruneAPIRateLimits forgets the keys whose bucket is full again (their tat
// has passed): a missing row is a full bucket.
func (s *Store) PruneAPIRateLimits(ctx context.Context) error {
	return s.db.WithContext(ctx).Where("tat < ?", s.now().UnixMicro()).Delete(&APIRateLimit{}).Error
}
