package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Payout batch states.
const (
	BatchOpen     = "open"     // made, not yet exported: can still be dropped
	BatchExported = "exported" // downloaded for the bank: frozen
	BatchPaid     = "paid"     // every line paid
	BatchPartial  = "partial"  // some lines paid from the bank's result file
)

// BatchStates lists the payout batch states in display order.
var BatchStates = []string{BatchOpen, BatchExported, BatchPartial, BatchPaid}

// What a payout batch pays.
const (
	PayCreators = "creator" // weekly creator bonuses
	PayAgencies = "mcn"     // monthly MCN agency bonuses
)

// PayoutBatch is a set of approved bonuses sent to the bank together.
type PayoutBatch struct {
	ID          uint   `gorm:"primaryKey"`
	Kind        string `gorm:"size:8;not null;default:creator"` // PayCreators or PayAgencies
	CreatedByID uint   `gorm:"not null"`
	State       string `gorm:"size:10;not null;index"`
	Count       int    `gorm:"not null"`
	TotalFen    int64  `gorm:"not null"`
	Checksum    string `gorm:"size:64;not null"`
	// OpenMismatches counts the lines of the latest bank result that paid
	// nothing (and were not simply paid already): while any are open the whole
	// batch cannot be marked paid. A new bank result for the batch replaces it.
	OpenMismatches int `gorm:"not null;default:0"`
	CreatedAt      time.Time
	ExportedAt     *time.Time
	PaidAt         *time.Time
}

// CreatePayoutBatch puts exactly the given bonuses that are approved and in
// no batch yet into a new batch. Anything else among ids is left out and
// counted, never swept in.
func (s *Store) CreatePayoutBatch(ctx context.Context, a *Actor, kind string, ids []uint) (*PayoutBatch, int, error) {
	if !a.IsStaff() || a.UserID == 0 {
		return nil, 0, ErrForbidden
	}
	ids = dedupe(ids)
	if len(ids) == 0 {
		return nil, 0, FieldErrors{"ids": Msg{ID: "err_select_approved"}}
	}
	if len(ids) > MaxBulk {
		return nil, 0, FieldErrors{"ids": M("err_batch_too_many", "N", MaxBulk)}
	}
	table, pool, err := payoutSource(kind)
	if err != nil {
		return nil, 0, err
	}
	batch := &PayoutBatch{Kind: kind, CreatedByID: a.UserID, State: BatchOpen}
	skipped := 0
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, pool); err != nil {
			return err
		}
		if err := tx.Create(batch).Error; err != nil {
			return err
		}
		for start := 0; start < len(ids); start += 500 {
			part := ids[start:min(start+500, len(ids))]
			res := tx.Table(table).Where("id IN ? AND state = ? AND payout_batch_id IS NULL", part, BonusApproved).
				Update("payout_batch_id", batch.ID)
			if res.Error != nil {
				return res.Error
			}
			batch.Count += int(res.RowsAffected)
		}
		skipped = len(ids) - batch.Count
		if batch.Count == 0 {
			return FieldErrors{"ids": Msg{ID: "err_none_approved"}}
		}
		lines, err := batchLines(tx, batch)
		if err != nil {
			return err
		}
		batch.TotalFen, batch.Checksum = summarise(lines)
		if err := tx.Model(batch).Updates(map[string]any{"count": batch.Count, "total_fen": batch.TotalFen, "checksum": batch.Checksum}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "payout.create", "payout_batch", batch.ID, nil,
			map[string]any{"count": batch.Count, "total_fen": batch.TotalFen, "checksum": batch.Checksum, "left_out": skipped})
	})
	if err != nil {
		return nil, 0, err
	}
	return batch, skipped, nil
}

// PayoutLine is one payment of a batch, as exported.
type PayoutLine struct {
	BonusID     uint
	AccountID   string
	DisplayName string
	Agency      string
	Week        string
	AmountFen   int64
	State       BonusState
}

// payoutSource names the table and pool of a batch kind.
func payoutSource(kind string) (table, pool string, err error) {
	switch kind {
	case PayCreators:
		return "bonuses", PoolCreators, nil
	case PayAgencies:
		return "mcn_bonuses", PoolMCN, nil
	}
	return "", "", FieldErrors{"kind": Msg{ID: "err_payout_kind"}}
}

