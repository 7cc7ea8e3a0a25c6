package models_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// clock is a movable clock for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const goodPassword = "long-enough-password"

type throttleWorld struct {
	s   *models.Store
	clk *clock
	dsn string
}

func newThrottleWorld(t *testing.T, users ...string) *throttleWorld {
	t.Helper()
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	dsn := modeltest.DatabaseURL(t)
	s := modeltest.Open(t, dsn, models.WithClock(clk.now))
	for _, u := range users {
		if _, err := s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: u, Password: goodPassword, Role: models.RoleReviewer}); err != nil {
			t.Fatal(err)
		}
	}
	return &throttleWorld{s: s, clk: clk, dsn: dsn}
}

func (w *throttleWorld) signIn(email, password, ip string) error {
	_, err := w.s.Authenticate(ctx, email, password, ip)
	return err
}

func throttled(err error) *models.ThrottledError {
	var te *models.ThrottledError
	if errors.As(err, &te) {
		return te
	}
	return nil
}

func TestSignInThrottle(t *testing.T) {
	t.Run("five wrong passwords lock the account, and the lock is audited", func(t *testing.T) {
		w := newThrottleWorld(t, "victim@t.test")
		for i := 1; i <= models.AccountMaxFailures; i++ {
			err := w.signIn("victim@t.test", "guess-"+fmt.Sprint(i), "198.51.100.7")
			if !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("guess %d: %v", i, err)
			}
			if locked := throttled(err) != nil; locked != (i == models.AccountMaxFailures) {
				t.Fatalf("guess %d: locked=%v", i, locked)
			}
		}
		// The right password is refused now, from any address, without being checked.
		err := w.signIn("victim@t.test", goodPassword, "192.0.2.1")
		te := throttled(err)
		if te == nil || te.Scope != "account" || te.WaitMinutes() != 15 {
			t.Fatalf("right password while locked: %v", err)
		}
		es, _, _ := w.s.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "auth.locked"}, models.NewPage(1, 10))
		if len(es) != 1 {
			t.Fatalf("%d lockouts audited", len(es))
		}
		w.clk.add(models.ThrottleLockout + time.Second)
		if err := w.signIn("victim@t.test", goodPassword, "192.0.2.1"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})

	t.Run("signing in to another account does not reset the count", func(t *testing.T) {
		w := newThrottleWorld(t, "reviewer1@t.test", "attacker@t.test")
		guesses := 0
		for round := 0; round < 5; round++ {
			for i := 0; i < 4; i++ {
				err := w.signIn("reviewer1@t.test", fmt.Sprintf("guess-%d-%d", round, i), "203.0.113.5")
				if throttled(err) != nil {
					break
				}
				guesses++
			}
			if err := w.signIn("attacker@t.test", goodPassword, "203.0.113.5"); err != nil {
				t.Fatalf("the attacker's own sign-in: %v", err)
			}
		}
		if guesses > models.AccountMaxFailures {
			t.Fatalf("%d guesses at one account were checked", guesses)
		}
	})

	t.Run("a success clears only its own account's counter", func(t *testing.T) {
		w := newThrottleWorld(t, "me@t.test")
		for round := 0; round < 3; round++ {
			for i := 0; i < models.AccountMaxFailures-1; i++ {
				if err := w.signIn("me@t.test", "typo", "10.0.0.1"); throttled(err) != nil {
					t.Fatalf("locked after a success cleared the count: round %d", round)
				}
			}
			if err := w.signIn("me@t.test", goodPassword, "10.0.0.1"); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("one locked account does not lock out its neighbours behind one address", func(t *testing.T) {
		if models.AddressMaxFailures < 4*models.AccountMaxFailures {
			t.Fatalf("the per-address limit %d is not well above the per-account one %d", models.AddressMaxFailures, models.AccountMaxFailures)
		}
		w := newThrottleWorld(t, "locked1@t.test", "locked2@t.test", "locked3@t.test", "colleague@t.test")
		for _, who := range []string{"locked1@t.test", "locked2@t.test", "locked3@t.test"} {
			var last error
			for i := 0; i < models.AccountMaxFailures; i++ {
				last = w.signIn(who, "wrong", "100.64.0.1")
			}
			if te := throttled(last); te == nil || te.Scope != "account" {
				t.Fatalf("%s after %d failures: %v", who, models.AccountMaxFailures, last)
			}
		}
		if err := w.signIn("colleague@t.test", goodPassword, "100.64.0.1"); err != nil {
			t.Fatalf("a colleague behind the same NAT: %v", err)
		}
	})

	t.Run("an address that sprays many accounts is locked", func(t *testing.T) {
		w := newThrottleWorld(t, "target@t.test")
		var last error
		for i := 0; i < models.AddressMaxFailures; i++ {
			last = w.signIn(fmt.Sprintf("user%d@t.test", i), "wrong", "2001:db8:1:2::99")
		}
		if te := throttled(last); te == nil || te.Scope != "address" {
			t.Fatalf("after %d failures from one address: %v", models.AddressMaxFailures, last)
		}
		// The same /64 is the same subscriber; another address is not affected.
		if te := throttled(w.signIn("target@t.test", goodPassword, "2001:db8:1:2::1")); te == nil {
			t.Fatal("the same /64 signed in")
		}
		if err := w.signIn("target@t.test", goodPassword, "2001:db8:9:9::1"); err != nil {
			t.Fatalf("another address: %v", err)
		}
	})

	t.Run("counts survive a restart", func(t *testing.T) {
		w := newThrottleWorld(t, "victim@t.test")
		for i := 0; i < models.AccountMaxFailures; i++ {
			w.signIn("victim@t.test", "wrong", "198.51.100.7")
		}
		w.s.Close()
		again, err := models.Open(ctx, w.dsn, modeltest.Options(models.WithClock(w.clk.now))...)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		if _, err := again.Authenticate(ctx, "victim@t.test", goodPassword, "198.51.100.7"); throttled(err) == nil {
			t.Fatalf("after a restart: %v", err)
		}
	})

	t.Run("failures on one server count on another", func(t *testing.T) {
		w := newThrottleWorld(t, "fleet@t.test")
		b := modeltest.Open(t, w.dsn, models.WithClock(w.clk.now))
		servers := []*models.Store{w.s, b}
		for i := 1; i <= models.AccountMaxFailures; i++ {
			_, err := servers[i%2].Authenticate(ctx, "fleet@t.test", "guess-"+fmt.Sprint(i), "198.51.100.9")
			if locked := throttled(err) != nil; locked != (i == models.AccountMaxFailures) {
				t.Fatalf("guess %d on server %d: %v", i, i%2, err)
			}
		}
		for n, s := range servers {
			if _, err := s.Authenticate(ctx, "fleet@t.test", goodPassword, "192.0.2.9"); throttled(err) == nil {
				t.Fatalf("server %d let the right password in while the account is locked: %v", n, err)
			}
		}
	})

	t.Run("password confirmation shares the counters and is checked first", func(t *testing.T) {
		w := newThrottleWorld(t, "staff@t.test")
		u, err := w.s.Authenticate(ctx, "staff@t.test", goodPassword, "192.0.2.50")
		if err != nil {
			t.Fatal(err)
		}
		a := models.ActorFor(u, "192.0.2.50")
		for i := 0; i < models.AccountMaxFailures; i++ {
			if err := w.s.CheckPassword(ctx, a, "wrong"); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
		if err := w.s.CheckPassword(ctx, a, goodPassword); throttled(err) == nil {
			t.Fatalf("the right password after %d wrong ones: %v", models.AccountMaxFailures, err)
		}
		if err := w.s.ChangePassword(ctx, a, goodPassword, "a-new-long-password"); throttled(err) == nil {
			t.Fatalf("changing the password while locked: %v", err)
		}
		if err := w.signIn("staff@t.test", goodPassword, "192.0.2.50"); throttled(err) == nil {
			t.Fatalf("signing in while locked: %v", err)
		}
	})

	t.Run("concurrent failures on one account all count", func(t *testing.T) {
		w := newThrottleWorld(t, "raced@t.test")
		var wg sync.WaitGroup
		for i := 0; i < 12; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.signIn("raced@t.test", "wrong", "198.51.100.8")
			}()
		}
		wg.Wait()
		if err := w.signIn("raced@t.test", goodPassword, "198.51.100.9"); throttled(err) == nil {
			t.Fatalf("12 concurrent failures did not lock: %v", err)
		}
	})
}
