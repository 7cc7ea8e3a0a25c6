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
	"syscall"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/static"
	"github.com/jd/creator-portal/web"
	"github.com/jd/creator-portal/web/mail"
)

const usage = `Usage: portal <command> [flags]

Commands:
  serve                 serve the portal (--addr, default :8080 or $PORTAL_ADDR)
  seed --demo           load the demo programme into an empty database
  user add --email E --role R [--agency ID] [--creator ID] --password-stdin
                        create a user; the password is read from standard input
  import performance FILE.csv
                        check and upsert a (large) weekly performance file, with progress
  backup FILE           consistent copy of a SQLite database, safe while serving
  audit anchor          print the audit log's head (SEQ:HASH) to keep outside the database
  audit verify [--anchor SEQ:HASH] [--allow-empty]
                        check the audit log's HMAC chain and numbering; fails on the first broken
                        entry, on an empty log, and when the log no longer holds the anchor

Environment:
  DATABASE_URL     SQLite file path (default portal.db) or postgres:// URL
  PORTAL_ADDR      listen address (default :8080)
  SESSION_SECRET   session signing secret, 32+ characters (default: the key file session.key in KEY_DIR)
  AUDIT_KEY        key that chains the audit log, 32+ characters (default: the key file audit.key in KEY_DIR)
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
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		err = fmt.Errorf("unknown command %q\n\n%s", os.Args[1], usage)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func databaseURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return "portal.db"
}

func openStore(ctx context.Context) (*models.Store, error) {
	key, err := auditKey(slog.Default())
	if err != nil {
		return nil, err
	}
	return models.Open(ctx, databaseURL(), models.WithAuditKey(key))
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func serve(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", envOr("PORTAL_ADDR", ":8080"), "listen address")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (serve behind HTTPS)")
	proxies := fs.String("trusted-proxies", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is trusted")
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
	store, err := openStore(ctx)
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
	srv := web.New(store, web.Config{SessionSecret: secret, SecureCookies: *secure, TrustedProxies: trusted, Static: static.FS, Logger: log, Mail: mailer})
	hs := &http.Server{
		Addr:              *addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	go applyTransfers(ctx, store, log)
	go refreshStatistics(ctx, store, log)
	go publishAuditHead(ctx, store, log)
	go func() {
		if err := store.WarmRanks(ctx, store.Now()); err != nil && ctx.Err() == nil {
			log.Error("warm ranks", "err", err)
		}
	}()
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
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

func seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
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
	store, err := openStore(ctx)
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

func user(ctx context.Context, args []string, stdin io.Reader) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("user: the only subcommand is add")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
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
	store, err := openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, nil, n)
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
// start and then every minute, so a month's first day takes effect promptly.
func applyTransfers(ctx context.Context, store *models.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		if n, err := store.ApplyDueTransfers(ctx, store.Now()); err != nil {
			log.Error("apply transfers", "err", err)
		} else if n > 0 {
			log.Info("transfers took effect", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// refreshStatistics keeps the query planner's statistics current as the data grows.
func refreshStatistics(ctx context.Context, store *models.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := store.Optimize(ctx); err != nil {
				log.Error("refresh statistics", "err", err)
			}
			if err := store.PruneSignInThrottles(ctx); err != nil {
				log.Error("prune sign-in counters", "err", err)
			}
		}
	}
}

func backup(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("backup: give the file to write, e.g. portal backup portal-2026-11-24.db")
	}
	store, err := openStore(ctx)
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

// publishAuditHead logs the audit log's head at start and every ten minutes,
// so the head is kept outside the database (in the server's log) and a later
// `portal audit verify --anchor` can prove nothing before it was removed or
// re-written.
func publishAuditHead(ctx context.Context, store *models.Store, log *slog.Logger) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		if head, err := store.AuditHeadNow(ctx); err != nil {
			log.Error("audit anchor", "err", err)
		} else {
			log.Info("audit anchor", "anchor", head.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func auditCmd(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "anchor") {
		return errors.New("audit: say verify [--anchor SEQ:HASH] [--allow-empty], or anchor")
	}
	fs := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
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
	store, err := openStore(ctx)
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
