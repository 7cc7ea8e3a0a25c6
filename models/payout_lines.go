package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// PayoutLineRecord is one payment of a batch as stored (issue 15): one payee,
// the bonuses it pays, and gross, tax withheld and net. Ref is what the bank
// file carries and what the bank's result file is matched on.
type PayoutLineRecord struct {
	ID        uint   `gorm:"primaryKey"`
	BatchID   uint   `gorm:"not null;index"`
	Ref       string `gorm:"size:24;not null;uniqueIndex"`
	PayeeKind string `gorm:"size:8;not null;index:idx_payout_line_payee_month,priority:1"`
	PayeeID   uint   `gorm:"not null;index:idx_payout_line_payee_month,priority:2"`
	// Month is the CST month the line was made in: the month whose income the
	// tax withheld on it belongs to.
	Month    string `gorm:"size:7;not null;index:idx_payout_line_payee_month,priority:3"`
	GrossFen int64  `gorm:"not null"`
	TaxFen   int64  `gorm:"not null"`
	NetFen   int64  `gorm:"not null"`
	Purpose  string `gorm:"size:120;not null"`
	// The payee as verified when the batch was made: the bank file pays
	// exactly this, whatever changes later (a changed account waits for the
	// next batch, after a reviewer verified it). Empty on lines made before.
	PayeeName     string `gorm:"size:120;not null;default:''"`
	PayeeMethod   string `gorm:"size:8;not null;default:''"`
	PayeeBank     string `gorm:"size:80;not null;default:''"`
	PayeeBranch   string `gorm:"size:120;not null;default:''"`
	AccountEnc    string `gorm:"type:text;not null;default:''"` // under the payee key, bound to the line's ref
	AccountMasked string `gorm:"size:64;not null;default:''"`
	PaidAt        *time.Time
	CreatedAt     time.Time
}

// TableName names the table.
func (PayoutLineRecord) TableName() string { return "payout_lines" }

// lineAccountAAD binds a line's encrypted account to the line.
func lineAccountAAD(ref string) string { return "payout_line|" + ref + "|account" }

// PayoutLineBonus puts one bonus on one payout line. The primary key (the
// bonus's kind and id) keeps a bonus on at most one line, ever.
type PayoutLineBonus struct {
	Kind     string `gorm:"primaryKey;size:8"` // PayCreators (bonuses) or PayAgencies (mcn_bonuses)
	BonusID  uint   `gorm:"primaryKey;autoIncrement:false"`
	LineID   uint   `gorm:"not null;index"`
	GrossFen int64  `gorm:"not null"`
	TaxFen   int64  `gorm:"not null"` // the line's tax, shared out by amount
}

// TableName names the table.
func (PayoutLineBonus) TableName() string { return "payout_line_bonuses" }

// Hold reasons of the payout side; payees and invoices have their own.
const HoldBelowMinimum = "hold_below_minimum"

// minPayoutKey is the settings row holding the minimum payout in fen.
const minPayoutKey = "payout_minimum_fen"

// MinPayoutCeilingFen bounds the minimum payout an admin may set (¥10,000).
const MinPayoutCeilingFen = 1_000_000

// MinPayout returns the minimum net amount a line must reach to be paid
// (default ¥0). Smaller lines wait for a later batch.
func (s *Store) MinPayout(ctx context.Context) (int64, error) { return minPayout(s.r(ctx)) }

func minPayout(tx *gorm.DB) (int64, error) {
	var rows []Setting
	if err := tx.Where("key = ?", minPayoutKey).Find(&rows).Error; err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	n, err := strconv.ParseInt(rows[0].Value, 10, 64)
	if err != nil || n < 0 {
		return 0, nil // a value no one could have saved: the default
	}
	return n, nil
}

