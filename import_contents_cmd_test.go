package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// `portal import contents FILE.csv` writes a good file and refuses a bad
// one whole, naming the line.
func TestImportContentsCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo")
	}
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "cli.db"))
	ctx := testContext()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	week := models.WeekOf(time.Now()).Prev().String()
	head := "account_id,week,content_id,kind,views,orders,gmv_fen\n"
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte(head+"jd_cr_100000,"+week+",cli-v-1,video,10,1,100\njd_cr_100001,"+week+",cli-l-1,直播,10,1,100\n"), 0o644)
	var out strings.Builder
	if err := importCmd(ctx, []string{"contents", good}, &out); err != nil || !strings.Contains(out.String(), "2 content items (1 videos, 1 live sessions) for 2 creator-weeks") {
		t.Fatalf("good file: %v %s", err, out.String())
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(head+"jd_cr_100000,"+week+",cli-v-2,video,10,1,100\njd_cr_100000,"+week+",cli v 3,video,10,1,100\n"), 0o644)
	out.Reset()
	err := importCmd(ctx, []string{"contents", bad}, &out)
	if err == nil || !strings.Contains(out.String(), "line 3: content_id must be 1–64 letters") {
		t.Fatalf("bad file: %v %s", err, out.String())
	}
}
