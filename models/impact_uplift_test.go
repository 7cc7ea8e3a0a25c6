package models_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// upliftClock is a test clock that a test moves to qualify creators in the past.
type upliftClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *upliftClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *upliftClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.at = t }

// upliftWorld is newWorld on a store whose clock the test holds.
func upliftWorld(t *testing.T, clk *upliftClock) *world {
	t.Helper()
	return newWorld(t, models.WithClock(clk.now))
}

// enrolInSubject enrols a creator with one primary subject area (by code).
func (w *world) enrolInSubject(t *testing.T, mgr *models.Actor, account, subject string) *models.Creator {
	t.Helper()
	e := enrolment(account)
	e.Subjects = []string{subject}
	res, err := w.s.EnrolCreator(ctx, mgr, nil, e)
	if err != nil {
		t.Fatalf("enrol %s: %v", account, err)
	}
	return res.Creator
}

// qualifyInWeek qualifies a creator with the clock in week (Wednesday), then puts the clock back.
func (w *world) qualifyInWeek(t *testing.T, clk *upliftClock, c *models.Creator, week models.WeekLabel) {
	t.Helper()
	back := clk.now()
	clk.set(week.Start().Add(50 * time.Hour))
	defer clk.set(back)
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
}

// upliftRow is a performance row for ingest: videos, live sessions, GMV and refunded GMV (fen).
type upliftRow struct {
	w                         models.WeekLabel
	videos, live, gmv, refund int64
}

func (w *world) ingestUplift(t *testing.T, account string, rows ...upliftRow) {
	t.Helper()
	f := func(n int64) string { return strconv.FormatInt(n, 10) }
	in := make([]models.PerformanceInput, len(rows))
	for i, r := range rows {
		in[i] = models.PerformanceInput{AccountID: account, Week: r.w.String(), Videos: f(r.videos), LiveSessions: f(r.live), Views: "10",
			Orders: "1", GMVFen: f(r.gmv), RefundedOrders: f(min(r.refund, 1)), RefundedGMVFen: f(r.refund)}
	}
	if _, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", in); err != nil || len(probs) > 0 {
		t.Fatalf("ingest %s: %v %v", account, err, probs)
	}
}

func upliftWeeksFrom(w models.WeekLabel, n int) models.WeekLabel {
	return models.WeekOf(w.Start().AddDate(0, 0, 7*n))
}

func upliftCreatorActor(t *testing.T, w *world, c *models.Creator) *models.Actor {
	t.Helper()
	u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: c.AccountID + "@t.test", Password: "long-enough-password",
		Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	return models.ActorFor(u, "")
}

// upliftProgramme is a hand-computed small programme (current week C):
//   - one (agency A, electronics) qualified in C-10; before: C-14 (2 videos, 1 live, ¥10) and
//     C-11 (4, 0, ¥30); C-10 itself (100 videos) is left out, as are C-15 and C-5;
//     after: C-9 first reported (1, 0, ¥20) then re-reported (5, 2, ¥100), C-6 (3, 1, ¥60
//     less ¥10 refunded). Its primary subject area changes to household afterwards: it stays
//     in electronics. Sums: before 6, 1, ¥40; after 8, 3, ¥150.
//   - two (agency A, fashion) qualified in C-12, then transferred to agency B: before C-14
//     (1, 1, ¥5); after C-10 (6, 0, ¥80) and C-9 (9, 9, ¥90), which is distrusted.
//     Sums: before 1, 1, ¥5; after 6, 0, ¥80. It stays with agency A.
//   - three (agency B, electronics) qualified in C-5: too new.
//   - four (agency A, electronics) never qualified.
type upliftProgramme struct {
	w                     *world
	clk                   *upliftClock
	one, two, three, four *models.Creator
	cutoff, from          models.WeekLabel
	electronics, fashion  uint
}

