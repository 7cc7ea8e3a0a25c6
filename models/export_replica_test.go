package models

import (
	"context"

	"gorm.io/gorm"
)

// ReadsForTest is the handle the store's reads outside transactions use (s.r).
func (s *Store) ReadsForTest(ctx context.Context) *gorm.DB { return s.r(ctx) }

// TxForTest runs fn in the store's write transaction (s.tx).
func (s *Store) TxForTest(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.tx(ctx, fn)
}

// CloseReplicasForTest closes the read replicas' pools, as if they were down.
func (s *Store) CloseReplicasForTest() { s.closeReadReplicas() }
