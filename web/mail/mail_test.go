package mail_test

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jd/creator-portal/web/mail"
	"github.com/jd/creator-portal/web/mail/mailtest"
)

var ctx = context.Background()

func TestMaskShowsOnlyTheFirstCharacterOfTheLocalPart(t *testing.T) {
	cases := map[string]string{
		"li.wei@qq.com":        "l***@qq.com",
		"l@qq.com":             "l***@qq.com",
		"王芳@例子.中国":             "王***@例子.中国",
		"odd@name@example.com": "o***@example.com",
		"@example.com":         "***@example.com",
		"not-an-address":       "***",
		"":                     "***",
	}
	for in, want := range cases {
		if got := mail.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSMTPURLShapes(t *testing.T) {
	good := map[string]string{
		"smtp://mailer:s3cr%40t@smtp.jd.example?from=portal@jd.example":                    "smtp://mailer@smtp.jd.example:587 from portal@jd.example",
		"smtps://mailer:pw@smtp.jd.example?from=portal@jd.example":                         "smtps://mailer@smtp.jd.example:465 from portal@jd.example",
		"smtp://relay.internal:25?from=portal@jd.example&tls=none":                         "smtp://relay.internal:25 from portal@jd.example (tls=none)",
		"smtp://relay:2525?from=JD%20Portal%20%3Cportal%40jd.example%3E&tls=opportunistic": "smtp://relay:2525 from JD Portal <portal@jd.example> (tls=opportunistic)",
		"smtp://relay?from=portal@jd.example&timeout=3s":                                   "smtp://relay:587 from portal@jd.example",
	}
	for raw, want := range good {
		s, err := mail.ParseSMTPURL(raw)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if got := s.String(); got != want {
			t.Errorf("%s: String() = %q, want %q", raw, got, want)
		}
		if strings.Contains(s.String(), "s3cr") || strings.Contains(s.String(), ":pw") {
			t.Errorf("%s: String() shows the password: %q", raw, s.String())
		}
	}
	bad := map[string]string{
		"http://host?from=a@b.c":                   "smtp:// or smtps://",
		"smtp://?from=a@b.c":                       "no host",
		"smtp://host":                              "from=",
		"smtp://host?from=nobody":                  "not an email address",
		"smtp://host:99999?from=a@b.c":             "port",
		"smtp://host?from=a@b.c&tls=maybe":         "tls=",
		"smtps://host?from=a@b.c&tls=none":         "always uses TLS",
		"smtp://host?from=a@b.c&timout=3s":         "unknown setting",
		"smtp://host?from=a@b.c&timeout=soon":      "timeout",
		"smtp://u:secret-pw@ho st?from=a@b.c":      "not a URL",
		"smtp://u:secret-pw@host/path?from=a@b.c":  "no path",
		"smtp://u:secret-pw@host?from=a@b.c&tls=x": "tls=",
	}
	for raw, want := range bad {
		_, err := mail.ParseSMTPURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", raw, err, want)
			continue
		}
		if strings.Contains(err.Error(), "secret-pw") {
			t.Errorf("%s: the error repeats the password: %v", raw, err)
		}
	}
}

func TestBaseURL(t *testing.T) {
	for raw, want := range map[string]string{"": "http://localhost:8080", "https://portal.jd.example/": "https://portal.jd.example", "https://jd.example/portal": "https://jd.example/portal"} {
		if got, err := mail.ParseBaseURL(raw); err != nil || got != want {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"portal.jd.example", "ftp://x", "https://x/?a=1", "https://"} {
		if _, err := mail.ParseBaseURL(raw); err == nil {
			t.Errorf("ParseBaseURL(%q) accepted", raw)
		}
	}
}

func TestWithoutSMTPURLMailGoesToTheOutboxBesideTheDatabase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{}
	cfg, err := mail.FromEnv(func(k string) string { return env[k] }, filepath.Join(dir, "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	o, ok := cfg.Sender.(*mail.Outbox)
	if !ok || o.Dir() != filepath.Join(dir, "outbox") || cfg.BaseURL != mail.DefaultBaseURL {
		t.Fatalf("sender %v, base %q", cfg.Sender, cfg.BaseURL)
	}
	if st, err := os.Stat(o.Dir()); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("outbox folder %v (%v): it holds live links and must be private", st, err)
	}
	errs := cfg.Send(ctx, []mail.Message{
		{To: "li.wei@qq.com", Subject: "设置密码 — Set your password", Text: "Open " + cfg.Link("/invite/abc_DEF-123") + " to set it.\n"},
		{To: "not an address", Subject: "x", Text: "y"},
	})
	if errs[0] != nil || errs[1] == nil {
		t.Fatalf("errors %v", errs)
	}
	got := mailtest.ReadOutbox(t, o.Dir())
	if len(got) != 1 {
		t.Fatalf("%d messages in the outbox", len(got))
	}
	m := got[0]
	if m.To[0] != "li.wei@qq.com" || m.Subject != "设置密码 — Set your password" || m.Link() != "http://localhost:8080/invite/abc_DEF-123" {
		t.Fatalf("outbox message to %v, subject %q, link %q:\n%s", m.To, m.Subject, m.Link(), m.Raw)
	}
	if st, _ := os.Stat(filepath.Join(o.Dir(), m.Filename)); st.Mode().Perm() != 0o600 {
		t.Fatalf("outbox file mode %v", st.Mode())
	}

	env["OUTBOX_DIR"] = filepath.Join(dir, "elsewhere")
	env["PORTAL_BASE_URL"] = "https://portal.jd.example/"
	cfg, err = mail.FromEnv(func(k string) string { return env[k] }, "postgres://u@h/db")
	if err != nil || cfg.Sender.(*mail.Outbox).Dir() != env["OUTBOX_DIR"] || cfg.Link("/reset/x") != "https://portal.jd.example/reset/x" {
		t.Fatalf("OUTBOX_DIR and PORTAL_BASE_URL: %v %v", cfg, err)
	}
	if got := mail.DefaultOutboxDir("postgres://u@h/db"); got != "outbox" {
		t.Fatalf("postgres outbox %q", got)
	}
}

func smtpURL(s *mailtest.Server, userinfo, query string) string {
	return "smtp://" + userinfo + net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) + "?" + query
}

func TestSMTPDeliversEachMessageAndReportsEachFailure(t *testing.T) {
	srv, _ := mailtest.Start(t, mailtest.Options{})
	srv.Refuse("gone@example.com")
	s, err := mail.ParseSMTPURL(smtpURL(srv, "", "from="+url.QueryEscape("JD Portal <portal@jd.example>")+"&tls=none"))
	if err != nil {
		t.Fatal(err)
	}
	errs := s.Send(ctx, []mail.Message{
		{To: "dora@example.cn", Subject: "邀请", Text: "Link: http://localhost:8080/invite/tok1\n"},
		{To: "gone@example.com", Subject: "x", Text: "y"},
		{To: "eve@example.cn", Subject: "Invitation", Text: "Link: http://localhost:8080/invite/tok2\n"},
	})
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("errors %v", errs)
	}
	d := srv.To("dora@example.cn")
	if len(d) != 1 || d[0].Subject != "邀请" || d[0].Link() != "http://localhost:8080/invite/tok1" || d[0].From != "portal@jd.example" {
		t.Fatalf("dora's mail %+v", d)
	}
	if len(srv.Messages()) != 2 {
		t.Fatalf("%d messages arrived", len(srv.Messages()))
	}
}

