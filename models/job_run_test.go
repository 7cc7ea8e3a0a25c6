package models_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// Three servers on one database run the same job loop: each slot runs on
// exactly one of them, an older slot never runs again, and (PostgreSQL) a run
// still going holds the next slot off the other servers until it ends.
func TestJobRunsOncePerSlotAcrossServers(t *testing.T) {
	t.Parallel()
	dsn := modeltest.DatabaseURL(t)
	servers := []*models.Store{modeltest.Open(t, dsn), modeltest.Open(t, dsn), modeltest.Open(t, dsn)}
	start := models.SlotOf(time.Date(2026, 12, 1, 8, 0, 30, 0, time.UTC), time.Minute)
	var runs atomic.Int64
	job := func(context.Context) error { runs.Add(1); return nil }
	for minute := range 5 {
		slot := start.Add(time.Duration(minute) * time.Minute)
		var wg sync.WaitGroup
		for _, s := range servers {
			for range 4 { // each server's loop may tick more than once in a slot
				wg.Go(func() {
					if _, err := s.RunOnce(ctx, "transfers", slot, job); err != nil {
						t.Error(err)
					}
				})
			}
		}
		wg.Wait()
		if got := runs.Load(); got != int64(minute+1) {
			t.Fatalf("after slot %d the job ran %d times, want %d", minute+1, got, minute+1)
		}
	}
	if ran, err := servers[1].RunOnce(ctx, "transfers", start, job); err != nil || ran {
		t.Fatalf("an older slot ran again: %v %v", ran, err)
	}
	// Another job has its own slots.
	if ran, err := servers[2].RunOnce(ctx, "statistics", start, job); err != nil || !ran {
		t.Fatalf("a second job did not run: %v %v", ran, err)
	}
	var runsList []models.JobRun
	err := modeltest.OpenRaw(t, dsn).Order("job").Find(&runsList).Error
	if err != nil || len(runsList) != 2 || runsList[1].Job != "transfers" || !runsList[1].Slot.Equal(start.Add(4*time.Minute)) {
		t.Fatalf("job runs %+v %v", runsList, err)
	}
	if servers[0].Driver() != "postgres" {
		return
	}
	// A slow run on one server: the next slot's tick elsewhere skips it.
	release, started := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := servers[0].RunOnce(ctx, "anchors", start, func(context.Context) error { close(started); <-release; return nil })
		done <- err
	}()
	<-started
	if ran, err := servers[1].RunOnce(ctx, "anchors", start.Add(10*time.Minute), job); err != nil || ran {
		t.Fatalf("the next slot ran while the last one was still running: %v %v", ran, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ran, err := servers[1].RunOnce(ctx, "anchors", start.Add(10*time.Minute), job); err != nil || !ran {
		t.Fatalf("the next slot did not run once the last one ended: %v %v", ran, err)
	}
}
