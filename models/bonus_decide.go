package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Outcome is what happened to one bonus in a (bulk) decision, as data: a
// refusal carries its reason code and the amounts it names, and the row is
// named by the creator's display name (weekly) or the agency's name (monthly).
type Outcome struct {
	BonusID   uint
	Name      string     // whose bonus it is; "" when there is no such bonus
	Result    string     // "approved", "awaiting_second", "rejected" or "refused"
	Reason    string     // why it was refused: one of the Refused… codes
	AmountFen int64      // the bonus's amount (RefusedOverCap, RefusedPoolShort)
	LimitFen  int64      // the cap (RefusedOverCap) or what the pool has left (RefusedPoolShort)
	State     BonusState // the state it is already in (RefusedAlreadyDecided)
	Period    string     // the week or month whose budget is short (RefusedPeriodBudget)
}

// Why a bonus of a decision was refused; each is the catalogue ID of its message.
const (
	RefusedNoSuchBonus      = "refused_no_such_bonus"
	RefusedOverCap          = "refused_over_cap"      // Amount above Cap
	RefusedSameReviewer     = "refused_same_reviewer" // four eyes: the first approver cannot complete it
	RefusedPoolShort        = "refused_pool_short"    // Asked, Left
	RefusedDecidedMeanwhile = "refused_decided_meanwhile"
	RefusedAlreadyDecided   = "refused_already_decided" // State
	RefusedPeriodBudget     = "refused_period_budget"   // Period, Asked, Left: the week's (month's) budget is short (issue 17)
	RefusedUnfunded         = "refused_unfunded"        // a ¥0 proposal (pacing left it unfunded): nothing to approve
)

// BonusStateWord is the catalogue ID of a bonus state as it reads inside a
// sentence ("it is already awaiting second").
func BonusStateWord(s BonusState) Word { return Word("word_bonus_" + string(s)) }

// Msg is why the bonus was refused, as a message (an empty Msg when it was not refused).
func (o Outcome) Msg() Msg {
	switch o.Reason {
	case "":
		return Msg{}
	case RefusedOverCap:
		return M(o.Reason, "Amount", Fen(o.AmountFen), "Cap", Fen(o.LimitFen))
	case RefusedPoolShort:
		return M(o.Reason, "Asked", Fen(o.AmountFen), "Left", Fen(o.LimitFen))
	case RefusedAlreadyDecided:
		return M(o.Reason, "State", BonusStateWord(o.State))
	case RefusedPeriodBudget:
		return M(o.Reason, "Period", o.Period, "Asked", Fen(o.AmountFen), "Left", Fen(o.LimitFen))
	}
	return M(o.Reason)
}

// DecisionReport lists every bonus of a decision and where the pool stands:
// a bulk decision never drops a row silently.
type DecisionReport struct {
	Outcomes    []Outcome
	Approved    int
	Awaiting    int
	Rejected    int
	Refused     int
	ApprovedFen int64
	PoolLeftFen int64
}

func (r *DecisionReport) add(o Outcome) {
	r.Outcomes = append(r.Outcomes, o)
	switch o.Result {
	case "approved":
		r.Approved++
	case "awaiting_second":
		r.Awaiting++
	case "rejected":
		r.Rejected++
	default:
		r.Refused++
	}
}

// MaxBulk is the most bonuses one request may decide.
const MaxBulk = 5000

// bonusKind is what differs between weekly creator bonuses and monthly MCN
// bonuses; the approval rules are the same for both.
type bonusKind struct {
	table      string
	owner      string // the column naming who is told: creator_id or agency_id
	ownerName  string // the table and column of the owner's name, which names the rows of a report
	period     string // week or month
	pool       string
	objectType string // in the audit log
	reasonKind string
	limits     func(tx *gorm.DB) (capFen, fourEyesFen int64, err error)
}