func batchLines(tx *gorm.DB, b *PayoutBatch) ([]PayoutLine, error) {
	var lines []PayoutLine
	var q *gorm.DB
	if b.Kind == PayAgencies {
		// Agencies are paid by their id; the "week" column carries the month.
		q = tx.Table("mcn_bonuses AS b").
			Select("b.id AS bonus_id, 'agency-' || CAST(a.id AS TEXT) AS account_id, a.name AS display_name, a.name AS agency, b.month AS week, b.amount_fen, b.state").
			Joins("JOIN agencies a ON a.id = b.agency_id")
	} else {
		q = tx.Table("bonuses AS b").
			Select("b.id AS bonus_id, c.account_id, c.display_name, COALESCE(a.name, '') AS agency, b.week, b.amount_fen, b.state").
			Joins("JOIN creators c ON c.id = b.creator_id").
			Joins("LEFT JOIN agencies a ON a.id = b.agency_id")
	}
	err := q.Where("b.payout_batch_id = ?", b.ID).Order("b.id").Scan(&lines).Error
	return lines, err
}

// summarise totals a batch and fingerprints its lines, so a file can be
// checked against the batch it claims to be.
func summarise(lines []PayoutLine) (int64, string) {
	h := sha256.New()
	var total int64
	for _, l := range lines {
		total += l.AmountFen
		fmt.Fprintf(h, "%d|%s|%s|%d\n", l.BonusID, l.AccountID, l.Week, l.AmountFen)
	}
	return total, hex.EncodeToString(h.Sum(nil))[:16]
}

// GetPayoutBatch loads a batch and its lines (staff only).
func (s *Store) GetPayoutBatch(ctx context.Context, a *Actor, id uint) (*PayoutBatch, []PayoutLine, error) {
	if !a.IsStaff() {
		return nil, nil, ErrNotFound
	}
	var b PayoutBatch
	if err := s.r(ctx).First(&b, id).Error; err != nil {
		return nil, nil, notFound(err)
	}
	lines, err := batchLines(s.r(ctx), &b)
	return &b, lines, err
}

// ListPayoutBatches lists batches, newest first (staff only).
func (s *Store) ListPayoutBatches(ctx context.Context, a *Actor, page Page) ([]PayoutBatch, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrNotFound
	}
	var total int64
	if err := s.r(ctx).Model(&PayoutBatch{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []PayoutBatch
	err := s.r(ctx).Order("id DESC").Limit(page.Size).Offset(page.Offset()).Find(&out).Error
	return out, total, err
}

// ErrBatchNotFrozen refuses a bank file of a batch that is still open: its
// lines could change after the download. Freezing is an explicit POST.
var ErrBatchNotFrozen = sentinel("payout_not_frozen", "the batch is not frozen for the bank yet")

// PayoutBatchFile returns a frozen batch's lines for the bank file; it
// changes nothing, so downloads are plain GETs.
func (s *Store) PayoutBatchFile(ctx context.Context, a *Actor, id uint) (*PayoutBatch, []PayoutLine, error) {
	if !a.IsStaff() {
		return nil, nil, ErrNotFound
	}
	var b PayoutBatch
	if err := s.r(ctx).First(&b, id).Error; err != nil {
		return nil, nil, notFound(err)
	}
	if b.State == BatchOpen {
		return nil, nil, ErrBatchNotFrozen
	}
	lines, err := batchLines(s.r(ctx), &b)
	return &b, lines, err
}

// FreezePayoutBatch returns a batch's lines for the bank file and freezes the
// batch: once exported, nothing can be added or removed.
func (s *Store) FreezePayoutBatch(ctx context.Context, a *Actor, id uint) (*PayoutBatch, []PayoutLine, error) {
	if !a.IsStaff() {
		return nil, nil, ErrNotFound
	}
	var b PayoutBatch
	var lines []PayoutLine
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&b, id).Error; err != nil {
			return notFound(err)
		}
		var err error
		if lines, err = batchLines(tx, &b); err != nil {
			return err
		}
		if b.State != BatchOpen {
			return nil
		}
		now := s.now().UTC()
		if err := tx.Model(&PayoutBatch{}).Where("id = ? AND state = ?", id, BatchOpen).
			Updates(map[string]any{"state": BatchExported, "exported_at": now}).Error; err != nil {
			return err
		}
		b.State, b.ExportedAt = BatchExported, &now
		return appendAudit(tx, a, "payout.export", "payout_batch", id, nil, map[string]any{"checksum": b.Checksum})
	})
	return &b, lines, err
}