func newUpliftProgramme(t *testing.T) *upliftProgramme {
	t.Helper()
	clk := &upliftClock{at: time.Now()}
	w := upliftWorld(t, clk)
	p := &upliftProgramme{w: w, clk: clk}
	cur := models.WeekOf(clk.now())
	c := func(n int) models.WeekLabel { return upliftWeeksFrom(cur, -n) }
	p.cutoff, p.from = c(8), c(20)
	p.one = w.enrolInSubject(t, w.mcnA, "jd_up_one", "electronics")
	p.two = w.enrolInSubject(t, w.mcnA, "jd_up_two", "fashion")
	p.three = w.enrolInSubject(t, w.mcnB, "jd_up_three", "electronics")
	p.four = w.enrolInSubject(t, w.mcnA, "jd_up_four", "electronics")
	p.electronics, p.fashion = p.one.PrimarySubjectID, p.two.PrimarySubjectID

	// Some weeks arrive before qualifying, the rest after.
	w.ingestUplift(t, "jd_up_one", upliftRow{c(15), 70, 70, 70_000, 0}, upliftRow{c(14), 2, 1, 1_000, 0}, upliftRow{c(9), 1, 0, 2_000, 0})
	w.qualifyInWeek(t, clk, p.one, c(10))
	w.ingestUplift(t, "jd_up_one", upliftRow{c(11), 4, 0, 3_000, 0}, upliftRow{c(10), 100, 0, 100_000, 0}, upliftRow{c(6), 3, 1, 6_000, 1_000}, upliftRow{c(5), 50, 0, 50_000, 0})
	w.ingestUplift(t, "jd_up_one", upliftRow{c(9), 5, 2, 10_000, 0}) // re-reported: moves by the difference
	if err := w.raw.Exec("UPDATE creators SET primary_subject_id = ? WHERE id = ?", p.one.PrimarySubjectID+1, p.one.ID).Error; err != nil {
		t.Fatal(err)
	}

	w.qualifyInWeek(t, clk, p.two, c(12))
	w.ingestUplift(t, "jd_up_two", upliftRow{c(14), 1, 1, 500, 0}, upliftRow{c(10), 6, 0, 8_000, 0}, upliftRow{c(9), 9, 9, 9_000, 0})
	if err := w.s.SetWeekTrust(ctx, p.two.ID, c(9).String(), false); err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Exec("UPDATE creators SET agency_id = ? WHERE id = ?", w.agenB.ID, p.two.ID).Error; err != nil {
		t.Fatal(err)
	}

	w.qualifyInWeek(t, clk, p.three, c(5))
	w.ingestUplift(t, "jd_up_three", upliftRow{c(7), 3, 3, 3_000, 0}, upliftRow{c(3), 9, 9, 9_000, 0})
	w.ingestUplift(t, "jd_up_four", upliftRow{c(14), 1, 1, 1_000, 0}, upliftRow{c(6), 7, 7, 7_000, 0})
	w.s.ForgetCaches()
	return p
}

