package models_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// Two servers on one database share each key's budget: requests taken in
// turns (and at once) stop at the burst, refill at the rate, and another
// key keeps its own budget.
func TestAPIRateLimitIsSharedAcrossServers(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	dsn := modeltest.DatabaseURL(t)
	servers := []*models.Store{modeltest.Open(t, dsn, models.WithClock(clk.now)), modeltest.Open(t, dsn, models.WithClock(clk.now))}
	limit := models.RateLimit{PerSecond: 5, Burst: 20}
	allowed := func(key string, n int) (got int) {
		for i := range n {
			ok, err := servers[i%2].AllowAPIRequest(ctx, key, limit)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				got++
			}
		}
		return got
	}
	if got := allowed("feed", 3*limit.Burst); got != limit.Burst {
		t.Fatalf("in turns on two servers %d requests allowed, want the burst %d", got, limit.Burst)
	}
	clk.add(time.Second)
	if got := allowed("feed", 3*limit.Burst); got != limit.PerSecond {
		t.Fatalf("a second later %d allowed, want %d", got, limit.PerSecond)
	}
	if got := allowed("other feed", 1); got != 1 {
		t.Fatal("another key was held back by the first one's budget")
	}
	// At once from both servers: never more than the burst.
	clk.add(time.Hour)
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for range 10 {
				ok, err := servers[w%2].AllowAPIRequest(ctx, "burst", limit)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					total++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if total != limit.Burst {
		t.Fatalf("80 concurrent requests on two servers: %d allowed, want %d", total, limit.Burst)
	}
	// Full buckets are forgotten; a forgotten key starts with a full burst.
	clk.add(time.Hour)
	if err := servers[0].PruneAPIRateLimits(ctx); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := modeltest.OpenRaw(t, dsn).Model(&models.APIRateLimit{}).Order("key").Pluck("key", &keys).Error; err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(keys) != "[]" {
		t.Fatalf("after an hour's quiet the prune kept %v", keys)
	}
	if got := allowed("feed", 3*limit.Burst); got != limit.Burst {
		t.Fatalf("after the prune %d allowed, want %d", got, limit.Burst)
	}
}

// BenchmarkAllowAPIRequest is the cost the shared limit adds to an API request: one upsert.
func BenchmarkAllowAPIRequest(b *testing.B) {
	s := modeltest.NewStore(b)
	limit := models.RateLimit{PerSecond: 1_000_000, Burst: 1_000_000}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.AllowAPIRequest(ctx, fmt.Sprint("token ", i%50), limit); err != nil {
			b.Fatal(err)
		}
	}
}
