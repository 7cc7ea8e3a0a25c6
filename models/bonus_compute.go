package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ComputeResult reports what computing a week did.
type ComputeResult struct {
	Week        string
	RuleVersion uint
	Eligible    int   // creators who earn something
	Created     int   // new proposals
	Updated     int   // proposals recomputed
	Decided     int   // proposals already decided, left untouched
	Removed     int   // proposals withdrawn because the creator no longer qualifies
	TotalFen    int64 // sum of the proposals written
	Capped      int
	Flagged     int // proposals carrying at least one risk flag
	Adjustments int // adjustments proposed for decided bonuses whose figures changed
	// Pacing (issue 17): whether the week has a budget, the budget, the
	// waiting proposals' total as the rule gives them, and the factor applied.
	Paced     bool
	BudgetFen int64
	RuleFen   int64
	FactorPPM int64
	Policy    OverSubscriptionPolicy `json:",omitempty"`
}

// weekPerformance is a performance row with what eligibility needs of its creator.
type weekPerformance struct {
	WeeklyPerformance
	State            CreatorState
	QualifiedAt      *time.Time
	AgencyID         *uint
	PrimarySubjectID uint
}

func loadWeekPerformance(tx *gorm.DB, week string) ([]weekPerformance, error) {
	var rows []weekPerformance
	err := tx.Table("weekly_performances AS p").
		Select("p.*, c.state, c.qualified_at, c.agency_id, c.primary_subject_id").
		Joins("JOIN creators c ON c.id = p.creator_id").
		Where("p.week = ?", week).Order("p.creator_id").Scan(&rows).Error
	return rows, err
}

// proposalsCapped applies the rule to a week's performance: one bonus per
// eligible creator with a positive amount, and which of them the cap cut (so
// reports need not decode every breakdown again).
func proposalsCapped(rule BonusRule, version uint, week WeekLabel, rows []weekPerformance, now time.Time) ([]Bonus, []bool) {
	out, bds := proposalsExplained(rule, version, week, rows, now)
	capped := make([]bool, len(out))
	for i := range out {
		out[i].Breakdown, capped[i] = toJSON(bds[i]), bds[i].Capped
	}
	return out, capped
}

// proposalsExplained is proposalsCapped with each proposal's breakdown not
// yet written into it (pacing adds to it first).
func proposalsExplained(rule BonusRule, version uint, week WeekLabel, rows []weekPerformance, now time.Time) ([]Bonus, []Breakdown) {
	out := make([]Bonus, 0, len(rows))
	bds := make([]Breakdown, 0, len(rows))
	for _, r := range rows {
		c := Creator{State: r.State, QualifiedAt: r.QualifiedAt}
		if ok, _ := Eligible(c, r.WeeklyPerformance, week); !ok {
			continue
		}
		b := rule.Compute(r.WeeklyPerformance)
		b.RuleVersion = version
		if b.AmountFen <= 0 {
			continue
		}
		out = append(out, Bonus{
			CreatorID: r.CreatorID, Week: week.String(), AgencyID: r.AgencyID, SubjectID: r.PrimarySubjectID,
			State: BonusProposed, AmountFen: b.AmountFen, GMVFen: b.GMVFen, RuleVersion: version,
			ProposedAt: now, UpdatedAt: now,
		})
		bds = append(bds, b)
	}
	return out, bds
}

// sameProposal reports whether a recomputed proposal would write what is stored.
func sameProposal(old, p *Bonus) bool {
	return old.AmountFen == p.AmountFen && old.RuleFen == p.RuleFen && old.GMVFen == p.GMVFen && old.RuleVersion == p.RuleVersion &&
		old.SubjectID == p.SubjectID && old.Breakdown == p.Breakdown && equalIDs(old.AgencyID, p.AgencyID)
}