func TestUpliftHandComputed(t *testing.T) {
	t.Parallel()
	p := newUpliftProgramme(t)
	w := p.w
	one := models.UpliftFigures{Creators: 1, BeforeVideos: 6, BeforeLiveSessions: 1, BeforeGMVFen: 4_000, AfterVideos: 8, AfterLiveSessions: 3, AfterGMVFen: 15_000}
	two := models.UpliftFigures{Creators: 1, BeforeVideos: 1, BeforeLiveSessions: 1, BeforeGMVFen: 500, AfterVideos: 6, AfterGMVFen: 8_000}
	both := models.UpliftFigures{Creators: 2, BeforeVideos: 7, BeforeLiveSessions: 2, BeforeGMVFen: 4_500, AfterVideos: 14, AfterLiveSessions: 3, AfterGMVFen: 23_000}
	none := models.UpliftFigures{}
	type row = models.UpliftRow
	cases := []struct {
		name     string
		actor    *models.Actor
		filter   models.ImpactFilter
		overall  models.UpliftFigures
		tooNew   int64
		subjects []row
		agencies []row
	}{
		{"staff, programme-wide", w.rev1, models.ImpactFilter{}, both, 1,
			[]row{{ID: p.electronics, Code: "electronics", UpliftFigures: one}, {ID: p.fashion, Code: "fashion", UpliftFigures: two}},
			[]row{{ID: w.agencyA.ID, Name: "Agency A", UpliftFigures: both}}},
		{"staff, one subject area", w.rev1, models.ImpactFilter{SubjectID: p.fashion}, two, 0,
			[]row{{ID: p.fashion, Code: "fashion", UpliftFigures: two}}, []row{{ID: w.agencyA.ID, Name: "Agency A", UpliftFigures: two}}},
		{"staff, electronics: the too new creator counted", w.rev1, models.ImpactFilter{SubjectID: p.electronics}, one, 1,
			[]row{{ID: p.electronics, Code: "electronics", UpliftFigures: one}}, []row{{ID: w.agencyA.ID, Name: "Agency A", UpliftFigures: one}}},
		{"staff, agency B filter", w.rev1, models.ImpactFilter{AgencyID: w.agenB.ID}, none, 1, nil, nil},
		{"manager of A: the transferred creator stays", w.mcnA, models.ImpactFilter{}, both, 0,
			[]row{{ID: p.electronics, Code: "electronics", UpliftFigures: one}, {ID: p.fashion, Code: "fashion", UpliftFigures: two}}, nil},
		{"manager of B", w.mcnB, models.ImpactFilter{}, none, 1, nil, nil},
		{"a range after the qualifications", w.rev1, models.ImpactFilter{From: upliftWeeksFrom(p.cutoff, -1).String()}, none, 1, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.filter
			if f.From == "" {
				f.From = p.from.String()
			}
			rep, err := w.s.Uplift(ctx, tc.actor, f)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Cutoff != p.cutoff.String() {
				t.Errorf("cutoff %s, want %s", rep.Cutoff, p.cutoff)
			}
			if rep.Overall != tc.overall || rep.TooNew != tc.tooNew {
				t.Errorf("overall %+v too new %d;\nwant    %+v too new %d", rep.Overall, rep.TooNew, tc.overall, tc.tooNew)
			}
			for i := range rep.BySubject {
				rep.BySubject[i].Name = "" // as stored; the code is what views translate
			}
			if !equalUpliftRows(rep.BySubject, tc.subjects) {
				t.Errorf("by subject %+v\nwant %+v", rep.BySubject, tc.subjects)
			}
			if !equalUpliftRows(rep.ByAgency, tc.agencies) {
				t.Errorf("by agency %+v\nwant %+v", rep.ByAgency, tc.agencies)
			}
		})
	}
	// Averages per creator and week: 7 videos over 2 creators × 4 weeks before, 14 after.
	rep, err := w.s.Uplift(ctx, w.rev1, models.ImpactFilter{From: p.from.String()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Overall.VideosBefore() != 0.875 || rep.Overall.VideosAfter() != 1.75 || rep.Overall.GMVAfter() != 2_875 {
		t.Errorf("averages %v → %v videos, GMV after %v", rep.Overall.VideosBefore(), rep.Overall.VideosAfter(), rep.Overall.GMVAfter())
	}
	// A rebuild from the base tables reproduces every table exactly.
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
	// Re-trusting the distrusted week brings it back.
	if err := w.s.SetWeekTrust(ctx, p.two.ID, upliftWeeksFrom(models.WeekOf(p.clk.now()), -9).String(), true); err != nil {
		t.Fatal(err)
	}
	rep, err = w.s.Uplift(ctx, w.rev1, models.ImpactFilter{From: p.from.String(), SubjectID: p.fashion})
	if err != nil || rep.Overall.AfterVideos != 15 || rep.Overall.AfterGMVFen != 17_000 {
		t.Errorf("re-trusted: %+v %v", rep.Overall, err)
	}
}

func equalUpliftRows(got, want []models.UpliftRow) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// Creators and other managers cannot read the uplift; a manager cannot ask for another agency.
func TestUpliftRefusesOthers(t *testing.T) {
	t.Parallel()
	p := newUpliftProgramme(t)
	if _, err := p.w.s.Uplift(ctx, upliftCreatorActor(t, p.w, p.one), models.ImpactFilter{}); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a creator: %v", err)
	}
	if _, err := p.w.s.Uplift(ctx, p.w.mcnB, models.ImpactFilter{AgencyID: p.w.agencyA.ID}); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a manager asking for another agency: %v", err)
	}
}