// SetMinPayout saves the minimum payout (admins only), audited. It is a
// plain admin setting: it moves no money, it only lets small amounts wait.
func (s *Store) SetMinPayout(ctx context.Context, a *Actor, fen int64) error {
	if a == nil || a.Role != RoleAdmin || a.UserID == 0 {
		return ErrForbidden
	}
	if fen < 0 || fen > MinPayoutCeilingFen {
		return FieldErrors{"min_payout": M("err_min_payout_range", "Max", Fen(MinPayoutCeilingFen))}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := minPayout(tx)
		if err != nil {
			return err
		}
		if err := tx.Save(&Setting{Key: minPayoutKey, Value: strconv.FormatInt(fen, 10)}).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "settings.min_payout", "setting", 0, map[string]any{"fen": before}, map[string]any{"fen": fen})
	})
}

// payoutBonus is an approved bonus about to be paid.
type payoutBonus struct {
	ID         uint
	CreatorID  uint
	AgencyID   *uint
	Period     string // ISO week, or month for MCN bonuses
	AmountFen  int64
	Settlement string // the agency's settlement mode ("" without an agency)
}

// plannedLine is a line a batch would make.
type plannedLine struct {
	Payee   PayeeRef
	Pay     PayoutPayee // the payee's verified details, kept on the line
	Bonuses []payoutBonus
	// Adjustments are the approved adjustments the line settles (weekly
	// batches), AdjustFen their sum: GrossFen is the bonuses plus AdjustFen.
	Adjustments []lineAdjust
	AdjustFen   int64
	GrossFen    int64
	TaxFen      int64
	NetFen      int64
}

// HeldPayout is money that stays out of a batch, and why.
type HeldPayout struct {
	Payee    PayeeRef
	Name     string // the creator's or agency's name as the portal shows it
	Periods  []string
	BonusIDs []uint
	GrossFen int64
	NetFen   int64
	Reason   string // a hold message ID: hold_payee_*, hold_invoice_*, hold_below_minimum, hold_holding_period
	// PayableFrom is when bonuses held for the holding period become payable.
	PayableFrom *time.Time
}

// Msg is the hold's reason as a message (with the date for the holding period).
func (h HeldPayout) Msg() Msg {
	if h.Reason == HoldHoldingPeriod && h.PayableFrom != nil {
		return PayableFromMsg("hold_holding_period_until", *h.PayableFrom)
	}
	return Msg{ID: h.Reason}
}

// PayableFromMsg is a message naming a CST date: Date (2026-12-16), Month and Day (12, 16).
func PayableFromMsg(id string, t time.Time) Msg {
	d := t.In(CST)
	return M(id, "Date", d.Format("2006-01-02"))
}

// payeeOf is who is paid a bonus: MCN bonuses always the agency; a weekly
// bonus the agency when it settles for its creators, else the creator.
func payeeOf(kind string, b payoutBonus) PayeeRef {
	if kind == PayAgencies {
		return PayeeRef{Kind: PayeeAgency, ID: *b.AgencyID}
	}
	if b.AgencyID != nil && b.Settlement == SettleThroughAgency {
		return PayeeRef{Kind: PayeeAgency, ID: *b.AgencyID}
	}
	return PayeeRef{Kind: PayeeCreator, ID: b.CreatorID}
}

// groupPayout makes one line per payee, in the order of each payee's first bonus.
func groupPayout(kind string, bonuses []payoutBonus) []plannedLine {
	var lines []plannedLine
	at := map[PayeeRef]int{}
	for _, b := range bonuses {
		p := payeeOf(kind, b)
		i, ok := at[p]
		if !ok {
			i = len(lines)
			at[p] = i
			lines = append(lines, plannedLine{Payee: p})
		}
		lines[i].Bonuses = append(lines[i].Bonuses, b)
		lines[i].GrossFen += b.AmountFen
	}
	return lines
}

