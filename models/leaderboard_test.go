package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// The leaderboard reads year totals kept by ingest; they must always equal the
// sum of the weekly rows, however rows are inserted, corrected or spread over years.
func TestYearTotalsFollowIngestAndRankWithMovement(t *testing.T) {
	w := newWorld(t)
	a := w.qualified(t, "jd_cr_year01")
	b := w.qualified(t, "jd_cr_year02")
	c := w.qualified(t, "jd_cr_year03")
	before := lastWeek.Prev()
	lastYear := models.WeekOf(time.Date(lastWeek.Year-1, 6, 1, 12, 0, 0, 0, models.CST))
	w.perf(t, before, a.AccountID, 1, 0, 100, 9_000)
	w.perf(t, before, b.AccountID, 1, 0, 100, 5_000)
	w.perf(t, lastWeek, b.AccountID, 1, 0, 100, 6_000) // b overtakes a last week
	w.perf(t, lastWeek, c.AccountID, 1, 0, 500, 100)   // c is new
	w.perf(t, lastYear, c.AccountID, 1, 0, 1, 99_000)  // another year does not count
	w.perf(t, before, a.AccountID, 1, 0, 200, 8_000)   // a correction replaces, not adds
	d := w.qualified(t, "jd_cr_year04")
	w.perf(t, lastWeek, d.AccountID, 1, 0, 0, 0) // a week of zeros still ranks, last

	var mismatched int64
	w.raw.Raw(`SELECT COUNT(*) FROM creator_year_totals t WHERE t.gmv_fen <> (SELECT SUM(gmv_fen) FROM weekly_performances p
		WHERE p.creator_id = t.creator_id AND CAST(SUBSTR(p.week, 1, 4) AS INTEGER) = t.year)
		OR t.views <> (SELECT SUM(views) FROM weekly_performances p WHERE p.creator_id = t.creator_id AND CAST(SUBSTR(p.week, 1, 4) AS INTEGER) = t.year)
		OR t.weeks <> (SELECT COUNT(*) FROM weekly_performances p WHERE p.creator_id = t.creator_id AND CAST(SUBSTR(p.week, 1, 4) AS INTEGER) = t.year)`).Scan(&mismatched)
	var totals int64
	w.raw.Model(&models.CreatorYearTotal{}).Count(&totals)
	if mismatched != 0 || totals != 5 {
		t.Fatalf("%d of %d year totals differ from the weekly rows", mismatched, totals)
	}

	rows, err := w.s.Leaderboard(ctx, w.rev1, lastWeek.Year, 0, 10, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	type place struct {
		id       uint
		gmv      int64
		movement int
		new      bool
	}
	want := []place{{b.ID, 11_000, 1, false}, {a.ID, 8_000, -1, false}, {c.ID, 100, 0, true}, {d.ID, 0, 0, true}}
	if len(rows) != len(want) {
		t.Fatalf("%d ranked, want %d: %+v", len(rows), len(want), rows)
	}
	for i, p := range want {
		r := rows[i]
		if r.CreatorID != p.id || r.GMVFen != p.gmv || r.Movement != p.movement || r.New != p.new || r.Rank != i+1 {
			t.Errorf("place %d = %+v, want %+v", i+1, r, p)
		}
	}
}
