// Package mail delivers the portal's emails: invitations and password-reset
// links, which must reach only the person they belong to.
//
// Two ways to deliver, chosen from the environment by FromEnv:
//
//   - SMTP, when SMTP_URL is set:
//
//     smtp://[USER[:PASSWORD]@]HOST[:PORT]?from=ADDRESS[&tls=starttls|opportunistic|none][&timeout=15s]
//     smtps://[USER[:PASSWORD]@]HOST[:PORT]?from=ADDRESS[&timeout=15s]
//
//     smtp:// talks to the submission port (587 by default) and requires STARTTLS
//     unless tls= says otherwise; smtps:// uses TLS from the first byte (port 465
//     by default). from= is the sender address (required; it may carry a name,
//     URL-encoded: from=JD%20Portal%20%3Cportal%40jd.example%3E). USER and PASSWORD
//     are URL-encoded; with them the client signs in with the strongest mechanism
//     the server offers, and never sends a plain password over an unencrypted line.
//
//   - otherwise an outbox folder (OUTBOX_DIR, or outbox/ beside the SQLite
//     database), where each message is written as an .eml file an operator or a
//     developer can open.
//
// Links in messages start with PORTAL_BASE_URL (default http://localhost:8080),
// never with the Host header of the request that caused them, which a client
// chooses.
package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/jd/creator-portal/models"
)

// Message is one plain-text email to one person.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Sender delivers messages.
type Sender interface {
	// Send delivers msgs and returns one error per message, nil for each message
	// that was handed over for delivery.
	Send(ctx context.Context, msgs []Message) []error
	// String says where messages go, for the server's log; it never holds a password.
	String() string
}

// DefaultBaseURL is where links point when PORTAL_BASE_URL is not set: the portal run by `make run`.
const DefaultBaseURL = "http://localhost:8080"

// Config is what the web layer needs to send people links.
type Config struct {
	Sender  Sender
	BaseURL string // the portal's address as its users reach it, without a trailing slash
}

// Link is the absolute address of path (which starts with "/") on the portal.
func (c Config) Link(path string) string {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	return base + path
}

// ErrNotConfigured is what sending through a Config without a Sender gives.
var ErrNotConfigured = errors.New("mail: no sender configured")

// Send delivers msgs through the configured sender.
func (c Config) Send(ctx context.Context, msgs []Message) []error {
	if c.Sender == nil {
		errs := make([]error, len(msgs))
		for i := range errs {
			errs[i] = ErrNotConfigured
		}
		return errs
	}
	return c.Sender.Send(ctx, msgs)
}

// FromEnv builds the mail configuration from the environment (SMTP_URL,
// OUTBOX_DIR, PORTAL_BASE_URL) for a portal whose database is databaseURL.
func FromEnv(getenv func(string) string, databaseURL string) (Config, error) {
	base, err := ParseBaseURL(getenv("PORTAL_BASE_URL"))
	if err != nil {
		return Config{}, err
	}
	cfg := Config{BaseURL: base}
	if raw := getenv("SMTP_URL"); raw != "" {
		s, err := ParseSMTPURL(raw)
		if err != nil {
			return Config{}, err
		}
		cfg.Sender = s
		return cfg, nil
	}
	dir := getenv("OUTBOX_DIR")
	if dir == "" {
		dir = DefaultOutboxDir(databaseURL)
	}
	o, err := NewOutbox(dir)
	if err != nil {
		return Config{}, err
	}
	cfg.Sender = o
	return cfg, nil
}

// ParseBaseURL checks PORTAL_BASE_URL: http or https, a host, perhaps a path,
// no query. "" gives DefaultBaseURL.
func ParseBaseURL(raw string) (string, error) {
	if raw == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		// The value is not repeated: it may hold a password (user:pass@), which is refused.
		return "", fmt.Errorf("PORTAL_BASE_URL: give the portal's address as people open it, such as https://portal.jd.example (http or https, a host, no user, query or fragment)")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// DefaultOutboxDir is the outbox folder beside a SQLite database file, or
// outbox/ in the working directory for PostgreSQL.
func DefaultOutboxDir(databaseURL string) string {
	if models.IsPostgresURL(databaseURL) {
		return "outbox"
	}
	path := strings.TrimPrefix(databaseURL, "sqlite://")
	if i := strings.IndexAny(path, "?"); i >= 0 {
		path = path[:i]
	}
	return filepath.Join(filepath.Dir(path), "outbox")
}

// Mask hides an email address's local part but its first character, so a page
// can say where a link went without telling the reader the address:
// li.wei@qq.com becomes l***@qq.com.
func Mask(addr string) string {
	at := strings.LastIndex(addr, "@")
	if at < 0 {
		return "***"
	}
	local, domain := addr[:at], addr[at+1:]
	first := ""
	for _, r := range local {
		first = string(r)
		break
	}
	return first + "***@" + domain
}

// compose builds the message as it goes on the wire (and into the outbox).
func compose(from string, m Message, now time.Time) (*gomail.Msg, error) {
	if _, err := netmail.ParseAddress(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	g := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := g.From(from); err != nil {
		return nil, fmt.Errorf("sender %q: %w", from, err)
	}
	if err := g.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	g.Subject(m.Subject)
	g.SetDateWithValue(now)
	g.SetMessageID()
	g.SetBodyString(gomail.TypeTextPlain, m.Text)
	return g, nil
}
