package web_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// TestSoak runs only with SOAK_SECONDS set (`make soak`): reviewers approve and
// reject, a feed pushes performance, managers and creators read pages, all at
// once. Afterwards no request may have failed with a 5xx, every pool must equal
// the sum of its approved bonuses, nothing may be approved twice and the audit
// chain must verify.
func TestSoak(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("SOAK_SECONDS"))
	if secs <= 0 {
		t.Skip("set SOAK_SECONDS to run the soak test (make soak)")
	}
	a := newDemoApp(t)
	token, _, err := a.store.CreateAPIToken(ctx, models.SystemActor(), "soak feed")
	if err != nil {
		t.Fatal(err)
	}
	a.token = token
	login := func(email string) *client {
		c := a.anon()
		if res := c.postForm("/login", url.Values{"email": {email}, "password": {models.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login %s: %d", email, res.StatusCode)
		}
		return c
	}
	var requests, fiveXX, approvals, rejections, ingests atomic.Int64
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	var wg sync.WaitGroup
	track := func(res response) {
		requests.Add(1)
		if res.StatusCode >= 500 {
			fiveXX.Add(1)
			t.Errorf("%d on %s: %.200s", res.StatusCode, res.Request.URL, res.body)
		}
	}
	var ids []uint
	if err := a.raw.Model(&models.Bonus{}).Where("state IN ?", []string{"proposed", "awaiting_second"}).Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	// Leave ¥50,000 in the creator pool so it runs dry during the soak and approvals are refused.
	if p, err := a.store.GetPool(ctx, models.PoolCreators); err != nil {
		t.Fatal(err)
	} else if err := a.store.SetPoolTotal(ctx, models.SystemActor(), models.PoolCreators, p.CommittedFen+5_000_000); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"reviewer1@demo.test", "reviewer2@demo.test", "admin@demo.test"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := login(email)
			rng := rand.New(rand.NewPCG(uint64(len(email)), 7))
			for time.Now().Before(deadline) {
				form := url.Values{"action": {"approve"}}
				if rng.IntN(5) == 0 {
					form = url.Values{"action": {"reject"}, "reason": {"suspected_fake_traffic"}}
				}
				for i := 0; i < 5; i++ {
					form.Add("ids", itoa(ids[rng.IntN(len(ids))]))
				}
				res := c.postForm("/bonuses/decide", form)
				track(res)
				if form.Get("action") == "approve" {
					approvals.Add(1)
				} else {
					rejections.Add(1)
				}
			}
		}()
	}
	wg.Add(1)
	go func() { // the performance feed
		defer wg.Done()
		rng := rand.New(rand.NewPCG(3, 4))
		for time.Now().Before(deadline) {
			var rows []string
			for _, n := range rng.Perm(200)[:50] { // one row per creator and week
				rows = append(rows, fmt.Sprintf(`{"creator_account_id":"jd_cr_%06d","videos":%d,"live_sessions":0,"views":%d,"orders":1,"gmv_fen":%d}`,
					100000+n, rng.IntN(5), rng.IntN(100000), rng.IntN(5_000_000)))
			}
			code, _ := a.api(a.token, `{"week":"`+models.WeekOf(time.Now()).String()+`","rows":[`+strings.Join(rows, ",")+`]}`)
			requests.Add(1)
			if code >= 500 {
				fiveXX.Add(1)
			}
			if code == http.StatusOK {
				ingests.Add(1)
			}
			time.Sleep(250 * time.Millisecond) // within the token's rate limit
		}
	}()
	for _, who := range []struct{ email, path string }{
		{"mcn1@demo.test", "/dashboard"}, {"mcn2@demo.test", "/bonuses"}, {"creator1@demo.test", "/me"}, {"creator2@demo.test", "/me"},
		{"reviewer1@demo.test", "/dashboard"}, {"reviewer2@demo.test", "/leaderboard"},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := login(who.email)
			for time.Now().Before(deadline) {
				track(c.get(who.path))
			}
		}()
	}
	wg.Wait()

	// Invariants.
	for _, p := range []struct {
		pool, table string
	}{{models.PoolCreators, "bonuses"}, {models.PoolMCN, "mcn_bonuses"}} {
		var sum int64
		a.raw.Table(p.table).Where("state IN ?", []string{"approved", "paid"}).Select("COALESCE(SUM(amount_fen), 0)").Scan(&sum)
		pool, _ := a.store.GetPool(ctx, p.pool)
		if pool.CommittedFen != sum || pool.CommittedFen > pool.TotalFen {
			t.Errorf("%s pool: committed %d, approved sum %d, total %d", p.pool, pool.CommittedFen, sum, pool.TotalFen)
		}
	}
	var approvedRows, approveAudits, refusedAudits int64
	a.raw.Model(&models.AuditEntry{}).Where("action = ?", "bonus.approve_refused").Count(&refusedAudits)
	a.raw.Model(&models.Bonus{}).Where("state IN ?", []string{"approved", "paid"}).Count(&approvedRows)
	a.raw.Model(&models.AuditEntry{}).Where("action = ?", "bonus.approve").Count(&approveAudits)
	if approveAudits != approvedRows {
		t.Errorf("%d weekly bonuses approved but %d approvals audited", approvedRows, approveAudits)
	}
	var auditRows int64
	a.raw.Model(&models.AuditEntry{}).Count(&auditRows)
	check, err := a.store.VerifyAudit(ctx, models.VerifyOptions{})
	if check.Checked != int(auditRows) {
		t.Errorf("verified %d of %d audit entries", check.Checked, auditRows)
	}
	if err != nil || !check.OK() {
		t.Errorf("audit chain: %+v %v", check, err)
	}
	pool, _ := a.store.GetPool(ctx, models.PoolCreators)
	fmt.Printf("soak: %ds, %d requests (%.0f/s), %d 5xx; %d approval and %d rejection posts, %d feed batches; "+
		"%d weekly bonuses approved or paid, %d approvals refused (pool, four eyes), creator pool %s of %s committed; audit chain %d entries intact=%v\n",
		secs, requests.Load(), float64(requests.Load())/float64(secs), fiveXX.Load(), approvals.Load(), rejections.Load(), ingests.Load(),
		approvedRows, refusedAudits, models.FormatYuan(pool.CommittedFen), models.FormatYuan(pool.TotalFen), check.Checked, check.BrokenAt == 0)
}
