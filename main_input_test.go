package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// The command-line import refuses a week before the programme's start, names
// it and the start, and writes nothing; an account ID in capitals finds its creator.
func TestImportPerformanceCommandRefusesWeeksBeforeTheStart(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "cli.db"))
	ctx := testContext()
	store, err := openStore(ctx, migrateSchema)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.EnrolCreator(ctx, models.SystemActor(), nil, models.Enrolment{DisplayName: "Early", AccountID: "jd_cr_early9",
		Subjects: []string{"electronics"}, ContentType: "video", Followers: "10"}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	file := filepath.Join(dir, "early.csv")
	os.WriteFile(file, []byte("account_id,week,videos,live_sessions,views,orders,gmv_fen\nJD_CR_EARLY9,2024-W14,1,0,1,1,1\njd_cr_early9,2024-W02,1,0,1,1,1\n"), 0o644)
	var out strings.Builder
	err = importCmd(ctx, []string{"performance", file}, &out)
	if err == nil || !strings.Contains(out.String(), "line 3: week 2024-W02 is before the programme's start (2024-W14)") || strings.Contains(out.String(), "line 2") {
		t.Fatalf("%v\n%s", err, out.String())
	}
	os.WriteFile(file, []byte("account_id,week,videos,live_sessions,views,orders,gmv_fen\nJD_CR_EARLY9,2024-W14,1,0,1,1,1\n"), 0o644)
	out.Reset()
	if err := importCmd(ctx, []string{"performance", file}, &out); err != nil || !strings.Contains(out.String(), "1 new weeks") {
		t.Fatalf("%v\n%s", err, out.String())
	}
}
