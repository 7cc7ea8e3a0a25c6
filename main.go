// Command portal runs the Creator Incentive Portal: the web server and the
// maintenance commands that share its database.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/static"
	"github.com/jd/creator-portal/web"
	"github.com/jd/creator-portal/web/mail"
)

const usage = `Usage: portal <command> [flags]

Commands:
  serve                 bring the schema up to date, then serve the portal (--addr, default :8080 or $PORTAL_ADDR);
                        on SIGTERM /healthz answers 503 for --drain-delay (default 5s) while requests are
                        still served, then requests in flight get --shutdown-timeout (default 20s) to finish
  migrate [--backup FILE]
                        bring the database's schema up to date and say what was done; with --backup,
                        first write a copy of the SQLite database as it was (serve and seed migrate too)
  seed --demo           bring the schema up to date and load the demo programme into an empty database
  user add --email E --role R [--agency ID] [--creator ID] --password-stdin
                        create a user; the password is read from standard input
  import performance FILE.csv
                        check and upsert a (large) weekly performance file, with progress
  import contents FILE.csv
                        check and write a file of the week's content items (videos, live sessions), all or nothing
  backup FILE           consistent copy of a SQLite database, safe while serving
  audit anchor          print the audit log's head (SEQ:HASH) to keep outside the database
  audit verify [--anchor SEQ:HASH] [--allow-empty]
                        check the audit log's HMAC chain and numbering; fails on the first broken
                        entry, on an empty log, and when the log no longer holds the anchor
  keys rotate           re-encrypt every payee ID and account number under a new payee key (see README)

backup and audit open the database read-only and change nothing; they, user add and import refuse a
database whose schema is older than this portal's until "portal migrate" has run.

Environment:
  DATABASE_URL     SQLite file path (default portal.db) or postgres:// URL
  DATABASE_READ_URL
                   optional, PostgreSQL only: postgres:// URL of a read replica (several separated by commas);
                   serve sends list and dashboard reads there, writes and transactions to DATABASE_URL
  DATABASE_READ_AFTER_WRITE
                   with DATABASE_READ_URL: how long a browser reads the primary after its own change,
                   a little more than the replicas' lag (default 5s)
  PORTAL_ADDR      listen address (default :8080)
  SESSION_SECRET   session signing secret, 32+ characters (default: the key file session.key in KEY_DIR)
  AUDIT_KEY        key that chains the audit log, 32+ characters (default: the key file audit.key in KEY_DIR)
  PAYEE_KEY        keys of payee ID and account numbers: 64 hex digits, several separated by commas
                   (the first encrypts, all decrypt) (default: the key file payee.key in KEY_DIR)
  KEY_DIR          where key files are created once (0600): default beside the SQLite database, else "."
  SMTP_URL         send invitation and reset emails through SMTP:
                   smtp://USER:PASS@HOST:587?from=portal@example.com (STARTTLS required; &tls=none to relax)
                   or smtps://USER:PASS@HOST:465?from=... (default: write them to the outbox folder)
  OUTBOX_DIR       where emails are written without SMTP_URL (default: outbox/ beside the SQLite file)
  PORTAL_BASE_URL  the portal's address, for links in emails (default http://localhost:8080)
`

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx, log, os.Args[2:])
	case "migrate":
		err = migrateCmd(ctx, os.Args[2:], os.Stdout)
	case "seed":
		err = seed(ctx, os.Args[2:])
	case "user":
		err = user(ctx, os.Args[2:], os.Stdin)
	case "import":
		err = importCmd(ctx, os.Args[2:], os.Stdout)
	case "backup":
		err = backup(ctx, os.Args[2:])
	case "audit":
		err = auditCmd(ctx, os.Args[2:], os.Stdout)
	case "keys":
		err = keysCmd(ctx, os.Args[2:], os.Stdout)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		err = fmt.Errorf("unknown command %q\n\n%s", os.Args[1], usage)
	}
	if errors.Is(err, flag.ErrHelp) {
		return // -h printed the command's usage: asking for help is not a failure
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", cliError(err))
		os.Exit(1)
	}
}

// commandFlags is a command's flag set: -h prints "Usage: portal <synopsis>"
// and the flags, and the command returns flag.ErrHelp, on which main exits 0.
func commandFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: portal %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// helpAsked answers -h given where a command expects its subcommand (portal
// user -h): the usage, and flag.ErrHelp.
func helpAsked(args []string, synopsis string) error {
	if len(args) == 0 {
		return nil
	}
	switch args[0] {
	case "-h", "-help", "--help", "--h":
		fmt.Fprintf(os.Stderr, "Usage: portal %s\n", synopsis)
		return flag.ErrHelp
	}
	return nil
}