// loadPayoutBonuses reads the approved bonuses among ids that are in no batch
// yet (all of them when ids is nil, at most limit), with their agency's
// settlement mode as it is now.
func loadPayoutBonuses(tx *gorm.DB, kind string, ids []uint, limit int) ([]payoutBonus, error) {
	var q *gorm.DB
	if kind == PayAgencies {
		q = tx.Table("mcn_bonuses AS b").Select("b.id, 0 AS creator_id, b.agency_id, b.month AS period, b.amount_fen, a.settlement").
			Joins("JOIN agencies a ON a.id = b.agency_id")
	} else {
		q = tx.Table("bonuses AS b").Select("b.id, b.creator_id, b.agency_id, b.week AS period, b.amount_fen, COALESCE(a.settlement, '') AS settlement").
			Joins("LEFT JOIN agencies a ON a.id = b.agency_id")
	}
	q = q.Where("b.state = ? AND b.payout_batch_id IS NULL", BonusApproved).Order("b.id")
	var out []payoutBonus
	if ids == nil {
		err := q.Limit(limit).Scan(&out).Error
		return out, err
	}
	for start := 0; start < len(ids); start += 500 {
		var part []payoutBonus
		if err := q.Session(&gorm.Session{}).Where("b.id IN ?", ids[start:min(start+500, len(ids))]).Scan(&part).Error; err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	slices.SortFunc(out, func(a, b payoutBonus) int { return int(a.ID) - int(b.ID) })
	return out, nil
}

// planPayout groups bonuses into lines and keeps out what cannot be paid:
// an agency's payables without their invoice (per week or month), payees
// that cannot be paid, and lines whose net is below the minimum. Tax is
// withheld on lines paid to individuals; agency lines withhold nothing.
// It asks the payee, invoice and tax seams; it never decides for them.
func planPayout(tx *gorm.DB, kind string, bonuses []payoutBonus, at time.Time) ([]plannedLine, []HeldPayout, error) {
	days, err := holdingDays(tx)
	if err != nil {
		return nil, nil, err
	}
	bonuses, held := splitHeldByHoldingPeriod(kind, bonuses, days, at)
	grouped := groupPayout(kind, bonuses)
	hold := func(l plannedLine, reason string) {
		h := HeldPayout{Payee: l.Payee, GrossFen: l.GrossFen, NetFen: l.NetFen, Reason: reason}
		if h.NetFen == 0 {
			h.NetFen = l.GrossFen - l.TaxFen
		}
		for _, b := range l.Bonuses {
			h.BonusIDs = append(h.BonusIDs, b.ID)
			if !slices.Contains(h.Periods, b.Period) {
				h.Periods = append(h.Periods, b.Period)
			}
		}
		held = append(held, h)
	}

	// Invoices: an agency is paid only what it has invoiced, per week or month.
	payables := map[PayableRef]int64{}
	refOf := func(l plannedLine, b payoutBonus) (PayableRef, bool) {
		if l.Payee.Kind != PayeeAgency {
			return PayableRef{}, false
		}
		if kind == PayAgencies {
			return PayableRef{AgencyID: l.Payee.ID, Kind: PayableMCNBonus, Period: b.Period}, true
		}
		return PayableRef{AgencyID: l.Payee.ID, Kind: PayableSettlement, Period: b.Period}, true
	}
	for _, l := range grouped {
		for _, b := range l.Bonuses {
			ref, ok := refOf(l, b)
			if !ok {
				continue
			}
			if ref.Kind == PayableMCNBonus {
				payables[ref] += b.AmountFen
			} else if _, seen := payables[ref]; !seen {
				gross, err := settlementGrossFen(tx, ref.AgencyID, ref.Period)
				if err != nil {
					return nil, nil, err
				}
				payables[ref] = gross
			}
		}
	}
	invoiceHeld := map[PayableRef]string{}
	if len(payables) > 0 {
		var err error
		if invoiceHeld, err = invoiceHolds(tx, payables); err != nil {
			return nil, nil, err
		}
	}
	var lines []plannedLine
	for _, l := range grouped {
		kept := plannedLine{Payee: l.Payee}
		byReason := map[string]*plannedLine{}
		var reasons []string
		for _, b := range l.Bonuses {
			ref, ok := refOf(l, b)
			if reason := invoiceHeld[ref]; ok && reason != "" {
				if byReason[reason] == nil {
					byReason[reason] = &plannedLine{Payee: l.Payee}
					reasons = append(reasons, reason)
				}
				byReason[reason].Bonuses = append(byReason[reason].Bonuses, b)
				byReason[reason].GrossFen += b.AmountFen
				continue
			}
			kept.Bonuses = append(kept.Bonuses, b)
			kept.GrossFen += b.AmountFen
		}
		for _, r := range reasons {
			hold(*byReason[r], r)
		}
		if len(kept.Bonuses) > 0 {
			lines = append(lines, kept)
		}
	}

	// Adjustments: a payee's approved corrections net against its line.
	if err := netAdjustments(tx, kind, lines); err != nil {
		return nil, nil, err
	}

	// Payees: only those whose details can be paid.
	refs := make([]PayeeRef, len(lines))
	for i, l := range lines {
		refs[i] = l.Payee
	}
	payees, err := payeesForPayout(tx, refs)
	if err != nil {
		return nil, nil, err
	}
	minFen, err := minPayout(tx)
	if err != nil {
		return nil, nil, err
	}
	month := Month(at)
	var creators []uint
	for _, l := range lines {
		if l.Payee.Kind == PayeeCreator && payees[l.Payee].Hold == "" {
			creators = append(creators, l.Payee.ID)
		}
	}
	before, err := monthPaidBeforeAll(tx, creators, month)
	if err != nil {
		return nil, nil, err
	}
	out := lines[:0]
	for _, l := range lines {
		if reason := payees[l.Payee].Hold; reason != "" {
			hold(l, reason)
			continue
		}
		if l.Payee.Kind == PayeeCreator {
			// Tax is withheld on the netted gross (bonuses plus adjustments): a
			// clawback taken off the line is income the payee never receives.
			// Tax: this month's earlier lines to the same individual count as one income.
			b := before[l.Payee.ID]
			if l.TaxFen, err = withholdingFen(tx, at, b.GrossFen, b.TaxFen, l.GrossFen); err != nil {
				return nil, nil, err
			}
		}
		l.NetFen = l.GrossFen - l.TaxFen
		if l.NetFen < minFen {
			hold(l, HoldBelowMinimum)
			continue
		}
		l.Pay = payees[l.Payee]
		out = append(out, l)
	}
	return out, held, nil
}

// monthPaidBefore sums the gross and the tax withheld of a payee's earlier
// payout lines of one CST month: what withholdingFen counts as the month's
// income so far.
func monthPaidBefore(tx *gorm.DB, p PayeeRef, month string) (grossFen, taxFen int64, err error) {
	if p.Kind != PayeeCreator {
		return 0, 0, nil // agencies are not taxed here: they invoice
	}
	sums, err := monthPaidBeforeAll(tx, []uint{p.ID}, month)
	return sums[p.ID].GrossFen, sums[p.ID].TaxFen, err
}

// monthPaidBeforeAll is monthPaidBefore for many creators at once.
func monthPaidBeforeAll(tx *gorm.DB, creatorIDs []uint, month string) (map[uint]BonusPayout, error) {
	out := map[uint]BonusPayout{}
	for start := 0; start < len(creatorIDs); start += 500 {
		var rows []struct {
			PayeeID uint
			Gross   int64
			Tax     int64
		}
		err := tx.Model(&PayoutLineRecord{}).Select("payee_id, SUM(gross_fen) AS gross, SUM(tax_fen) AS tax").
			Where("payee_kind = ? AND month = ? AND payee_id IN ?", PayeeCreator, month, creatorIDs[start:min(start+500, len(creatorIDs))]).
			Group("payee_id").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.PayeeID] = BonusPayout{GrossFen: r.Gross, TaxFen: r.Tax}
		}
	}
	return out, nil
}

