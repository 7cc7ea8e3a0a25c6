package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// buildPortal builds the real binary once per test run.
func buildPortal(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "portal")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestGracefulShutdownOnSIGTERM: requests in flight complete, the server
// exits cleanly and SQLite's write-ahead log is checkpointed away.
func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPortal(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	env := append(os.Environ(), "DATABASE_URL="+db)
	if out, err := (&exec.Cmd{Path: bin, Args: []string{bin, "seed", "--demo"}, Env: env}).CombinedOutput(); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	addr := freePort(t)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--drain-delay", "0")
	cmd.Env = env
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	for i := 0; ; i++ {
		if res, err := http.Get(base + "/healthz"); err == nil && res.StatusCode == 200 {
			res.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("server did not start: %s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Keep requests flowing while the signal arrives; none may be cut off half-way.
	done := make(chan error, 1)
	go func() {
		for {
			res, err := http.Get(base + "/top-creators")
			if err != nil {
				done <- nil // refused after shutdown: fine
				return
			}
			_, rerr := bufio.NewReader(res.Body).WriteTo(discard{})
			res.Body.Close()
			if rerr != nil {
				done <- fmt.Errorf("a response was cut off: %v", rerr)
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the server did not stop within 15 s")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Fatalf("no shutdown log: %s", logs.String())
	}
	// Without SMTP_URL the log says where emails go: the outbox beside the database.
	if outbox := filepath.Join(dir, "outbox"); !strings.Contains(logs.String(), "outbox folder "+outbox) {
		t.Fatalf("the log does not name the outbox %s: %s", outbox, logs.String())
	}
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		t.Fatalf("the write-ahead log was left with %d bytes: the database was not closed cleanly", fi.Size())
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestImportSurvivesSIGKILL kills a large import part-way: what was written
// is whole chunks, and running it again completes with no duplicates.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPortal(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	env := append(os.Environ(), "DATABASE_URL="+db)
	if out, err := (&exec.Cmd{Path: bin, Args: []string{bin, "seed", "--demo"}, Env: env}).CombinedOutput(); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	// 200 demo creators × 300 weeks = 60,000 rows, reaching back before the
	// demo's programme start: this programme starts earlier.
	if err := modeltest.OpenRaw(t, db).Save(&models.Setting{Key: "programme_start_week", Value: "2020-W01"}).Error; err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("account_id,week,videos,live_sessions,views,orders,gmv_fen\n")
	start := time.Now().AddDate(0, 0, -7*305)
	rows := 0
	for w := 0; w < 300; w++ {
		week := models.WeekOf(start.AddDate(0, 0, 7*w)).String()
		for c := 0; c < 200; c++ {
			fmt.Fprintf(&b, "jd_cr_%06d,%s,%d,0,%d,1,%d\n", 100000+c, week, c%4, c*10+w, c*100+w)
			rows++
		}
	}
	file := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	store, err := models.Open(context.Background(), db, models.WithAuditKey(readKeyFile(t, filepath.Join(dir, "audit.key"))))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	count := func() int64 {
		n, err := store.CountPerformanceRows(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count() // the demo's own eight weeks

	cmd := exec.Command(bin, "import", "performance", file)
	cmd.Env = env
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "/60000 rows") { // the first chunk is written: kill it now
			cmd.Process.Kill()
			break
		}
	}
	cmd.Wait()
	mid := count()
	if mid < before || mid > before+int64(rows) {
		t.Fatalf("after the kill: %d rows (before %d)", mid, before)
	}
	// Re-run: completes, and the result is exactly the file plus the demo weeks it did not overlap.
	rerun := exec.Command(bin, "import", "performance", file)
	rerun.Env = env
	if res, err := rerun.CombinedOutput(); err != nil || !strings.Contains(string(res), "60000/60000 rows") {
		t.Fatalf("re-run: %v\n%s", err, res)
	}
	final := count()
	if mid >= final {
		t.Fatalf("the import had finished before the kill (%d rows): nothing was tested", mid)
	}
	t.Logf("rows: %d before, %d after the kill, %d after the re-run", before, mid, final)
	again := exec.Command(bin, "import", "performance", file)
	again.Env = env
	if res, err := again.CombinedOutput(); err != nil || !strings.Contains(string(res), "0 new weeks") {
		t.Fatalf("third run: %v\n%s", err, res)
	}
	if count() != final || final < int64(rows) {
		t.Fatalf("rows %d after re-runs, %d in the file", final, rows)
	}
	check, err := store.VerifyAudit(context.Background(), models.VerifyOptions{})
	if err != nil || !check.OK() {
		t.Fatalf("audit chain after the kill: %+v %v", check, err)
	}
}

// readKeyFile reads a key file the binary created beside its database.
func readKeyFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return key
}
