package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoad drives a running portal (LOAD_URL, seeded with `portal seed --scale`)
// with signed-in clients and prints a table: requests per second and latency
// percentiles per page, beside /healthz. It is part of `make bench`, not `make test`.
func TestLoad(t *testing.T) {
	base := os.Getenv("LOAD_URL")
	if base == "" {
		t.Skip("set LOAD_URL to a portal seeded with portal seed --scale (make bench)")
	}
	clients, _ := strconv.Atoi(os.Getenv("LOAD_CLIENTS"))
	if clients <= 0 {
		clients = 64
	}
	secs, _ := strconv.Atoi(os.Getenv("LOAD_SECONDS"))
	if secs <= 0 {
		secs = 10
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	login := func(email string) *http.Client {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Get(base + "/login")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(body)
		if m == nil {
			t.Fatal("no CSRF token on /login")
		}
		res, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {"demo-password"}})
		if err != nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login %s: %v %v", email, res.StatusCode, err)
		}
		res.Body.Close()
		return c
	}
	week := regexp.MustCompile(`2\d{3}-W\d{2}`)
	rev := login("reviewer1@scale.test")
	res, _ := rev.Get(base + "/bonuses")
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	lastWeek := string(week.Find(page))
	pages := []struct{ name, who, path string }{
		{"healthz", "", "/healthz"},
		{"queue, subject, by amount, page 1", "reviewer1@scale.test", "/bonuses?week=" + lastWeek + "&subject=3&sort="},
		{"queue, subject, by amount, page 40", "reviewer1@scale.test", "/bonuses?week=" + lastWeek + "&subject=3&page=40"},
		{"creators list, search", "reviewer1@scale.test", "/creators?q=Creator+0123"},
		{"creators list, last page", "reviewer1@scale.test", "/creators?page=2000"},
		{"programme dashboard", "reviewer1@scale.test", "/dashboard"},
		{"leaderboard", "reviewer1@scale.test", "/leaderboard"},
		{"MCN dashboard", "reviewer1@scale.test", "/agencies/1"},
		{"creator /me", "reviewer1@scale.test", "/creators/1"},
	}
	fmt.Printf("\n| page | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n")
	for _, p := range pages {
		c := &http.Client{Transport: tr}
		if p.who != "" {
			c = login(p.who)
		}
		var mu sync.Mutex
		var lat []time.Duration
		errs := 0
		deadline := time.Now().Add(time.Duration(secs) * time.Second)
		var wg sync.WaitGroup
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(deadline) {
					start := time.Now()
					res, err := c.Get(base + p.path)
					ok := err == nil && res.StatusCode == http.StatusOK
					if err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
					}
					d := time.Since(start)
					mu.Lock()
					lat = append(lat, d)
					if !ok {
						errs++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		slices.Sort(lat)
		pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
		fmt.Printf("| %s | %.0f | %.1f | %.1f | %d |\n", p.name, float64(len(lat))/float64(secs), pct(0.5), pct(0.99), errs)
		if strings.HasPrefix(p.name, "queue") && errs > 0 {
			t.Errorf("%s: %d errors", p.name, errs)
		}
	}
}