// payoutPurpose is the transfer's purpose as the bank shows it to the payee.
// It is written in Chinese whatever the staff member's language: it is what
// a Chinese bank statement says, not a message of the portal.
func payoutPurpose(kind string, periods []string) string {
	label := "京东创作者激励"
	unit := "周"
	if kind == PayAgencies {
		label, unit = "京东MCN机构月度奖励", "个月"
	}
	slices.Sort(periods)
	periods = slices.Compact(periods)
	switch len(periods) {
	case 0:
		return label
	case 1:
		return label + " " + periods[0]
	}
	return fmt.Sprintf("%s %s至%s 共%d%s", label, periods[0], periods[len(periods)-1], len(periods), unit)
}

// lineRef is a line's reference: letters and digits only, so every bank
// takes it, unique as the batch id and the line's place in it are.
func lineRef(batchID uint, seq int) string { return fmt.Sprintf("JD%06d%04d", batchID, seq) }

// shareTax divides a line's tax over its bonuses in proportion to their
// amounts (rounded down; the last bonus takes what is left), so a creator's
// statement shows each week's share and the shares add up to the line's tax.
func shareTax(bonuses []payoutBonus, grossFen, taxFen int64) []int64 {
	out := make([]int64, len(bonuses))
	left := taxFen
	for i, b := range bonuses {
		if i == len(bonuses)-1 || grossFen == 0 {
			out[i] = left
			break
		}
		out[i] = taxFen * b.AmountFen / grossFen
		left -= out[i]
	}
	return out
}