// MarkBatchPaid records that the bank paid the whole batch. Lines already
// paid stay as they are; nothing is paid twice. It is refused with an
// UnresolvedMismatchesError while the batch's latest bank result has lines
// that paid nothing: paying the whole batch would pay the disputed lines.
func (s *Store) MarkBatchPaid(ctx context.Context, a *Actor, id uint) (int, error) {
	if !a.IsStaff() || a.UserID == 0 {
		return 0, ErrForbidden
	}
	paid := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var b PayoutBatch
		if err := tx.First(&b, id).Error; err != nil {
			return notFound(err)
		}
		if err := checkWholeBatchPayable(&b); err != nil {
			return err
		}
		table, _, err := payoutSource(b.Kind)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		res := tx.Table(table).Where("payout_batch_id = ? AND state = ?", id, BonusApproved).
			Updates(map[string]any{"state": BonusPaid, "paid_at": now})
		if res.Error != nil {
			return res.Error
		}
		paid = int(res.RowsAffected)
		if err := tx.Model(&PayoutBatch{}).Where("id = ?", id).Updates(map[string]any{"state": BatchPaid, "paid_at": now}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "payout.paid", "payout_batch", id, map[string]any{"state": b.State}, map[string]any{"state": BatchPaid, "lines_paid": paid})
	})
	return paid, err
}

// bankResultAliases accept a bank's Chinese headers, including those of the
// portal's own export in Chinese with a status column added.
var bankResultAliases = map[string]string{
	"creator_account_id": "account_id", "批次": "batch_id", "批次号": "batch_id", "账号": "account_id", "京东创作者账号": "account_id",
	"周": "week", "金额（分）": "amount_fen", "状态": "status", "支付状态": "status",
}

// BankReport is the outcome of applying the bank's result file.
type BankReport struct {
	Paid       int
	Failed     int
	Mismatches []BankMismatch
}

// BankMismatch is a line of the bank's result file that paid nothing, as
// data: a reason code and the values it names, rendered where it is shown.
type BankMismatch struct {
	Line        int    // the line of the file
	Reason      string // one of the Bank… codes
	Account     string // the account ID as the file writes it (as the batch writes it once matched)
	Name        string // the payee's display name (the agency's name) once the line matched the batch
	Week        string // the matched line's week (a month for agencies)
	AmountFen   int64  // the amount the file reports (BankAmountDiffers)
	ExpectedFen int64  // the amount the batch holds for the line (BankAmountDiffers)
	Value       string // the file's value at fault: its batch (BankOtherBatch) or amount (BankAmountNotFen)
	BatchID     uint   // the batch being recorded
	Status      string // the bank's status (BankFailed)
	Detail      Msg    // the row's shape problem (BankRowMalformed), as the file reader says it
}

// Why a line of the bank's result file paid nothing; each is the catalogue ID of its message.
const (
	BankRowMalformed  = "bank_row_malformed"  // Detail
	BankOtherBatch    = "bank_other_batch"    // Value (the file's batch), N (this batch)
	BankAmountNotFen  = "bank_amount_not_fen" // Value
	BankAmountDiffers = "bank_amount_differs" // Account, Expected, Amount
	BankNotInBatch    = "bank_not_in_batch"   // Account, N
	BankFailed        = "bank_failed"         // Account, Status
	BankAlreadyPaid   = "bank_already_paid"   // Account, Week
)

// Msg is the mismatch as a message.
func (m BankMismatch) Msg() Msg {
	switch m.Reason {
	case BankRowMalformed:
		return m.Detail
	case BankOtherBatch:
		return M(m.Reason, "Value", m.Value, "N", m.BatchID)
	case BankAmountNotFen:
		return M(m.Reason, "Value", m.Value)
	case BankAmountDiffers:
		return M(m.Reason, "Account", m.Account, "Expected", Fen(m.ExpectedFen), "Amount", Fen(m.AmountFen))
	case BankNotInBatch:
		return M(m.Reason, "Account", m.Account, "N", m.BatchID)
	case BankFailed:
		return M(m.Reason, "Account", m.Account, "Status", m.Status)
	case BankAlreadyPaid:
		return M(m.Reason, "Account", m.Account, "Week", m.Week)
	}
	return M(m.Reason)
}

