package models_test

import (
	"slices"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
	"gorm.io/gorm"
)

// The demo has what the impact page needs (issue 19), read from its weekly
// rows and qualification dates (not from the aggregates): months of history
// with content growing, faster in some subject areas than others, and
// creators qualified long enough ago to compare the four weeks before
// qualifying with the four after — mostly up, a few down — beside creators
// too new to count and creators never qualified.
func TestDemoShowsTrendsAndUpliftAfterQualifying(t *testing.T) {
	t.Parallel()
	clocks := map[string]time.Time{
		"today": time.Now(),
		// Mid-month, when last month's agency bonuses hold on to the most of
		// its qualified creators, and with the history across a new year.
		"mid January": time.Date(2027, time.January, 14, 10, 0, 0, 0, models.CST),
	}
	for name, now := range clocks {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, raw := modeltest.NewStoreWithDB(t, models.WithClock(func() time.Time { return now }))
			if _, err := s.SeedDemo(ctx); err != nil {
				t.Fatal(err)
			}
			demoHasImpact(t, s, raw)
		})
	}
}

func demoHasImpact(t *testing.T, s *models.Store, raw *gorm.DB) {
	t.Helper()
	var creators []models.Creator
	if err := raw.Order("id").Find(&creators).Error; err != nil {
		t.Fatal(err)
	}
	var rows []models.WeeklyPerformance
	if err := raw.Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	reported := map[uint]map[models.WeekLabel]models.WeeklyPerformance{}
	var weeks []string
	for _, r := range rows {
		w, err := models.ParseWeek(r.Week)
		if err != nil {
			t.Fatal(err)
		}
		if reported[r.CreatorID] == nil {
			reported[r.CreatorID] = map[models.WeekLabel]models.WeeklyPerformance{}
		}
		reported[r.CreatorID][w] = r
		if !slices.Contains(weeks, r.Week) {
			weeks = append(weeks, r.Week)
		}
	}
	slices.Sort(weeks) // labels such as 2026-W07 sort as weeks do
	if len(weeks) < 20 {
		t.Fatalf("the demo reports %d weeks, want at least 20: %v", len(weeks), weeks)
	}
	if start, err := s.ProgrammeStartWeek(ctx); err != nil || start.String() > weeks[0] {
		t.Errorf("programme starts %s (%v), after the demo's first week %s", start, err, weeks[0])
	}

	t.Run("uplift after qualifying", func(t *testing.T) {
		cutoff := models.WeekOf(s.Now())
		for range models.UpliftMinAge {
			cutoff = cutoff.Prev()
		}
		var counted, tooNew, never, falls int
		var before, after models.WeeklyPerformance // sums
		qualifyingWeeks := map[models.WeekLabel]bool{}
		for _, c := range creators {
			if c.QualifiedAt == nil {
				never++
				continue
			}
			q := models.WeekOf(*c.QualifiedAt)
			if q.Start().After(cutoff.Start()) {
				tooNew++
				continue
			}
			var b, a models.WeeklyPerformance
			nb, na := 0, 0
			w := q
			for range models.UpliftWindow {
				w = w.Prev()
				if r, ok := reported[c.ID][w]; ok {
					nb++
					b.Videos, b.LiveSessions, b.GMVFen = b.Videos+r.Videos, b.LiveSessions+r.LiveSessions, b.GMVFen+r.GMVFen
				}
			}
			w = q
			for range models.UpliftWindow {
				w = models.WeekOf(w.End())
				if r, ok := reported[c.ID][w]; ok {
					na++
					a.Videos, a.LiveSessions, a.GMVFen = a.Videos+r.Videos, a.LiveSessions+r.LiveSessions, a.GMVFen+r.GMVFen
				}
			}
			if nb < models.UpliftWindow || na < models.UpliftWindow {
				continue
			}
			counted++
			qualifyingWeeks[q] = true
			if a.Videos+a.LiveSessions < b.Videos+b.LiveSessions {
				falls++
			}
			before.Videos, before.LiveSessions, before.GMVFen = before.Videos+b.Videos, before.LiveSessions+b.LiveSessions, before.GMVFen+b.GMVFen
			after.Videos, after.LiveSessions, after.GMVFen = after.Videos+a.Videos, after.LiveSessions+a.LiveSessions, after.GMVFen+a.GMVFen
		}
		t.Logf("%d counted in %d weeks (%d fall), %d too new, %d never; before %+v after %+v", counted, len(qualifyingWeeks), falls, tooNew, never,
			[]int64{before.Videos, before.LiveSessions, before.GMVFen}, []int64{after.Videos, after.LiveSessions, after.GMVFen})
		if counted < 20 || len(qualifyingWeeks) < 4 {
			t.Errorf("%d creators qualified by %s with %d weeks reported either side, in %d different weeks; want at least 20 in 4",
				counted, cutoff, models.UpliftWindow, len(qualifyingWeeks))
		}
		// Averages per creator and week share their divisor, so the sums compare as the averages do.
		if after.Videos*2 < before.Videos*3 || after.LiveSessions <= before.LiveSessions || after.GMVFen <= before.GMVFen {
			t.Errorf("before qualifying %d videos, %d live sessions, GMV %d; after %d, %d, %d: want clearly more after",
				before.Videos, before.LiveSessions, before.GMVFen, after.Videos, after.LiveSessions, after.GMVFen)
		}
		if falls == 0 || falls*4 > counted {
			t.Errorf("%d of %d counted creators post less after qualifying; want a few", falls, counted)
		}
		if tooNew < 5 || never < 5 {
			t.Errorf("%d creators qualified too recently to count, %d never qualified; want some of each", tooNew, never)
		}
	})

	t.Run("content grows, by subject area at different paces", func(t *testing.T) {
		first, last := weeks[:4], weeks[len(weeks)-4:]
		content := func(in []string, subject uint) (n int64) {
			area := map[uint]uint{}
			for _, c := range creators {
				area[c.ID] = c.PrimarySubjectID
			}
			for _, r := range rows {
				if slices.Contains(in, r.Week) && (subject == 0 || area[r.CreatorID] == subject) {
					n += r.Videos + r.LiveSessions
				}
			}
			return n
		}
		if early, late := content(first, 0), content(last, 0); late*2 < early*3 {
			t.Errorf("videos and live sessions: %d in %v, %d in %v; want the programme to grow them", early, first, late, last)
		}
		creatorsIn := map[uint]int{}
		for _, c := range creators {
			creatorsIn[c.PrimarySubjectID]++
		}
		var growth []float64 // late over early, per subject area with a few creators
		for subject, n := range creatorsIn {
			if early := content(first, subject); n >= 8 && early > 0 {
				growth = append(growth, float64(content(last, subject))/float64(early))
			}
		}
		t.Logf("content %d → %d; growth by subject area %.2f", content(first, 0), content(last, 0), growth)
		if len(growth) < 2 || slices.Max(growth) < 2*slices.Min(growth) {
			t.Errorf("content growth by subject area %v; want areas that grow at clearly different paces", growth)
		}
	})
}
