package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// The command-line import takes refunds, checks them like the web and the
// API do, and names the file as the source of each week's revision.
func TestImportPerformanceCommandRefundsAndSource(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "cli.db"))
	ctx := testContext()
	if err := seed(ctx, []string{"--demo"}); err != nil {
		t.Fatal(err)
	}
	week := models.WeekOf(time.Now()).Prev().String()
	header := "account_id,week,videos,live_sessions,views,orders,gmv_fen,refunded_orders,refunded_gmv_fen\n"
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(header+"jd_cr_100000,"+week+",1,0,1,3,1000,4,0\n"), 0o644)
	var out strings.Builder
	if err := importCmd(ctx, []string{"performance", bad}, &out); err == nil || !strings.Contains(out.String(), "line 2: refunded_orders cannot be more than the orders: 4 refunded of 3") {
		t.Fatalf("refunds above the orders: %v %s", err, out.String())
	}
	good := filepath.Join(dir, "refunds-w.csv")
	os.WriteFile(good, []byte(header+"jd_cr_100000,"+week+",1,0,1,3,1000,1,250\n"), 0o644)
	out.Reset()
	if err := importCmd(ctx, []string{"performance", good}, &out); err != nil {
		t.Fatalf("%v %s", err, out.String())
	}
	store, err := openStore(ctx, currentSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c, _, err := store.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{Search: "jd_cr_100000"}, models.NewPage(1, 1))
	if err != nil || len(c) != 1 {
		t.Fatalf("creator: %v", err)
	}
	h, err := store.WeekHistory(ctx, models.SystemActor(), c[0].ID, week, models.NewPage(1, 1))
	if err != nil || len(h.Revisions) != 1 || h.Revisions[0].Source != "cli:refunds-w.csv" || h.Current.RefundedGMVFen != 250 {
		t.Fatalf("history after the import: %+v %v", h, err)
	}
}
