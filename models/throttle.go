package models

import (
	"sync"
	"time"
)

// LoginThrottle refuses sign-in attempts from an address that failed too
// often recently. It lives in memory: a restart forgives, which is acceptable
// for slowing down guessing, and keeps failed attempts off the write path.
type LoginThrottle struct {
	MaxFailures int
	Window      time.Duration
	Lockout     time.Duration
	now         func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
	locked   map[string]time.Time
}

// NewLoginThrottle allows maxFailures failures per window, then refuses for lockout.
func NewLoginThrottle(maxFailures int, window, lockout time.Duration) *LoginThrottle {
	return &LoginThrottle{MaxFailures: maxFailures, Window: window, Lockout: lockout, now: time.Now,
		failures: map[string][]time.Time{}, locked: map[string]time.Time{}}
}

// Blocked reports whether key may not try now and for how long.
func (t *LoginThrottle) Blocked(key string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	until, ok := t.locked[key]
	if !ok {
		return false, 0
	}
	if left := until.Sub(t.now()); left > 0 {
		return true, left
	}
	delete(t.locked, key)
	return false, 0
}

// Fail records a failed attempt; it reports whether key is now locked out.
func (t *LoginThrottle) Fail(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	recent := t.failures[key][:0]
	for _, at := range t.failures[key] {
		if now.Sub(at) < t.Window {
			recent = append(recent, at)
		}
	}
	recent = append(recent, now)
	if len(recent) >= t.MaxFailures {
		t.locked[key] = now.Add(t.Lockout)
		delete(t.failures, key)
		return true
	}
	t.failures[key] = recent
	if len(t.failures) > 100_000 {
		t.failures = map[string][]time.Time{} // bound memory under a spray of addresses
	}
	return false
}

// Succeed forgets earlier failures of key.
func (t *LoginThrottle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, key)
}
