package models_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// benchCreators sizes the benchmark programme: BENCH_CREATORS, default 100,000.
func benchCreators() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_CREATORS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// scaleStore is a programme with two weeks of performance for every creator,
// the older week partly approved and last week computed.
func scaleStore(b *testing.B) (*models.Store, *models.Actor, *models.Actor) {
	b.Helper()
	s := modeltest.NewStore(b)
	if err := s.SeedScale(ctx, models.ScaleOptions{Creators: benchCreators(), Agencies: 2000, Weeks: 2}, time.Now()); err != nil {
		b.Fatal(err)
	}
	login := func(email string) *models.Actor {
		u, err := s.Authenticate(ctx, email, models.DemoPassword, "")
		if err != nil {
			b.Fatal(err)
		}
		return models.ActorFor(u, "")
	}
	return s, login("reviewer1@scale.test"), login("reviewer2@scale.test")
}

// BenchmarkComputeWeek recomputes a week of proposals for every creator after
// a rule change, so every proposal is rewritten (the seed times a first
// compute), without pacing: as before issue 17.
func BenchmarkComputeWeek(b *testing.B) {
	s, rev, _ := scaleStore(b)
	if err := s.ClearPacingPlan(ctx); err != nil {
		b.Fatal(err)
	}
	benchComputeWeek(b, s, rev)
}

// BenchmarkComputeWeekPaced is BenchmarkComputeWeek under the scale seed's
// year plan (issue 17): the week's budget is about ¥1bn ÷ 52, far below what
// its proposals add up to, so every one of them is paced pro rata.
func BenchmarkComputeWeekPaced(b *testing.B) {
	s, rev, _ := scaleStore(b)
	if p, err := s.PacingPlanNow(ctx); err != nil || !p.IsSet() {
		b.Fatalf("the scale seed sets no plan: %+v %v", p, err)
	}
	benchComputeWeek(b, s, rev)
}

func benchComputeWeek(b *testing.B, s *models.Store, rev *models.Actor) {
	week := models.WeekOf(time.Now()).Prev().String()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rule := models.DefaultBonusRule
		rule.PerVideoFen += int64(i + 1) // every creator with a video gets another amount
		if _, err := s.SaveBonusRule(ctx, models.SystemActor(), rule); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.ComputeWeek(ctx, rev, week)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Eligible), "proposals")
		if res.Paced {
			b.ReportMetric(float64(res.FactorPPM)/models.PPM, "factor")
		}
	}
}

// BenchmarkBulkApprove1000 approves 1,000 waiting bonuses in one call.
func BenchmarkBulkApprove1000(b *testing.B) {
	s, rev, _ := scaleStore(b)
	week := models.WeekOf(time.Now()).Prev().String()
	ids, err := s.BonusIDs(ctx, rev, models.BonusFilter{Week: week, State: models.BonusProposed}, 1000*(b.N+1))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		part := ids[(i*1000)%len(ids) : min((i*1000)%len(ids)+1000, len(ids))]
		rep, err := s.ApproveBonuses(ctx, rev, part)
		if err != nil || rep.Approved+rep.Awaiting == 0 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// BenchmarkImport100k ingests a week of performance for every creator in
// 5,000-row transactions, as `portal import performance` does.
func BenchmarkImport100k(b *testing.B) {
	s, _, _ := scaleStore(b)
	n := benchCreators()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		week := models.WeekOf(time.Now().AddDate(0, 0, -7*(3+i))).String()
		rows := make([]models.PerformanceInput, n)
		for j := range rows {
			rows[j] = models.PerformanceInput{AccountID: fmt.Sprintf("jd_sc_%07d", j+1), Week: week, Videos: "2", LiveSessions: "1",
				Views: strconv.Itoa(j * 7), Orders: "3", GMVFen: strconv.Itoa(j * 100)}
		}
		for from := 0; from < n; from += 5000 {
			if _, probs, err := s.IngestPerformance(ctx, models.SystemActor(), "bench", rows[from:min(from+5000, n)]); err != nil || len(probs) > 0 {
				b.Fatalf("%v %v", err, probs)
			}
		}
	}
	b.ReportMetric(float64(n), "rows")
}
