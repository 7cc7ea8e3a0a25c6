package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Transfer states.
const (
	TransferRequested = "requested"
	TransferAccepted  = "accepted" // waits for the first day of next month
	TransferDeclined  = "declined"
	TransferEffective = "effective" // the creator now belongs to the new agency
)

// TransferStates lists the transfer states in display order (each has a label in every language).
var TransferStates = []string{TransferRequested, TransferAccepted, TransferDeclined, TransferEffective}

// Transfer is an agency's request to take over a creator another agency holds.
// The creator accepts or declines; an accepted transfer takes effect on the
// first day of the next month (CST). Quota credit stays where it was earned.
type Transfer struct {
	ID             uint  `gorm:"primaryKey"`
	CreatorID      uint  `gorm:"not null;index"`
	FromAgencyID   *uint `gorm:"index"`
	ToAgencyID     uint  `gorm:"not null;index"`
	ToAgency       *Agency
	RequestedByID  uint   `gorm:"not null"`
	State          string `gorm:"size:10;not null;index:idx_transfer_state_month,priority:1"`
	EffectiveMonth string `gorm:"size:7;index:idx_transfer_state_month,priority:2"`
	CreatedAt      time.Time
	DecidedAt      *time.Time
	AppliedAt      *time.Time
}

// ErrTransferOpen means the creator already has a transfer waiting.
var ErrTransferOpen = sentinel("err_transfer_open", "this creator already has a transfer request waiting")

// RequestTransfer asks to move a creator, known by JD account ID, from another
// agency to the manager's own. It says nothing about the holding agency.
func (s *Store) RequestTransfer(ctx context.Context, a *Actor, accountID string) (*Transfer, error) {
	if a.Role != RoleMCNManager || a.AgencyID == nil {
		return nil, ErrForbidden
	}
	accountID = strings.TrimSpace(accountID)
	var t *Transfer
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c Creator
		if err := tx.Where("account_key = ?", AccountKey(accountID)).First(&c).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return FieldErrors{"account_id": M("err_transfer_no_creator", "Account", accountID)}
			}
			return err
		}
		if c.AgencyID != nil && *c.AgencyID == *a.AgencyID {
			return FieldErrors{"account_id": Msg{ID: "err_transfer_own_creator"}}
		}
		var open int64
		if err := tx.Model(&Transfer{}).Where("creator_id = ? AND state IN ?", c.ID, []string{TransferRequested, TransferAccepted}).Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return fieldErr("account_id", ErrTransferOpen)
		}
		t = &Transfer{CreatorID: c.ID, FromAgencyID: c.AgencyID, ToAgencyID: *a.AgencyID, RequestedByID: a.UserID, State: TransferRequested}
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		var to Agency
		if err := tx.First(&to, *a.AgencyID).Error; err != nil {
			return err
		}
		if err := notifyCreator(tx, c.ID, M(NotifyTransferRequested, "Agency", to.Name), Target{Type: TargetMe}); err != nil {
			return err
		}
		return appendAudit(tx, a, "transfer.request", "creator", c.ID, nil, map[string]any{"to_agency_id": *a.AgencyID, "transfer_id": t.ID})
	})
	return t, err
}

// DecideTransfer is the creator accepting or declining a request for themself.
func (s *Store) DecideTransfer(ctx context.Context, a *Actor, transferID uint, accept bool, now time.Time) error {
	if a.Role != RoleCreator || a.CreatorID == nil {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var t Transfer
		if err := tx.Where("id = ? AND creator_id = ?", transferID, *a.CreatorID).First(&t).Error; err != nil {
			return notFound(err)
		}
		updates := map[string]any{"state": TransferDeclined, "decided_at": now.UTC()}
		msg := M(NotifyTransferDeclined)
		if accept {
			updates["state"] = TransferAccepted
			updates["effective_month"] = MonthOf(now).Next().String()
			msg = M(NotifyTransferAccepted, "Month", MonthOf(now).Next().String())
		}
		res := tx.Model(&Transfer{}).Where("id = ? AND state = ?", t.ID, TransferRequested).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return FieldErrors{"transfer": Msg{ID: "err_transfer_answered"}}
		}
		to := t.ToAgencyID
		if err := notifyAgency(tx, &to, msg, Target{Type: TargetDashboard}); err != nil {
			return err
		}
		if accept {
			if err := notifyAgency(tx, t.FromAgencyID, M(NotifyTransferLeaving, "Month", MonthOf(now).Next().String()), Target{Type: TargetDashboard}); err != nil {
				return err
			}
		}
		return appendAudit(tx, a, "transfer."+updates["state"].(string), "creator", t.CreatorID, map[string]any{"state": TransferRequested}, updates)
	})
}

// ApplyDueTransfers moves creators whose accepted transfer takes effect by
// now's month. It is safe to run often and from several servers.
func (s *Store) ApplyDueTransfers(ctx context.Context, now time.Time) (int, error) {
	var due []Transfer
	if err := s.r(ctx).Where("state = ? AND effective_month <= ?", TransferAccepted, MonthOf(now).String()).Find(&due).Error; err != nil {
		return 0, err
	}
	applied := 0
	for _, t := range due {
		err := s.tx(ctx, func(tx *gorm.DB) error {
			res := tx.Model(&Transfer{}).Where("id = ? AND state = ?", t.ID, TransferAccepted).Updates(map[string]any{"state": TransferEffective, "applied_at": now.UTC()})
			if res.Error != nil || res.RowsAffected != 1 {
				return res.Error
			}
			if err := tx.Model(&Creator{}).Where("id = ?", t.CreatorID).Update("agency_id", t.ToAgencyID).Error; err != nil {
				return err
			}
			applied++
			return appendAudit(tx, SystemActor(), "transfer.effective", "creator", t.CreatorID,
				map[string]any{"agency_id": t.FromAgencyID}, map[string]any{"agency_id": t.ToAgencyID})
		})
		if err != nil {
			return applied, err
		}
	}
	if applied > 0 {
		s.forgetRanks() // agency names on the board
	}
	return applied, nil
}

// TransferRow is a transfer as a list shows it.
type TransferRow struct {
	Transfer
	CreatorName string
	ToName      string
	Incoming    bool // from the viewing agency's side: true when it asked for the creator
}

// TransfersFor lists the transfers that concern an actor: a creator's own, or
// an agency's incoming and outgoing ones, newest first.
func (s *Store) TransfersFor(ctx context.Context, a *Actor, limit int) ([]TransferRow, error) {
	q := s.r(ctx).Table("transfers AS t").Select("t.*, c.display_name AS creator_name, ag.name AS to_name").
		Joins("JOIN creators c ON c.id = t.creator_id").Joins("JOIN agencies ag ON ag.id = t.to_agency_id")
	switch {
	case a.Role == RoleCreator && a.CreatorID != nil:
		q = q.Where("t.creator_id = ?", *a.CreatorID)
	case a.Role == RoleMCNManager && a.AgencyID != nil:
		q = q.Where("t.to_agency_id = ? OR t.from_agency_id = ?", *a.AgencyID, *a.AgencyID)
	default:
		return nil, nil
	}
	var rows []TransferRow
	if err := q.Order("t.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Incoming = a.AgencyID != nil && rows[i].ToAgencyID == *a.AgencyID
	}
	return rows, nil
}
