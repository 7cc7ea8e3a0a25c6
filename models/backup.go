package models

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres says PostgreSQL is backed up with its own tools.
var ErrBackupPostgres = errors.New("PostgreSQL databases are backed up with pg_dump (see the README), not by the portal")

// Backup writes a consistent copy of a SQLite database to path while the
// portal keeps serving: VACUUM INTO reads one snapshot and never blocks readers.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.driver != "sqlite" {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists; choose a new file so no backup is overwritten", path)
	}
	return s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error
}