// backgroundJobs runs the server's periodic jobs, each until ctx ends or stop
// is called; stop returns only when every job has returned, so the caller
// closes the store after the last job has finished with it.
func backgroundJobs(ctx context.Context, jobs ...func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Go(func() { job(ctx) })
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

func databaseURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return "portal.db"
}

// access is what a command may do to the database.
type access int

const (
	// migrateSchema: serve, seed and migrate bring the schema up to date first.
	migrateSchema access = iota
	// currentSchema: user add and import change rows of a schema already up to date.
	currentSchema
	// readOnly: backup and audit change nothing, and need an up-to-date schema.
	readOnly
)

// storeOptionsKey carries extra store options in a command's context: the
// tests lower bcrypt's cost with it (withStoreOptions).
type storeOptionsKey struct{}

func withStoreOptions(ctx context.Context, opts ...models.Option) context.Context {
	return context.WithValue(ctx, storeOptionsKey{}, opts)
}

// replicaReadsKey marks the context of serve, the one command whose reads
// may go to read replicas: the others decide what to write from what they
// read, or (backup, audit) must see the primary.
type replicaReadsKey struct{}

// readReplicaURLs is DATABASE_READ_URL, checked: PostgreSQL replicas of a PostgreSQL primary.
func readReplicaURLs() ([]string, error) {
	env := os.Getenv("DATABASE_READ_URL")
	if strings.TrimSpace(env) == "" {
		return nil, nil
	}
	if !models.IsPostgresURL(databaseURL()) {
		return nil, errors.New("DATABASE_READ_URL needs DATABASE_URL to be PostgreSQL (postgres://...): read replicas of a SQLite file do not exist")
	}
	var urls []string
	for _, u := range strings.Split(env, ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if !models.IsPostgresURL(u) {
			return nil, fmt.Errorf("DATABASE_READ_URL: %q is not a postgres:// URL", models.RedactURL(u))
		}
		urls = append(urls, u)
	}
	return urls, nil
}

// connect opens the database (read-only or not) without looking at its schema.
func connect(ctx context.Context, readOnly bool) (*models.Store, error) {
	key, err := auditKey(slog.Default())
	if err != nil {
		return nil, err
	}
	payee, _, err := payeeKeys(slog.Default())
	if err != nil {
		return nil, err
	}
	opts := []models.Option{models.WithAuditKey(key), models.WithPayeeKeys(payee...)}
	extra, _ := ctx.Value(storeOptionsKey{}).([]models.Option)
	opts = append(opts, extra...)
	if readOnly {
		opts = append(opts, models.ReadOnly())
	} else if lag, ok := ctx.Value(replicaReadsKey{}).(time.Duration); ok {
		urls, err := readReplicaURLs()
		if err != nil {
			return nil, err
		}
		if len(urls) > 0 {
			redacted := make([]string, len(urls))
			for i, u := range urls {
				redacted[i] = models.RedactURL(u)
			}
			slog.Info("list and dashboard reads go to read replicas; writes and transactions to DATABASE_URL", "replicas", len(urls), "urls", strings.Join(redacted, ","))
			opts = append(opts, models.WithReadReplicas(urls...), models.WithReplicaLag(lag))
		}
	}
	return models.Open(ctx, databaseURL(), opts...)
}

// openStore opens the database for a command that needs acc.
func openStore(ctx context.Context, acc access) (*models.Store, error) {
	store, err := connect(ctx, acc == readOnly)
	if err != nil {
		return nil, err
	}
	if acc == migrateSchema {
		state, err := store.SchemaState(ctx)
		if err != nil {
			store.Close()
			return nil, err
		}
		n, err := store.Migrate(ctx)
		if err != nil {
			store.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			slog.Info("database schema brought up to date", "steps_applied", n)
			// Say so when this start re-chained the audit log under the audit key (once, on the upgrade past issue 12).
			if rechained := store.AuditRechain(state); rechained != nil {
				if note, ok, err := rechained(ctx); err == nil && ok {
					slog.Warn("the audit log was re-chained under the audit key; run `portal audit anchor` and keep its output", "recorded", note)
				}
			}
		}
	} else if err := store.CheckSchema(ctx); err != nil {
		store.Close()
		var behind *models.SchemaBehindError
		if errors.As(err, &behind) {
			return nil, schemaBehind(behind.State)
		}
		return nil, err
	}
	if acc != readOnly {
		// SQLite's statistics are kept in the database: only commands that write refresh them.
		if err := store.Optimize(ctx); err != nil {
			store.Close()
			return nil, fmt.Errorf("optimize: %w", err)
		}
	}
	return store, nil
}

