package models_test

import (
	"os"
	"testing"

	"github.com/jd/creator-portal/models"
)

// BenchmarkImpactOnSeededProgramme reads every impact figure uncached (the
// memo forgotten before each read) from a database already seeded with
// `portal seed --scale` (BENCH_DB: its path or postgres:// URL, opened read
// only; a year of weeks, 100k creators, 2,000 agencies): what the first
// request after a change costs. Skipped without BENCH_DB (make bench sets it).
func BenchmarkImpactOnSeededProgramme(b *testing.B) {
	url := os.Getenv("BENCH_DB")
	if url == "" {
		b.Skip("set BENCH_DB to a database seeded with portal seed --scale")
	}
	s, err := models.Open(ctx, url, models.ReadOnly(), models.WithAuditKey(make([]byte, 32)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	staff := &models.Actor{UserID: 1, Role: models.RoleReviewer}
	half := models.ImpactFilter{} // the default: the last 26 weeks
	year := models.ImpactFilter{From: models.WeekOf(s.Now().AddDate(0, 0, -7*52)).String()}
	const agencyID, creatorID = 1, 1
	reads := []struct {
		name string
		read func() error
	}{
		{"impact programme, 26 weeks", func() error { _, err := s.Impact(ctx, staff, half); return err }},
		{"impact programme, 52 weeks", func() error { _, err := s.Impact(ctx, staff, year); return err }},
		{"impact one subject, 52 weeks", func() error { g := year; g.SubjectID = 3; _, err := s.Impact(ctx, staff, g); return err }},
		{"impact one agency, 52 weeks", func() error { g := year; g.AgencyID = agencyID; _, err := s.Impact(ctx, staff, g); return err }},
		{"impact one agency and subject, 52 weeks", func() error {
			g := year
			g.AgencyID, g.SubjectID = agencyID, 3
			_, err := s.Impact(ctx, staff, g)
			return err
		}},
		{"league, 26 weeks", func() error {
			_, _, err := s.AgencyLeague(ctx, staff, half, "growth", true, models.NewPage(1, 50))
			return err
		}},
		{"league, 52 weeks", func() error {
			_, _, err := s.AgencyLeague(ctx, staff, year, "net_gmv", true, models.NewPage(1, 50))
			return err
		}},
		{"one agency's line and growth rank", func() error { g := half; g.AgencyID = agencyID; _, _, err := s.AgencyImpact(ctx, staff, g); return err }},
		{"uplift programme", func() error { _, err := s.Uplift(ctx, staff, year); return err }},
		{"uplift one agency", func() error { g := year; g.AgencyID = agencyID; _, err := s.Uplift(ctx, staff, g); return err }},
		{"creator against subject median, 8 weeks", func() error { _, err := s.CreatorAgainstSubject(ctx, staff, creatorID, 8); return err }},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s.ForgetCaches()
				if err := r.read(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
