package models

import (
	"context"
	"slices"
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
	TotalFen    int64  `gorm:"not null"`           // gross: what the bonuses amount to
	TaxFen      int64  `gorm:"not null;default:0"` // income tax withheld on its lines
	NetFen      int64  `gorm:"not null;default:0"` // what the bank pays out
	Checksum    string `gorm:"size:64;not null"`
	// OpenMismatches counts the lines of the latest bank result that paid
	// nothing (and were not simply paid already): while any are open the whole
	// batch cannot be marked paid. A new bank result for the batch replaces it.
	OpenMismatches int `gorm:"not null;default:0"`
	CreatedAt      time.Time
	ExportedAt     *time.Time
	PaidAt         *time.Time
	// Held lists, after CreatePayoutBatch, what stayed out and why (not stored).
	Held []HeldPayout `gorm:"-"`
}

// ErrBatchConflict means another batch took one of the bonuses while this one was made.
var ErrBatchConflict = sentinel("err_batch_conflict", "another batch took some of these bonuses")

// CreatePayoutBatch puts exactly the given bonuses that are approved and in
// no batch yet into a new batch, one line per payee (an agency that settles
// for its creators is paid their weekly bonuses on one line; MCN bonuses are
// always the agency's). Anything else among ids is left out and counted,
// never swept in; lines that cannot be paid yet stay out and are listed in
// batch.Held with the reason.
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
	_, pool, err := payoutSource(kind)
	if err != nil {
		return nil, 0, err
	}
	batch := &PayoutBatch{Kind: kind, CreatedByID: a.UserID, State: BatchOpen}
	skipped := 0
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, pool); err != nil {
			return err
		}
		bonuses, err := loadPayoutBonuses(tx, kind, ids, 0)
		if err != nil {
			return err
		}
		skipped = len(ids) - len(bonuses)
		if len(bonuses) == 0 {
			return FieldErrors{"ids": Msg{ID: "err_none_approved"}}
		}
		now := s.now()
		lines, held, err := planPayout(tx, kind, bonuses, now)
		if err != nil {
			return err
		}
		if err := nameHeld(tx, held); err != nil {
			return err
		}
		batch.Held = held
		if len(lines) == 0 {
			return FieldErrors{"ids": M("err_batch_all_held", "Count", len(held))}
		}
		if err := tx.Create(batch).Error; err != nil {
			return err
		}
		if err := writeLines(tx, batch, lines, now); err != nil {
			return err
		}
		if err := tx.Model(batch).Updates(map[string]any{"count": batch.Count, "total_fen": batch.TotalFen, "tax_fen": batch.TaxFen,
			"net_fen": batch.NetFen, "checksum": batch.Checksum}).Error; err != nil {
			return err
		}
		heldFen := int64(0)
		for _, h := range held {
			heldFen += h.GrossFen
		}
		return appendAudit(tx, a, "payout.create", "payout_batch", batch.ID, nil,
			map[string]any{"count": batch.Count, "total_fen": batch.TotalFen, "tax_fen": batch.TaxFen, "net_fen": batch.NetFen,
				"checksum": batch.Checksum, "left_out": skipped, "held": len(held), "held_fen": heldFen})
	})
	if err != nil {
		return nil, 0, err
	}
	return batch, skipped, nil
}

// PayoutLine is one payment of a batch, as shown and exported.
type PayoutLine struct {
	ID        uint
	Ref       string
	Payee     PayeeRef
	AccountID string // the creator's JD account ID, or "agency-N"
	// DisplayName is the creator's or agency's name as the portal shows it.
	DisplayName string
	Agency      string // the creator's agency, or the agency paid
	Week        string // the period of a line with one bonus; the first of several
	Periods     []string
	GrossFen    int64
	TaxFen      int64
	NetFen      int64
	AmountFen   int64 // what the bank pays: NetFen
	Purpose     string
	State       BonusState // BonusPaid once the bank paid it, else BonusApproved
	Bonuses     []LineBonus
	// Pay is the payee as paid; its Account is only filled for a frozen
	// batch's file (PayoutBatchFile).
	Pay PayoutPayee
	// kept is the payee as verified when the batch was made (accountEnc
	// encrypted); empty on lines made before payout lines kept it.
	kept       PayoutPayee
	accountEnc string
}