// ApplyBankResult marks the lines the bank reports as paid, matching on batch,
// account (and week, when the file has it) and amount, and lists every line
// that does not match: unknown line, amount differs, already paid.
func (s *Store) ApplyBankResult(ctx context.Context, a *Actor, batchID uint, data []byte) (*BankReport, error) {
	if !a.IsStaff() || a.UserID == 0 {
		return nil, ErrForbidden
	}
	recs, err := readCSV(data, []string{"batch_id", "account_id", "week", "amount_fen", "status"}, []string{"batch_id", "account_id", "amount_fen", "status"},
		bankResultAliases)
	if err != nil {
		return nil, FieldErrors{"file": msgOf(err)}
	}
	rep := &BankReport{}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var b PayoutBatch
		if err := tx.First(&b, batchID).Error; err != nil {
			return notFound(err)
		}
		if b.State == BatchOpen {
			return FieldErrors{"file": Msg{ID: "err_export_before_paying"}}
		}
		lines, err := batchLines(tx, &b)
		if err != nil {
			return err
		}
		table, _, err := payoutSource(b.Kind)
		if err != nil {
			return err
		}
		used := map[uint]bool{}
		now := s.now().UTC()
		for _, r := range recs {
			miss := func(m BankMismatch) {
				m.Line, m.BatchID = r.Line, batchID
				rep.Mismatches = append(rep.Mismatches, m)
			}
			if !r.Err.IsZero() {
				miss(BankMismatch{Reason: BankRowMalformed, Detail: r.Err})
				continue
			}
			if r.Get("batch_id") != strconv.FormatUint(uint64(batchID), 10) {
				miss(BankMismatch{Reason: BankOtherBatch, Value: r.Get("batch_id")})
				continue
			}
			amount, err := strconv.ParseInt(r.Get("amount_fen"), 10, 64)
			if err != nil {
				miss(BankMismatch{Reason: BankAmountNotFen, Value: r.Get("amount_fen")})
				continue
			}
			var match, differs *PayoutLine
			for i := range lines {
				l := &lines[i]
				if used[l.BonusID] || AccountKey(l.AccountID) != AccountKey(r.Get("account_id")) || (r.Get("week") != "" && l.Week != r.Get("week")) {
					continue
				}
				if l.AmountFen != amount {
					differs = l
					continue
				}
				match = l
				break
			}
			switch {
			case match == nil && differs != nil:
				miss(BankMismatch{Reason: BankAmountDiffers, Account: r.Get("account_id"), Name: differs.DisplayName, AmountFen: amount, ExpectedFen: differs.AmountFen})
				continue
			case match == nil:
				miss(BankMismatch{Reason: BankNotInBatch, Account: r.Get("account_id"), AmountFen: amount})
				continue
			}
			used[match.BonusID] = true
			matched := BankMismatch{Account: match.AccountID, Name: match.DisplayName, Week: match.Week, AmountFen: amount}
			status := strings.ToLower(r.Get("status"))
			if status != "paid" && status != "success" && status != "ok" && status != "成功" && status != "已支付" {
				rep.Failed++
				matched.Reason, matched.Status = BankFailed, r.Get("status")
				miss(matched)
				continue
			}
			matched.Reason = BankAlreadyPaid
			if match.State == BonusPaid {
				miss(matched)
				continue
			}
			res := tx.Table(table).Where("id = ? AND state = ?", match.BonusID, BonusApproved).Updates(map[string]any{"state": BonusPaid, "paid_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				miss(matched)
				continue
			}
			match.State = BonusPaid
			rep.Paid++
		}
		var unpaid int64
		if err := tx.Table(table).Where("payout_batch_id = ? AND state = ?", batchID, BonusApproved).Count(&unpaid).Error; err != nil {
			return err
		}
		state := BatchPartial
		if unpaid == 0 {
			state = BatchPaid
		}
		open := rep.Open()
		if err := tx.Model(&PayoutBatch{}).Where("id = ?", batchID).Updates(map[string]any{"state": state, "open_mismatches": open}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "payout.bank_result", "payout_batch", batchID, map[string]any{"open_mismatches": b.OpenMismatches},
			map[string]any{"paid": rep.Paid, "failed": rep.Failed, "mismatches": len(rep.Mismatches), "open_mismatches": open, "state": state})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}
