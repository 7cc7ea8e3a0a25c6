package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// Issue 18, point 5: with a read replica, the page a person sees right after
// their own POST comes from the primary; a few seconds later (by the
// server's clock) their pages read the replica again. The "replica" is a
// second schema migrated alike whose agency has another name, so each page
// shows which database it read.
func TestPageAfterOwnPostReadsThePrimaryThenTheReplicaAgain(t *testing.T) {
	if !models.IsPostgresURL(os.Getenv("DATABASE_URL")) {
		t.Skip("read replicas are PostgreSQL only")
	}
	clk := &clock{t: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	primaryURL, replicaURL := modeltest.DatabaseURL(t), modeltest.DatabaseURL(t)
	replica := modeltest.Open(t, replicaURL)
	store := modeltest.Open(t, primaryURL, models.WithClock(clk.now), models.WithReadReplicas(replicaURL))
	// The same users and agency on both, as replication would have them.
	for _, s := range []*models.Store{store, replica} {
		if _, err := s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: testUsers["admin"], Password: testPassword, Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "Agency A"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := modeltest.OpenRaw(t, replicaURL).Exec("UPDATE agencies SET name = 'Agency A on the replica'").Error; err != nil {
		t.Fatal(err)
	}
	a := serveStore(t, store)
	admin, other := a.login("admin"), a.login("admin")
	clk.add(time.Minute) // long after signing in

	readsReplica := func(when string) {
		t.Helper()
		if body := admin.get("/agencies").body; !strings.Contains(body, "Agency A on the replica") {
			t.Fatalf("%s the agency list did not read the replica:\n%s", when, body)
		}
	}
	readsReplica("a minute after signing in,")

	res := admin.postForm("/agencies", url.Values{"name": {"Agency New"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add an agency: %d %s", res.StatusCode, res.body)
	}
	newPage := res.Header.Get("Location")
	if page := admin.follow(res); page.StatusCode != http.StatusOK || !strings.Contains(page.body, "Agency New") {
		t.Fatalf("the page right after the POST (%s) did not show the new agency: %d", newPage, page.StatusCode)
	}
	clk.add(4 * time.Second)
	if body := admin.get("/agencies").body; !strings.Contains(body, "Agency New") || strings.Contains(body, "on the replica") {
		t.Fatalf("4 s after the POST the list did not read the primary:\n%s", body)
	}
	// Another browser's reads stay on the replica: only the writer's own pages need the primary.
	if body := other.get("/agencies").body; !strings.Contains(body, "on the replica") {
		t.Fatal("another session read the primary after someone else's POST")
	}

	clk.add(2 * time.Second) // past the 5 s window
	readsReplica("6 s after the POST")
	if res := admin.get(newPage); res.StatusCode != http.StatusNotFound {
		t.Fatalf("after the window the new agency's page read the primary (status %d), want the replica's 404", res.StatusCode)
	}
	if res := a.anon().get("/healthz"); res.StatusCode != http.StatusOK {
		t.Fatalf("healthz with a replica: %d", res.StatusCode)
	}
}

// Without read replicas (SQLite, or PostgreSQL alone) nothing changes: no cookie after a POST.
func TestNoPrimaryAfterWriteCookieWithoutReplicas(t *testing.T) {
	store := modeltest.NewStore(t)
	if _, err := store.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: testUsers["admin"], Password: testPassword, Role: models.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	a := serveStore(t, store)
	admin := a.login("admin")
	if res := admin.postForm("/agencies", url.Values{"name": {"Agency New"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add an agency: %d", res.StatusCode)
	}
	u, _ := url.Parse(a.ts.URL)
	for _, ck := range admin.http.Jar.Cookies(u) {
		if strings.Contains(ck.Name, "portal_fresh") {
			t.Fatalf("a store without replicas set %s", ck.Name)
		}
	}
}