// LineBonus is a bonus a line pays (for a settled agency, one of its creators').
type LineBonus struct {
	BonusID     uint
	AccountID   string
	DisplayName string
	Agency      string
	Period      string
	GrossFen    int64
	TaxFen      int64
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
	var recs []PayoutLineRecord
	if err := tx.Where("batch_id = ?", b.ID).Order("id").Find(&recs).Error; err != nil {
		return nil, err
	}
	var bonuses []struct {
		LineID      uint
		BonusID     uint
		AccountID   string
		DisplayName string
		Agency      string
		Period      string
		GrossFen    int64
		TaxFen      int64
		State       BonusState
	}
	var q *gorm.DB
	if b.Kind == PayAgencies {
		q = tx.Table("payout_line_bonuses AS lb").
			Select("lb.line_id, b.id AS bonus_id, 'agency-' || CAST(a.id AS TEXT) AS account_id, a.name AS display_name, a.name AS agency, b.month AS period, lb.gross_fen, lb.tax_fen, b.state").
			Joins("JOIN mcn_bonuses b ON b.id = lb.bonus_id AND lb.kind = ?", PayAgencies).
			Joins("JOIN agencies a ON a.id = b.agency_id")
	} else {
		q = tx.Table("payout_line_bonuses AS lb").
			Select("lb.line_id, b.id AS bonus_id, c.account_id, c.display_name, COALESCE(a.name, '') AS agency, b.week AS period, lb.gross_fen, lb.tax_fen, b.state").
			Joins("JOIN bonuses b ON b.id = lb.bonus_id AND lb.kind = ?", PayCreators).
			Joins("JOIN creators c ON c.id = b.creator_id").
			Joins("LEFT JOIN agencies a ON a.id = b.agency_id")
	}
	if err := q.Where("b.payout_batch_id = ?", b.ID).Order("lb.line_id, b.id").Scan(&bonuses).Error; err != nil {
		return nil, err
	}
	byLine := map[uint][]LineBonus{}
	for _, x := range bonuses {
		byLine[x.LineID] = append(byLine[x.LineID], LineBonus{BonusID: x.BonusID, AccountID: x.AccountID, DisplayName: x.DisplayName, Agency: x.Agency,
			Period: x.Period, GrossFen: x.GrossFen, TaxFen: x.TaxFen, State: x.State})
	}
	var agencyIDs []uint
	for _, r := range recs {
		if r.PayeeKind == PayeeAgency {
			agencyIDs = append(agencyIDs, r.PayeeID)
		}
	}
	agencyNames := map[uint]string{}
	if len(agencyIDs) > 0 {
		var as []Agency
		if err := tx.Select("id, name").Where("id IN ?", dedupe(agencyIDs)).Find(&as).Error; err != nil {
			return nil, err
		}
		for _, a := range as {
			agencyNames[a.ID] = a.Name
		}
	}
	lines := make([]PayoutLine, len(recs))
	for i, r := range recs {
		l := PayoutLine{ID: r.ID, Ref: r.Ref, Payee: PayeeRef{Kind: r.PayeeKind, ID: r.PayeeID}, GrossFen: r.GrossFen, TaxFen: r.TaxFen,
			NetFen: r.NetFen, AmountFen: r.NetFen, Purpose: r.Purpose, State: BonusApproved, Bonuses: byLine[r.ID],
			kept:       PayoutPayee{Name: r.PayeeName, Method: r.PayeeMethod, Bank: r.PayeeBank, Branch: r.PayeeBranch, Masked: r.AccountMasked},
			accountEnc: r.AccountEnc}
		if r.PaidAt != nil {
			l.State = BonusPaid
		}
		for _, x := range l.Bonuses {
			if !slices.Contains(l.Periods, x.Period) {
				l.Periods = append(l.Periods, x.Period)
			}
		}
		if len(l.Periods) > 0 {
			l.Week = l.Periods[0]
		}
		switch {
		case r.PayeeKind == PayeeAgency:
			l.DisplayName, l.Agency = agencyNames[r.PayeeID], agencyNames[r.PayeeID]
			l.AccountID = "agency-" + strconv.FormatUint(uint64(r.PayeeID), 10)
		case len(l.Bonuses) > 0:
			l.DisplayName, l.Agency, l.AccountID = l.Bonuses[0].DisplayName, l.Bonuses[0].Agency, l.Bonuses[0].AccountID
		}
		lines[i] = l
	}
	return lines, nil
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
	if err != nil {
		return nil, nil, err
	}
	if err := attachPayees(s.r(ctx), lines, false); err != nil {
		return nil, nil, err
	}
	return &b, lines, nil
}

