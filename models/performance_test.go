package models_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

func TestIngestPerformanceIsAllOrNothingAndUpserts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_perf01")
	w.enrol(t, w.mcnA, "jd_cr_perf02")
	row := func(acct, week, videos, gmv string) models.PerformanceInput {
		return models.PerformanceInput{AccountID: acct, Week: week, Videos: videos, LiveSessions: "0", Views: "100", Orders: "2", GMVFen: gmv}
	}
	wk := lastWeek.String()
	next := models.WeekOf(time.Now()).Start().AddDate(0, 0, 7)
	bad := []models.PerformanceInput{
		row("jd_cr_perf01", wk, "1", "1000"),
		row("jd_cr_nobody", wk, "1", "1000"),
		row("jd_cr_perf02", wk, "-3", "1000"),
		row("jd_cr_perf02", models.WeekOf(next).String(), "1", "1000"),
		row("jd_cr_perf01", wk, "7", "1000"),
		row("jd_cr_perf02", "2026-W99", "1", "1"),
		row("jd_cr_perf02", wk, "1", "12.50"),
	}
	res, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", bad)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{1: "no enrolled creator", 2: "videos must be a whole number", 3: "has not started", 4: "repeats row 0", 5: "has no week 99", 6: "gmv_fen must be a whole number"}
	got := map[int]string{}
	for _, p := range probs {
		got[p.Row] += english(p.Msg)
	}
	for row, msg := range want {
		if !strings.Contains(got[row], msg) {
			t.Errorf("row %d: %q, want %q", row, got[row], msg)
		}
	}
	if res.Inserted != 0 {
		t.Fatal("a batch with errors wrote rows")
	}
	var n int64
	w.raw.Model(&models.WeeklyPerformance{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d rows stored after a refused batch", n)
	}
	good := []models.PerformanceInput{row("jd_cr_perf01", wk, "1", "1000"), row("jd_cr_perf02", wk, "2", "2000")}
	res, probs, err = w.s.IngestPerformance(ctx, w.admin, "test", good)
	if err != nil || len(probs) > 0 || res.Inserted != 2 || res.Updated != 0 {
		t.Fatalf("first ingest: %+v %v %v", res, probs, err)
	}
	good[1].GMVFen = "9999"
	res, _, _ = w.s.IngestPerformance(ctx, w.admin, "test", good)
	if res.Inserted != 0 || res.Updated != 2 {
		t.Fatalf("re-ingest: %+v", res)
	}
	w.raw.Model(&models.WeeklyPerformance{}).Count(&n)
	var gmv int64
	w.raw.Model(&models.WeeklyPerformance{}).Where("week = ?", wk).Select("SUM(gmv_fen)").Scan(&gmv)
	if n != 2 || gmv != 10_999 {
		t.Fatalf("%d rows, GMV %d after upsert", n, gmv)
	}
}

func TestPerformanceCSVImport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_perf01")
	wk := lastWeek.String()
	file := "account_id,week,videos,live_sessions,views,orders,gmv_fen\n" +
		"jd_cr_perf01," + wk + ",2,1,5000,10,300000\n" +
		"jd_cr_ghost1," + wk + ",2,1,5000,10,300000\n" +
		"jd_cr_perf01,2026-47,2,1,5000,10,300000\n"
	p, err := w.s.UploadPerformanceCSV(ctx, w.rev1, "perf.csv", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if p.OK != 1 || len(p.Problems) != 2 || p.Problems[0].Row != 3 || p.Problems[1].Row != 4 {
		t.Fatalf("preview %+v", p)
	}
	done, err := w.s.ConfirmPerformanceImport(ctx, w.rev1, p.ImportID)
	if err != nil || done.Result.Inserted != 1 {
		t.Fatalf("confirm %+v %v", done, err)
	}
	if _, err := w.s.UploadPerformanceCSV(ctx, w.mcnA, "perf.csv", []byte(file)); err == nil {
		t.Fatal("a manager uploaded performance")
	}
}
