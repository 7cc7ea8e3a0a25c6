package models

import (
	"context"
	"fmt"
	"net"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Sign-in throttling counts failed passwords per account and per address in
// the database, so the counts survive a restart and every server of a fleet
// shares them. An account locks after a few failures; an address only after
// many, so one locked account does not lock out an office behind one NAT.
const (
	AccountMaxFailures = 5
	AddressMaxFailures = 50
	ThrottleWindow     = 15 * time.Minute
	ThrottleLockout    = 15 * time.Minute
)

// ThrottledError refuses a password attempt until the lock ends.
type ThrottledError struct {
	Wait time.Duration
	// Scope is "account" or "address": which counter locked.
	Scope string
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed attempts for this %s; try again in %s", e.Scope, e.Wait.Round(time.Second))
}

// WaitMinutes is the wait rounded up to whole minutes, for messages.
func (e *ThrottledError) WaitMinutes() int { return int((e.Wait + time.Minute - 1) / time.Minute) }

// signInThrottle is one counter: failures within the window that started at
// WindowStart, and the end of a lock (unix seconds, 0 when not locked).
type signInThrottle struct {
	Key         string `gorm:"primaryKey;size:300"`
	Failures    int    `gorm:"not null"`
	WindowStart int64  `gorm:"not null"`
	LockedUntil int64  `gorm:"not null;default:0"`
	UpdatedAt   int64  `gorm:"not null;autoUpdateTime:false"`
}

func (signInThrottle) TableName() string { return "sign_in_throttles" }

// throttleKeys are the counters of an attempt: the account (the normalised
// email as typed, known or not) and the address (an IPv6 client by its /64,
// which one subscriber usually holds whole).
func throttleKeys(email, ip string) (account, address string) {
	account = "account:" + truncateRunes(NormalizeEmail(email), maxAuditEmail)
	if parsed := net.ParseIP(ip); parsed != nil && parsed.To4() == nil {
		ip = parsed.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return account, "address:" + truncateRunes(ip, 64)
}

// throttleCheck refuses an attempt while either counter is locked.
func throttleCheck(db *gorm.DB, email, ip string, now time.Time) error {
	account, address := throttleKeys(email, ip)
	var rows []signInThrottle
	if err := db.Where("key IN ? AND locked_until > ?", []string{account, address}, now.Unix()).Find(&rows).Error; err != nil {
		return err
	}
	var worst *ThrottledError
	for _, r := range rows {
		wait := time.Unix(r.LockedUntil, 0).Sub(now)
		if worst == nil || wait > worst.Wait {
			scope := "account"
			if r.Key == address {
				scope = "address"
			}
			worst = &ThrottledError{Wait: wait, Scope: scope}
		}
	}
	if worst != nil {
		return worst
	}
	return nil
}

// throttleFail counts a failure against both counters, locks a counter that
// reaches its limit, and audits the lock. It returns the lock, if one began.
func throttleFail(tx *gorm.DB, a *Actor, userID uint, email, ip string, now time.Time) (*ThrottledError, error) {
	account, address := throttleKeys(email, ip)
	var locked *ThrottledError
	for _, c := range []struct {
		key, scope string
		max        int
	}{{account, "account", AccountMaxFailures}, {address, "address", AddressMaxFailures}} {
		windowOpen := now.Add(-ThrottleWindow).Unix()
		// One statement per counter: concurrent failures on several servers all count.
		err := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "key"}},
			DoUpdates: clause.Set{
				{Column: clause.Column{Name: "failures"}, Value: gorm.Expr("CASE WHEN sign_in_throttles.window_start < ? THEN 1 ELSE sign_in_throttles.failures + 1 END", windowOpen)},
				{Column: clause.Column{Name: "window_start"}, Value: gorm.Expr("CASE WHEN sign_in_throttles.window_start < ? THEN ? ELSE sign_in_throttles.window_start END", windowOpen, now.Unix())},
				{Column: clause.Column{Name: "updated_at"}, Value: now.Unix()},
			},
		}).Create(&signInThrottle{Key: c.key, Failures: 1, WindowStart: now.Unix(), UpdatedAt: now.Unix()}).Error
		if err != nil {
			return nil, err
		}
		var row signInThrottle
		if err := tx.Where("key = ?", c.key).First(&row).Error; err != nil {
			return nil, err
		}
		if row.Failures < c.max || row.LockedUntil > now.Unix() {
			continue
		}
		until := now.Add(ThrottleLockout)
		if err := tx.Model(&signInThrottle{}).Where("key = ?", c.key).
			Updates(map[string]any{"locked_until": until.Unix(), "failures": 0, "window_start": now.Unix()}).Error; err != nil {
			return nil, err
		}
		if err := appendAudit(tx, a, "auth.locked", "user", userID, nil,
			map[string]any{"scope": c.scope, "email": truncateRunes(NormalizeEmail(email), maxAuditEmail), "ip": ip, "failures": row.Failures, "until": until.UTC()}); err != nil {
			return nil, err
		}
		if locked == nil || c.scope == "address" {
			locked = &ThrottledError{Wait: ThrottleLockout, Scope: c.scope}
		}
	}
	return locked, nil
}

// throttleSucceed forgets the account's failures: only its own. The
// address's count stays, so signing in to one account cannot reset the
// guesses made at another.
func throttleSucceed(tx *gorm.DB, email string, now time.Time) error {
	account, _ := throttleKeys(email, "")
	return tx.Where("key = ? AND locked_until <= ?", account, now.Unix()).Delete(&signInThrottle{}).Error
}

// PruneSignInThrottles removes counters idle for a day (none of them is locked then).
func (s *Store) PruneSignInThrottles(ctx context.Context) error {
	now := s.now()
	return s.db.WithContext(ctx).Where("updated_at < ? AND locked_until < ?", now.Add(-24*time.Hour).Unix(), now.Unix()).Delete(&signInThrottle{}).Error
}