var weeklyBonuses = bonusKind{table: "bonuses", owner: "creator_id", ownerName: "creators.display_name", period: "week", pool: PoolCreators, objectType: "bonus", reasonKind: ReasonForBonus,
	limits: func(tx *gorm.DB) (int64, int64, error) {
		r, _, err := currentRule(tx)
		// A threshold above the cap would switch four eyes off: never use one (older data may hold one).
		capFen := min(r.WeeklyCapFen, ProgrammeMaxWeeklyFen)
		return capFen, min(r.FourEyesFen, capFen), err
	}}

var monthlyBonuses = bonusKind{table: "mcn_bonuses", owner: "agency_id", ownerName: "agencies.name", period: "month", pool: PoolMCN, objectType: "mcn_bonus", reasonKind: ReasonForMCNBonus,
	limits: func(tx *gorm.DB) (int64, int64, error) {
		r, err := mcnRule(tx)
		return r.MaxFen, min(r.FourEyesFen, r.MaxFen), err
	}}

// decidable is what a decision needs of a bonus row.
type decidable struct {
	ID              uint
	Owner           uint
	AgencyID        *uint  // whose creator it is (weekly) or whose bonus (monthly)
	Name            string // the creator's display name or the agency's name
	Period          string
	State           BonusState
	AmountFen       int64
	FirstApproverID *uint
	Reason          string
	Note            string
}

func (d *decidable) audit() map[string]any {
	m := map[string]any{"state": d.State, "amount_fen": d.AmountFen}
	if d.Reason != "" {
		m["reason"] = d.Reason
	}
	if d.Note != "" {
		m["note"] = d.Note
	}
	return m
}

// ApproveBonuses approves weekly bonuses; see approve.
func (s *Store) ApproveBonuses(ctx context.Context, a *Actor, ids []uint) (*DecisionReport, error) {
	return s.approve(ctx, a, weeklyBonuses, ids)
}

// ApproveMCNBonuses approves monthly agency bonuses against the MCN pool; see approve.
func (s *Store) ApproveMCNBonuses(ctx context.Context, a *Actor, ids []uint) (*DecisionReport, error) {
	return s.approve(ctx, a, monthlyBonuses, ids)
}

// approve approves bonuses for the acting reviewer, all in one transaction.
// At or above the four-eyes threshold a first approval only records the
// approver; a different reviewer completes it. Completing an approval
// charges the pool in the same transaction; what the pool cannot cover is
// refused with what is left. Each state change is a conditional update, so
// double clicks and racing reviewers approve once.
func (s *Store) approve(ctx context.Context, a *Actor, kind bonusKind, ids []uint) (*DecisionReport, error) {
	if err := checkBulk(a, ids); err != nil {
		return nil, err
	}
	rep := &DecisionReport{}
	ids = dedupe(ids)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Read before taking the pool, which every approval queues on (issue 18): each
		// state change below is conditional on the state and amount read here.
		capFen, fourEyesFen, err := kind.limits(tx)
		if err != nil {
			return err
		}
		rows, err := loadDecidable(tx, kind, ids)
		if err != nil {
			return err
		}
		if err := lockPool(tx, kind.pool); err != nil {
			return err
		}
		now := s.now().UTC()
		var awaitingFen int64
		touched := map[agencyWeek]bool{}
		var approved []uint
		for _, id := range ids {
			b, ok := rows[id]
			if !ok {
				rep.add(Outcome{BonusID: id, Result: "refused", Reason: RefusedNoSuchBonus})
				continue
			}
			o, err := approveOne(tx, a, kind, b, capFen, fourEyesFen, now)
			if err != nil {
				return err
			}
			switch o.Result {
			case "approved":
				rep.ApprovedFen += b.AmountFen
				kind.touch(touched, b)
				approved = append(approved, id)
			case "awaiting_second":
				awaitingFen += b.AmountFen
			}
			rep.add(o)
		}
		// The impact figures (issue 19) in one upsert after the loop, keys sorted.
		if err := creditImpactBonuses(tx, kind, approved); err != nil {
			return err
		}
		if err := kind.notifySecondApprovers(tx, a, rep.Awaiting, awaitingFen); err != nil {
			return err
		}
		return notifyWeekDecisions(tx, touched)
	})
	if err != nil {
		return nil, err
	}
	// Where the pool stands now, read after the commit rather than while holding
	// it: on the primary (a replica may not have the commit yet).
	if rep.PoolLeftFen, err = poolLeft(s.r(WithPrimaryReads(ctx)), kind.pool); err != nil {
		return nil, err
	}
	return rep, nil
}

