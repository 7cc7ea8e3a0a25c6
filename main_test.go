package main

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

func TestSeedAndUserAddCommands(t *testing.T) {
	t.Setenv("DATABASE_URL", filepath.Join(t.TempDir(), "cli.db"))
	ctx := testContext()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	// A second seed leaves the database alone and says so (no error: `make run` runs it every time).
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	store, err := openStore(ctx, currentSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_, total, err := store.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{}, models.NewPage(1, 1))
	if err != nil || total != 200 {
		t.Fatalf("demo creators after two seeds: %d (err %v), want 200", total, err)
	}

	if err := user(ctx, []string{"add", "--email", "ops@jd.example", "--role", "reviewer", "--password-stdin"}, strings.NewReader("a-long-enough-password\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Authenticate(ctx, "ops@jd.example", "a-long-enough-password", ""); err != nil {
		t.Fatalf("the new user cannot sign in: %v", err)
	}
	bad := map[string][]string{
		"no password flag":       {"add", "--email", "x@jd.example", "--role", "admin"},
		"manager without agency": {"add", "--email", "y@jd.example", "--role", "mcn_manager", "--password-stdin"},
		"unknown role":           {"add", "--email", "z@jd.example", "--role", "boss", "--password-stdin"},
		"agency not a number":    {"add", "--email", "w@jd.example", "--role", "mcn_manager", "--agency", "abc", "--password-stdin"},
	}
	for name, args := range bad {
		if err := user(ctx, args, strings.NewReader("a-long-enough-password\n")); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestImportPerformanceCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "cli.db"))
	ctx := testContext()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	// The file reaches back 60 weeks, before the demo's programme start: this programme starts earlier.
	if err := modeltest.OpenRaw(t, filepath.Join(dir, "cli.db")).Save(&models.Setting{Key: "programme_start_week", Value: "2020-W01"}).Error; err != nil {
		t.Fatal(err)
	}
	week := models.WeekOf(time.Now()).Prev().String()
	var b strings.Builder
	b.WriteString("account_id,week,videos,live_sessions,views,orders,gmv_fen\n")
	for i := 0; i < 12_000; i++ {
		fmt.Fprintf(&b, "jd_cr_%06d,%s,%d,0,%d,1,%d\n", 100000+i%200, models.WeekOf(time.Now().AddDate(0, 0, -7*(1+i/200))).String(), i%5, i, i*10)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte(b.String()), 0o644)
	var out strings.Builder
	if err := importCmd(ctx, []string{"performance", good}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "12000/12000 rows") {
		t.Fatalf("no progress: %s", out.String())
	}
	// Running it again updates, never duplicates.
	out.Reset()
	if err := importCmd(ctx, []string{"performance", good}, &out); err != nil || !strings.Contains(out.String(), "0 new weeks") {
		t.Fatalf("re-run: %v %s", err, out.String())
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("account_id,week,videos,live_sessions,views,orders,gmv_fen\njd_cr_100000,"+week+",1,0,1,1,1\njd_cr_nobody,"+week+",1,0,1,1,1\n"), 0o644)
	out.Reset()
	err := importCmd(ctx, []string{"performance", bad}, &out)
	if err == nil || !strings.Contains(out.String(), "line 3: no enrolled creator") {
		t.Fatalf("bad file: %v %s", err, out.String())
	}
}

func TestBackupAndAuditVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "live.db"))
	ctx := testContext()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := auditCmd(ctx, []string{"verify"}, &out); err != nil || !strings.Contains(out.String(), "audit log intact") {
		t.Fatalf("verify: %v %s", err, out.String())
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := backup(ctx, []string{copyPath}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL", copyPath)
	out.Reset()
	if err := auditCmd(ctx, []string{"verify"}, &out); err != nil {
		t.Fatalf("the backup's audit log: %v", err)
	}
}

func TestAuditCommandsFailClosed(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	t.Setenv("DATABASE_URL", db)
	ctx := testContext()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := auditCmd(ctx, []string{"anchor"}, &out); err != nil {
		t.Fatal(err)
	}
	anchor := strings.TrimSpace(out.String())
	if _, err := models.ParseAuditHead(anchor); err != nil {
		t.Fatalf("anchor %q: %v", anchor, err)
	}
	out.Reset()
	if err := auditCmd(ctx, []string{"verify", "--anchor", anchor}, &out); err != nil || !strings.Contains(out.String(), "head "+anchor) {
		t.Fatalf("verify against its own anchor: %v %s", err, out.String())
	}
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// The last three entries go: only the anchor notices.
	if _, err := raw.Exec("DELETE FROM audit_entries WHERE seq > (SELECT MAX(seq) - 3 FROM audit_entries)"); err != nil {
		t.Fatal(err)
	}
	err = auditCmd(ctx, []string{"verify", "--anchor", anchor}, &out)
	if err == nil || !strings.Contains(err.Error(), "before the anchor") {
		t.Fatalf("a log cut short passed: %v", err)
	}
	if _, err := raw.Exec("DELETE FROM audit_entries"); err != nil {
		t.Fatal(err)
	}
	if err := auditCmd(ctx, []string{"verify"}, &out); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("an empty log passed: %v", err)
	}
	if err := auditCmd(ctx, []string{"verify", "--allow-empty"}, &out); err != nil {
		t.Fatalf("--allow-empty: %v", err)
	}
	if err := auditCmd(ctx, []string{"verify", "--anchor", "12:abc"}, &out); err == nil || !strings.Contains(err.Error(), "SEQUENCE:HASH") {
		t.Fatalf("a malformed anchor: %v", err)
	}
}

func TestSecretsLiveOutsideTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	t.Setenv("DATABASE_URL", db)
	t.Setenv("SESSION_SECRET", "")
	t.Setenv("AUDIT_KEY", "")
	ctx := testContext()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := openStore(ctx, migrateSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	// An older version kept the session secret in the database.
	legacy := strings.Repeat("ab", 64)
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("INSERT INTO settings (key, value) VALUES ('session_secret', ?)", legacy); err != nil {
		t.Fatal(err)
	}
	secret, err := sessionSecret(ctx, store, log)
	if err != nil || hex.EncodeToString(secret) != legacy {
		t.Fatalf("the stored secret was not kept (signed-in users would be signed out): %x %v", secret, err)
	}
	var left int
	raw.QueryRow("SELECT COUNT(*) FROM settings WHERE key = 'session_secret'").Scan(&left)
	if left != 0 {
		t.Fatal("the session secret is still in the database")
	}
	for _, f := range []string{sessionKeyFile, auditKeyFile} {
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, info, err)
		}
	}
	again, err := sessionSecret(ctx, store, log)
	if err != nil || string(again) != string(secret) {
		t.Fatalf("second start: %x %v", again, err)
	}
	// No secret is anywhere in the database's files, not even in a freed page.
	key, _ := os.ReadFile(filepath.Join(dir, auditKeyFile))
	for _, f := range []string{db, db + "-wal"} {
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), legacy) || strings.Contains(string(data), strings.TrimSpace(string(key))) {
			t.Fatalf("a secret is in %s", f)
		}
	}
	t.Setenv("SESSION_SECRET", "too-short")
	if _, err := sessionSecret(ctx, store, log); err == nil {
		t.Fatal("a short SESSION_SECRET was accepted")
	}
}
