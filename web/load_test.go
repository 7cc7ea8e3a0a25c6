package web_test

import (
	"fmt"
	"html"
	"io"
	"math"
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
// with signed-in clients and prints tables: requests per second and latency
// percentiles per page beside /healthz; with LOAD_SMALL_URL (a portal seeded
// with a hundredth of the data) how much each page's cost grows with the data;
// then 20 reviewers approving at once; with LOAD_PID the server's peak memory.
// It is part of `make bench`, not `make test`: it measures, it does not judge.
func TestLoad(t *testing.T) {
	base := os.Getenv("LOAD_URL")
	if base == "" {
		t.Skip("set LOAD_URL to a portal seeded with portal seed --scale (make bench)")
	}
	clients := envInt("LOAD_CLIENTS", 64)
	secs := envInt("LOAD_SECONDS", 10)
	big := newLoadSite(t, base, clients)
	pages := big.pages(t)
	results := map[string]loadResult{}
	fmt.Printf("\n%d signed-in clients, %d s per page, SQLite or PostgreSQL as the server was started\n\n", clients, secs)
	fmt.Printf("| page | req/s | p50 ms | p99 ms | errors | p99 ≤ 50 ms | ≥ 1/20 of /healthz |\n|---|---|---|---|---|---|---|\n")
	for _, p := range pages { // warm up: the first visits fill caches and statistics
		s := big.user(p.who)
		big.get(s, p.path)
	}
	var healthz float64
	for _, p := range pages {
		r := big.run(p, clients, time.Duration(secs)*time.Second)
		results[p.name] = r
		if p.name == "healthz" {
			healthz = r.rps
			fmt.Printf("| %s | %.0f | %.1f | %.1f | %d | | |\n", p.name, r.rps, r.p50, r.p99, r.errs)
			continue
		}
		fmt.Printf("| %s | %.0f | %.1f | %.1f | %d | %s | %s |\n", p.name, r.rps, r.p50, r.p99, r.errs, tick(r.p99 <= 50), tick(r.rps >= healthz/20))
		if r.errs > 0 {
			t.Errorf("%s: %d errors", p.name, r.errs)
		}
	}
	fmt.Printf("\n| list | first page req/s | deep page | its req/s | cost of the deep page ÷ the first (≤ 1.5) |\n|---|---|---|---|---|\n")
	for _, p := range pages {
		// "creators, last page" and "creators, middle page (…)" pair with "creators, page 1".
		list, deep, ok := strings.Cut(p.name, ", last page")
		deep = "last page" + deep
		if !ok {
			list, deep, ok = strings.Cut(p.name, ", middle page")
			deep = "middle page" + deep
		}
		first, found := results[list+", page 1"]
		if !ok || !found {
			continue
		}
		growth := first.rps / results[p.name].rps
		fmt.Printf("| %s | %.0f | %s | %.0f | %.2f %s |\n", list, first.rps, deep, results[p.name].rps, growth, tick(growth <= 1.5))
	}
	if smallURL := os.Getenv("LOAD_SMALL_URL"); smallURL != "" {
		small := newLoadSite(t, smallURL, clients)
		fmt.Printf("\n| page | req/s at 1%% of the data | req/s at full scale | cost at full scale ÷ at 1%% (≤ 1.5) |\n|---|---|---|---|\n")
		for _, p := range small.pages(t) {
			if p.name == "healthz" || strings.Contains(p.name, "last page") || strings.Contains(p.name, "middle page") {
				continue // list lengths differ by design; the table above compares their ends
			}
			r := small.run(p, clients, time.Duration(max(secs/2, 2))*time.Second)
			growth := r.rps / results[p.name].rps
			fmt.Printf("| %s | %.0f | %.0f | %.2f %s |\n", p.name, r.rps, results[p.name].rps, growth, tick(growth <= 1.5))
		}
	}
	big.approveRace(t, 20, time.Duration(secs)*time.Second)
	if pid := os.Getenv("LOAD_PID"); pid != "" {
		status, err := os.ReadFile("/proc/" + pid + "/status")
		if err == nil {
			m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(status)
			if m != nil {
				kb, _ := strconv.Atoi(string(m[1]))
				fmt.Printf("\nserver peak memory (VmHWM) over the whole run: %d MB %s (target ≤ 300 MB)\n", kb/1024, tick(kb/1024 <= 300))
			}
		}
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func tick(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

type loadPage struct{ name, who, path string }

type loadResult struct {
	rps, p50, p99 float64
	errs          int
}

type loadSite struct {
	t     *testing.T
	base  string
	tr    *http.Transport
	users map[string]*http.Client
}

func newLoadSite(t *testing.T, base string, clients int) *loadSite {
	return &loadSite{t: t, base: base, tr: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}, users: map[string]*http.Client{}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// login signs in a fresh session (each call is another browser).
func (s *loadSite) login(email string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: s.tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body := s.get(c, "/login")
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatal("no CSRF token on /login")
	}
	res, err := c.PostForm(s.base+"/login", url.Values{"_csrf": {m[1]}, "email": {email}, "password": {"demo-password"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("login %s: %v %v", email, res.StatusCode, err)
	}
	res.Body.Close()
	return c
}

func (s *loadSite) user(email string) *http.Client {
	if email == "" {
		return &http.Client{Transport: s.tr}
	}
	if s.users[email] == nil {
		s.users[email] = s.login(email)
	}
	return s.users[email]
}

func (s *loadSite) get(c *http.Client, path string) string {
	res, err := c.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body)
}

// The pager's "1–50 of 62,942" (a risk flag's title also says "median of …").
var rangeTotal = regexp.MustCompile(`data-testid="pager"><span>[^<]* of ([\d,]+)</span>`)

// lastPage reads a list's total from its first page and names its last page.
func (s *loadSite) lastPage(c *http.Client, path string) (last, middle int) {
	m := rangeTotal.FindStringSubmatch(s.get(c, path))
	if m == nil {
		s.t.Fatalf("no total on %s", path)
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	last = max(1, (n+49)/50)
	return last, max(1, last/2)
}

var nextHref = regexp.MustCompile(`href="([^"]+)" rel="next"`)

// nextLink is the path of the "next" link on the page at path.
func (s *loadSite) nextLink(c *http.Client, path string) string {
	m := nextHref.FindStringSubmatch(s.get(c, path))
	if m == nil {
		s.t.Fatalf("no next link on %s", path)
	}
	return html.UnescapeString(m[1])
}

// pages are the pages of issue 6's table, as the people who use them.
func (s *loadSite) pages(t *testing.T) []loadPage {
	const rev, mcn, creator = "reviewer1@scale.test", "mcn1@scale.test", "creator1@scale.test"
	r := s.user(rev)
	week := regexp.MustCompile(`2\d{3}-W\d{2}`).FindString(s.get(r, "/bonuses"))
	if week == "" {
		t.Fatal("no computed week on /bonuses")
	}
	subjectQueue := "/bonuses?week=" + week + "&subject=3"
	weekQueue := "/bonuses?week=" + week
	subjectLast, _ := s.lastPage(r, subjectQueue)
	weekLast, _ := s.lastPage(r, weekQueue)
	creatorsLast, creatorsMiddle := s.lastPage(r, "/creators")
	_, weekMiddle := s.lastPage(r, weekQueue)
	// A deep page as a user reaches it: by the "next" link of the page before,
	// which seeks from that page's last row (keyset) instead of skipping rows.
	creatorsDeep := s.nextLink(r, "/creators?page="+strconv.Itoa(creatorsMiddle-1))
	weekDeep := s.nextLink(r, weekQueue+"&page="+strconv.Itoa(weekMiddle-1))
	return []loadPage{
		{"healthz", "", "/healthz"},
		{"queue, one subject, page 1", rev, subjectQueue},
		{"queue, one subject, last page", rev, subjectQueue + "&page=" + strconv.Itoa(subjectLast)},
		{"queue, whole week, page 1", rev, weekQueue},
		{"queue, whole week, last page", rev, weekQueue + "&page=" + strconv.Itoa(weekLast)},
		{"creators, page 1", rev, "/creators"},
		{"creators, last page", rev, "/creators?page=" + strconv.Itoa(creatorsLast)},
		{"creators, middle page (page " + fmt.Sprintf("%d", creatorsMiddle) + ", by its next link)", rev, creatorsDeep},
		{"queue, whole week, middle page (by its next link)", rev, weekDeep},
		{"creators, name search", rev, "/creators?q=Creator+0001"},
		{"programme dashboard", rev, "/dashboard"},
		{"leaderboard", rev, "/leaderboard"},
		{"MCN dashboard (manager)", mcn, "/dashboard"},
		{"MCN creators list (manager)", mcn, "/creators"},
		{"creator /me", creator, "/me"},
		{"impact, programme", rev, "/impact"},
		{"impact, one subject", rev, "/impact?subject=3"},
		{"impact, one agency", rev, "/impact?agency=1"},
		{"agency league, page 1", rev, "/impact/agencies"},
		{"agency league by growth, page 20", rev, "/impact/agencies?sort=growth&page=20"},
		{"impact (manager)", mcn, "/impact"},
	}
}

// run sends requests for d from n clients sharing one session.
func (s *loadSite) run(p loadPage, n int, d time.Duration) loadResult {
	c := s.user(p.who)
	var rec recorder
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				rec.time(http.StatusOK, func() (*http.Response, error) { return c.Get(s.base + p.path) })
			}
		})
	}
	wg.Wait()
	return summarise(rec.lat, rec.errs, d)
}

// recorder collects the latency of requests and counts those that failed.
type recorder struct {
	mu   sync.Mutex
	lat  []time.Duration
	errs int
}

// time sends one request and records it; a status other than want is a failure.
func (r *recorder) time(want int, send func() (*http.Response, error)) {
	start := time.Now()
	res, err := send()
	ok := err == nil && res.StatusCode == want
	if err == nil {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	took := time.Since(start)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lat = append(r.lat, took)
	if !ok {
		r.errs++
	}
}

func summarise(lat []time.Duration, errs int, d time.Duration) loadResult {
	if len(lat) == 0 {
		return loadResult{errs: errs}
	}
	slices.Sort(lat)
	pct := func(q float64) float64 {
		return float64(lat[int(math.Ceil(q*float64(len(lat))))-1].Microseconds()) / 1000
	}
	return loadResult{rps: float64(len(lat)) / d.Seconds(), p50: pct(0.5), p99: pct(0.99), errs: errs}
}

// approveRace has n reviewers' browsers approve waiting bonuses one request at
// a time, each its own, below the four-eyes threshold (smallest first).
// Every run approves up to n×50 more of the scale data's waiting proposals.
func (s *loadSite) approveRace(t *testing.T, n int, d time.Duration) {
	r := s.user("reviewer1@scale.test")
	week := regexp.MustCompile(`2\d{3}-W\d{2}`).FindString(s.get(r, "/bonuses"))
	idPattern := regexp.MustCompile(`name="ids" value="(\d+)"`)
	var ids []string
	for page := 1; len(ids) < n*50 && page <= n; page++ {
		body := s.get(r, "/bonuses?week="+week+"&state=proposed&sort=amount_asc&page="+strconv.Itoa(page))
		for _, m := range idPattern.FindAllStringSubmatch(body, -1) {
			ids = append(ids, m[1])
		}
	}
	if len(ids) < n {
		t.Logf("only %d waiting bonuses left to approve; skipping the approval race", len(ids))
		return
	}
	var rec recorder
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		email := []string{"reviewer1@scale.test", "reviewer2@scale.test"}[i%2]
		c := s.login(email)
		token := csrfField.FindStringSubmatch(s.get(c, "/bonuses"))
		mine := ids[i*len(ids)/n : (i+1)*len(ids)/n]
		wg.Go(func() {
			for _, id := range mine {
				if time.Now().After(deadline) {
					return
				}
				rec.time(http.StatusSeeOther, func() (*http.Response, error) {
					return c.PostForm(s.base+"/bonuses/decide", url.Values{"_csrf": {token[1]}, "ids": {id}, "action": {"approve"}})
				})
			}
		})
	}
	wg.Wait()
	r2 := summarise(rec.lat, rec.errs, time.Since(start))
	fmt.Printf("\n| %d reviewers approving at once | approvals/s | p50 ms | p99 ms | failed requests | p99 ≤ 100 ms |\n|---|---|---|---|---|---|\n", n)
	fmt.Printf("| %d requests | %.0f | %.1f | %.1f | %d | %s |\n", len(rec.lat), r2.rps, r2.p50, r2.p99, rec.errs, tick(r2.p99 <= 100))
	if rec.errs > 0 {
		t.Errorf("%d approval requests failed (database is locked?)", rec.errs)
	}
}
