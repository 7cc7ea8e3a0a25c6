package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Pool names.
const (
	PoolCreators = "creators"
	PoolMCN      = "mcn"
)

// Default pool sizes.
const (
	DefaultCreatorPoolFen = 100_000_000_000 // ¥1,000,000,000
	DefaultMCNPoolFen     = 500_000_000     // ¥5,000,000
)

// Pool is a budget. Committed is the sum of approved and paid bonuses charged
// to it; the database refuses committed above total.
type Pool struct {
	Name         string `gorm:"primaryKey;size:16"`
	TotalFen     int64  `gorm:"not null;check:chk_pool_total,total_fen >= 0"`
	CommittedFen int64  `gorm:"not null;default:0;check:chk_pool_committed,committed_fen >= 0 AND committed_fen <= total_fen"`
}

// LeftFen is what the pool can still fund.
func (p Pool) LeftFen() int64 { return p.TotalFen - p.CommittedFen }

// ErrPoolExhausted means an approval would overspend a pool (the error
// returned is a PoolExhaustedError with the amounts).
var ErrPoolExhausted = sentinel("err_pool_cannot_cover", "the pool cannot cover this amount")

// PoolExhaustedError is ErrPoolExhausted with what was asked and what is left.
type PoolExhaustedError struct{ AskedFen, LeftFen int64 }

func (e PoolExhaustedError) Error() string {
	return fmt.Sprintf("%s: %s asked, %s left", ErrPoolExhausted, FormatYuan(e.AskedFen), FormatYuan(e.LeftFen))
}

// Unwrap makes errors.Is(err, ErrPoolExhausted) hold.
func (e PoolExhaustedError) Unwrap() error { return ErrPoolExhausted }

// Msg says how much was asked and how much is left.
func (e PoolExhaustedError) Msg() Msg {
	return M("err_pool_exhausted", "Asked", FormatYuan(e.AskedFen), "Left", FormatYuan(e.LeftFen))
}

// GetPool reads a pool.
func (s *Store) GetPool(ctx context.Context, name string) (Pool, error) {
	var p Pool
	err := s.r(ctx).Where("name = ?", name).First(&p).Error
	return p, notFound(err)
}

// chargePool commits amount to a pool if it fits, in one conditional update,
// so concurrent approvals can never overdraw it. It returns what is left; the
// update says so itself, so an approval that fits costs one statement while
// it holds the pool (issue 18: the pool row is what approvals queue on).
func chargePool(tx *gorm.DB, name string, amount int64) (left int64, err error) {
	var lefts []int64
	if err := tx.Raw("UPDATE pools SET committed_fen = committed_fen + ? WHERE name = ? AND committed_fen + ? <= total_fen RETURNING total_fen - committed_fen",
		amount, name, amount).Scan(&lefts).Error; err != nil {
		return 0, err
	}
	if len(lefts) == 1 {
		return lefts[0], nil
	}
	var p Pool
	if err := tx.Where("name = ?", name).First(&p).Error; err != nil {
		return 0, err
	}
	return p.LeftFen(), PoolExhaustedError{AskedFen: amount, LeftFen: p.LeftFen()}
}

// releasePool gives an amount back to a pool (an approval that was withdrawn).
func releasePool(tx *gorm.DB, name string, amount int64) error {
	return tx.Model(&Pool{}).Where("name = ?", name).Update("committed_fen", gorm.Expr("committed_fen - ?", amount)).Error
}

// SetPoolTotal changes a pool's size directly, for seeding and the command
// line only (an actor without a user): a signed-in admin proposes the change
// and a second admin approves it (ProposePoolTotal, ApproveChange). The pool
// cannot drop below what is committed nor rise above the programme's budget.
func (s *Store) SetPoolTotal(ctx context.Context, a *Actor, name string, totalFen int64) error {
	if !a.isSystem() {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, name); err != nil {
			return err
		}
		if fe, err := checkPoolTotal(tx, name, totalFen); err != nil || len(fe) > 0 {
			return errOr(err, fe)
		}
		return setPoolTotal(tx, a, name, totalFen, 0)
	})
}

// setPoolTotal writes a checked pool total and audits it; changeID names the
// approved proposal behind it (0: set directly).
func setPoolTotal(tx *gorm.DB, a *Actor, name string, totalFen int64, changeID uint) error {
	var p Pool
	if err := tx.Where("name = ?", name).First(&p).Error; err != nil {
		return notFound(err)
	}
	res := tx.Model(&Pool{}).Where("name = ? AND committed_fen <= ?", name, totalFen).Update("total_fen", totalFen)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return FieldErrors{"pool_total": M("err_pool_below_committed", "Amount", FormatYuan(p.CommittedFen))}
	}
	after := map[string]any{"pool": name, "total_fen": totalFen}
	if changeID != 0 {
		after["change_id"] = changeID
	}
	return appendAudit(tx, a, "settings.pool", "pool", 0, map[string]any{"pool": name, "total_fen": p.TotalFen}, after)
}

// lockPool serialises money-moving transactions on PostgreSQL by locking the
// pool row first, so they never deadlock on bonus rows taken in different
// orders. SQLite needs nothing: its write transactions begin IMMEDIATE and
// already run one at a time.
func lockPool(tx *gorm.DB, name string) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("SELECT name FROM pools WHERE name = ? FOR UPDATE", name).Error
}
