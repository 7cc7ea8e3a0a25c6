package models

import (
	"context"
	"fmt"
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

// proposalsFor applies the rule to a week's performance: one bonus per
// eligible creator with a positive amount.
func proposalsFor(rule BonusRule, version uint, week WeekLabel, rows []weekPerformance, now time.Time) []Bonus {
	out := make([]Bonus, 0, len(rows))
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
			State: BonusProposed, AmountFen: b.AmountFen, GMVFen: r.GMVFen, RuleVersion: version,
			Breakdown: toJSON(b), ProposedAt: now, UpdatedAt: now,
		})
	}
	return out
}

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
		return nil, FieldErrors{"week": err.Error()}
	}
	now := time.Now().UTC()
	if !week.HasEnded(now) {
		return nil, FieldErrors{"week": fmt.Sprintf("week %s ends %s CST; bonuses are computed after it ends", week, FormatCST(week.End()))}
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
		rows, err := loadWeekPerformance(tx, week.String())
		if err != nil {
			return err
		}
		proposals := proposalsFor(rule, version, week, rows, now)
		var existing []Bonus
		if err := tx.Select("id, creator_id, state").Where("week = ?", week.String()).Find(&existing).Error; err != nil {
			return err
		}
		stateOf := make(map[uint]BonusState, len(existing))
		for _, b := range existing {
			stateOf[b.CreatorID] = b.State
		}
		eligible := make(map[uint]bool, len(proposals))
		for _, p := range proposals {
			eligible[p.CreatorID] = true
			switch st, ok := stateOf[p.CreatorID]; {
			case !ok:
				res.Created++
			case st == BonusProposed:
				res.Updated++
			default:
				res.Decided++
				continue
			}
			res.TotalFen += p.AmountFen
			if p.Explain().Capped {
				res.Capped++
			}
		}
		res.Eligible = len(proposals)
		for start := 0; start < len(proposals); start += 500 {
			part := proposals[start:min(start+500, len(proposals))]
			err := tx.Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "creator_id"}, {Name: "week"}},
				DoUpdates: clause.AssignmentColumns([]string{"amount_fen", "gmv_fen", "rule_version", "breakdown",
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
		return appendAudit(tx, a, "bonus.compute", "week", 0, nil, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
