package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

func TestSeedAndUserAddCommands(t *testing.T) {
	models.UseMinimumPasswordCost()
	t.Setenv("DATABASE_URL", filepath.Join(t.TempDir(), "cli.db"))
	ctx := context.Background()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	// A second seed leaves the database alone and says so (no error: `make run` runs it every time).
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	store, err := openStore(ctx)
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
	models.UseMinimumPasswordCost()
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "cli.db"))
	ctx := context.Background()
	if err := seed(ctx, []string{"--demo"}); err != nil {
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
	models.UseMinimumPasswordCost()
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "live.db"))
	ctx := context.Background()
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
