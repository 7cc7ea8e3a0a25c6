package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// serverB opens a second server on a's database whose memos never expire by
// age, follows the other servers' changes, and waits until it listens.
func serverB(t testing.TB, a *models.Store) *models.Store {
	t.Helper()
	if a.Driver() != "postgres" {
		t.Skip("servers share memo changes through PostgreSQL's LISTEN/NOTIFY; SQLite runs one server")
	}
	b := modeltest.Open(t, a.PostgresDSN(), models.WithMemoTTL(time.Hour))
	follow, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.FollowChanges(follow, func(err error) { t.Logf("server B: %v", err) }) }()
	t.Cleanup(func() { stop(); <-done }) // registered after Open's Close: runs before it
	waitFor(t, "server B listening", func() bool { return b.ListenerPID() != 0 })
	return b
}

// waitFor polls cond for up to two seconds (the memos' ttl is an hour here).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 2 s", what)
}

// proposed is w with one weekly bonus proposed for last week.
func proposed(t *testing.T, w *world, account string) uint {
	t.Helper()
	c := w.qualified(t, account)
	w.perf(t, lastWeek, c.AccountID, 3, 0, 10_000, 1_000_000)
	w.compute(t, lastWeek)
	return w.bonusOf(t, c.ID, lastWeek).ID
}

func TestApprovalOnOneServerShowsInTheOthersTotalsAtOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := serverB(t, w.s)
	id := proposed(t, w, "jd_cr_memo001")
	pendingOnB := func() int64 {
		p, err := b.PendingApprovals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p.Weekly.Count
	}
	waitFor(t, "server B sees the proposal", func() bool { return pendingOnB() == 1 })
	if pendingOnB() != 1 { // memoised now
		t.Fatal("server B lost its proposal")
	}
	sentBefore := w.s.MemoNotificationsSent()
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{id}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve on server A: %+v %v", rep, err)
	}
	waitFor(t, "server B's pending count after the approval on A", func() bool { return pendingOnB() == 0 })
	if w.s.MemoNotificationsSent() == sentBefore {
		t.Fatal("server A sent no notification")
	}
}

func TestStandingsOnOneServerFollowIngestOnTheOther(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := serverB(t, w.s)
	c := w.qualified(t, "jd_cr_memo002")
	w.perf(t, lastWeek, c.AccountID, 1, 0, 100, 10_000)
	gmvOnB := func() int64 {
		rows, err := b.Leaderboard(ctx, w.rev1, lastWeek.Year, 0, 10, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.CreatorID == c.ID {
				return r.GMVFen
			}
		}
		return 0
	}
	waitFor(t, "server B ranks the creator", func() bool { return gmvOnB() == 10_000 })
	w.perf(t, lastWeek, c.AccountID, 1, 0, 100, 90_000) // ingest on server A
	waitFor(t, "server B's standings after ingest on A", func() bool { return gmvOnB() == 90_000 })
}

func TestMemoListenerRecoversFromADroppedConnection(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := serverB(t, w.s)
	id := proposed(t, w, "jd_cr_memo003")
	pendingOnB := func() int64 {
		p, err := b.PendingApprovals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p.Weekly.Count
	}
	waitFor(t, "server B sees the proposal", func() bool { return pendingOnB() == 1 })
	pid := b.ListenerPID()
	var killed bool
	if err := w.raw.Raw("SELECT pg_terminate_backend(?)", pid).Scan(&killed).Error; err != nil || !killed {
		t.Fatalf("terminate the listener %d: %v %v", pid, killed, err)
	}
	waitFor(t, "server B listening again", func() bool { p := b.ListenerPID(); return p != 0 && p != pid })
	if pendingOnB() != 1 {
		t.Fatal("server B lost its proposal")
	}
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{id}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve on server A: %+v %v", rep, err)
	}
	waitFor(t, "server B's pending count after the approval on A", func() bool { return pendingOnB() == 0 })
}
