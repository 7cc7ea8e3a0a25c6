package models

import (
	"context"

	"gorm.io/gorm"
)

// ApproveAfterForTest approves one weekly bonus as ApproveBonuses does, from
// the row as it was read before meanwhile ran: another transaction committing
// between an approval's read and its taking the pool (on PostgreSQL approve
// reads before it locks, and each statement sees the latest commits).
func (s *Store) ApproveAfterForTest(ctx context.Context, a *Actor, id uint, meanwhile func()) (Outcome, error) {
	rows, err := loadDecidable(s.db.WithContext(ctx), weeklyBonuses, []uint{id})
	if err != nil {
		return Outcome{}, err
	}
	meanwhile()
	var o Outcome
	err = s.tx(ctx, func(tx *gorm.DB) error {
		capFen, fourEyesFen, err := weeklyBonuses.limits(tx)
		if err != nil {
			return err
		}
		if err := lockPool(tx, weeklyBonuses.pool); err != nil {
			return err
		}
		o, err = approveOne(tx, a, weeklyBonuses, rows[id], capFen, fourEyesFen, s.now().UTC())
		return err
	})
	return o, err
}
