package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/jd/creator-portal/models"
)

// testContext carries the store options of the command tests: bcrypt at its
// cheapest cost.
func testContext() context.Context {
	return withStoreOptions(context.Background(), models.WithPasswordCost(bcrypt.MinCost))
}

// fileState is a SQLite database's files as bytes: the database and its
// write-ahead log (changes may sit in the log before they reach the file).
func fileState(t *testing.T, db string) string {
	t.Helper()
	var parts []string
	for _, f := range []string{db, db + "-wal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) || (err == nil && len(b) == 0) {
			parts = append(parts, "-")
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		parts = append(parts, hex.EncodeToString(sum[:]))
	}
	return strings.Join(parts, " ")
}

// closedDatabase checkpoints the write-ahead log into the file, so that
// fileState sees every change.
func checkpoint(t *testing.T, db string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
}

// Backup and audit only read: on a database whose schema is older than the
// portal's they refuse, naming `portal migrate`, and leave it byte for byte as
// it was; `portal migrate` upgrades it (keeping a copy first), after which
// they work, and still change nothing.
func TestReadOnlyCommandsLeaveAnOldDatabaseUnchanged(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	t.Setenv("DATABASE_URL", db)
	ctx := testContext()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	// Back to the schema before step 11 (account keys), as the portal of then left it.
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP INDEX idx_creators_account_key", "ALTER TABLE creators DROP COLUMN account_key", "DELETE FROM schema_migrations WHERE version = 11"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	checkpoint(t, db)
	old := fileState(t, db)

	var out strings.Builder
	copyPath := filepath.Join(dir, "copy.db")
	for name, run := range map[string]func() error{
		"audit verify": func() error { return auditCmd(ctx, []string{"verify"}, &out) },
		"audit anchor": func() error { return auditCmd(ctx, []string{"anchor"}, &out) },
		"backup":       func() error { return backup(ctx, []string{copyPath}) },
		"user add": func() error {
			return user(ctx, []string{"add", "--email", "ops@jd.example", "--role", "reviewer", "--password-stdin"}, strings.NewReader("a-long-enough-password\n"))
		},
	} {
		err := run()
		if err == nil || !strings.Contains(err.Error(), `run "portal migrate"`) || !strings.Contains(err.Error(), "older than this portal's") {
			t.Errorf("%s on an old schema: %v", name, err)
		}
		if got := fileState(t, db); got != old {
			t.Fatalf("%s changed the database", name)
		}
	}
	if _, err := os.Stat(copyPath); !os.IsNotExist(err) {
		t.Fatalf("a refused backup left a file: %v", err)
	}
	if err := backup(ctx, []string{copyPath}); err == nil {
		t.Fatal("backup of an old schema went through")
	}

	// A database that does not exist is not created by a read-only command.
	t.Setenv("DATABASE_URL", filepath.Join(dir, "typo.db"))
	if err := auditCmd(ctx, []string{"verify"}, &out); err == nil {
		t.Fatal("audit verify of a missing database passed")
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !os.IsNotExist(err) {
		t.Fatalf("audit verify created the missing database: %v", err)
	}
	t.Setenv("DATABASE_URL", db)

	before := filepath.Join(dir, "before-migrate.db")
	out.Reset()
	if err := migrateCmd(ctx, []string{"--backup", before}, &out); err != nil || !strings.Contains(out.String(), "1 steps applied, from step ") {
		t.Fatalf("migrate: %v %s", err, out.String())
	}
	out.Reset()
	if err := migrateCmd(ctx, nil, &out); err != nil || !strings.Contains(out.String(), "up to date") {
		t.Fatalf("migrate again: %v %s", err, out.String())
	}
	// The copy is the old schema.
	cp, err := sql.Open("sqlite3", before)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var n int
	cp.QueryRow("SELECT COUNT(*) FROM pragma_table_info('creators') WHERE name = 'account_key'").Scan(&n)
	if n != 0 {
		t.Fatal("the backup taken before migrating has the new column")
	}

	checkpoint(t, db)
	current := fileState(t, db)
	out.Reset()
	if err := auditCmd(ctx, []string{"verify"}, &out); err != nil || !strings.Contains(out.String(), "audit log intact") {
		t.Fatalf("verify after migrate: %v %s", err, out.String())
	}
	if err := auditCmd(ctx, []string{"anchor"}, &out); err != nil {
		t.Fatal(err)
	}
	if err := backup(ctx, []string{copyPath}); err != nil {
		t.Fatal(err)
	}
	if got := fileState(t, db); got != current {
		t.Fatal("audit verify, audit anchor or backup changed an up-to-date database")
	}
}