// attachPayees fills each line's payee as paid: the details kept on the line
// when the batch was made (a later change of account never redirects it), or
// for lines made before lines kept them, the payee's details as they are. The
// full account only when full is set (a frozen batch's file), else masked.
func attachPayees(tx *gorm.DB, lines []PayoutLine, full bool) error {
	refs := make([]PayeeRef, 0, len(lines))
	for _, l := range lines {
		if l.kept.Name == "" {
			refs = append(refs, l.Payee)
		}
	}
	payees, err := payeesForPayout(tx, refs)
	if err != nil {
		return err
	}
	for i := range lines {
		if k := lines[i].kept; k.Name != "" {
			if full && lines[i].accountEnc != "" {
				c, err := payeeCipherOf(tx)
				if err != nil {
					return err
				}
				if k.Account, err = c.open(lines[i].accountEnc, lineAccountAAD(lines[i].Ref)); err != nil {
					return err
				}
			}
			lines[i].Pay = k
			continue
		}
		p := payees[lines[i].Payee]
		if p.Name == "" {
			p.Name = lines[i].DisplayName
		}
		if !full {
			p.Account = ""
		}
		lines[i].Pay = p
	}
	return nil
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

// PayoutBatchFile returns a frozen batch's lines for the bank file, with
// the payees' full accounts. The download is audited: who, which batch, in
// which format, how many payees. (The route asks for a freshly entered
// password first.)
func (s *Store) PayoutBatchFile(ctx context.Context, a *Actor, id uint, format string) (*PayoutBatch, []PayoutLine, error) {
	if !a.IsStaff() || a.UserID == 0 {
		return nil, nil, ErrNotFound
	}
	var b PayoutBatch
	var lines []PayoutLine
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&b, id).Error; err != nil {
			return notFound(err)
		}
		if b.State == BatchOpen {
			return ErrBatchNotFrozen
		}
		var err error
		all, err := batchLines(tx, &b)
		if err != nil {
			return err
		}
		// A line a clawback netted down to ¥0 moves no money: it was settled
		// when the batch froze and stays out of the bank's file.
		lines = slices.DeleteFunc(all, func(l PayoutLine) bool { return l.NetFen == 0 })
		if err := attachPayees(tx, lines, true); err != nil {
			return err
		}
		payees := map[PayeeRef]bool{}
		for _, l := range lines {
			payees[l.Payee] = true
		}
		return appendAudit(tx, a, "payout.download", "payout_batch", id, nil,
			map[string]any{"format": format, "payees": len(payees), "lines": len(lines), "checksum": b.Checksum})
	})
	if err != nil {
		return nil, nil, err
	}
	return &b, lines, nil
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
		settled, err := settleZeroLines(tx, &b, now)
		if err != nil {
			return err
		}
		return appendAudit(tx, a, "payout.export", "payout_batch", id, nil, map[string]any{"checksum": b.Checksum, "zero_lines_settled": settled})
	})
	return &b, lines, err
}

