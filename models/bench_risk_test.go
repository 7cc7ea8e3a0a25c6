package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// BenchmarkComputeWeekRiskFlags recomputes last week for every creator after
// a rule change, with nine weeks of performance so the spike detector reads
// eight weeks of history: without detectors ("before") and with every risk
// detector and the flags stored ("after"). Target: within 5 s for 100,000 creators.
func BenchmarkComputeWeekRiskFlags(b *testing.B) {
	s := modeltest.NewStore(b)
	start := time.Now()
	if err := s.SeedScale(ctx, models.ScaleOptions{Creators: benchCreators(), Agencies: 2000, Weeks: 9}, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded in %.1fs", time.Since(start).Seconds())
	u, err := s.Authenticate(ctx, "reviewer1@scale.test", models.DemoPassword, "")
	if err != nil {
		b.Fatal(err)
	}
	rev := models.ActorFor(u, "")
	week := models.WeekOf(time.Now()).Prev().String()
	bump := int64(0)
	run := func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			bump++
			rule := models.DefaultBonusRule
			rule.PerVideoFen += bump // every creator with a video gets another amount
			if _, err := s.SaveBonusRule(ctx, models.SystemActor(), rule); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := s.ComputeWeek(ctx, rev, week)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Eligible), "proposals")
			b.ReportMetric(float64(res.Flagged), "flagged")
		}
	}
	b.Run("before", func(b *testing.B) {
		restore := models.WithoutRiskDetectors()
		defer restore()
		run(b)
	})
	b.Run("after", run)
}
