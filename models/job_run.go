package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Scheduled work (issue 18): every portal server runs the same job loops,
// and each run of a job — a slot, such as one minute of the transfer job —
// is done by one server only. A server claims a slot with a conditional
// update of the job's row (only the first claim of a slot changes it); on
// PostgreSQL it also holds an advisory try-lock of the job while it runs, so
// a slow run is never overlapped by the next slot's on another server.

// JobRun is the last slot a scheduled job was claimed for, and by whom.
type JobRun struct {
	Job   string    `gorm:"primaryKey;size:40"`
	Slot  time.Time `gorm:"not null"`
	RanAt time.Time `gorm:"not null"`
	Host  string    `gorm:"size:100;not null;default:''"`
}

// lockKeyJobs is the advisory-lock key of scheduled jobs, each job a lock of its own.
const lockKeyJobs int64 = 727290

// jobTryLockSQL and jobUnlockSQL take and release a job's session lock within the current schema.
const (
	jobTryLockSQL = "SELECT pg_try_advisory_lock(CAST(? AS integer), hashtext(current_schema() || ':' || ?))"
	jobUnlockSQL  = "SELECT pg_advisory_unlock(CAST(? AS integer), hashtext(current_schema() || ':' || ?))"
)

// SlotOf is the slot a moment falls in for a job run every interval.
func SlotOf(t time.Time, interval time.Duration) time.Time { return t.UTC().Truncate(interval) }

// RunOnce runs fn for a job's slot unless another server has claimed that
// slot (or a later one), or — on PostgreSQL — is running the job now. It
// reports whether fn ran here. A run that fails is not retried within its
// slot: the next slot runs the job again. fn reads the primary, never a
// read replica: scheduled work decides what to write from what it reads.
func (s *Store) RunOnce(ctx context.Context, job string, slot time.Time, fn func(context.Context) error) (bool, error) {
	ctx = WithPrimaryReads(ctx)
	if s.driver != "postgres" {
		// SQLite's writes run one at a time: the claim alone decides. fn
		// writes through the same single connection, so none is held here.
		ok, err := claimSlot(s.db.WithContext(ctx), job, slot, s.now())
		if err != nil || !ok {
			return false, err
		}
		return true, fn(ctx)
	}
	ran := false
	err := s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		// A session, so each statement starts afresh on the one pinned connection
		// (the session lock must be taken and released on the same one).
		conn = conn.Session(&gorm.Session{})
		var locked bool
		if err := conn.Raw(jobTryLockSQL, lockKeyJobs, job).Scan(&locked).Error; err != nil || !locked {
			return err
		}
		ok, err := claimSlot(conn, job, slot, s.now())
		if err == nil && ok {
			ran = true
			err = fn(ctx)
		}
		var unlocked bool
		if uerr := conn.Raw(jobUnlockSQL, lockKeyJobs, job).Scan(&unlocked).Error; uerr != nil || !unlocked {
			return errors.Join(err, fmt.Errorf("unlock job %s: %v %v", job, unlocked, uerr))
		}
		return err
	})
	return ran, err
}

// claimSlot moves a job's row to slot if it is still before it: exactly one
// of several servers claiming the same slot succeeds.
func claimSlot(db *gorm.DB, job string, slot, now time.Time) (bool, error) {
	host, _ := os.Hostname()
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&JobRun{Job: job, Slot: time.Unix(0, 0).UTC(), RanAt: now.UTC()}).Error; err != nil {
		return false, err
	}
	res := db.Model(&JobRun{}).Where("job = ? AND slot < ?", job, slot.UTC()).
		Updates(map[string]any{"slot": slot.UTC(), "ran_at": now.UTC(), "host": host})
	return res.RowsAffected == 1, res.Error
}