func checkBulk(a *Actor, ids []uint) error {
	switch {
	case !a.IsStaff() || a.UserID == 0:
		return ErrForbidden
	case len(ids) == 0:
		return FieldErrors{"ids": Msg{ID: "err_select_bonus"}}
	case len(ids) > MaxBulk:
		return FieldErrors{"ids": M("err_bulk_too_many", "N", MaxBulk)}
	}
	return nil
}

func poolLeft(tx *gorm.DB, name string) (int64, error) {
	var p Pool
	err := tx.Where("name = ?", name).First(&p).Error
	return p.LeftFen(), err
}

func approveOne(tx *gorm.DB, a *Actor, kind bonusKind, b *decidable, capFen, fourEyesFen int64, now time.Time) (Outcome, error) {
	o := Outcome{BonusID: b.ID, Name: b.Name, Result: "refused", AmountFen: b.AmountFen}
	refuse := func(reason string, limitFen int64, audit map[string]any) (Outcome, error) {
		o.Reason, o.LimitFen = reason, limitFen
		audit["amount_fen"] = b.AmountFen
		// Once per reviewer and minute, with a count: a bulk approval against an empty pool must not flood the log.
		return o, appendAuditTallied(tx, a, kind.objectType+".approve_refused", kind.objectType, b.ID, audit)
	}
	if b.AmountFen > capFen {
		return refuse(RefusedOverCap, capFen, map[string]any{"reason": "over cap", "cap_fen": capFen})
	}
	if b.AmountFen == 0 && (b.State == BonusProposed || b.State == BonusAwaitingSecond) {
		return refuse(RefusedUnfunded, 0, map[string]any{"reason": "unfunded"})
	}
	before := b.audit()
	// Conditional on everything read before the pool was taken: the state, the
	// amount and the first approver (the separation-of-duties check above used
	// it; a bonus rejected, overturned on appeal and first-approved again by
	// this reviewer meanwhile must not be completed by them).
	update := func(from BonusState, values map[string]any) (bool, error) {
		q := tx.Table(kind.table).Where("id = ? AND state = ? AND amount_fen = ?", b.ID, from, b.AmountFen)
		if b.FirstApproverID == nil {
			q = q.Where("first_approver_id IS NULL")
		} else {
			q = q.Where("first_approver_id = ?", *b.FirstApproverID)
		}
		res := q.Updates(values)
		return res.RowsAffected == 1, res.Error
	}
	switch {
	case b.State == BonusProposed && b.AmountFen >= fourEyesFen:
		ok, err := update(BonusProposed, map[string]any{"state": BonusAwaitingSecond, "first_approver_id": a.UserID, "first_approved_at": now, "updated_at": now})
		if err != nil || !ok {
			o.Reason = RefusedDecidedMeanwhile
			return o, err
		}
		b.State = BonusAwaitingSecond
		o.Result = "awaiting_second"
		return o, appendAudit(tx, a, kind.objectType+".first_approval", kind.objectType, b.ID, before, b.audit())
	case b.State == BonusAwaitingSecond && b.FirstApproverID != nil && *b.FirstApproverID == a.UserID:
		return refuse(RefusedSameReviewer, 0, map[string]any{"reason": "same reviewer"})
	case b.State == BonusProposed || b.State == BonusAwaitingSecond:
		if left, err := chargePool(tx, kind.pool, b.AmountFen); err != nil {
			if errors.Is(err, ErrPoolExhausted) {
				return refuse(RefusedPoolShort, left, map[string]any{"reason": "pool cannot cover", "left_fen": left})
			}
			return o, err
		}
		// The week's (month's) budget too, in the same transaction: no approval takes a period above it.
		budgeted, err := chargePeriod(tx, kind.pool, b.Period, b.AmountFen)
		if short := (PeriodBudgetShortError{}); errors.As(err, &short) {
			if err := releasePool(tx, kind.pool, b.AmountFen); err != nil {
				return o, err
			}
			o.Period = b.Period
			return refuse(RefusedPeriodBudget, short.LeftFen, map[string]any{"reason": "period budget cannot cover", "period": b.Period, "left_fen": short.LeftFen})
		}
		if err != nil {
			return o, err
		}
		ok, err := update(b.State, map[string]any{"state": BonusApproved, "decided_by_id": a.UserID, "decided_at": now, "updated_at": now})
		if err != nil {
			return o, err
		}
		if !ok {
			// Lost a race after charging: give the money back (pool and period) within this transaction.
			o.Reason = RefusedDecidedMeanwhile
			if budgeted {
				if err := releasePeriod(tx, kind.pool, b.Period, b.AmountFen); err != nil {
					return o, err
				}
			}
			return o, releasePool(tx, kind.pool, b.AmountFen)
		}
		b.State = BonusApproved
		o.Result = "approved"
		if err := kind.notify(tx, b, M(NotifyBonusApproved, "Amount", Fen(b.AmountFen), "Period", b.Period)); err != nil {
			return o, err
		}
		return o, appendAudit(tx, a, kind.objectType+".approve", kind.objectType, b.ID, before, b.audit())
	default:
		o.Reason, o.State = RefusedAlreadyDecided, b.State
		return o, nil
	}
}

