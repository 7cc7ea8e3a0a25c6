package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// A rejection whose reason distrusts the week takes the ingest lock before
// the audit chain's, as ingest does (ingest lock, weekly rows, then the
// impact aggregates and its audit entry under the audit lock). Taken after
// its first audit entry, it deadlocked with an ingest holding the ingest lock:
// PostgreSQL aborted one of them. The ingest here is a transaction holding
// the ingest lock that asks for the audit lock once the rejection waits.
func TestDistrustingRejectionAndIngestTakeLocksInOneOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if w.raw.Dialector.Name() != "postgres" {
		t.Skip("advisory locks are PostgreSQL's; SQLite runs one writer at a time")
	}
	last := models.WeekOf(time.Now()).Prev()
	c := w.impactCreator(t, w.mcnA, "jd_cr_lock01", "electronics", true)
	w.perf(t, last, c.AccountID, 2, 0, 100, 5_000_000)
	w.compute(t, last)
	b := w.bonusOf(t, c.ID, last)

	ingest := w.raw.Begin()
	defer ingest.Rollback()
	if err := ingest.Exec(models.AdvisoryLockSQL, models.LockKeyPerformanceIngest).Error; err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := w.s.RejectBonuses(ctx, w.rev1, []uint{b.ID}, "suspected_fake_traffic", "")
		done <- err
	}()
	// Wait until the rejection waits for the ingest lock in this schema.
	for {
		var waiting int64
		if err := w.raw.Raw(`SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = ?
			AND objid::text::bigint = (hashtext(current_schema())::bigint & 4294967295)`, models.LockKeyPerformanceIngest).Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the rejection did not wait for the ingest lock: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	// The ingest goes on to its audit entry.
	if err := ingest.Exec(models.AdvisoryLockSQL, models.LockKeyAuditChain).Error; err != nil {
		t.Fatalf("the ingest's audit lock: %v", err)
	}
	if err := ingest.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the rejection: %v", err)
	}
	if got := w.bonusOf(t, c.ID, last).State; got != models.BonusRejected {
		t.Fatalf("bonus %s", got)
	}
	w.assertRebuildReproduces(t)
}
