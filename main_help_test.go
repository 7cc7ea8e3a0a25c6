package main

import (
	"context"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Issue 13, point 6: -h is a question, not a mistake. Every command answers it
// with its usage and exit status 0.
func TestEveryCommandsHelpExitsZero(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPortal(t)
	for _, args := range [][]string{
		{"serve", "-h"}, {"seed", "-h"}, {"user", "-h"}, {"user", "add", "-h"}, {"import", "-h"},
		{"import", "performance", "--help"}, {"backup", "-h"}, {"audit", "-h"}, {"audit", "verify", "-h"},
	} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Errorf("portal %s: %v\n%s", strings.Join(args, " "), err, out)
			continue
		}
		if !strings.Contains(string(out), "Usage: portal "+args[0]) {
			t.Errorf("portal %s printed no usage: %s", strings.Join(args, " "), out)
		}
	}
	// A flag that does not exist is still an error.
	if err := exec.Command(bin, "serve", "--no-such-flag").Run(); err == nil {
		t.Error("serve --no-such-flag exited 0")
	}
}

// serve closes the store only after its background jobs have returned.
func TestBackgroundJobsAreWaitedFor(t *testing.T) {
	var finished atomic.Int32
	slowToStop := func(ctx context.Context) {
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond) // a job finishing its last database call
		finished.Add(1)
	}
	stop := backgroundJobs(context.Background(), slowToStop, slowToStop, func(context.Context) { finished.Add(1) })
	stop()
	if n := finished.Load(); n != 3 {
		t.Fatalf("stop returned with %d of 3 jobs finished", n)
	}
	// A job also ends when the server's own context does.
	ctx, cancel := context.WithCancel(context.Background())
	finished.Store(0)
	stop = backgroundJobs(ctx, slowToStop)
	cancel()
	stop()
	if finished.Load() != 1 {
		t.Fatal("the job did not finish")
	}
}
