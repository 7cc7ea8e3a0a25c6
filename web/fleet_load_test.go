package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// TestFleetLoad drives a fleet of portals through its load balancer
// (FLEET_URL; `make bench-fleet`, scripts/bench-fleet.sh): 20 reviewers
// approving waiting bonuses one request at a time while readers open the
// queue, for FLEET_SECONDS. The script may kill or restart servers meanwhile
// (FLEET_LABEL names what it does; FLEET_STARTED is a file written when the
// load starts, so it can time that). Afterwards, with FLEET_DB (the fleet's
// PostgreSQL), it checks the money: no approval answered as done is missing,
// none is recorded twice, and the creator pool's committed amount equals the
// sum of approved bonuses. It prints one Markdown table. Not part of make test.
func TestFleetLoad(t *testing.T) {
	base := os.Getenv("FLEET_URL")
	if base == "" {
		t.Skip("set FLEET_URL to a fleet's load balancer (make bench-fleet)")
	}
	reviewers := envInt("FLEET_REVIEWERS", 20)
	readers := 4
	if n, err := strconv.Atoi(os.Getenv("FLEET_READERS")); err == nil && n >= 0 {
		readers = n // 0: approvals alone
	}
	d := time.Duration(envInt("FLEET_SECONDS", 20)) * time.Second
	// FLEET_PACE_MS: each reviewer sends an approval at most this often (0: the next as soon as
	// the last is answered, a stress no person produces; 250: 20 reviewers offer 80 approvals a second).
	pace := time.Duration(envInt("FLEET_PACE_MS", 0)) * time.Millisecond
	label := os.Getenv("FLEET_LABEL")
	if label == "" {
		label = "both servers"
	}
	site := newLoadSite(t, base, reviewers+readers)
	r := site.user("reviewer1@scale.test")
	week := regexp.MustCompile(`2\d{3}-W\d{2}`).FindString(site.get(r, "/bonuses"))
	idPattern := regexp.MustCompile(`name="ids" value="(\d+)"`)
	var ids []string
	for page := 1; len(ids) < reviewers*100 && page <= 2*reviewers; page++ {
		body := site.get(r, "/bonuses?week="+week+"&state=proposed&sort=amount_asc&page="+strconv.Itoa(page))
		found := idPattern.FindAllStringSubmatch(body, -1)
		for _, m := range found {
			ids = append(ids, m[1])
		}
		if len(found) == 0 {
			break
		}
	}
	if len(ids) < reviewers {
		t.Fatalf("only %d waiting bonuses left in %s: seed the fleet's database again (BENCH_FLEET_RESEED=1)", len(ids), week)
	}
	type browser struct {
		c     *http.Client
		token string
	}
	var browsers []browser
	for i := range reviewers {
		c := site.login([]string{"reviewer1@scale.test", "reviewer2@scale.test"}[i%2])
		browsers = append(browsers, browser{c, csrfField.FindStringSubmatch(site.get(c, "/bonuses"))[1]})
	}
	reader := site.user("reviewer2@scale.test")

	if f := os.Getenv("FLEET_STARTED"); f != "" {
		if err := os.WriteFile(f, []byte(time.Now().Format(time.RFC3339Nano)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var approvals, reads recorder
	var mu sync.Mutex
	answered := map[string]bool{} // id → the approval was answered as done (303)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i, b := range browsers {
		mine := ids[i*len(ids)/reviewers : (i+1)*len(ids)/reviewers]
		wg.Go(func() {
			next := time.Now().Add(pace * time.Duration(i) / time.Duration(reviewers)) // spread, not 20 at one instant
			for _, id := range mine {
				if pace > 0 {
					time.Sleep(time.Until(next))
					next = next.Add(pace)
				}
				if time.Now().After(deadline) {
					return
				}
				var ok bool
				approvals.time(http.StatusSeeOther, func() (*http.Response, error) {
					res, err := b.c.PostForm(base+"/bonuses/decide", url.Values{"_csrf": {b.token}, "ids": {id}, "action": {"approve"}})
					ok = err == nil && res.StatusCode == http.StatusSeeOther
					return res, err
				})
				mu.Lock()
				answered[id] = ok
				mu.Unlock()
			}
		})
	}
	for range readers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				reads.time(http.StatusOK, func() (*http.Response, error) { return reader.Get(base + "/bonuses?week=" + week) })
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	ar, rr := summarise(approvals.lat, approvals.errs, took), summarise(reads.lat, reads.errs, took)

	lost, doubled, committedAnyway, poolOK := "–", "–", "–", "–"
	if dsn := os.Getenv("FLEET_DB"); dsn != "" {
		c := checkFleetMoney(t, dsn, answered)
		lost, doubled, committedAnyway = strconv.Itoa(c.lost), strconv.Itoa(c.doubled), strconv.Itoa(c.committedAnyway)
		poolOK = fmt.Sprintf("%s (¥%d.%02d committed)", tick(c.poolCommitted == c.approvedSum), c.poolCommitted/100, c.poolCommitted%100)
		if c.lost > 0 || c.doubled > 0 || c.poolCommitted != c.approvedSum {
			t.Errorf("money: %d approvals lost, %d doubled, pool committed %d ≠ approved sum %d", c.lost, c.doubled, c.poolCommitted, c.approvedSum)
		}
	}
	fmt.Printf("\n| %s | approval requests | approvals/s | p50 ms | p99 ms | failed approvals | queue reads/s | failed reads | lost | doubled | failed but committed | pool = Σ approved |\n", "fleet run")
	fmt.Printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	fmt.Printf("| %s | %d | %.0f | %.1f | %.1f | %d | %.0f | %d | %s | %s | %s | %s |\n",
		label, len(approvals.lat), ar.rps, ar.p50, ar.p99, approvals.errs, rr.rps, reads.errs, lost, doubled, committedAnyway, poolOK)
	if os.Getenv("FLEET_EXPECT_NO_FAILURES") != "" && approvals.errs+reads.errs > 0 {
		t.Errorf("%s: %d approval and %d read requests failed", label, approvals.errs, reads.errs)
	}
}

type fleetMoney struct {
	lost, doubled, committedAnyway int
	poolCommitted, approvedSum     int64
}

// checkFleetMoney compares what the clients were told with the database: an
// approval answered 303 is approved (or was refused by the budget, audited as
// such), no bonus has two approvals recorded, and the pool agrees with the bonuses.
func checkFleetMoney(t *testing.T, dsn string, answered map[string]bool) fleetMoney {
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatalf("FLEET_DB: %v", err)
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	var all []string
	for id := range answered {
		all = append(all, id)
	}
	var approved, refused []string
	db.Raw("SELECT id::text FROM bonuses WHERE id::text IN ? AND state IN ('approved', 'paid')", all).Scan(&approved)
	db.Raw("SELECT DISTINCT object_id::text FROM audit_entries WHERE object_type = 'bonus' AND action = 'bonus.approve_refused' AND object_id::text IN ?", all).Scan(&refused)
	isApproved, isRefused := map[string]bool{}, map[string]bool{}
	for _, id := range approved {
		isApproved[id] = true
	}
	for _, id := range refused {
		isRefused[id] = true
	}
	var m fleetMoney
	for id, ok := range answered {
		switch {
		case ok && !isApproved[id] && !isRefused[id]:
			m.lost++
		case !ok && isApproved[id]:
			m.committedAnyway++ // the server died after the commit, before the answer: approved once, not lost
		}
	}
	var twice int64
	db.Raw(`SELECT COUNT(*) FROM (SELECT object_id FROM audit_entries WHERE object_type = 'bonus' AND action = 'bonus.approve'
		AND object_id::text IN ? GROUP BY object_id HAVING COUNT(*) > 1) d`, all).Scan(&twice)
	m.doubled = int(twice)
	db.Raw("SELECT committed_fen FROM pools WHERE name = 'creators'").Scan(&m.poolCommitted)
	db.Raw("SELECT COALESCE(SUM(amount_fen), 0) FROM bonuses WHERE state IN ('approved', 'paid')").Scan(&m.approvedSum)
	return m
}
