package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/jd/creator-portal/models"
)

// Payee numbers (ID and account numbers) are encrypted under keys kept
// outside the database: PAYEE_KEY (hex keys separated by commas, the first
// encrypts), else the key file payee.key in KEY_DIR (one hex key a line, the
// first encrypts), created once (0600) with a fresh key. Every other key
// listed still decrypts: that is how `portal keys rotate` moves the values to
// a new key without a moment when some cannot be read.
const payeeKeyFile = "payee.key"

// parsePayeeKeys reads hex keys separated by commas or new lines (# starts a comment line).
func parsePayeeKeys(text, where string) ([][]byte, error) {
	var keys [][]byte
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, field := range strings.Split(line, ",") {
			field = strings.TrimSpace(field)
			if field == "" {
				continue
			}
			k, err := hex.DecodeString(field)
			if err != nil || len(k) != models.PayeeKeySize {
				return nil, fmt.Errorf("%s: each payee key is %d hex-encoded bytes (%d hex digits)", where, models.PayeeKeySize, 2*models.PayeeKeySize)
			}
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no payee key", where)
	}
	return keys, nil
}

func payeeKeyPath() string { return filepath.Join(keyDir(), payeeKeyFile) }

// payeeKeys returns the payee keys (the first encrypts) and whether they
// come from the key file, creating it with a fresh key when there is none.
func payeeKeys(log *slog.Logger) (keys [][]byte, fromFile bool, err error) {
	if v := os.Getenv("PAYEE_KEY"); v != "" {
		keys, err := parsePayeeKeys(v, "PAYEE_KEY")
		return keys, false, err
	}
	path := payeeKeyPath()
	data, err := os.ReadFile(path)
	if err == nil {
		if info, serr := os.Stat(path); serr == nil && info.Mode().Perm()&0o077 != 0 {
			log.Warn("key file is readable by others; chmod 600 it", "file", path)
		}
		keys, err := parsePayeeKeys(string(data), path)
		return keys, true, err
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	key, err := newPayeeKey()
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	// O_EXCL: two processes starting at once must not both write; the loser reads the winner's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return payeeKeys(log)
	}
	if err != nil {
		return nil, false, err
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Close(); err != nil {
		return nil, false, err
	}
	log.Info("created key file; keep it, and back it up apart from the database", "env", "PAYEE_KEY", "file", path)
	return [][]byte{key}, true, nil
}

func newPayeeKey() ([]byte, error) {
	key := make([]byte, models.PayeeKeySize)
	_, err := rand.Read(key)
	return key, err
}

// writePayeeKeys replaces the key file with keys (the first encrypts), atomically.
func writePayeeKeys(keys [][]byte) error {
	path := payeeKeyPath()
	var b strings.Builder
	b.WriteString("# payee keys: the first encrypts, every one decrypts (see `portal keys rotate`)\n")
	for _, k := range keys {
		b.WriteString(hex.EncodeToString(k) + "\n")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".payee.key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// keysCmd is `portal keys rotate`: every payee value is re-encrypted under a
// new key. With the key file, a new key is put first in it (the old kept, so
// everything stays readable however the run ends), the values re-encrypted,
// and then the old keys dropped. With PAYEE_KEY, the operator puts the new
// key first (NEW,OLD), runs this, then removes OLD.
func keysCmd(ctx context.Context, args []string, out io.Writer) error {
	const synopsis = "keys rotate"
	if err := helpAsked(args, synopsis); err != nil {
		return err
	}
	if len(args) == 0 || args[0] != "rotate" {
		return errors.New("keys: say rotate")
	}
	fs := commandFlags("keys rotate", synopsis)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	keys, fromFile, err := payeeKeys(slog.Default())
	if err != nil {
		return err
	}
	if fromFile {
		key, err := newPayeeKey()
		if err != nil {
			return err
		}
		keys = append([][]byte{key}, keys...)
		if err := writePayeeKeys(keys); err != nil {
			return fmt.Errorf("keys rotate: writing %s: %w", payeeKeyPath(), err)
		}
		fmt.Fprintf(out, "new payee key %s added to %s\n", models.PayeeKeyID(key), payeeKeyPath())
	}
	store, err := openStore(withStoreOptions(ctx, models.WithPayeeKeys(keys...)), currentSchema)
	if err != nil {
		return err
	}
	defer store.Close()
	r, err := store.RotatePayeeKeys(ctx, models.SystemActor())
	if err != nil {
		return fmt.Errorf("keys rotate: %w (every key is kept; run it again)", err)
	}
	fmt.Fprintf(out, "%d payees re-encrypted under key %s\n", r.Payees, r.KeyID)
	if r.Remaining > 0 {
		return fmt.Errorf("keys rotate: %d values are still under other keys; every key is kept, run it again", r.Remaining)
	}
	if fromFile {
		if err := writePayeeKeys(keys[:1]); err != nil {
			return fmt.Errorf("keys rotate: dropping the old keys from %s: %w", payeeKeyPath(), err)
		}
		fmt.Fprintf(out, "old payee keys removed from %s; restart the servers so they read the new key\n", payeeKeyPath())
	} else if len(keys) > 1 {
		fmt.Fprintln(out, "every value is under the first key of PAYEE_KEY: remove the others from it and restart the servers")
	}
	return nil
}
