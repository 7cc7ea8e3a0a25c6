package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
	"github.com/jd/creator-portal/web"
)

// Two portal servers on one PostgreSQL database and one API token: requests
// sent to A and B in turns are refused at the same total as one server's
// burst, with the 429 a single server gives, and the budget refills at the rate.
func TestAPIRateLimitIsSharedByTwoServers(t *testing.T) {
	t.Parallel()
	dsn := modeltest.DatabaseURL(t)
	if !models.IsPostgresURL(dsn) {
		t.Skip("SQLite runs one server: its API limit stays in memory")
	}
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	storeA := modeltest.Open(t, dsn, models.WithClock(clk.now))
	storeB := modeltest.Open(t, dsn, models.WithClock(clk.now))
	admin, err := storeA.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "admin@t.test", Password: testPassword, Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := storeA.CreateAPIToken(ctx, models.ActorFor(admin, "127.0.0.1"), "shared feed")
	if err != nil {
		t.Fatal(err)
	}
	servers := []*app{serveStore(t, storeA), serveStore(t, storeB)}
	for _, s := range servers {
		s.raw = modeltest.OpenRaw(t, dsn)
	}
	allowed := func(n int) (got int, refusal map[string]any) {
		for i := range n {
			code, body := servers[i%2].api(token, `{}`)
			if code == http.StatusTooManyRequests {
				refusal = body
			} else {
				got++
			}
		}
		return got, refusal
	}
	got, refusal := allowed(3 * web.APIBurst)
	if got != web.APIBurst {
		t.Fatalf("%d requests in turns on two servers passed the limiter, want the burst of one server, %d", got, web.APIBurst)
	}
	if msg, _ := refusal["error"].(string); !strings.Contains(msg, "too many requests for this token") {
		t.Fatalf("the 429 does not name the problem: %v", refusal)
	}
	clk.add(time.Second)
	if got, _ := allowed(3 * web.APIRequestsPerSecond); got != web.APIRequestsPerSecond {
		t.Fatalf("a second later %d passed, want %d", got, web.APIRequestsPerSecond)
	}
}
