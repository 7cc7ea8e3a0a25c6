package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// BenchmarkSharedContact runs the shared-contact detector over every
// creator of the scale programme (each with a phone, an email and an
// encrypted payee account, all decrypted per run), every creator proposed.
func BenchmarkSharedContact(b *testing.B) {
	s := modeltest.NewStore(b)
	// One week: the scale seed's paid older week is not needed here.
	if err := s.SeedScale(ctx, models.ScaleOptions{Creators: benchCreators(), Agencies: 2000, Weeks: 1}, time.Now()); err != nil {
		b.Fatal(err)
	}
	if err := s.SeedContactsForBench(ctx); err != nil {
		b.Fatal(err)
	}
	var ids []uint
	week := models.WeekOf(time.Now()).Prev()
	flags, err := s.DetectRiskForTest(ctx, models.RiskSharedContact, week, nil, models.DefaultRiskThresholds)
	if err != nil || len(flags) != 0 {
		b.Fatal(flags, err)
	}
	for i := 1; i <= benchCreators(); i++ {
		ids = append(ids, uint(i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		flags, err := s.DetectRiskForTest(ctx, models.RiskSharedContact, week, ids, models.DefaultRiskThresholds)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(flags)), "flagged")
	}
}
