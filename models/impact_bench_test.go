package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// BenchmarkImpactAndLeague reads the impact figures at programme scale, each
// time uncached (the memo forgotten): the whole programme, one subject area,
// one agency (its subject areas from its own rows) and the league's first
// page, over the last half year.
func BenchmarkImpactAndLeague(b *testing.B) {
	s, rev, _ := scaleStore(b)
	last := models.WeekOf(time.Now()).Prev()
	from := last
	for range 25 {
		from = from.Prev()
	}
	f := models.ImpactFilter{From: from.String(), To: last.String()}
	var agency models.AgencyLeagueRow
	if rows, _, err := s.AgencyLeague(ctx, rev, f, "net_gmv", true, models.NewPage(1, 1)); err != nil || len(rows) != 1 || rows[0].Creators == 0 {
		b.Fatalf("%+v %v", rows, err)
	} else {
		agency = rows[0]
	}
	reads := []struct {
		name string
		read func() error
	}{
		{"programme", func() error { _, err := s.Impact(ctx, rev, f); return err }},
		{"subject", func() error { g := f; g.SubjectID = 3; _, err := s.Impact(ctx, rev, g); return err }},
		{"agency", func() error { g := f; g.AgencyID = agency.AgencyID; _, err := s.Impact(ctx, rev, g); return err }},
		{"league", func() error {
			_, _, err := s.AgencyLeague(ctx, rev, f, "growth", true, models.NewPage(1, 50))
			return err
		}},
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