// writeLines stores a batch's planned lines and puts their bonuses in the batch.
func writeLines(tx *gorm.DB, batch *PayoutBatch, lines []plannedLine, at time.Time) error {
	table, _, err := payoutSource(batch.Kind)
	if err != nil {
		return err
	}
	var cipher *payeeCipher
	h := sha256.New()
	for i, l := range lines {
		var periods []string
		ids := make([]uint, len(l.Bonuses))
		for j, b := range l.Bonuses {
			periods = append(periods, b.Period)
			ids[j] = b.ID
		}
		rec := PayoutLineRecord{BatchID: batch.ID, Ref: lineRef(batch.ID, i+1), PayeeKind: l.Payee.Kind, PayeeID: l.Payee.ID, Month: Month(at),
			GrossFen: l.GrossFen, TaxFen: l.TaxFen, NetFen: l.NetFen, Purpose: payoutPurpose(batch.Kind, periods), CreatedAt: at.UTC(),
			PayeeName: l.Pay.Name, PayeeMethod: l.Pay.Method, PayeeBank: l.Pay.Bank, PayeeBranch: l.Pay.Branch, AccountMasked: l.Pay.Masked}
		if l.Pay.Account != "" {
			if cipher == nil {
				if cipher, err = payeeCipherOf(tx); err != nil {
					return err
				}
			}
			if rec.AccountEnc, err = cipher.seal(l.Pay.Account, lineAccountAAD(rec.Ref)); err != nil {
				return err
			}
		}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		if err := writeLineAdjustments(tx, rec.ID, l.Adjustments); err != nil {
			return err
		}
		// Each bonus's share of the tax is by its amount among the line's bonuses.
		taxes := shareTax(l.Bonuses, bonusesFen(l.Bonuses), l.TaxFen)
		links := make([]PayoutLineBonus, len(l.Bonuses))
		for j, b := range l.Bonuses {
			links[j] = PayoutLineBonus{Kind: batch.Kind, BonusID: b.ID, LineID: rec.ID, GrossFen: b.AmountFen, TaxFen: taxes[j]}
		}
		if err := tx.CreateInBatches(links, 500).Error; err != nil {
			return err
		}
		for start := 0; start < len(ids); start += 500 {
			part := ids[start:min(start+500, len(ids))]
			res := tx.Table(table).Where("id IN ? AND state = ? AND payout_batch_id IS NULL", part, BonusApproved).Update("payout_batch_id", batch.ID)
			if res.Error != nil {
				return res.Error
			}
			if int(res.RowsAffected) != len(part) {
				return ErrBatchConflict // another batch took one of them meanwhile
			}
		}
		batch.Count++
		batch.TotalFen += rec.GrossFen
		batch.TaxFen += rec.TaxFen
		batch.NetFen += rec.NetFen
		// The checksum covers whom and where the line pays, not only how much.
		fmt.Fprintf(h, "%s|%s|%d|%d|%d|%d|%s|%s|%s|%s|%s\n", rec.Ref, rec.PayeeKind, rec.PayeeID, rec.GrossFen, rec.TaxFen, rec.NetFen,
			l.Pay.Name, l.Pay.Method, l.Pay.Account, l.Pay.Bank, l.Pay.Branch)
	}
	batch.Checksum = hex.EncodeToString(h.Sum(nil))[:16]
	return nil
}

