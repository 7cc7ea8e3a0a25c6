package web

import (
	"sync"

	"golang.org/x/time/rate"
)

// keyedLimiter gives each key (an API token) its own token bucket.
type keyedLimiter struct {
	mu      sync.Mutex
	perSec  rate.Limit
	burst   int
	buckets map[string]*rate.Limiter
}

func newKeyedLimiter(perSec float64, burst int) *keyedLimiter {
	return &keyedLimiter{perSec: rate.Limit(perSec), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// Allow reports whether key may make a request now.
func (k *keyedLimiter) Allow(key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	l, ok := k.buckets[key]
	if !ok {
		if len(k.buckets) > 10_000 {
			k.buckets = map[string]*rate.Limiter{} // bound memory; only live tokens get here anyway
		}
		l = rate.NewLimiter(k.perSec, k.burst)
		k.buckets[key] = l
	}
	return l.Allow()
}
