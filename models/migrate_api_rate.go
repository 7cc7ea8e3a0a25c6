package models

import "gorm.io/gorm"

// apiRateLimitV32 is the api_rate_limits table as step 32 makes it (issue
// 18): one row per API token digest, its bucket's theoretical arrival time.
type apiRateLimitV32 struct {
	Key string `gorm:"primaryKey;size:100"`
	TAT int64  `gorm:"column:tat;not null"`
}

func (apiRateLimitV32) TableName() string { return "api_rate_limits" }

// migrateAPIRateLimits adds the API rate limits every server shares (empty:
// every token starts with a full burst). On PostgreSQL the table is
// UNLOGGED: an API request's upsert then waits for no WAL flush, and a crash
// that empties it only gives every token a full burst again.
func migrateAPIRateLimits(tx *gorm.DB) error {
	if tx.Dialector.Name() == "postgres" {
		return tx.Exec("CREATE UNLOGGED TABLE api_rate_limits (key varchar(100) PRIMARY KEY, tat bigint NOT NULL)").Error
	}
	return tx.AutoMigrate(&apiRateLimitV32{})
}
