package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// Read replicas (issue 18, point 5). With WithReadReplicas the reads a store
// makes outside transactions (s.r: lists, dashboards, pages) go to PostgreSQL
// replicas through GORM's dbresolver, and everything else stays on the
// primary: s.tx, RunOnce's pinned connection, Migrate and Optimize use s.db,
// which has no resolver at all. A replica lags its primary a little, so a
// request that must see what was just written (the page after a person's own
// POST, a scheduled job deciding what to write) carries WithPrimaryReads.
//
// s.read becomes a second handle on the primary's pool with the resolver
// registered: its queries go to a replica (round robin), and whatever the
// resolver does not take for a read — a write, a transaction begun on it,
// SELECT ... FOR UPDATE, raw SQL that does not start with SELECT (WITH ...)
// — goes to the primary.

// readReplicas are the replicas' URLs and, once open, their pools.
type readReplicas struct {
	urls  []string
	pools []*sql.DB
}

// WithReadReplicas sends the store's reads outside transactions to these
// PostgreSQL replicas of the primary (none: everything reads the primary).
// Open refuses them on SQLite and on a read-only store, whose commands
// (backup, audit) must read the primary.
func WithReadReplicas(urls ...string) Option {
	return func(s *Store) {
		if len(urls) > 0 {
			s.replicas = &readReplicas{urls: urls}
		}
	}
}

// ReadReplicas is the number of replicas the store reads from (0: it reads the primary).
func (s *Store) ReadReplicas() int {
	if s.replicas == nil {
		return 0
	}
	return len(s.replicas.urls)
}

type primaryReadsKey struct{}

// WithPrimaryReads marks a context whose reads must see every committed
// write: with read replicas they go to the primary instead.
func WithPrimaryReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryReadsKey{}, true)
}

func primaryReads(ctx context.Context) bool {
	v, _ := ctx.Value(primaryReadsKey{}).(bool)
	return v
}

// ReplicaLag is how far behind its primary a replica may be, unless
// WithReplicaLag says otherwise: for that long after a change the memos
// recompute from the primary (memoReads), and the web server reads a
// person's pages from it after their own POST.
const ReplicaLag = 5 * time.Second

// WithReplicaLag sets how long after a change the memos recompute from the
// primary rather than a replica (default ReplicaLag).
func WithReplicaLag(d time.Duration) Option { return func(s *Store) { s.replicaLag = d } }

// memoReads marks ctx to read the primary when a memo was invalidated within
// ReplicaLag: computed from a replica that has not caught up yet, a total
// would be kept (and served) for the memo's whole lifetime.
func (s *Store) memoReads(ctx context.Context, changedWithin func(time.Duration) bool) context.Context {
	if s.replicas != nil && changedWithin(s.replicaLag) {
		return WithPrimaryReads(ctx)
	}
	return ctx
}

// reader is the handle s.r reads through: the replicas' resolver, or the
// primary for a context marked WithPrimaryReads.
func (s *Store) reader(ctx context.Context) *gorm.DB {
	if s.replicas != nil && primaryReads(ctx) {
		return s.db
	}
	return s.read
}

// openReadReplicas connects to the replicas and makes s.read route to them;
// without replicas it does nothing.
func (s *Store) openReadReplicas(cfg *gorm.Config) error {
	if s.replicas == nil {
		return nil
	}
	if s.driver != "postgres" {
		return errors.New("read replicas need PostgreSQL: the database is a SQLite file")
	}
	if s.readOnly {
		return errors.New("a read-only store reads the primary only: no read replicas")
	}
	var replicas []gorm.Dialector
	for _, u := range s.replicas.urls {
		if !IsPostgresURL(u) {
			return fmt.Errorf("read replica %q is not a postgres:// URL", RedactURL(u))
		}
		// Read-only sessions: a hot standby refuses writes anyway, and any
		// other kind of replica must not take one by mistake.
		db, err := gorm.Open(postgres.Open(withSessionParam(u, "default_transaction_read_only=on")), configLike(cfg))
		if err != nil {
			return fmt.Errorf("open read replica %s: %w", RedactURL(u), err)
		}
		pool, err := db.DB()
		if err != nil {
			return err
		}
		s.replicas.pools = append(s.replicas.pools, pool)
		pool.SetMaxOpenConns(32)
		pool.SetMaxIdleConns(16)
		replicas = append(replicas, postgres.New(postgres.Config{Conn: pool}))
	}
	primary, err := s.db.DB()
	if err != nil {
		return err
	}
	read, err := gorm.Open(postgres.New(postgres.Config{Conn: primary}), configLike(cfg))
	if err != nil {
		return err
	}
	if err := read.Use(dbresolver.Register(dbresolver.Config{Replicas: replicas, Policy: dbresolver.RoundRobinPolicy()})); err != nil {
		return fmt.Errorf("read replicas: %w", err)
	}
	s.read = read
	return nil
}

// configLike is a new GORM configuration with cfg's settings. gorm.Open
// keeps the one it is given and puts the handle's callbacks and pool in it,
// so the primary's must not be shared: the resolver's callbacks would route
// the primary's own statements (s.db) to a replica.
func configLike(cfg *gorm.Config) *gorm.Config {
	return &gorm.Config{Logger: cfg.Logger, TranslateError: cfg.TranslateError, NowFunc: cfg.NowFunc}
}

// closeReadReplicas closes the replicas' pools (the primary's is Close's).
func (s *Store) closeReadReplicas() {
	if s.replicas == nil {
		return
	}
	for _, p := range s.replicas.pools {
		_ = p.Close()
	}
	s.replicas.pools = nil
}

// withSessionParam adds a run-time parameter to a postgres:// URL.
func withSessionParam(dsn, param string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&" + param
	}
	return dsn + "?" + param
}