// HeldReason is how much is held for one reason.
type HeldReason struct {
	Reason   string
	Lines    int
	GrossFen int64
}

// HeldSummary is what approved money cannot be paid yet and why: totals per
// reason and the largest held lines.
type HeldSummary struct {
	Reasons []HeldReason
	Lines   []HeldPayout // the largest first, at most the limit asked for
	// Partial is set when more approved bonuses wait than were looked at.
	Partial bool
}

// HeldScanLimit bounds how many waiting bonuses of each kind the held
// summary looks at, so the payouts page and the dashboard stay quick.
const HeldScanLimit = 5_000

// HeldPayouts says which approved bonuses in no batch would be held if a
// batch were made now, and why (staff only), listing the limit largest. It
// looks at most at HeldScanLimit bonuses of each kind (Partial says so).
//
// It is memoised like the dashboard's counts (the scan and the plan cost
// 10–20 ms on PostgreSQL at programme scale, on every dashboard request): a
// holding period that ends shows within the memo's lifetime.
func (s *Store) HeldPayouts(ctx context.Context, a *Actor, limit int) (HeldSummary, error) {
	if !a.IsStaff() {
		return HeldSummary{}, ErrNotFound
	}
	return counted(ctx, s, "held_payouts:"+strconv.Itoa(limit), func(ctx context.Context) (HeldSummary, error) {
		return s.heldPayouts(ctx, limit)
	})
}

func (s *Store) heldPayouts(ctx context.Context, limit int) (HeldSummary, error) {
	var out HeldSummary
	tx := s.r(ctx)
	now := s.now()
	var held []HeldPayout
	for _, kind := range []string{PayCreators, PayAgencies} {
		bonuses, err := loadPayoutBonuses(tx, kind, nil, HeldScanLimit+1)
		if err != nil {
			return out, err
		}
		if len(bonuses) > HeldScanLimit {
			bonuses, out.Partial = bonuses[:HeldScanLimit], true
		}
		_, h, err := planPayout(tx, kind, bonuses, now)
		if err != nil {
			return out, err
		}
		held = append(held, h...)
	}
	at := map[string]int{}
	for _, h := range held {
		i, ok := at[h.Reason]
		if !ok {
			i = len(out.Reasons)
			at[h.Reason] = i
			out.Reasons = append(out.Reasons, HeldReason{Reason: h.Reason})
		}
		out.Reasons[i].Lines++
		out.Reasons[i].GrossFen += h.GrossFen
	}
	slices.SortStableFunc(held, func(x, y HeldPayout) int { return int(y.GrossFen - x.GrossFen) })
	if len(held) > limit {
		held = held[:limit]
	}
	if err := nameHeld(tx, held); err != nil {
		return out, err
	}
	out.Lines = held
	return out, nil
}

// nameHeld fills in the names of the held payees.
func nameHeld(tx *gorm.DB, held []HeldPayout) error {
	var creators, agencies []uint
	for _, h := range held {
		if h.Payee.Kind == PayeeAgency {
			agencies = append(agencies, h.Payee.ID)
		} else {
			creators = append(creators, h.Payee.ID)
		}
	}
	names := map[PayeeRef]string{}
	if len(creators) > 0 {
		var cs []Creator
		if err := tx.Select("id, display_name").Where("id IN ?", dedupe(creators)).Find(&cs).Error; err != nil {
			return err
		}
		for _, c := range cs {
			names[PayeeRef{PayeeCreator, c.ID}] = c.DisplayName
		}
	}
	if len(agencies) > 0 {
		var as []Agency
		if err := tx.Select("id, name").Where("id IN ?", dedupe(agencies)).Find(&as).Error; err != nil {
			return err
		}
		for _, a := range as {
			names[PayeeRef{PayeeAgency, a.ID}] = a.Name
		}
	}
	for i := range held {
		held[i].Name = names[held[i].Payee]
	}
	return nil
}