// schemaBehind is the refusal of a command that will not migrate.
func schemaBehind(st models.SchemaState) error {
	if st.Applied() == 0 {
		return fmt.Errorf("%s holds no portal schema: run \"portal migrate\" (or \"portal seed --demo\") first", models.RedactURL(databaseURL()))
	}
	return fmt.Errorf("the database's schema is older than this portal's (step %d of %d): run \"portal migrate\" first (\"portal migrate --backup FILE\" keeps a copy of the database as it is)",
		st.Applied(), st.Latest)
}

// migrateCmd is `portal migrate`: it applies the migration steps the database
// has not seen yet and says what it did.
func migrateCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	backupTo := fs.String("backup", "", "first write a copy of the SQLite database as it is to this new file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("migrate: unexpected %q", fs.Arg(0))
	}
	store, err := connect(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	before, err := store.SchemaState(ctx)
	if err != nil {
		return err
	}
	if before.Current() {
		fmt.Fprintf(out, "schema up to date (step %d); nothing to do\n", before.Latest)
		return nil
	}
	if *backupTo != "" {
		if err := store.Backup(ctx, *backupTo); err != nil {
			return fmt.Errorf("backup before migrating: %w", err)
		}
		fmt.Fprintln(out, "backup written to", *backupTo)
	}
	n, err := store.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate (the steps before the failed one are kept; each step is all or nothing): %w", err)
	}
	if err := store.Optimize(ctx); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	fmt.Fprintf(out, "schema migrated: %d steps applied, from step %d to step %d\n", n, before.Applied(), before.Latest)
	return nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func serve(ctx context.Context, log *slog.Logger, args []string) error {
	fs := commandFlags("serve", "serve [flags]")
	addr := fs.String("addr", envOr("PORTAL_ADDR", ":8080"), "listen address")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (serve behind HTTPS)")
	proxies := fs.String("trusted-proxies", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is trusted")
	drainDelay := fs.Duration("drain-delay", 5*time.Second, "on SIGTERM, how long /healthz answers 503 while requests are still served, so a load balancer stops sending any (0: none)")
	shutdownTimeout := fs.Duration("shutdown-timeout", 20*time.Second, "after the drain delay, how long requests in flight may take to finish")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var trusted []*net.IPNet
	for _, cidr := range strings.Split(*proxies, ",") {
		if cidr = strings.TrimSpace(cidr); cidr == "" {
			continue
		}
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return fmt.Errorf("--trusted-proxies: %q is not a CIDR such as 10.0.0.0/8", cidr)
		}
		trusted = append(trusted, n)
	}
	primaryAfterWrite := web.DefaultPrimaryAfterWrite
	if v := os.Getenv("DATABASE_READ_AFTER_WRITE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("DATABASE_READ_AFTER_WRITE: %q is not a duration such as 5s", v)
		}
		primaryAfterWrite = d
	}
	store, err := openStore(context.WithValue(ctx, replicaReadsKey{}, primaryAfterWrite), migrateSchema)
	if err != nil {
		return err
	}
	defer store.Close()
	secret, err := sessionSecret(ctx, store, log)
	if err != nil {
		return err
	}
	mailer, err := mail.FromEnv(os.Getenv, databaseURL())
	if err != nil {
		return err
	}
	log.Info("invitation and password-reset emails go to "+mailer.Sender.String(), "links", mailer.BaseURL)
	srv := web.New(store, web.Config{SessionSecret: secret, SecureCookies: *secure, TrustedProxies: trusted, Static: static.FS, Logger: log, Mail: mailer,
		PrimaryAfterWrite: primaryAfterWrite})
	var draining atomic.Bool
	hs := &http.Server{
		Addr:              *addr,
		Handler:           drainingHealth(srv.Handler(), &draining),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	// The jobs outlive the signal: they stop after the last request has been served (stopJobs below).
	stopJobs := backgroundJobs(context.WithoutCancel(ctx),
		func(ctx context.Context) { applyTransfers(ctx, store, log) },
		func(ctx context.Context) { refreshStatistics(ctx, store, log) },
		func(ctx context.Context) { publishAuditHead(ctx, store, log) },
		func(ctx context.Context) {
			// PostgreSQL: forget memos when another server announces a change (SQLite: returns at once).
			store.FollowChanges(ctx, func(err error) { log.Warn("memo changes", "err", err) })
		},
		func(ctx context.Context) {
			if err := store.WarmRanks(ctx, store.Now()); err != nil && ctx.Err() == nil {
				log.Error("warm ranks", "err", err)
			}
		})
	defer stopJobs() // before the deferred store.Close: no job is left using a closed store
	if pp := os.Getenv("PORTAL_PPROF"); pp != "" {
		// Profiles for `make bench`; listen on loopback only (for example 127.0.0.1:6060).
		go func() { log.Info("pprof", "err", http.ListenAndServe(pp, pprofMux())) }()
	}
	log.Info("serving", "addr", *addr, "database", models.RedactURL(databaseURL()), "driver", store.Driver())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return drain(hs, &draining, *drainDelay, *shutdownTimeout, log)
}

