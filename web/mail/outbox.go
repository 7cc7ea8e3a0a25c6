package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// OutboxFrom is the sender address of messages written to the outbox.
const OutboxFrom = "JD Creator Portal <portal@localhost>"

// Outbox writes each message as an .eml file into a folder instead of sending
// it: for development, the demo, and installations without a mail server. The
// files hold live links, so the folder is readable by its owner only.
type Outbox struct {
	dir string
	seq atomic.Uint64
}

// NewOutbox uses dir, creating it when needed.
func NewOutbox(dir string) (*Outbox, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("outbox %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Outbox{dir: abs}, nil
}

// Dir is the outbox folder's absolute path.
func (o *Outbox) Dir() string { return o.dir }

// String says where the messages go.
func (o *Outbox) String() string { return "the outbox folder " + o.dir + " (no SMTP_URL set)" }

// Send writes one file per message, named so that a listing sorts them by
// time and shows whom each is for. A file appears whole or not at all.
func (o *Outbox) Send(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	now := time.Now()
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		errs[i] = o.write(m, now)
	}
	return errs
}

func (o *Outbox) write(m Message, now time.Time) error {
	g, err := compose(OutboxFrom, m, now)
	if err != nil {
		return err
	}
	var random [4]byte
	if _, err := rand.Read(random[:]); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%06d-%s-%s.eml", now.UTC().Format("20060102T150405.000000Z"), o.seq.Add(1)%1_000_000,
		hex.EncodeToString(random[:]), fileSafe(m.To))
	tmp, err := os.CreateTemp(o.dir, ".writing-*")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up after a failure
	if _, err := g.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("outbox: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(o.dir, name)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// fileSafe keeps letters, digits and @._- of an address for a file name.
func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '@', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
		if b.Len() >= 80 {
			break
		}
	}
	return b.String()
}
