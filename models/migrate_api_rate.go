package models

import "gorm.io/gorm"

// apiRateLimitV30 is the api_rate_limits table as step 30 makes it (issue
// 18): one row per API token digest, its bucket's theoretical arrival time.
type apiRateLimitV30 struct {
	Key string `gorm:"primaryKey;size:100"`
	TAT int64  `gorm:"column:tat;not null"`
}

func (apiRateLimitV30) TableName() string { return "api_rate_limits" }

// migrateAPIRateLimits adds the API rate limits every server shares (empty:
// every token starts with a full burst).
func migrateAPIRateLimits(tx *gorm.DB) error { return tx.AutoMigrate(&apiRateLimitV30{}) }
