package models_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// A creator's week says "not computed yet" only when it has ended, the rule
// would look at the creator, and nobody's bonus for it has been computed.
func TestNotComputedWeeks(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, models.CST) // Tuesday of 2026-W49
	before := time.Date(2026, 6, 1, 0, 0, 0, 0, models.CST)
	after := time.Date(2026, 11, 30, 9, 0, 0, 0, models.CST) // Monday of 2026-W49
	posted := models.WeeklyPerformance{Week: "2026-W48", Videos: 2}
	cases := map[string]struct {
		state     models.CreatorState
		qualified *time.Time
		perf      models.WeeklyPerformance
		computed  map[string]bool
		want      bool
	}{
		"ended, qualified, never computed":      {models.StateQualified, &before, posted, nil, true},
		"computed, no bonus for this creator":   {models.StateQualified, &before, posted, map[string]bool{"2026-W48": true}, false},
		"another week computed":                 {models.StateQualified, &before, posted, map[string]bool{"2026-W47": true}, true},
		"week still running":                    {models.StateQualified, &before, models.WeeklyPerformance{Week: "2026-W49", Videos: 2}, nil, false},
		"qualified only after the week had run": {models.StateQualified, &after, posted, nil, false},
		"not qualified":                         {models.StatePending, nil, posted, nil, false},
		"suspended since":                       {models.StateSuspended, &before, posted, nil, false},
		"nothing posted":                        {models.StateQualified, &before, models.WeeklyPerformance{Week: "2026-W48", Views: 9}, nil, false},
		"malformed week":                        {models.StateQualified, &before, models.WeeklyPerformance{Week: "2026-48", Videos: 1}, nil, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := models.Creator{State: tc.state, QualifiedAt: tc.qualified}
			if got := models.NotComputed(c, tc.perf, tc.computed, now); got != tc.want {
				t.Errorf("not computed = %v, want %v", got, tc.want)
			}
		})
	}
}

// Staff see the programme's ended weeks with performance but no computation:
// the newest few and how many in all; computing a week takes it off the list.
func TestUncomputedWeeksForStaff(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_uncomp1")
	weeks := []models.WeekLabel{lastWeek, lastWeek.Prev(), lastWeek.Prev().Prev(), lastWeek.Prev().Prev().Prev()}
	for _, wk := range weeks {
		w.perf(t, wk, c.AccountID, 1, 0, 10, 1_000)
	}
	w.perf(t, models.WeekOf(time.Now()), c.AccountID, 1, 0, 10, 1_000) // the running week is not "ended"
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.Prev().String()); err != nil {
		t.Fatal(err)
	}
	got, err := w.s.UncomputedWeeks(ctx, w.rev1, time.Now(), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []models.WeekLabel{lastWeek, weeks[2]}
	if got.Total != 3 || len(got.Weeks) != 2 || got.Weeks[0] != want[0] || got.Weeks[1] != want[1] {
		t.Fatalf("uncomputed %+v, want the newest two of 3: %v", got, want)
	}
	if _, err := w.s.UncomputedWeeks(ctx, w.mcnA, time.Now(), 2); err != models.ErrForbidden {
		t.Fatalf("a manager reads the staff list: %v", err)
	}
	// Once the programme's period starts two weeks ago, the history before it
	// is no longer listed: those weeks cannot be computed.
	plan := models.YearPlanFrom(lastWeek.Prev(), models.PolicyProRata)
	if err := w.s.SetPacingPlan(ctx, models.SystemActor(), plan); err != nil {
		t.Fatal(err)
	}
	if got, err := w.s.UncomputedWeeks(ctx, w.rev1, time.Now(), 5); err != nil || got.Total != 1 || got.Weeks[0] != lastWeek {
		t.Fatalf("uncomputed within the period %+v %v, want only %s", got, err, lastWeek)
	}
	// The creator's own weeks agree.
	cw, err := w.s.CreatorWeeks(ctx, w.rev1, c.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	notComputed := map[string]bool{}
	for _, x := range cw {
		if x.NotComputed {
			notComputed[x.Week.Week] = true
		}
	}
	if len(notComputed) != 3 || notComputed[lastWeek.Prev().String()] || !notComputed[lastWeek.String()] {
		t.Fatalf("creator's weeks not computed: %v", notComputed)
	}
}

// One rank everywhere: the top-100 notification carries the same Standing as
// the creator's page, for every creator on the list.
func TestCreatorStandingIsTheRankTheNotificationShows(t *testing.T) {
	t.Parallel()
	type perf struct {
		account string
		gmv     int64
		views   int64
	}
	cases := map[string]struct {
		perfs []perf
		want  map[string]int // account -> rank
	}{
		"by GMV":                       {[]perf{{"jd_cr_rk_a", 1_000, 10}, {"jd_cr_rk_b", 9_000, 1}, {"jd_cr_rk_c", 5_000, 99}}, map[string]int{"jd_cr_rk_b": 1, "jd_cr_rk_c": 2, "jd_cr_rk_a": 3}},
		"views break GMV ties":         {[]perf{{"jd_cr_rk_a", 5_000, 10}, {"jd_cr_rk_b", 5_000, 20}}, map[string]int{"jd_cr_rk_b": 1, "jd_cr_rk_a": 2}},
		"the lower id breaks the rest": {[]perf{{"jd_cr_rk_a", 5_000, 10}, {"jd_cr_rk_b", 5_000, 10}}, map[string]int{"jd_cr_rk_a": 1, "jd_cr_rk_b": 2}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			ids := map[string]uint{}
			for _, p := range tc.perfs {
				c := w.qualified(t, p.account)
				ids[p.account] = c.ID
				if _, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: p.account + "@t.test", Password: "long-enough-password",
					Role: models.RoleCreator, CreatorID: &c.ID}); err != nil {
					t.Fatal(err)
				}
				w.perf(t, lastWeek, p.account, 1, 0, p.views, p.gmv)
			}
			now := time.Now()
			if _, err := w.s.PublishTopList(ctx, w.rev1, lastWeek.Year, now); err != nil {
				t.Fatal(err)
			}
			for account, rank := range tc.want {
				st, err := w.s.CreatorStanding(ctx, ids[account], now)
				if err != nil {
					t.Fatal(err)
				}
				if st.Rank != rank || st.Of != len(tc.perfs) || st.Year != lastWeek.Year || st.Through != lastWeek {
					t.Errorf("%s standing %+v, want rank %d of %d through %s", account, st, rank, len(tc.perfs), lastWeek)
				}
				var n models.Notification
				if err := w.raw.Joins("JOIN users u ON u.id = notifications.user_id").Where("u.creator_id = ? AND notifications.kind = ?",
					ids[account], models.NotifyTopCreatorRanked).First(&n).Error; err != nil {
					t.Fatal(err)
				}
				var args struct{ Rank, Of, Year int }
				if err := json.Unmarshal([]byte(n.Args), &args); err != nil {
					t.Fatal(err)
				}
				if args.Rank != st.Rank || args.Of != st.Of || args.Year != st.Year {
					t.Errorf("%s: the notification says %+v, the page %+v", account, args, st)
				}
			}
			// The published line names its creator.
			list, err := w.s.PublishedTopList(ctx, lastWeek.Year)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range list {
				if e.CreatorID == nil || e.Rank != tc.want[accountOf(ids, *e.CreatorID)] {
					t.Errorf("published line %+v", e)
				}
			}
		})
	}
}

func accountOf(ids map[string]uint, id uint) string {
	for a, x := range ids {
		if x == id {
			return a
		}
	}
	return ""
}
