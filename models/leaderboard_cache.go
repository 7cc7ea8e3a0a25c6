package models

import (
	"sync"
	"time"
)

// rankCache keeps computed standings briefly. Ranks show on /me, on creator
// pages and on managers' dashboards, and summing a year of performance on
// every such request is the slowest thing the portal could do. Writes in this
// process that change standings (ingest, qualification decisions, transfers)
// start a new generation, so they show at once; writes by another process
// (the command-line import) show within rankTTL.
type rankCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[rankKey]rankEntry
}

type rankKey struct {
	year    int
	subject uint
	last    string // the last complete week the standings cover
	gen     uint64
}

type rankEntry struct {
	rows   []LeaderRow
	rankOf map[uint]int
	at     time.Time
}

const rankTTL = 30 * time.Second

func newRankCache() *rankCache { return &rankCache{entries: map[rankKey]rankEntry{}} }

// invalidate forgets every cached standing.
func (c *rankCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

func (c *rankCache) get(year int, subject uint, last string) (rankEntry, rankKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := rankKey{year: year, subject: subject, last: last, gen: c.gen}
	e, ok := c.entries[k]
	if ok && time.Since(e.at) > rankTTL {
		delete(c.entries, k)
		ok = false
	}
	return e, k, ok
}

func (c *rankCache) put(k rankKey, e rankEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k.gen == c.gen { // computed before an invalidation: do not keep it
		c.entries[k] = e
	}
}