func seed(ctx context.Context, args []string) error {
	fs := commandFlags("seed", "seed --demo | --scale [flags]")
	demo := fs.Bool("demo", false, "load the demo programme")
	scale := fs.Bool("scale", false, "load a programme of real size for benchmarks")
	creators := fs.Int("creators", 100_000, "with --scale: creators")
	agencies := fs.Int("agencies", 2_000, "with --scale: agencies")
	weeks := fs.Int("weeks", 52, "with --scale: weeks of performance")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *demo == *scale {
		return errors.New("seed: say what to load: --demo or --scale")
	}
	store, err := openStore(ctx, migrateSchema)
	if err != nil {
		return err
	}
	defer store.Close()
	if *scale {
		if *creators < 1 || *agencies < 1 || *weeks < 1 {
			return errors.New("seed --scale: --creators, --agencies and --weeks must be at least 1")
		}
		start := time.Now()
		err := store.SeedScale(ctx, models.ScaleOptions{Creators: *creators, Agencies: *agencies, Weeks: *weeks,
			Progress: func(f string, a ...any) { fmt.Printf(f+"\n", a...) }}, store.Now())
		if errors.Is(err, models.ErrNotEmpty) {
			fmt.Println("Scale data not loaded: the database already holds a programme; reusing it (start from an empty database to load it again)")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Printf("scale programme loaded in %s; sign in as admin@scale.test, reviewer1@scale.test, mcn1@scale.test or creator1@scale.test with password %s\n", time.Since(start).Round(time.Second), models.DemoPassword)
		return nil
	}
	logins, err := store.SeedDemo(ctx)
	if errors.Is(err, models.ErrNotEmpty) {
		fmt.Println("Demo not loaded:", err)
		fmt.Println("If this database was seeded with the demo, sign in as admin@demo.test, admin2@demo.test, reviewer1@demo.test, mcn1@demo.test or creator1@demo.test with password", models.DemoPassword)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Println("Demo programme loaded. Demo logins (password " + models.DemoPassword + "):")
	for _, l := range logins {
		fmt.Printf("  %-24s %-12s %s\n", l.Email, l.Role, l.Note)
	}
	return nil
}

const userSynopsis = "user add --email E --role R [--agency ID] [--creator ID] --password-stdin"

func user(ctx context.Context, args []string, stdin io.Reader) error {
	if err := helpAsked(args, userSynopsis); err != nil {
		return err
	}
	if len(args) == 0 || args[0] != "add" {
		return errors.New("user: the only subcommand is add")
	}
	fs := commandFlags("user add", userSynopsis)
	email := fs.String("email", "", "email address")
	role := fs.String("role", "", "admin, reviewer, mcn_manager or creator")
	agency := fs.String("agency", "", "agency ID (MCN managers)")
	creator := fs.String("creator", "", "creator ID (creators)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !*passwordStdin {
		return errors.New("user add: pass --password-stdin and the password on standard input (never on the command line)")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	n := models.NewUser{Email: *email, Password: strings.TrimRight(line, "\r\n"), Role: models.Role(*role)}
	if n.AgencyID, err = optionalID("--agency", *agency); err != nil {
		return err
	}
	if n.CreatorID, err = optionalID("--creator", *creator); err != nil {
		return err
	}
	store, err := openStore(ctx, currentSchema)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, models.SystemActor(), n)
	if err != nil {
		return err
	}
	fmt.Printf("created user %d: %s (%s)\n", u.ID, u.Email, u.Role)
	return nil
}

func optionalID(flagName, s string) (*uint, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return nil, fmt.Errorf("%s: %q is not an ID", flagName, s)
	}
	id := uint(n)
	return &id, nil
}

// applyTransfers moves creators whose accepted transfer has come due, at
// start and then every minute, so a month's first day takes effect promptly;
// each minute on one server of a fleet only.
func applyTransfers(ctx context.Context, store *models.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		_, err := store.RunOnce(ctx, "transfers", models.SlotOf(store.Now(), time.Minute), func(ctx context.Context) error {
			n, err := store.ApplyDueTransfers(ctx, store.Now())
			if n > 0 {
				log.Info("transfers took effect", "count", n)
			}
			return err
		})
		if err != nil && ctx.Err() == nil {
			log.Error("apply transfers", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// refreshStatistics keeps the query planner's statistics current as the data
// grows, and prunes old sign-in counters and full API budgets: hourly, on one
// server of a fleet.
func refreshStatistics(ctx context.Context, store *models.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_, err := store.RunOnce(ctx, "statistics", models.SlotOf(store.Now(), time.Hour), func(ctx context.Context) error {
				if err := store.Optimize(ctx); err != nil {
					return fmt.Errorf("refresh statistics: %w", err)
				}
				if err := store.PruneSignInThrottles(ctx); err != nil {
					return err
				}
				return store.PruneAPIRateLimits(ctx)
			})
			if err != nil && ctx.Err() == nil {
				log.Error("statistics and sign-in counters", "err", err)
			}
		}
	}
}

func backup(ctx context.Context, args []string) error {
	fs := commandFlags("backup", "backup FILE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if args = fs.Args(); len(args) != 1 {
		return errors.New("backup: give the file to write, e.g. portal backup portal-2026-11-24.db")
	}
	store, err := openStore(ctx, readOnly)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, args[0]); err != nil {
		return err
	}
	fmt.Println("backup written to", args[0])
	return nil
}

// publishAuditHead logs the audit log's head at start and every ten minutes
// (in a fleet, one server each ten minutes), so the head is kept outside the
// database (in the servers' logs) and a later `portal audit verify --anchor`
// can prove nothing before it was removed or re-written.
func publishAuditHead(ctx context.Context, store *models.Store, log *slog.Logger) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		_, err := store.RunOnce(ctx, "audit_anchor", models.SlotOf(store.Now(), 10*time.Minute), func(ctx context.Context) error {
			head, err := store.AuditHeadNow(ctx)
			if err == nil {
				log.Info("audit anchor", "anchor", head.String())
			}
			return err
		})
		if err != nil && ctx.Err() == nil {
			log.Error("audit anchor", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func auditCmd(ctx context.Context, args []string, out io.Writer) error {
	const synopsis = "audit verify [--anchor SEQ:HASH] [--allow-empty] | audit anchor"
	if err := helpAsked(args, synopsis); err != nil {
		return err
	}
	if len(args) == 0 || (args[0] != "verify" && args[0] != "anchor") {
		return errors.New("audit: say verify [--anchor SEQ:HASH] [--allow-empty], or anchor")
	}
	fs := commandFlags("audit "+args[0], synopsis)
	anchor := fs.String("anchor", "", "with verify: a head printed earlier by `portal audit anchor` (SEQ:HASH)")
	allowEmpty := fs.Bool("allow-empty", false, "with verify: an empty log passes (a new installation)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	opt := models.VerifyOptions{AllowEmpty: *allowEmpty}
	if *anchor != "" {
		head, err := models.ParseAuditHead(*anchor)
		if err != nil {
			return err
		}
		opt.Anchor = &head
	}
	store, err := openStore(ctx, readOnly)
	if err != nil {
		return err
	}
	defer store.Close()
	if args[0] == "anchor" {
		head, err := store.AuditHeadNow(ctx)
		if err != nil {
			return err
		}
		if head.Seq == 0 {
			return errors.New("audit anchor: the audit log is empty")
		}
		fmt.Fprintln(out, head.String())
		return nil
	}
	check, err := store.VerifyAudit(ctx, opt)
	if err != nil {
		return err
	}
	switch {
	case check.BrokenAt != 0:
		return fmt.Errorf("audit log broken at entry %d: %s (%d entries checked before it)", check.BrokenAt, check.Problem, check.Checked)
	case check.Failed:
		return fmt.Errorf("audit log fails verification: %s (%d entries checked)", check.Problem, check.Checked)
	}
	fmt.Fprintf(out, "audit log intact: %d entries, head %s\n", check.Checked, check.Head)
	return nil
}
