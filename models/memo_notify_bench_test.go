package models_test

import (
	"sync/atomic"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// BenchmarkCommitsAnnouncedToAnotherServer runs audited write transactions
// from 20 goroutines while a second server follows the changes, and reports
// how many NOTIFYs the writes cost (PostgreSQL: the sender coalesces bursts;
// SQLite announces nothing).
func BenchmarkCommitsAnnouncedToAnotherServer(b *testing.B) {
	s := modeltest.NewStore(b)
	if s.Driver() == "postgres" {
		serverB(b, s)
	}
	sys := models.SystemActor()
	var n atomic.Int64
	sent := s.MemoNotificationsSent()
	b.SetParallelism(10)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.SetPoolTotal(ctx, sys, models.PoolCreators, 100_000_000+n.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(s.MemoNotificationsSent()-sent)/float64(b.N), "notifies/op")
}