// BonusPayout is what was withheld from a weekly bonus once it went on a payout line.
type BonusPayout struct {
	GrossFen int64
	TaxFen   int64
	NetFen   int64
}

// CreatorBonusPayouts returns, for a creator's weekly bonuses that are on a
// payout line, their gross, the tax withheld (their share of the line's)
// and net. A creator sees only their own; staff anyone's.
func (s *Store) CreatorBonusPayouts(ctx context.Context, a *Actor, creatorID uint) (map[uint]BonusPayout, error) {
	if !a.IsStaff() && (a.CreatorID == nil || *a.CreatorID != creatorID) {
		return nil, ErrNotFound
	}
	var rows []struct {
		BonusID  uint
		GrossFen int64
		TaxFen   int64
	}
	err := s.r(ctx).Table("payout_line_bonuses AS lb").Select("lb.bonus_id, lb.gross_fen, lb.tax_fen").
		Joins("JOIN bonuses b ON b.id = lb.bonus_id").Where("lb.kind = ? AND b.creator_id = ?", PayCreators, creatorID).Scan(&rows).Error
	out := make(map[uint]BonusPayout, len(rows))
	for _, r := range rows {
		out[r.BonusID] = BonusPayout{GrossFen: r.GrossFen, TaxFen: r.TaxFen, NetFen: r.GrossFen - r.TaxFen}
	}
	return out, err
}

// TaxReportRow is one individual payee's payments of one CST month.
type TaxReportRow struct {
	CreatorID   uint
	AccountID   string
	DisplayName string
	Name        string // the payee's legal name, when the payee records know it
	Month       string
	GrossFen    int64
	TaxFen      int64
	NetFen      int64
}

// TaxReportHeader names the columns of the yearly tax report.
var TaxReportHeader = []string{"payee_name", "creator_account_id", "month", "gross_fen", "tax_fen", "net_fen"}

// TaxReport lists, for one year, every individual paid directly: per month,
// gross, tax withheld and net of their payout lines (staff only), for the
// finance team's filing.
func (s *Store) TaxReport(ctx context.Context, a *Actor, year int) ([]TaxReportRow, error) {
	if !a.IsStaff() {
		return nil, ErrNotFound
	}
	if year < 2000 || year > 9999 {
		return nil, FieldErrors{"year": M("err_year_not_started", "Year", year)}
	}
	var rows []TaxReportRow
	tx := s.r(ctx)
	err := tx.Table("payout_lines AS l").
		Select("l.payee_id AS creator_id, c.account_id, c.display_name, l.month, SUM(l.gross_fen) AS gross_fen, SUM(l.tax_fen) AS tax_fen, SUM(l.net_fen) AS net_fen").
		Joins("JOIN creators c ON c.id = l.payee_id").
		Where("l.payee_kind = ? AND l.month >= ? AND l.month <= ?", PayeeCreator, fmt.Sprintf("%04d-01", year), fmt.Sprintf("%04d-12", year)).
		Group("l.payee_id, c.account_id, c.display_name, l.month").Order("c.account_id, l.month").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	refs := make([]PayeeRef, len(rows))
	for i, r := range rows {
		refs[i] = PayeeRef{Kind: PayeeCreator, ID: r.CreatorID}
	}
	payees, err := payeesForPayout(tx, refs)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Name = payees[refs[i]].Name
		if rows[i].Name == "" {
			rows[i].Name = rows[i].DisplayName
		}
	}
	return rows, nil
}