func equalIDs(a, b *uint) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// ComputeWeek proposes bonuses for a week that has ended. Running it again
// updates proposals still only proposed, never touches decided ones, never
// duplicates (one bonus per creator per week), and withdraws proposals of
// creators who no longer qualify.
func (s *Store) ComputeWeek(ctx context.Context, a *Actor, label string) (*ComputeResult, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	week, err := ParseWeek(label)
	if err != nil {
		return nil, FieldErrors{"week": msgOf(err)}
	}
	now := s.now().UTC()
	if !week.HasEnded(now) {
		return nil, FieldErrors{"week": M("err_week_not_ended", "Week", week.String(), "End", FormatCST(week.End()))}
	}
	res := &ComputeResult{Week: week.String()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockPool(tx, PoolCreators); err != nil {
			return err
		}
		rule, version, err := currentRule(tx)
		if err != nil {
			return err
		}
		res.RuleVersion = version
		plan, err := pacingPlan(tx)
		if err != nil {
			return err
		}
		// A period outside the plan is refused unless it was budgeted before the plan changed.
		budget, err := fixPeriodBudget(tx, plan, PoolCreators, week.String())
		if err != nil {
			return err
		}
		rows, err := loadWeekPerformance(tx, week.String())
		if err != nil {
			return err
		}
		proposals, bds := proposalsExplained(rule, version, week, rows, now)
		capped := make([]bool, len(bds))
		for i := range bds {
			capped[i] = bds[i].Capped
		}
		var existing []Bonus
		if err := tx.Select("id, creator_id, state, amount_fen, rule_fen, gmv_fen, rule_version, agency_id, subject_id, breakdown").
			Where("week = ?", week.String()).Find(&existing).Error; err != nil {
			return err
		}
		before := make(map[uint]*Bonus, len(existing))
		for i := range existing {
			before[existing[i].CreatorID] = &existing[i]
		}
		cappedBy := make(map[uint]bool, len(proposals))
		for i, p := range proposals {
			cappedBy[p.CreatorID] = capped[i]
		}
		thresholds, err := riskThresholds(tx)
		if err != nil {
			return err
		}
		flags, err := flagProposals(tx, &riskWeek{Week: week, Rows: rows, Proposals: proposals, Capped: cappedBy, T: thresholds})
		if err != nil {
			return err
		}
		if budget != nil {
			if err := paceWeek(tx, budget, plan.Policy, proposals, bds, before, res); err != nil {
				return err
			}
		}
		for i := range proposals {
			proposals[i].Breakdown = toJSON(bds[i])
		}
		eligible := make(map[uint]bool, len(proposals))
		var decided []Bonus
		write := make([]Bonus, 0, len(proposals)) // new or changed: a recompute that changes nothing writes nothing
		for i, p := range proposals {
			eligible[p.CreatorID] = true
			switch old, ok := before[p.CreatorID]; {
			case !ok:
				res.Created++
				write = append(write, p)
			case old.State == BonusProposed:
				res.Updated++
				if !sameProposal(old, &p) {
					write = append(write, p)
				}
			default:
				res.Decided++
				delete(flags, p.CreatorID) // flags are for proposals still waiting
				continue
			}
			res.TotalFen += p.AmountFen
			if capped[i] {
				res.Capped++
			}
		}
		res.Eligible = len(proposals)
		res.Flagged = len(flags)
		for _, b := range existing {
			if b.State != BonusProposed {
				decided = append(decided, b)
			}
		}
		for start := 0; start < len(write); start += 500 {
			part := write[start:min(start+500, len(write))]
			err := tx.Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "creator_id"}, {Name: "week"}},
				DoUpdates: clause.AssignmentColumns([]string{"amount_fen", "rule_fen", "gmv_fen", "rule_version", "breakdown",
					"agency_id", "subject_id", "updated_at"}),
				// Only proposals still waiting may change; decided bonuses keep their amount.
				Where: clause.Where{Exprs: []clause.Expression{clause.Eq{Column: clause.Column{Table: "bonuses", Name: "state"}, Value: BonusProposed}}},
			}).Create(&part).Error
			if err != nil {
				return err
			}
		}
		var stale []uint
		for _, b := range existing {
			if b.State == BonusProposed && !eligible[b.CreatorID] {
				stale = append(stale, b.ID)
			}
		}
		for start := 0; start < len(stale); start += 500 {
			part := stale[start:min(start+500, len(stale))]
			del := tx.Where("id IN ? AND state = ?", part, BonusProposed).Delete(&Bonus{})
			if del.Error != nil {
				return del.Error
			}
			res.Removed += int(del.RowsAffected)
		}
		if err := storeRiskFlags(tx, week.String(), flags); err != nil {
			return err
		}
		if res.Adjustments, err = proposeAdjustments(tx, a, week, rule, version, rows, decided, now); err != nil {
			return err
		}
		return appendAudit(tx, a, "bonus.compute", "week", 0, nil, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// paceWeek paces the week's waiting proposals (new or still proposed) within
// what its budget has left once its decided bonuses (approved, paid or
// awaiting a second approval) and approved adjustments are counted: it writes each one's final
// amount, its rule amount and its breakdown's Pacing, and records the
// compute on the budget.
func paceWeek(tx *gorm.DB, budget *PeriodBudget, policy OverSubscriptionPolicy, proposals []Bonus, bds []Breakdown, before map[uint]*Bonus, res *ComputeResult) error {
	// What the week holds: what approvals charged to it (approved and paid
	// bonuses, and top-ups less clawbacks of their adjustments), and what
	// waits for a second approval.
	var approved, awaiting int64
	for _, b := range before {
		switch b.State {
		case BonusApproved, BonusPaid:
			approved += b.AmountFen
		case BonusAwaitingSecond:
			awaiting += b.AmountFen
		}
	}
	held := max(budget.CommittedFen, approved) + awaiting
	var idx []int
	var in []PaceProposal
	for i, p := range proposals {
		if old, ok := before[p.CreatorID]; ok && old.State != BonusProposed {
			continue // decided: keeps its amount
		}
		idx = append(idx, i)
		in = append(in, PaceProposal{OwnerID: p.CreatorID, RuleFen: p.AmountFen, RankBy: p.GMVFen})
	}
	available := max(budget.BudgetFen-held, 0)
	out := Pace(policy, available, in)
	for k, i := range idx {
		final := out.FinalFen[k]
		factor := out.FactorPPM
		if policy == PolicyByRank {
			factor = ratioPPM(final, in[k].RuleFen)
		}
		proposals[i].RuleFen, proposals[i].AmountFen = in[k].RuleFen, final
		bds[i].Pacing = &Pacing{Policy: policy, BudgetFen: budget.BudgetFen, RuleFen: in[k].RuleFen, FactorPPM: factor,
			FinalFen: final, Unfunded: out.Unfunded[k], PeriodRuleFen: out.RuleFen, AvailableFen: available}
	}
	res.Paced, res.BudgetFen, res.RuleFen, res.FactorPPM, res.Policy = true, budget.BudgetFen, out.RuleFen, out.FactorPPM, policy
	return tx.Model(&PeriodBudget{}).Where("id = ?", budget.ID).Updates(map[string]any{
		"rule_fen": out.RuleFen, "proposed_fen": out.TotalFen, "policy": policy, "factor_ppm": out.FactorPPM,
		"updated_at": nowOf(tx).UTC()}).Error
}