// settleZeroLines pays, as the batch freezes, the lines a clawback netted
// down to ¥0 and their bonuses: they move no money (banks refuse zero
// transfers), so they never wait for the bank. It returns how many it settled.
func settleZeroLines(tx *gorm.DB, b *PayoutBatch, now time.Time) (int, error) {
	var ids []uint
	if err := tx.Model(&PayoutLineRecord{}).Where("batch_id = ? AND net_fen = 0 AND paid_at IS NULL", b.ID).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	table, _, err := payoutSource(b.Kind)
	if err != nil {
		return 0, err
	}
	for _, part := range chunks(ids, 500) {
		if err := tx.Model(&PayoutLineRecord{}).Where("id IN ?", part).Update("paid_at", now).Error; err != nil {
			return 0, err
		}
		linked := tx.Model(&PayoutLineBonus{}).Select("bonus_id").Where("kind = ? AND line_id IN ?", b.Kind, part)
		if err := tx.Table(table).Where("state = ? AND id IN (?)", BonusApproved, linked).
			Updates(map[string]any{"state": BonusPaid, "paid_at": now}).Error; err != nil {
			return 0, err
		}
	}
	return len(ids), nil
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
		lres := tx.Model(&PayoutLineRecord{}).Where("batch_id = ? AND paid_at IS NULL", id).Update("paid_at", now)
		if lres.Error != nil {
			return lres.Error
		}
		paid = int(lres.RowsAffected)
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
	"line_ref": "line_ref", "付款参考号": "line_ref", "参考号": "line_ref", "net_fen": "amount_fen", "实付金额（分）": "amount_fen",
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
	Ref         string // the line reference the file names (files that carry one)
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
	if m.Ref != "" {
		switch m.Reason {
		case BankAmountDiffers:
			return M("bank_amount_differs_ref", "Ref", m.Ref, "Expected", Fen(m.ExpectedFen), "Amount", Fen(m.AmountFen))
		case BankNotInBatch:
			return M("bank_not_in_batch_ref", "Ref", m.Ref, "N", m.BatchID)
		case BankFailed:
			return M("bank_failed_ref", "Ref", m.Ref, "Status", m.Status)
		case BankAlreadyPaid:
			return M("bank_already_paid_ref", "Ref", m.Ref)
		}
	}
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

// ApplyBankResult marks the lines the bank reports as paid and lists every
// line of the file that does not match. A file with a line_ref column (the
// portal's own bank file, with the bank's status added) is matched on the
// line reference; an older file without one is matched as before on the
// payee's account (and week, when the file has it), which finds lines that
// pay one bonus (every line of a batch made before payout lines existed).
// The amount must be the line's net amount.
func (s *Store) ApplyBankResult(ctx context.Context, a *Actor, batchID uint, data []byte) (*BankReport, error) {
	if !a.IsStaff() || a.UserID == 0 {
		return nil, ErrForbidden
	}
	recs, err := readCSV(data, []string{"batch_id", "line_ref", "account_id", "week", "amount_fen", "status"}, []string{"batch_id", "amount_fen", "status"},
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
			ref := strings.ToUpper(strings.TrimSpace(r.Get("line_ref")))
			var match, differs *PayoutLine
			for i := range lines {
				l := &lines[i]
				if used[l.ID] {
					continue
				}
				if ref != "" {
					if l.Ref != ref {
						continue
					}
				} else if len(l.Bonuses) != 1 || AccountKey(l.AccountID) != AccountKey(r.Get("account_id")) || (r.Get("week") != "" && l.Week != r.Get("week")) {
					continue
				}
				if l.NetFen != amount {
					differs = l
					continue
				}
				match = l
				break
			}
			switch {
			case match == nil && differs != nil:
				miss(BankMismatch{Reason: BankAmountDiffers, Ref: ref, Account: r.Get("account_id"), Name: differs.DisplayName, AmountFen: amount, ExpectedFen: differs.NetFen})
				continue
			case match == nil:
				miss(BankMismatch{Reason: BankNotInBatch, Ref: ref, Account: r.Get("account_id"), AmountFen: amount})
				continue
			}
			used[match.ID] = true
			matched := BankMismatch{Ref: ref, Account: match.AccountID, Name: match.DisplayName, Week: match.Week, AmountFen: amount}
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
			res := tx.Model(&PayoutLineRecord{}).Where("id = ? AND paid_at IS NULL", match.ID).Update("paid_at", now)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				miss(matched)
				continue
			}
			ids := make([]uint, len(match.Bonuses))
			for i, x := range match.Bonuses {
				ids[i] = x.BonusID
			}
			if err := tx.Table(table).Where("id IN ? AND state = ?", ids, BonusApproved).Updates(map[string]any{"state": BonusPaid, "paid_at": now}).Error; err != nil {
				return err
			}
			match.State = BonusPaid
			rep.Paid++
		}
		var unpaid int64
		if err := tx.Model(&PayoutLineRecord{}).Where("batch_id = ? AND paid_at IS NULL", batchID).Count(&unpaid).Error; err != nil {
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
