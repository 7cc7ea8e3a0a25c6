package web_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
)

// TestPageQueryCountsDoNotGrowWithRows counts the SQL statements each page
// runs, then adds many more rows to what those pages list and counts again:
// a page that loads per row (N+1) fails.
func TestPageQueryCountsDoNotGrowWithRows(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var n atomic.Int64
	a.store.OnQuery(func() { n.Add(1) })
	pages := map[string][]string{
		"reviewer": {"/dashboard", "/creators", "/creators?state=qualified&sort=name", "/bonuses", "/agencies", "/audit", "/leaderboard", "/payouts/" + itoa(a.batch.ID), "/mcn-bonuses"},
		"mcnA":     {"/dashboard", "/creators", "/bonuses", "/agencies/" + itoa(a.agencyA.ID)},
		"creator":  {"/me"},
	}
	measure := func() map[string]int64 {
		out := map[string]int64{}
		for who, paths := range pages {
			c := a.login(who)
			for _, p := range paths {
				c.get(p) // warm: the first visit may write "last seen"
				n.Store(0)
				res := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s %s: %d", who, p, res.StatusCode)
				}
				out[who+" "+p] = n.Load()
			}
		}
		return out
	}
	before := measure()
	// Thirty more creators in agency A with bonuses, performance and decisions.
	for i := 0; i < 30; i++ {
		acct := fmt.Sprintf("jd_cr_qc%04d", i)
		a.qualifiedCreator(acct, &a.agencyA.ID)
		a.perf(lastWeek, acct, int64(1+i%3), 0, int64(i*1000), int64(i*10000))
		a.perf(lastWeek.Prev(), acct, 1, 0, 10, 10)
		a.perf(lastWeek, "jd_cr_carol1", 3, 0, 0, int64(i))
	}
	if _, err := a.store.ComputeWeek(ctx, a.actor("reviewer"), lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	after := measure()
	for page, q := range after {
		if q > before[page] {
			t.Errorf("%s: %d queries with more rows, %d before", page, q, before[page])
		}
		if q > 30 { // a ceiling that catches a page suddenly doing much more
			t.Errorf("%s runs %d queries", page, q)
		}
	}
	t.Logf("queries per page: %v", after)
}
