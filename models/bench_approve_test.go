package models_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// BenchmarkConcurrentApprovals is 20 reviewers approving one bonus per request
// at once (issue 18: p99 ≤ 100 ms). On PostgreSQL it samples what the waiting
// transactions wait for, which tells whether the audit chain's advisory lock
// or the pool row limits approvals.
func BenchmarkConcurrentApprovals(b *testing.B) {
	s, rev, rev2 := scaleStore(b)
	week := models.WeekOf(time.Now()).Prev().String()
	const reviewers, perReviewer = 20, 50
	ids, err := s.BonusIDs(ctx, rev, models.BonusFilter{Week: week, State: models.BonusProposed}, reviewers*perReviewer*(b.N+1))
	if err != nil || len(ids) < reviewers*perReviewer {
		b.Fatalf("%d ids, %v", len(ids), err)
	}
	var waits sync.Map // wait event -> *atomic.Int64
	stopSampling := make(chan struct{})
	var sampled sync.WaitGroup
	if s.Driver() == "postgres" {
		db := modeltest.OpenRaw(b, modeltest.DatabaseURL(b))
		sampled.Go(func() {
			for {
				select {
				case <-stopSampling:
					return
				case <-time.After(time.Millisecond):
				}
				var events []string
				db.Raw(`SELECT COALESCE(wait_event_type, 'CPU') || '/' || COALESCE(wait_event, '-') FROM pg_stat_activity
					WHERE state = 'active' AND pid <> pg_backend_pid() AND datname = current_database()`).Scan(&events)
				for _, e := range events {
					n, _ := waits.LoadOrStore(e, new(atomic.Int64))
					n.(*atomic.Int64).Add(1)
				}
			}
		})
	}
	b.ResetTimer()
	var all []time.Duration
	var mu sync.Mutex
	start := time.Now()
	for i := 0; i < b.N; i++ {
		round := ids[i*reviewers*perReviewer%len(ids):]
		var wg sync.WaitGroup
		for r := range reviewers {
			who := rev
			if r%2 == 1 {
				who = rev2
			}
			wg.Go(func() {
				var mine []time.Duration
				for k := range perReviewer {
					id := round[r*perReviewer+k]
					t0 := time.Now()
					if _, err := s.ApproveBonuses(ctx, who, []uint{id}); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				all = append(all, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	close(stopSampling)
	sampled.Wait()
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "approvals/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	waits.Range(func(k, v any) bool {
		fmt.Printf("  waiting on %s: %d samples\n", k, v.(*atomic.Int64).Load())
		return true
	})
}
