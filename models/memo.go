package models

import (
	"sync"
	"time"
)

// memo keeps computed values (standings, counts and sums over many rows) so
// that pages read under load do not recompute them per request. Writes in
// this process that change what a memo holds start a new generation, so they
// show at once. Writes by another process (the command-line import, a second
// server) show within ttl: an older value is still served while one request
// refreshes it in the background. One computation runs per key at a time;
// requests that need it wait for it rather than each computing it again.
// Its ages use time.Now, not the store's clock: caching is no rule of the
// programme, and a test's fixed clock must not keep an entry forever.
type memo[K comparable, V any] struct {
	ttl      time.Duration
	max      int // entries kept at most; beyond it the memo starts afresh
	mu       sync.Mutex
	gen      uint64
	changed  time.Time // when it was last invalidated
	entries  map[memoKey[K]]memoEntry[V]
	inflight map[memoKey[K]]*memoCall[V]
}

type memoKey[K comparable] struct {
	key K
	gen uint64
}

type memoEntry[V any] struct {
	value V
	at    time.Time
}

type memoCall[V any] struct {
	done  chan struct{}
	value V
	err   error
}

func newMemo[K comparable, V any](ttl time.Duration, max int) *memo[K, V] {
	return &memo[K, V]{ttl: ttl, max: max, entries: map[memoKey[K]]memoEntry[V]{}, inflight: map[memoKey[K]]*memoCall[V]{}}
}

// invalidate forgets every value: the next request for each computes it.
func (m *memo[K, V]) invalidate() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	m.changed = time.Now()
	clear(m.entries)
}

// changedWithin reports whether it was invalidated less than d ago.
func (m *memo[K, V]) changedWithin(d time.Duration) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return time.Since(m.changed) < d
}

// load returns the value for key, computing it when this generation has none
// and refreshing it in the background when older than the ttl.
func (m *memo[K, V]) load(key K, compute func() (V, error)) (V, error) {
	m.mu.Lock()
	k := memoKey[K]{key: key, gen: m.gen}
	e, ok := m.entries[k]
	call, running := m.inflight[k]
	switch {
	case ok && time.Since(e.at) <= m.ttl:
		m.mu.Unlock()
		return e.value, nil
	case ok: // old: serve it, refresh once in the background
		if !running {
			go m.run(k, m.start(k), compute)
		}
		m.mu.Unlock()
		return e.value, nil
	case running:
		m.mu.Unlock()
		<-call.done
		return call.value, call.err
	}
	call = m.start(k)
	m.mu.Unlock()
	m.run(k, call, compute)
	return call.value, call.err
}

// start records a computation in flight; the caller holds mu.
func (m *memo[K, V]) start(k memoKey[K]) *memoCall[V] {
	call := &memoCall[V]{done: make(chan struct{})}
	m.inflight[k] = call
	return call
}

func (m *memo[K, V]) run(k memoKey[K], call *memoCall[V], compute func() (V, error)) {
	call.value, call.err = compute()
	m.mu.Lock()
	delete(m.inflight, k)
	if call.err == nil && k.gen == m.gen { // computed before an invalidation: do not keep it
		if len(m.entries) >= m.max {
			clear(m.entries)
		}
		m.entries[k] = memoEntry[V]{value: call.value, at: time.Now()}
	}
	m.mu.Unlock()
	close(call.done)
}
