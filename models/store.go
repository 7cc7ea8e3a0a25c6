// Package models holds the portal's data and the programme's rules. It never
// imports HTTP or view code.
package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store wraps the database. On SQLite writes go through a single connection
// whose transactions begin IMMEDIATE, so read-then-write transactions never
// fail with "database is locked"; reads use a separate pool. On PostgreSQL both
// handles are the same pool.
type Store struct {
	db     *gorm.DB // writer
	read   *gorm.DB // readers
	driver string
	// ranks memoises standings; ingest, qualification decisions and transfers invalidate it.
	ranks *memo[rankKey, rankEntry]
	// counts memoises counts and sums over many rows (dashboards, list totals);
	// every committed write transaction invalidates it.
	counts *memo[string, any]
	// changes tells other servers which memos to forget, and hears theirs (FollowChanges).
	changes memoChanges
	// auditKey chains the audit log (HMAC); it comes from outside the database.
	auditKey []byte
	// now is the clock of every rule that depends on time (weeks, months,
	// expiry, holding periods, throttling); Store.tx hands it to helpers (nowOf).
	now func() time.Time
	// passwordCost is bcrypt's cost for new password hashes.
	passwordCost  int
	dummyHashOnce sync.Once
	dummyHash     []byte
	// readOnly stores refuse every write (see ReadOnly).
	readOnly bool
	// words are what people may type for subject areas and content types (UseInputWords).
	words inputWords
	// payee encrypts and decrypts payee numbers (WithPayeeKeys); nil without keys.
	payee *payeeCipher
	// optionErr is a bad option's complaint, returned by Open.
	optionErr error
	// replicas take the reads outside transactions (WithReadReplicas); nil without.
	replicas *readReplicas
	// replicaLag: for this long after a change the memos recompute from the primary (WithReplicaLag).
	replicaLag time.Duration
}

// Now is the time by the store's clock (see WithClock); the web server reads
// the same clock so a test sets one.
func (s *Store) Now() time.Time { return s.now() }

// Option configures Open.
type Option func(*Store)

// WithAuditKey sets the key that chains the audit log. Open refuses to work
// without one: a log anyone could re-chain proves nothing.
func WithAuditKey(key []byte) Option { return func(s *Store) { s.auditKey = key } }

// WithClock replaces time.Now for every rule that reads the clock through the
// store, and for the timestamps GORM fills in (created_at, updated_at).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithPasswordCost sets bcrypt's cost for the password hashes the store makes
// (default bcrypt.DefaultCost). Tests use bcrypt.MinCost to stay quick.
func WithPasswordCost(cost int) Option { return func(s *Store) { s.passwordCost = cost } }

// ReadOnly opens the database so that nothing can change it: the commands
// that only read (backup, audit verify) use it. A SQLite file must exist
// already (it is not created), and PostgreSQL sessions are read-only.
func ReadOnly() Option { return func(s *Store) { s.readOnly = true } }

// Memo lifetimes for what other processes write (see memo).
const (
	rankTTL  = 30 * time.Second
	countTTL = 10 * time.Second
)

// counted memoises a count or sum under key until the next write. compute
// gets a context that outlives the request: others may be waiting for it.
// Callers share what it returns (maps too) and must not modify it.
func counted[V any](ctx context.Context, s *Store, key string, compute func(ctx context.Context) (V, error)) (V, error) {
	v, err := s.counts.load(key, func() (any, error) { return compute(s.memoReads(context.WithoutCancel(ctx), s.counts.changedWithin)) })
	if err != nil {
		var zero V
		return zero, err
	}
	return v.(V), nil
}

// Driver names the database in use: "sqlite" or "postgres".
func (s *Store) Driver() string { return s.driver }

