package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Confirmation thresholds: a bulk decision on more bonuses than Count, or on
// more money than AmountFen, is restated on a confirmation page before it is
// done (issue 14). They are plain admin settings, changed by one admin and
// audited: they move no money, they only add a step before moving it, so
// they do not need a second admin's approval.
type ConfirmThresholds struct {
	Count     int
	AmountFen int64
}

// Default confirmation thresholds: 20 bonuses or ¥100,000.
const (
	DefaultConfirmCount = 20
	DefaultConfirmFen   = 10_000_000
)

// Keys of the thresholds in the settings table.
const (
	settingConfirmCount = "confirm_bulk_count"
	settingConfirmFen   = "confirm_bulk_fen"
)

// Needs reports whether a selection of count bonuses worth fen must be confirmed.
func (t ConfirmThresholds) Needs(count int, fen int64) bool {
	return count > t.Count || fen > t.AmountFen
}

// ConfirmThresholds returns the confirmation thresholds, the defaults where none is set.
func (s *Store) ConfirmThresholds(ctx context.Context) (ConfirmThresholds, error) {
	t := ConfirmThresholds{Count: DefaultConfirmCount, AmountFen: DefaultConfirmFen}
	var rows []Setting
	if err := s.r(ctx).Where("key IN ?", []string{settingConfirmCount, settingConfirmFen}).Find(&rows).Error; err != nil {
		return t, err
	}
	for _, r := range rows {
		n, err := strconv.ParseInt(r.Value, 10, 64)
		if err != nil || n <= 0 {
			continue // a value no one could have saved: keep the default
		}
		switch r.Key {
		case settingConfirmCount:
			t.Count = int(min(n, MaxBulk))
		case settingConfirmFen:
			t.AmountFen = n
		}
	}
	return t, nil
}

// SetConfirmThresholds saves the thresholds (admins only), audited.
func (s *Store) SetConfirmThresholds(ctx context.Context, a *Actor, t ConfirmThresholds) error {
	if a == nil || a.Role != RoleAdmin || a.UserID == 0 {
		return ErrForbidden
	}
	fe := FieldErrors{}
	if t.Count < 1 || t.Count > MaxBulk {
		fe["confirm_count"] = M("err_confirm_count_range", "Max", MaxBulk)
	}
	if t.AmountFen < 100 || t.AmountFen > ProgrammeBudgetCeilingFen {
		fe["confirm_amount"] = M("err_confirm_amount_range", "Max", Fen(ProgrammeBudgetCeilingFen))
	}
	if len(fe) > 0 {
		return fe
	}
	before, err := s.ConfirmThresholds(ctx)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		for key, v := range map[string]int64{settingConfirmCount: int64(t.Count), settingConfirmFen: t.AmountFen} {
			if err := tx.Save(&Setting{Key: key, Value: strconv.FormatInt(v, 10)}).Error; err != nil {
				return err
			}
		}
		return appendAudit(tx, a, "settings.confirm_thresholds", "setting", 0,
			map[string]any{"count": before.Count, "amount_fen": before.AmountFen}, map[string]any{"count": t.Count, "amount_fen": t.AmountFen})
	})
}

// ProgrammeBudgetCeilingFen bounds money settings typed by hand: the whole programme (¥1,000,000,000).
const ProgrammeBudgetCeilingFen = 100_000_000_000

// Selection is what a bulk decision would act on, restated before it is confirmed.
type Selection struct {
	Selected  int      // bonuses found among the ids
	Count     int      // of them, those still to decide (proposed or awaiting a second approval)
	AmountFen int64    // their amount
	Weeks     []string // their weeks (months for agencies' bonuses), in order
}

// SummariseBonuses says how many of the weekly bonuses ids are still to
// decide, what they amount to and which weeks they belong to (staff only).
func (s *Store) SummariseBonuses(ctx context.Context, a *Actor, ids []uint) (Selection, error) {
	return s.summarise(ctx, a, weeklyBonuses, ids)
}

// SummariseMCNBonuses is SummariseBonuses for monthly agency bonuses (Weeks holds months).
func (s *Store) SummariseMCNBonuses(ctx context.Context, a *Actor, ids []uint) (Selection, error) {
	return s.summarise(ctx, a, monthlyBonuses, ids)
}

func (s *Store) summarise(ctx context.Context, a *Actor, kind bonusKind, ids []uint) (Selection, error) {
	var out Selection
	if !a.IsStaff() {
		return out, ErrForbidden
	}
	ids = dedupe(ids)
	periods := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		var rows []struct {
			Period    string
			State     BonusState
			AmountFen int64
		}
		if err := s.r(ctx).Table(kind.table).Select(kind.period+" AS period, state, amount_fen").Where("id IN ?", ids[start:min(start+500, len(ids))]).
			Scan(&rows).Error; err != nil {
			return out, err
		}
		for _, r := range rows {
			out.Selected++
			if r.State == BonusProposed || r.State == BonusAwaitingSecond {
				out.Count++
				out.AmountFen += r.AmountFen
				periods[r.Period] = true
			}
		}
	}
	for p := range periods {
		out.Weeks = append(out.Weeks, p)
	}
	slices.Sort(out.Weeks)
	return out, nil
}

