package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jd/creator-portal/models/modeltest"
)

// TestDrainForLoadBalancer: on SIGTERM /healthz answers 503 (a balancer takes
// the server out) while pages are still served; a request in flight when the
// listener closes completes; the process exits 0. On SQLite or PostgreSQL.
func TestDrainForLoadBalancer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPortal(t)
	addr := freePort(t)
	// The delay only has to outlast the few requests below; the test waits for log lines, not for time.
	cmd := exec.Command(bin, "serve", "--addr", addr, "--drain-delay", "3s", "--shutdown-timeout", "20s")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+modeltest.DatabaseURL(t), "KEY_DIR="+t.TempDir())
	logs := watchLogs(t, cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	base := "http://" + addr
	for i := 0; ; i++ {
		if res, err := http.Get(base + "/healthz"); err == nil && res.StatusCode == 200 {
			res.Body.Close()
			break
		}
		if i > 200 {
			t.Fatalf("server did not start: %s", logs.text())
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A slow client: its request's head is in, half its body is still on the way.
	body := "email=someone%40example.com&password=not-the-password&_csrf=x"
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "draining")
	if code := status(t, base+"/healthz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/healthz while draining: %d, want 503", code)
	}
	if code := status(t, base+"/login"); code != http.StatusOK {
		t.Fatalf("/login while draining: %d, want 200 (requests are still served)", code)
	}

	logs.waitFor(t, "shutting down") // the listener is closing: the slow request is in flight
	if _, err := slow.Write([]byte(body[10:])); err != nil {
		t.Fatal(err)
	}
	slow.SetReadDeadline(time.Now().Add(15 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(slow), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v\n%s", err, logs.text())
	}
	res.Body.Close()
	if res.StatusCode >= 500 {
		t.Fatalf("the request in flight got %d", res.StatusCode)
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, logs.text())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not stop\n%s", logs.text())
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// processLogs collects a process's standard error line by line.
type processLogs struct {
	mu    sync.Mutex
	lines []string
}

func watchLogs(t *testing.T, cmd *exec.Cmd) *processLogs {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	l := &processLogs{}
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			l.mu.Lock()
			l.lines = append(l.lines, sc.Text())
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *processLogs) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitFor waits until a log line contains s.
func (l *processLogs) waitFor(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < 600; i++ {
		if strings.Contains(l.text(), s) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no log line %q:\n%s", s, l.text())
}