func TestSMTPWithSTARTTLSAndAPassword(t *testing.T) {
	srv, roots := mailtest.Start(t, mailtest.Options{User: "mailer", Password: "p@ss word", TLS: true})
	s, err := mail.ParseSMTPURL(smtpURL(srv, url.UserPassword("mailer", "p@ss word").String()+"@", "from=portal@jd.example"))
	if err != nil {
		t.Fatal(err)
	}
	s.RootCAs = roots
	if errs := s.Send(ctx, []mail.Message{{To: "a@example.cn", Subject: "s", Text: "t"}}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if len(srv.To("a@example.cn")) != 1 {
		t.Fatal("nothing arrived")
	}

	// A wrong password, and a server whose certificate is not trusted, deliver nothing and say so.
	wrong, _ := mail.ParseSMTPURL(smtpURL(srv, "mailer:nope@", "from=portal@jd.example"))
	wrong.RootCAs = roots
	untrusted, _ := mail.ParseSMTPURL(smtpURL(srv, "mailer:nope@", "from=portal@jd.example"))
	for name, s := range map[string]*mail.SMTPSender{"wrong password": wrong, "untrusted certificate": untrusted} {
		errs := s.Send(ctx, []mail.Message{{To: "b@example.cn", Subject: "s", Text: "t"}, {To: "c@example.cn", Subject: "s", Text: "t"}})
		if errs[0] == nil || errs[1] == nil {
			t.Errorf("%s: errors %v", name, errs)
		}
		t.Logf("%s: %v", name, errs[0])
	}
	// Without TLS on offer, the default (tls=starttls) refuses to send in the clear.
	plain, _ := mailtest.Start(t, mailtest.Options{})
	s, _ = mail.ParseSMTPURL(smtpURL(plain, "", "from=portal@jd.example"))
	if errs := s.Send(ctx, []mail.Message{{To: "d@example.cn", Subject: "s", Text: "t"}}); errs[0] == nil || len(plain.Messages()) != 0 {
		t.Fatalf("sent without STARTTLS: %v", errs)
	}
	if len(srv.Messages()) != 1 {
		t.Fatalf("%d messages", len(srv.Messages()))
	}
}

func TestSMTPServerDownFailsEveryMessage(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s, _ := mail.ParseSMTPURL("smtp://" + addr + "?from=portal@jd.example&tls=none&timeout=2s")
	errs := s.Send(ctx, []mail.Message{{To: "a@example.cn", Subject: "s", Text: "t"}, {To: "b@example.cn", Subject: "s", Text: "t"}})
	if errs[0] == nil || errs[1] == nil {
		t.Fatalf("errors %v", errs)
	}
	if errs := (mail.Config{}).Send(ctx, []mail.Message{{To: "a@example.cn"}}); errs[0] == nil {
		t.Fatal("a config without a sender sent")
	}
	// Out of time before sending: nothing goes, and every message says so.
	live, _ := mailtest.Start(t, mailtest.Options{})
	s, _ = mail.ParseSMTPURL(smtpURL(live, "", "from=portal@jd.example&tls=none"))
	done, cancel := context.WithCancel(ctx)
	cancel()
	if errs := s.Send(done, []mail.Message{{To: "a@example.cn", Subject: "s", Text: "t"}}); errs[0] == nil || len(live.Messages()) != 0 {
		t.Fatalf("sent after the deadline: %v", errs)
	}
}
