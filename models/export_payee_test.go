package models

import (
	"context"

	"gorm.io/gorm"
)

// PayeesForPayout runs payeesForPayout in one of the store's transactions, as batch creation does.
func PayeesForPayout(ctx context.Context, s *Store, refs []PayeeRef) (map[PayeeRef]PayoutPayee, error) {
	var out map[PayeeRef]PayoutPayee
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = payeesForPayout(tx, refs)
		return err
	})
	return out, err
}