// RejectBonuses rejects proposed or half-approved weekly bonuses with a reason code.
func (s *Store) RejectBonuses(ctx context.Context, a *Actor, ids []uint, reason, note string) (*DecisionReport, error) {
	return s.reject(ctx, a, weeklyBonuses, ids, reason, note)
}

// RejectMCNBonuses rejects monthly agency bonuses with a reason code.
func (s *Store) RejectMCNBonuses(ctx context.Context, a *Actor, ids []uint, reason, note string) (*DecisionReport, error) {
	return s.reject(ctx, a, monthlyBonuses, ids, reason, note)
}

func (s *Store) reject(ctx context.Context, a *Actor, kind bonusKind, ids []uint, reason, note string) (*DecisionReport, error) {
	if err := checkBulk(a, ids); err != nil {
		return nil, err
	}
	reason, note, err := checkRejection(reason, note)
	if err != nil {
		return nil, err
	}
	rep := &DecisionReport{}
	ids = dedupe(ids)
	distrusted := false
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, kind.pool); err != nil {
			return err
		}
		rc, err := activeReason(tx, reason, kind.reasonKind)
		if err != nil {
			return err
		}
		if kind.reasonKind == ReasonForBonus && rc.DistrustsPerformance {
			// Distrusting a week takes the ingest lock; take it before the
			// first audit entry takes the audit chain's, in ingest's order.
			if err := advisoryLock(tx, lockKeyPerformanceIngest); err != nil {
				return err
			}
		}
		rows, err := loadDecidable(tx, kind, ids)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		touched := map[agencyWeek]bool{}
		for _, id := range ids {
			b, ok := rows[id]
			if !ok {
				rep.add(Outcome{BonusID: id, Result: "refused", Reason: RefusedNoSuchBonus})
				continue
			}
			if b.State != BonusProposed && b.State != BonusAwaitingSecond {
				rep.add(Outcome{BonusID: id, Name: b.Name, Result: "refused", Reason: RefusedAlreadyDecided, AmountFen: b.AmountFen, State: b.State})
				continue
			}
			before := b.audit()
			res := tx.Table(kind.table).Where("id = ? AND state = ?", id, b.State).
				Updates(map[string]any{"state": BonusRejected, "reason": reason, "note": note, "decided_by_id": a.UserID, "decided_at": now, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				rep.add(Outcome{BonusID: id, Name: b.Name, Result: "refused", Reason: RefusedDecidedMeanwhile, AmountFen: b.AmountFen})
				continue
			}
			b.State, b.Reason, b.Note = BonusRejected, reason, note
			if err := kind.notify(tx, b, M(NotifyBonusRejected, "Period", b.Period, "Reason", Reason(rc.Code))); err != nil {
				return err
			}
			if err := appendAudit(tx, a, kind.objectType+".reject", kind.objectType, id, before, b.audit()); err != nil {
				return err
			}
			if kind.reasonKind == ReasonForBonus && rc.DistrustsPerformance { // issue 16: the week leaves the standings
				if _, err := distrustWeek(tx, a, b.Owner, b.Period); err != nil {
					return err
				}
				distrusted = true
			}
			rep.add(Outcome{BonusID: id, Name: b.Name, Result: "rejected", AmountFen: b.AmountFen})
			kind.touch(touched, b)
		}
		if err := notifyWeekDecisions(tx, touched); err != nil {
			return err
		}
		rep.PoolLeftFen, err = poolLeft(tx, kind.pool)
		return err
	})
	if err != nil {
		return nil, err
	}
	if distrusted {
		s.forgetRanks()
	}
	return rep, nil
}

