package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/jd/creator-portal/models"
)

// Secrets live outside the database they protect: in the environment, or in
// key files created once (0600) in the key directory. A copy of the database
// alone can then neither forge sessions nor re-chain the audit log.
const (
	sessionKeyFile = "session.key"
	auditKeyFile   = "audit.key"
	minSecretBytes = 32
)

// keyDir is where key files live: $KEY_DIR, else beside a SQLite database,
// else the working directory (a PostgreSQL fleet should set the variables, so
// that every server uses the same keys).
func keyDir() string {
	if d := os.Getenv("KEY_DIR"); d != "" {
		return d
	}
	if u := databaseURL(); !models.IsPostgresURL(u) {
		return filepath.Dir(strings.TrimPrefix(u, "sqlite://"))
	}
	return "."
}

// loadSecret returns the secret from the environment variable, else from the
// key file, creating the file with fresh random bytes (or with legacy, a
// secret being moved out of the database) when there is none.
func loadSecret(envName, file string, legacy []byte, log *slog.Logger) ([]byte, error) {
	if v := os.Getenv(envName); v != "" {
		if len(v) < minSecretBytes {
			return nil, fmt.Errorf("%s must be at least %d characters", envName, minSecretBytes)
		}
		return []byte(v), nil
	}
	path := filepath.Join(keyDir(), file)
	data, err := os.ReadFile(path)
	if err == nil {
		secret, derr := hex.DecodeString(strings.TrimSpace(string(data)))
		if derr != nil || len(secret) < minSecretBytes {
			return nil, fmt.Errorf("key file %s: not %d or more hex-encoded bytes", path, minSecretBytes)
		}
		if info, serr := os.Stat(path); serr == nil && info.Mode().Perm()&0o077 != 0 {
			log.Warn("key file is readable by others; chmod 600 it", "file", path)
		}
		return secret, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	secret := legacy
	if secret == nil {
		secret = make([]byte, 64)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	// O_EXCL: two processes starting at once must not both write; the loser reads the winner's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadSecret(envName, file, legacy, log)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(hex.EncodeToString(secret) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	log.Info("created key file; keep it, and back it up apart from the database", "env", envName, "file", path)
	return secret, nil
}

// auditKey is the key that chains the audit log (AUDIT_KEY or audit.key).
func auditKey(log *slog.Logger) ([]byte, error) {
	return loadSecret("AUDIT_KEY", auditKeyFile, nil, log)
}

// sessionSecret is the key that signs sessions (SESSION_SECRET or
// session.key). A secret an older version kept in the database is moved out
// on first start, so signed-in users stay signed in, and removed from it.
func sessionSecret(ctx context.Context, store *models.Store, log *slog.Logger) ([]byte, error) {
	legacy, err := store.LegacySessionSecret(ctx)
	if err != nil {
		return nil, err
	}
	secret, err := loadSecret("SESSION_SECRET", sessionKeyFile, legacy, log)
	if err != nil {
		return nil, err
	}
	if legacy != nil {
		if err := store.DropLegacySessionSecret(ctx); err != nil {
			return nil, err
		}
		log.Warn("moved the session secret out of the database; it is no longer stored there", "env", "SESSION_SECRET", "key_dir", keyDir())
	}
	return secret, nil
}
