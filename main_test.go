package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