// Open connects to databaseURL (a SQLite file path or a postgres:// URL). It
// changes nothing in the database: Migrate brings the schema up to date, and
// CheckSchema tells whether it is.
func Open(ctx context.Context, databaseURL string, opts ...Option) (*Store, error) {
	s := &Store{ranks: newMemo[rankKey, rankEntry](rankTTL, 64), counts: newMemo[string, any](countTTL, 1000), now: time.Now, replicaLag: ReplicaLag,
		passwordCost: bcrypt.DefaultCost}
	for _, o := range opts {
		o(s)
	}
	cfg := &gorm.Config{
		Logger:         logger.Default.LogMode(logger.Silent),
		TranslateError: true,
		NowFunc:        func() time.Time { return s.now().UTC().Truncate(time.Microsecond) },
	}
	if s.optionErr != nil {
		return nil, fmt.Errorf("open: %w", s.optionErr)
	}
	if len(s.auditKey) < 32 {
		return nil, errors.New("open: an audit key of at least 32 bytes is required (AUDIT_KEY or the audit.key file)")
	}
	if s.passwordCost < bcrypt.MinCost || s.passwordCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("open: bcrypt cost %d is outside %d..%d", s.passwordCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	if IsPostgresURL(databaseURL) {
		dsn := databaseURL
		if s.readOnly {
			// A run-time parameter of every session the pool opens.
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			dsn += sep + "default_transaction_read_only=on"
		}
		db, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(16)
		s.db, s.read, s.driver = db, db, "postgres"
	} else {
		path := strings.TrimPrefix(databaseURL, "sqlite://")
		if path == "" {
			return nil, errors.New("empty database path")
		}
		common := "_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL"
		writerOptions := "&_txlock=immediate&_cache_size=-65536"
		if s.readOnly {
			// mode=ro: a missing file is an error, not a new database; the
			// journal mode is left as it is. VACUUM INTO still works.
			common, writerOptions = "mode=ro&_foreign_keys=on&_busy_timeout=10000", ""
		}
		// In a file: URI "?" and "#" would cut the path short and drop the options.
		path = sqlitePathEscaper.Replace(path)
		writer, err := gorm.Open(sqlite.Open("file:"+path+"?"+common+writerOptions), cfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite writer: %w", err)
		}
		wdb, err := writer.DB()
		if err != nil {
			return nil, err
		}
		wdb.SetMaxOpenConns(1)
		wdb.SetConnMaxLifetime(0)
		reader, err := gorm.Open(sqlite.Open("file:"+path+"?"+common+"&_query_only=true"), cfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite reader: %w", err)
		}
		rdb, err := reader.DB()
		if err != nil {
			return nil, err
		}
		rdb.SetMaxOpenConns(8)
		s.db, s.read, s.driver = writer, reader, "sqlite"
	}
	if err := s.openReadReplicas(cfg); err != nil {
		s.Close()
		return nil, fmt.Errorf("open: %w", err)
	}
	return s, nil
}

// Optimize refreshes SQLite's table statistics where they are missing or stale
// (sampled, so it is quick on millions of rows). Without them SQLite picked an
// index that walked every pending creator to show a manager ten of theirs
// (30x slower). PostgreSQL keeps its own statistics.
//
// It writes (SQLite keeps the statistics in sqlite_stat tables of the
// database), so Open does not call it: the commands that change the database
// do, after migrating; a read-only store skips it.
func (s *Store) Optimize(ctx context.Context) error {
	if s.driver != "sqlite" || s.readOnly {
		return nil
	}
	return s.db.WithContext(ctx).Connection(func(tx *gorm.DB) error {
		if err := tx.Exec("PRAGMA analysis_limit = 1000").Error; err != nil {
			return err
		}
		return tx.Exec("PRAGMA optimize = 0x10002").Error
	})
}

var sqlitePathEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// IsPostgresURL reports whether u names a PostgreSQL database.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// RedactURL hides a password in a database URL for logging.
func RedactURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.User == nil {
		return u
	}
	return parsed.Redacted()
}

// Close releases the database connections.
func (s *Store) Close() {
	s.changes.close() // its last announcement goes out before the pool closes
	s.closeReadReplicas()
	for _, g := range []*gorm.DB{s.db, s.read} {
		if g == nil {
			continue
		}
		if sqlDB, err := g.DB(); err == nil {
			_ = sqlDB.Close()
		}
		if s.db == s.read {
			return
		}
	}
}

// Ping checks that the database answers a query (the primary, with read replicas).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.reader(WithPrimaryReads(ctx)).WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// tx runs fn in one write transaction.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.db.WithContext(withPayeeCipher(withClock(withAuditKey(ctx, s.auditKey), s.now), s.payee)).Transaction(fn)
	if err == nil {
		s.forget(memoCounts) // after the commit, so no reader keeps what it replaced
	}
	return err
}

// r reads outside a transaction; it carries the clock and the payee keys
// as s.tx does, so a read (a payout file's accounts) decrypts the same way.
// With read replicas it reads one, unless ctx wants the primary (WithPrimaryReads).
func (s *Store) r(ctx context.Context) *gorm.DB {
	return s.reader(ctx).WithContext(withPayeeCipher(withClock(ctx, s.now), s.payee))
}

// IsEmpty reports whether the programme has no users yet (subject areas and
// reason codes are created with the schema and do not count).
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	err := s.r(ctx).Model(&User{}).Limit(1).Count(&n).Error
	return n == 0, err
}

// OnQuery calls fn for every SQL statement the store runs; tests use it to
// count queries per page (so a page's query count cannot grow with its rows).
func (s *Store) OnQuery(fn func()) {
	for _, g := range []*gorm.DB{s.db, s.read} {
		cb := g.Callback()
		_ = cb.Query().After("gorm:query").Register("portal:count_query", func(*gorm.DB) { fn() })
		_ = cb.Row().After("gorm:row").Register("portal:count_row", func(*gorm.DB) { fn() })
		_ = cb.Raw().After("gorm:raw").Register("portal:count_raw", func(*gorm.DB) { fn() })
		if s.db == s.read {
			return
		}
	}
}
