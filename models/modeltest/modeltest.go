// Package modeltest builds throwaway databases for tests: a SQLite file in a
// temporary directory, or, when DATABASE_URL names PostgreSQL, a fresh schema
// on that server dropped after the test.
package modeltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/jd/creator-portal/models"
)

// DatabaseURL returns a database for one test and registers its cleanup.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if !models.IsPostgresURL(base) {
		return filepath.Join(t.TempDir(), "portal.db")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s%ssearch_path=%s", base, sep, schema)
}

// AuditKey is the audit key of test stores (a real one comes from outside the database).
var AuditKey = []byte("test-audit-key-0123456789abcdef-0123456789")

// PayeeKey is the payee-number key of test stores (32 bytes, AES-256).
var PayeeKey = []byte("test-payee-key-0123456789abcdef!")

// Options are the options of test stores: the test audit and payee keys and
// bcrypt's cheapest cost, then opts.
func Options(opts ...models.Option) []models.Option {
	return append([]models.Option{models.WithAuditKey(AuditKey), models.WithPayeeKeys(PayeeKey), models.WithPasswordCost(bcrypt.MinCost)}, opts...)
}

// Open opens the database at dsn with Options(opts...) and migrates it;
// the store is closed after the test.
func Open(t testing.TB, dsn string, opts ...models.Option) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), dsn, Options(opts...)...)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(s.Close)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// NewStore opens a migrated, empty store for one test.
func NewStore(t testing.TB) *models.Store {
	t.Helper()
	s, _ := NewStoreWithDB(t)
	return s
}

// NewStoreWithDB also returns a raw handle on the same database, for tests
// that must change rows behind the application's back (an expired link, a
// tampered audit row).
func NewStoreWithDB(t testing.TB, opts ...models.Option) (*models.Store, *gorm.DB) {
	t.Helper()
	dsn := DatabaseURL(t)
	return Open(t, dsn, opts...), OpenRaw(t, dsn)
}

// OpenRaw opens a plain handle on the database at dsn, without migrating it,
// closed after the test: for tests that build a database as an earlier
// version left it, or change rows behind the application's back.
func OpenRaw(t testing.TB, dsn string) *gorm.DB {
	t.Helper()
	var dial gorm.Dialector
	if models.IsPostgresURL(dsn) {
		dial = postgres.Open(dsn)
	} else {
		dial = sqlite.Open("file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(dsn) + "?_busy_timeout=10000&_foreign_keys=on")
	}
	raw, err := gorm.Open(dial, &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatalf("open raw handle: %v", err)
	}
	t.Cleanup(func() {
		if db, err := raw.DB(); err == nil {
			db.Close()
		}
	})
	return raw
}

// RewindNotificationMessages turns a migrated database's notifications table
// back into its shape before notifications were stored as data (an English
// sentence in message and a URL in link) and forgets the step that changed
// it, as a database of an earlier release holds it: tests then insert
// old-style rows and open a store to upgrade them.
func RewindNotificationMessages(t testing.TB, raw *gorm.DB) {
	t.Helper()
	for _, sql := range []string{
		"ALTER TABLE notifications DROP COLUMN args",
		"ALTER TABLE notifications DROP COLUMN target_type",
		"ALTER TABLE notifications DROP COLUMN target_id",
		"ALTER TABLE notifications DROP COLUMN legacy_text",
		"ALTER TABLE notifications ADD COLUMN message VARCHAR(500) NOT NULL DEFAULT ''",
		"ALTER TABLE notifications ADD COLUMN link VARCHAR(200)",
	} {
		if err := raw.Exec(sql).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := raw.Exec("DELETE FROM schema_migrations WHERE version = ?", models.NotificationMessagesStep()).Error; err != nil {
		t.Fatal(err)
	}
}