// ErrUnresolvedMismatches refuses marking a whole batch paid while its bank
// result has lines that paid nothing (the error returned is an
// UnresolvedMismatchesError naming how many).
var ErrUnresolvedMismatches = sentinel("err_batch_unresolved_mismatches", "the batch's bank result has unresolved mismatches")

// UnresolvedMismatchesError is ErrUnresolvedMismatches with the batch and its count.
type UnresolvedMismatchesError struct {
	BatchID uint
	Count   int
}

func (e UnresolvedMismatchesError) Error() string {
	return fmt.Sprintf("payout batch %d: %d unresolved bank mismatches", e.BatchID, e.Count)
}

// Unwrap makes errors.Is(err, ErrUnresolvedMismatches) hold.
func (e UnresolvedMismatchesError) Unwrap() error { return ErrUnresolvedMismatches }

// Msg names the problem for a person.
func (e UnresolvedMismatchesError) Msg() Msg {
	return M("err_batch_unresolved_mismatches", "N", e.BatchID, "Count", e.Count)
}

// IsUnresolvedMismatches reports whether err refuses a payment over unresolved mismatches.
func IsUnresolvedMismatches(err error) bool { return errors.Is(err, ErrUnresolvedMismatches) }

// checkWholeBatchPayable says whether the whole batch may be marked paid now.
func checkWholeBatchPayable(b *PayoutBatch) error {
	switch {
	case b.State == BatchOpen:
		return FieldErrors{"batch": Msg{ID: "err_export_before_paying"}}
	case b.State == BatchPaid:
		return FieldErrors{"batch": Msg{ID: "err_batch_paid"}}
	case b.OpenMismatches > 0:
		return UnresolvedMismatchesError{BatchID: b.ID, Count: b.OpenMismatches}
	}
	return nil
}

// Open counts the mismatches that keep the batch from being marked paid as a
// whole: every line that paid nothing, except lines the batch had paid already.
func (r *BankReport) Open() int {
	n := 0
	for _, m := range r.Mismatches {
		if m.Reason != BankAlreadyPaid {
			n++
		}
	}
	return n
}

// BatchPayment is what marking a whole batch paid would do, restated before it is confirmed.
type BatchPayment struct {
	BatchID     uint
	Lines       int   // lines still to pay
	AmountFen   int64 // what they amount to
	AlreadyPaid int   // lines paid already (from a bank result), left as they are
	Periods     []string
}

// PlanBatchPaid restates what MarkBatchPaid would do, or returns why it
// would be refused (the same errors).
func (s *Store) PlanBatchPaid(ctx context.Context, a *Actor, id uint) (BatchPayment, error) {
	out := BatchPayment{BatchID: id}
	if !a.IsStaff() || a.UserID == 0 {
		return out, ErrForbidden
	}
	var b PayoutBatch
	if err := s.r(ctx).First(&b, id).Error; err != nil {
		return out, notFound(err)
	}
	if err := checkWholeBatchPayable(&b); err != nil {
		return out, err
	}
	lines, err := batchLines(s.r(ctx), &b)
	if err != nil {
		return out, err
	}
	periods := map[string]bool{}
	for _, l := range lines {
		switch l.State {
		case BonusApproved:
			out.Lines++
			out.AmountFen += l.AmountFen
			for _, p := range l.Periods {
				periods[p] = true
			}
		case BonusPaid:
			out.AlreadyPaid++
		}
	}
	for p := range periods {
		out.Periods = append(out.Periods, p)
	}
	slices.Sort(out.Periods)
	return out, nil
}

// TopListPlan is what publishing a year's top list would do, restated before it is confirmed.
type TopListPlan struct {
	Year        int
	Count       int        // creators on the new list, each told
	Replaces    int        // entries of the list published before (0: none)
	PublishedAt *time.Time // when that list was published
}

// PlanTopList restates what PublishTopList would do, or returns why it would be refused.
func (s *Store) PlanTopList(ctx context.Context, a *Actor, year int, now time.Time) (TopListPlan, error) {
	out := TopListPlan{Year: year}
	if !a.IsStaff() {
		return out, ErrForbidden
	}
	if year < 2000 || year > now.In(CST).Year() {
		return out, FieldErrors{"year": M("err_year_not_started", "Year", year)}
	}
	rows, _, err := s.leaderboard(ctx, year, 0, now)
	if err != nil {
		return out, err
	}
	out.Count = min(len(rows), TopListSize)
	if out.Count == 0 {
		return out, FieldErrors{"year": M("err_year_no_performance", "Year", year)}
	}
	var prev []TopListEntry
	if err := s.r(ctx).Where("year = ?", year).Order("published_at DESC").Find(&prev).Error; err != nil {
		return out, err
	}
	if out.Replaces = len(prev); len(prev) > 0 {
		at := prev[0].PublishedAt
		out.PublishedAt = &at
	}
	return out, nil
}
