package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// BenchmarkUpliftAndMedian reads the uplift at programme scale (the scale
// seed's qualified creators spread over half a year of qualifying weeks)
// programme-wide and for one agency, each after a write (memo forgotten), and
// one creator's weeks against their subject area's medians (from the medians
// table; cold_ms is the first read, which computes the weeks).
func BenchmarkUpliftAndMedian(b *testing.B) {
	s, rev, _ := scaleStore(b)
	f := models.ImpactFilter{From: models.WeekOf(time.Now().AddDate(-1, 0, 0)).String()}
	for _, bc := range []struct {
		name   string
		filter models.ImpactFilter
	}{{"programme", f}, {"one agency", models.ImpactFilter{From: f.From, AgencyID: 1}}} {
		b.Run("uplift "+bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s.ForgetCaches()
				b.StartTimer()
				rep, err := s.Uplift(ctx, rev, bc.filter)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(rep.Overall.Creators+rep.TooNew), "creators")
			}
		})
	}
	b.Run("creator against subject", func(b *testing.B) {
		start := time.Now()
		if _, err := s.CreatorAgainstSubject(ctx, rev, 1, 12); err != nil {
			b.Fatal(err)
		}
		cold := time.Since(start)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			rows, err := s.CreatorAgainstSubject(ctx, rev, 1, 12)
			if err != nil || len(rows) != 12 {
				b.Fatal(len(rows), err)
			}
		}
		b.ReportMetric(float64(cold.Microseconds())/1000, "cold_ms")
	})
}