// checkRejection trims a rejection's reason code and note and checks them
// (weekly and monthly bonuses and adjustments alike).
func checkRejection(reason, note string) (string, string, error) {
	reason, note = strings.TrimSpace(reason), strings.TrimSpace(note)
	switch {
	case reason == "":
		return "", "", FieldErrors{"reason": Msg{ID: "err_reject_reason_required"}}
	case len([]rune(note)) > MaxNoteLength:
		return "", "", FieldErrors{"note": M("err_note_too_long", "N", MaxNoteLength)}
	}
	if msg := CheckText(note, true); !msg.IsZero() {
		return "", "", FieldErrors{"note": msg}
	}
	return reason, note, nil
}

// activeReason loads an active reason code of the decision's scope.
func activeReason(tx *gorm.DB, code, scope string) (ReasonCode, error) {
	var rc ReasonCode
	if err := tx.Where("code = ? AND active = ?", code, true).First(&rc).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return rc, FieldErrors{"reason": M("err_reason_unknown", "Code", code)}
		}
		return rc, err
	}
	if rc.Kind != scope {
		return rc, fieldErr("reason", ReasonScopeError{Code: rc.Code, Kind: rc.Kind, Want: scope})
	}
	return rc, nil
}

func loadDecidable(tx *gorm.DB, kind bonusKind, ids []uint) (map[uint]*decidable, error) {
	out := make(map[uint]*decidable, len(ids))
	for start := 0; start < len(ids); start += 500 {
		var rows []decidable
		ownerTable, _, _ := strings.Cut(kind.ownerName, ".")
		if err := tx.Table(kind.table+" AS b").Select("b.id, b."+kind.owner+" AS owner, b.agency_id, "+kind.ownerName+" AS name, b."+kind.period+" AS period, b.state, b.amount_fen, b.first_approver_id, b.reason, b.note").
			Joins("JOIN "+ownerTable+" ON "+ownerTable+".id = b."+kind.owner).
			Where("b.id IN ?", ids[start:min(start+500, len(ids))]).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for i := range rows {
			out[rows[i].ID] = &rows[i]
		}
	}
	return out, nil
}

// dedupe returns the ids once each, in ascending order, so every transaction
// touches rows in the same order.
func dedupe(ids []uint) []uint {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// notify tells whoever the bonus belongs to: the creator for weekly bonuses, the agency's managers for monthly ones.
func (k bonusKind) notify(tx *gorm.DB, b *decidable, m Msg) error {
	if k.owner == "agency_id" {
		id := b.Owner
		return notifyAgency(tx, &id, m, Target{Type: TargetDashboard})
	}
	return notifyCreator(tx, b.Owner, m, Target{Type: TargetMe})
}

// touch records the agency week of a decided weekly bonus, whose managers are
// told once per decision (notifyWeekDecisions); monthly bonuses tell the
// agency directly.
func (k bonusKind) touch(touched map[agencyWeek]bool, b *decidable) {
	if k.owner == "creator_id" && b.AgencyID != nil {
		touched[agencyWeek{AgencyID: *b.AgencyID, Week: b.Period}] = true
	}
}
