package models_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// A creator's weeks against the median of their subject area's creators who
// reported each week: odd and even counts (the lower middle), a week the
// creator did not report, another subject area left out, and medians that
// follow a re-reported and a distrusted week.
func TestCreatorAgainstSubjectMedian(t *testing.T) {
	t.Parallel()
	clk := &upliftClock{at: time.Now()}
	w := upliftWorld(t, clk)
	last := models.WeekOf(clk.now()).Prev()
	before := last.Prev()
	a := w.enrolInSubject(t, w.mcnA, "jd_med_a", "electronics")
	w.enrolInSubject(t, w.mcnA, "jd_med_b", "electronics")
	c := w.enrolInSubject(t, w.mcnB, "jd_med_c", "electronics")
	d := w.enrolInSubject(t, w.mcnA, "jd_med_d", "electronics")
	w.enrolInSubject(t, w.mcnA, "jd_med_e", "fashion")
	w.ingestUplift(t, "jd_med_a", upliftRow{last, 1, 0, 100, 0}, upliftRow{before, 2, 1, 200, 0})
	w.ingestUplift(t, "jd_med_b", upliftRow{last, 5, 2, 900, 0})
	w.ingestUplift(t, "jd_med_c", upliftRow{last, 3, 1, 350, 50})
	w.ingestUplift(t, "jd_med_d", upliftRow{before, 6, 3, 600, 0})
	w.ingestUplift(t, "jd_med_e", upliftRow{last, 100, 100, 100_000, 0}, upliftRow{before, 100, 100, 100_000, 0})

	me := w.rev1 // staff see medians over any number of creators (see TestCreatorAgainstSubjectWithholdsFewCreators)
	got, err := w.s.CreatorAgainstSubject(ctx, me, d.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []models.CreatorWeekAgainstSubject{
		{Week: before.Prev().String()}, // nobody reported: no median
		{Week: before.String(), Reported: true, Videos: 6, LiveSessions: 3, GMVFen: 600, MedianVideos: 2, MedianLiveSessions: 1, MedianGMVFen: 200, SubjectCreators: 2},
		{Week: last.String(), MedianVideos: 3, MedianLiveSessions: 1, MedianGMVFen: 300, SubjectCreators: 3},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	// b re-reports last week with no videos: {0, 1, 3}; then c's week is distrusted: {0, 1}.
	w.ingestUplift(t, "jd_med_b", upliftRow{last, 0, 0, 0, 0})
	if got, err = w.s.CreatorAgainstSubject(ctx, me, d.ID, 1); err != nil || got[0].MedianVideos != 1 || got[0].MedianGMVFen != 100 || got[0].SubjectCreators != 3 {
		t.Errorf("after a re-report: %+v %v", got, err)
	}
	if err := w.s.SetWeekTrust(ctx, c.ID, last.String(), false); err != nil {
		t.Fatal(err)
	}
	if got, err = w.s.CreatorAgainstSubject(ctx, me, d.ID, 1); err != nil || got[0].MedianVideos != 0 || got[0].SubjectCreators != 2 {
		t.Errorf("after a distrust: %+v %v", got, err)
	}
	// The creator's own figures, as their agency's manager and staff see them.
	for _, who := range []*models.Actor{w.mcnA, w.rev1} {
		got, err := w.s.CreatorAgainstSubject(ctx, who, a.ID, 2)
		if err != nil || len(got) != 2 || !got[0].Reported || got[0].Videos != 2 || got[1].Videos != 1 || got[1].GMVFen != 100 {
			t.Errorf("%s: %+v %v", who.Email, got, err)
		}
	}
}

// A median over fewer than MedianMinCreators creators is another creator's
// own week: a creator and their manager see none (staff do), and they see the
// median again once enough creators reported the week.
func TestCreatorAgainstSubjectWithholdsFewCreators(t *testing.T) {
	t.Parallel()
	clk := &upliftClock{at: time.Now()}
	w := upliftWorld(t, clk)
	last := models.WeekOf(clk.now()).Prev()
	before := last.Prev()
	me := w.enrolInSubject(t, w.mcnA, "jd_few_me", "electronics")
	w.enrolInSubject(t, w.mcnB, "jd_few_other", "electronics")
	w.ingestUplift(t, "jd_few_me", upliftRow{before, 9, 9, 9_000, 0}, upliftRow{last, 9, 9, 9_000, 0})
	// Before: one other creator, whose whole week the "median" of two would be.
	w.ingestUplift(t, "jd_few_other", upliftRow{before, 2, 1, 234, 0}, upliftRow{last, 1, 1, 100, 0})
	for i := range models.MedianMinCreators - 2 {
		account := fmt.Sprintf("jd_few_%d", i)
		w.enrolInSubject(t, w.mcnB, account, "electronics")
		w.ingestUplift(t, account, upliftRow{last, int64(3 + i), 1, int64(300 + 100*i), 0})
	}
	for name, a := range map[string]*models.Actor{"creator": upliftCreatorActor(t, w, me), "manager": w.mcnA} {
		got, err := w.s.CreatorAgainstSubject(ctx, a, me.ID, 2)
		if err != nil || len(got) != 2 {
			t.Fatalf("%s: %+v %v", name, got, err)
		}
		if b := got[0]; !b.MedianWithheld || b.MedianVideos != 0 || b.MedianLiveSessions != 0 || b.MedianGMVFen != 0 || b.Videos != 9 || b.SubjectCreators != 2 {
			t.Errorf("%s sees a median over two creators (the other's own week): %+v", name, b)
		}
		// Last week: 5 creators {1, 3, 4, 5, 9} videos: the median shows.
		if l := got[1]; l.MedianWithheld || l.MedianVideos != 4 || l.SubjectCreators != int64(models.MedianMinCreators) {
			t.Errorf("%s: last week's median over %d creators %+v", name, models.MedianMinCreators, l)
		}
	}
	got, err := w.s.CreatorAgainstSubject(ctx, w.rev1, me.ID, 2)
	if err != nil || got[0].MedianWithheld || got[0].MedianVideos != 2 || got[0].MedianGMVFen != 234 {
		t.Errorf("staff: %+v %v", got, err)
	}
}

// Another agency's manager and another creator are refused, as for the
// creator's other pages.
func TestCreatorAgainstSubjectTenants(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.enrol(t, w.mcnA, "jd_med_t1")
	other := w.enrol(t, w.mcnA, "jd_med_t2")
	for name, a := range map[string]*models.Actor{"manager of another agency": w.mcnB, "another creator": upliftCreatorActor(t, w, other)} {
		if _, err := w.s.CreatorAgainstSubject(ctx, a, d.ID, 4); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := w.s.CreatorAgainstSubject(ctx, nil, d.ID, 4); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("nobody: %v", err)
	}
	if got, err := w.s.CreatorAgainstSubject(ctx, upliftCreatorActor(t, w, d), d.ID, 4); err != nil || len(got) != 4 {
		t.Errorf("the creator: %d weeks, %v", len(got), err)
	}
}

// Concurrent ingests (and a qualification among them) leave the uplift
// aggregates equal to a rebuild from the weekly rows.
func TestUpliftConcurrentIngests(t *testing.T) {
	t.Parallel()
	clk := &upliftClock{at: time.Now()}
	w := upliftWorld(t, clk)
	cur := models.WeekOf(clk.now())
	var accounts []string
	for i := range 6 {
		acc := fmt.Sprintf("jd_race_%d", i)
		c := w.enrolInSubject(t, w.mcnA, acc, []string{"electronics", "fashion"}[i%2])
		accounts = append(accounts, acc)
		if i < 5 {
			w.qualifyInWeek(t, clk, c, upliftWeeksFrom(cur, -10-i%3))
		}
	}
	late := w.enrolInSubject(t, w.mcnB, "jd_race_late", "fashion")
	accounts = append(accounts, late.AccountID)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 19))
			for range 5 {
				var in []models.PerformanceInput
				for _, acc := range accounts {
					for k := 1; k <= 16; k++ {
						n := fmt.Sprint(rng.IntN(9))
						in = append(in, models.PerformanceInput{AccountID: acc, Week: upliftWeeksFrom(cur, -k).String(), Videos: n, LiveSessions: n,
							Views: "1", Orders: "1", GMVFen: fmt.Sprint(rng.IntN(10_000))})
					}
				}
				if _, probs, err := w.s.IngestPerformance(ctx, w.admin, "race", in); err != nil || len(probs) > 0 {
					errs <- fmt.Errorf("ingest: %v %v", err, probs)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: late.ID, Action: models.ActionQualify}); err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	kept, err := w.s.UpliftTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.RebuildUplift(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt, err := w.s.UpliftTables(ctx); err != nil || rebuilt != kept {
		t.Errorf("rebuilt (%v):\n%s\nkept by the hooks:\n%s", err, rebuilt, kept)
	}
}
