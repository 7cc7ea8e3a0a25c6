package models

import (
	"context"
	"time"
)

// WithholdingFen runs the payouts' withholding seam on the store's database.
func (s *Store) WithholdingFen(ctx context.Context, at time.Time, monthGrossBeforeFen, monthWithheldBeforeFen, grossFen int64) (int64, error) {
	return withholdingFen(s.r(ctx), at, monthGrossBeforeFen, monthWithheldBeforeFen, grossFen)
}
