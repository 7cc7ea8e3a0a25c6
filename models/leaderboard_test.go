package models_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// The leaderboard reads year totals kept by ingest; they must always equal the
// sum of the weekly rows, however rows are inserted, corrected or spread over years.
func TestYearTotalsFollowIngestAndRankWithMovement(t *testing.T) {
	t.Parallel()
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

// Many requests needing ranks at once (a dashboard under load) must share one
// ranking of every creator, not each run their own.
func TestConcurrentRankLookupsShareOneRanking(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.qualified(t, "jd_cr_once01")
	w.perf(t, lastWeek, a.AccountID, 1, 0, 10, 5_000)
	var queries atomic.Int64
	w.s.OnQuery(func() { queries.Add(1) })
	now := time.Now()
	if _, _, err := w.s.CreatorRank(ctx, a.ID, now); err != nil {
		t.Fatal(err)
	}
	oneRanking := queries.Load()
	w.perf(t, lastWeek, a.AccountID, 1, 0, 10, 6_000) // new standings: the next lookup ranks again
	queries.Store(0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, _, err := w.s.CreatorRank(ctx, a.ID, now); err != nil || r != 1 {
				t.Errorf("rank %d: %v", r, err)
			}
		}()
	}
	wg.Wait()
	if got := queries.Load(); got != oneRanking {
		t.Fatalf("8 concurrent lookups ran %d queries; one ranking takes %d", got, oneRanking)
	}
}

// Totals are memoised between writes; a decision must show in them at once.
func TestQueueTotalsAndPendingCountsFollowDecisionsAtOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.qualified(t, "jd_cr_tot001")
	b := w.qualified(t, "jd_cr_tot002")
	w.perf(t, lastWeek, a.AccountID, 1, 0, 0, 0)
	w.perf(t, lastWeek, b.AccountID, 1, 0, 0, 0)
	waiting := models.BonusFilter{Week: lastWeek.String(), State: models.BonusProposed}
	totals := func() (int64, int64) {
		t.Helper()
		_, tot, err := w.s.ListBonuses(ctx, w.rev1, waiting, models.NewPage(1, 50))
		p, err2 := w.s.PendingApprovals(ctx)
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		return tot.Count, p.Weekly.Count
	}
	if queue, pending := totals(); queue != 0 || pending != 0 {
		t.Fatalf("before compute: %d in the queue, %d pending", queue, pending)
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	if queue, pending := totals(); queue != 2 || pending != 2 {
		t.Fatalf("after compute: %d in the queue, %d pending", queue, pending)
	}
	if _, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{w.bonusOf(t, a.ID, lastWeek).ID}); err != nil {
		t.Fatal(err)
	}
	if queue, pending := totals(); queue != 1 || pending != 1 {
		t.Fatalf("after an approval: %d in the queue, %d pending", queue, pending)
	}
}
