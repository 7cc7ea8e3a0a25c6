package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
)

// Caches agree across servers (issue 18): on PostgreSQL a server that
// forgets a memo after a commit tells the others with NOTIFY on
// memoChannel, and every server LISTENs and forgets the memos named. The
// ttl of each memo stays the fallback for a notification that is lost.
//
// A commit does not wait for its notification: it marks the memo pending
// and wakes one sender goroutine, which sends what is pending in one NOTIFY
// on a pooled connection. A burst of approvals while a NOTIFY is on its way
// is announced by the next one, so the hot path gains no round trip and
// PostgreSQL's notification queue one entry per burst, not per commit.

// memoChannel is the channel of memo notifications. Its payload is
// "<memos> <instance> <schema>": the memos forgotten (comma-separated), the
// sending store's instance (a server skips its own) and its schema (several
// portals, or tests, may share one database in different schemas).
const memoChannel = "portal_memo"

// memoSet names memos as bits, so pending announcements merge by OR.
type memoSet uint32

const (
	memoCounts memoSet = 1 << iota
	memoRanks
	memoAll = memoCounts | memoRanks
)

var memoNames = []struct {
	set  memoSet
	name string
}{{memoCounts, "counts"}, {memoRanks, "ranks"}}

func (m memoSet) String() string {
	var names []string
	for _, n := range memoNames {
		if m&n.set != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ",")
}

func parseMemoSet(s string) memoSet {
	var m memoSet
	for name := range strings.SplitSeq(s, ",") {
		for _, n := range memoNames {
			if n.name == name {
				m |= n.set
			}
		}
	}
	return m
}

// memoChanges announces this store's memo invalidations and follows
// others'. Its zero value is ready: the sender starts with the first
// announcement (on PostgreSQL) and stops with Close.
type memoChanges struct {
	mu       sync.Mutex
	instance string
	started  bool
	closed   bool
	wake     chan struct{} // buffered 1: the sender has something to send
	stop     chan struct{}
	done     chan struct{}
	pending  atomic.Uint32 // memoSet not yet announced
	// report receives the sender's and the listener's failures while
	// FollowChanges runs (nil otherwise: the ttl covers them).
	report atomic.Pointer[func(error)]
	// listenerPID is the listening connection's backend (0 while not listening).
	listenerPID atomic.Uint32
	// sent counts NOTIFYs sent, for tests and measurements.
	sent atomic.Int64
}

// id is this store's instance, made on first use.
func (c *memoChanges) id() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.instance == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		c.instance = hex.EncodeToString(b)
	}
	return c.instance
}

// forget drops memos here and, on PostgreSQL, tells the other servers to.
// Call it after the commit that changed what they hold.
func (s *Store) forget(m memoSet) {
	s.forgetHere(m)
	if s.driver == "postgres" && !s.readOnly {
		s.changes.announce(s, m)
	}
}

// forgetHere drops memos in this process only.
func (s *Store) forgetHere(m memoSet) {
	if m&memoCounts != 0 {
		s.counts.invalidate()
	}
	if m&memoRanks != 0 {
		s.ranks.invalidate()
	}
}

// forgetRanks drops the standings everywhere (after a commit that changes them).
func (s *Store) forgetRanks() { s.forget(memoRanks) }

func (c *memoChanges) announce(s *Store, m memoSet) {
	c.pending.Or(uint32(m))
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	if !c.started {
		c.started = true
		c.wake, c.stop, c.done = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
		go c.send(s)
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default: // already woken: this set goes with that NOTIFY or the next
	}
}

// send runs the sender until close, and then sends what is still pending.
func (c *memoChanges) send(s *Store) {
	defer close(c.done)
	instance := c.id()
	for {
		select {
		case <-c.wake:
		case <-c.stop:
			c.notify(s, instance)
			return
		}
		c.notify(s, instance)
	}
}

func (c *memoChanges) notify(s *Store, instance string) {
	m := memoSet(c.pending.Swap(0))
	if m == 0 {
		return
	}
	sqlDB, err := s.db.DB()
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		// Straight on database/sql: no GORM callbacks (tests count a page's queries through them).
		_, err = sqlDB.ExecContext(ctx, "SELECT pg_notify($1, $2 || ' ' || current_schema())", memoChannel, m.String()+" "+instance)
		cancel()
	}
	if err != nil {
		c.fail(fmt.Errorf("announce memo change: %w", err))
		return
	}
	c.sent.Add(1)
}

func (c *memoChanges) fail(err error) {
	if report := c.report.Load(); report != nil {
		(*report)(err)
	}
}

// close stops the sender after it has sent what is pending.
func (c *memoChanges) close() {
	c.mu.Lock()
	started, already := c.started, c.closed
	c.closed = true
	c.mu.Unlock()
	if started && !already {
		close(c.stop)
		<-c.done
	}
}

// Reconnection waits of the listener: doubled after each failure up to the most.
const (
	listenRetryFirst = 100 * time.Millisecond
	listenRetryMost  = 10 * time.Second
)

// FollowChanges keeps this server's memos in step with the other servers'
// writes until ctx ends: on PostgreSQL it listens for their announcements
// on a connection of its own and forgets what they name. When that
// connection drops it reconnects (waiting longer after each failure) and
// forgets everything, since announcements may have been missed meanwhile.
// report gets each failure (it may be nil). On SQLite it returns at once:
// one process writes, and its own writes already show at once.
func (s *Store) FollowChanges(ctx context.Context, report func(error)) {
	if s.driver != "postgres" {
		return
	}
	if report == nil {
		report = func(error) {}
	}
	s.changes.report.Store(&report)
	defer s.changes.report.Store(nil)
	dialector, ok := s.db.Dialector.(*postgres.Dialector)
	if !ok {
		report(fmt.Errorf("listen for memo changes: no PostgreSQL connection string in %T", s.db.Dialector))
		return
	}
	dsn := dialector.DSN
	wait := listenRetryFirst
	for {
		began := time.Now()
		err := s.listen(ctx, dsn)
		s.changes.listenerPID.Store(0)
		if ctx.Err() != nil {
			return
		}
		report(fmt.Errorf("listen for memo changes: %w", err))
		if time.Since(began) > listenRetryMost {
			wait = listenRetryFirst // it had been working: retry soon
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, listenRetryMost)
	}
}

// listen follows announcements on one connection until it fails or ctx ends.
func (s *Store) listen(ctx context.Context, dsn string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = conn.Close(closeCtx)
		cancel()
	}()
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{memoChannel}.Sanitize()); err != nil {
		return err
	}
	// Whatever changed before LISTEN took effect was not heard.
	s.forgetHere(memoAll)
	s.changes.listenerPID.Store(conn.PgConn().PID())
	self := s.changes.id()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		memos, rest, ok := strings.Cut(n.Payload, " ")
		from, fromSchema, ok2 := strings.Cut(rest, " ")
		if !ok || !ok2 || from == self || fromSchema != schema {
			continue
		}
		s.forgetHere(parseMemoSet(memos))
	}
}

// ForgetCaches drops every memo in this process: for a change made behind the
// portal's back (a test's raw update), which no commit announced.
func (s *Store) ForgetCaches() { s.forgetHere(memoAll) }
