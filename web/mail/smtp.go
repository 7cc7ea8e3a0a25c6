package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPSender delivers through an SMTP server (see the package comment for SMTP_URL).
type SMTPSender struct {
	host, user, password string
	port                 int
	implicitTLS          bool
	policy               gomail.TLSPolicy
	from                 string
	timeout              time.Duration
	// RootCAs, when set, replaces the system's certificate authorities for the
	// server's certificate (tests use it for a server with a made-up certificate).
	RootCAs *x509.CertPool
}

// ParseSMTPURL reads an SMTP_URL. Its errors never repeat the URL, which may hold a password.
func ParseSMTPURL(raw string) (*SMTPSender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("SMTP_URL is not a URL; write it as smtp://user:password@host:587?from=portal@example.com (user and password URL-encoded)")
	}
	s := &SMTPSender{host: u.Hostname(), timeout: 15 * time.Second, policy: gomail.TLSMandatory}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicitTLS = 465, true
	default:
		return nil, fmt.Errorf("SMTP_URL must start with smtp:// or smtps://, not %q", u.Scheme+"://")
	}
	if s.host == "" {
		return nil, errors.New("SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("SMTP_URL: port %q is not a port number", p)
		}
		s.port = n
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("SMTP_URL takes no path; put the sender in ?from=")
	}
	q := u.Query()
	for key := range q {
		switch key {
		case "from", "tls", "timeout":
		default:
			return nil, fmt.Errorf("SMTP_URL: unknown setting %q (known: from, tls, timeout)", key)
		}
	}
	s.from = q.Get("from")
	if s.from == "" {
		return nil, errors.New("SMTP_URL needs the sender address: add ?from=portal@your.domain")
	}
	if _, err := netmail.ParseAddress(s.from); err != nil {
		return nil, fmt.Errorf("SMTP_URL: from=%q is not an email address", s.from)
	}
	switch t := q.Get("tls"); {
	case t == "" || t == "starttls":
	case s.implicitTLS:
		return nil, errors.New("SMTP_URL: smtps:// always uses TLS; tls= is for smtp:// only")
	case t == "opportunistic":
		s.policy = gomail.TLSOpportunistic
	case t == "none":
		s.policy = gomail.NoTLS
	default:
		return nil, fmt.Errorf("SMTP_URL: tls=%q; say starttls (the default), opportunistic or none", t)
	}
	if t := q.Get("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("SMTP_URL: timeout=%q is not a duration such as 15s", t)
		}
		s.timeout = d
	}
	return s, nil
}

// String names the server without the password.
func (s *SMTPSender) String() string {
	scheme, tlsNote := "smtp", ""
	if s.implicitTLS {
		scheme = "smtps"
	} else if s.policy != gomail.TLSMandatory {
		tlsNote = " (tls=" + map[gomail.TLSPolicy]string{gomail.TLSOpportunistic: "opportunistic", gomail.NoTLS: "none"}[s.policy] + ")"
	}
	who := ""
	if s.user != "" {
		who = url.User(s.user).String() + "@"
	}
	return fmt.Sprintf("%s://%s%s from %s%s", scheme, who, net.JoinHostPort(s.host, strconv.Itoa(s.port)), s.from, tlsNote)
}

func (s *SMTPSender) client() (*gomail.Client, error) {
	tc := &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12, RootCAs: s.RootCAs}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout), gomail.WithTLSConfig(tc)}
	if s.implicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(s.policy))
	}
	if s.user != "" {
		// The strongest mechanism the server offers; PLAIN and LOGIN only over TLS.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.user), gomail.WithPassword(s.password))
	}
	return gomail.NewClient(s.host, opts...)
}

// Send delivers the messages over one connection.
func (s *SMTPSender) Send(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	var out []*gomail.Msg
	var index []int
	now := time.Now()
	for i, m := range msgs {
		g, err := compose(s.from, m, now)
		if err != nil {
			errs[i] = err
			continue
		}
		out, index = append(out, g), append(index, i)
	}
	if len(out) == 0 {
		return errs
	}
	failAll := func(err error) []error { return failRest(errs, index, err) }
	c, err := s.client()
	if err != nil {
		return failAll(fmt.Errorf("smtp: %w", err))
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return failAll(fmt.Errorf("smtp: connect to %s: %w", net.JoinHostPort(s.host, strconv.Itoa(s.port)), err))
	}
	// Every message is with the server once DATA is accepted; a failing QUIT loses nothing.
	defer func() { _ = c.CloseWithSMTPClient(conn) }()
	// One message at a time: each send renews the connection's deadline, and a
	// context that runs out stops between messages rather than in the middle of one.
	for j, g := range out {
		if err := ctx.Err(); err != nil {
			return failRest(errs, index[j:], fmt.Errorf("smtp: not sent: %w", err))
		}
		err := c.SendWithSMTPClient(conn, g)
		switch {
		case err == nil:
		case g.HasSendError(): // this message was refused; the connection goes on
			errs[index[j]] = fmt.Errorf("smtp: %w", g.SendError())
		default: // the connection is gone: this message and the rest are not sent
			return failRest(errs, index[j:], fmt.Errorf("smtp: %w", err))
		}
	}
	return errs
}

func failRest(errs []error, rest []int, err error) []error {
	for _, i := range rest {
		errs[i] = err
	}
	return errs
}
