package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// impactSums is the figures' columns summed, for SELECTs over the aggregates.
const impactSums = `SUM(creators) AS creators, SUM(posted) AS posted, SUM(qualified) AS qualified,
	SUM(qualified_posted) AS qualified_posted, SUM(videos) AS videos, SUM(live_sessions) AS live_sessions,
	SUM(views) AS views, SUM(orders) AS orders, SUM(gmv_fen) AS gmv_fen, SUM(refunded_gmv_fen) AS refunded_gmv_fen,
	SUM(bonus_fen) AS bonus_fen, SUM(bonuses) AS bonuses`

// impactRow is a row of summed figures with its key.
type impactRow struct {
	Week string
	ID   uint
	ImpactFigures
}

// Impact is the weekly figures for a filter: programme-wide, one subject
// area, one agency (a manager always their own), or an agency's one subject.
// Memoised per resolved filter; each read is of an aggregate or of one
// agency's own rows (see impactFor).
func (s *Store) Impact(ctx context.Context, a *Actor, f ImpactFilter) (*ImpactReport, error) {
	f, r, err := resolveImpactFilter(s.r(ctx), a, f, s.now())
	if err != nil {
		return nil, err
	}
	rep, err := counted(ctx, s, fmt.Sprintf("impact %+v", f), func(ctx context.Context) (*ImpactReport, error) {
		return impactFor(s.r(ctx), f, r)
	})
	if err != nil {
		return nil, err
	}
	out := *rep // the memo's copy is shared: hand out fresh slices
	out.Weeks, out.Subjects = slices.Clone(rep.Weeks), slices.Clone(rep.Subjects)
	return &out, nil
}

func impactFor(tx *gorm.DB, f ImpactFilter, r impactRange) (*ImpactReport, error) {
	from, to := r.From.String(), r.To.String()
	byWeek := map[string]ImpactFigures{}
	var subjects map[uint]ImpactFigures
	switch {
	case f.AgencyID == 0:
		// The programme or one subject area: impact_weeks by its (week, subject) key.
		var rows []impactRow
		q := tx.Table("impact_weeks").Select("week, "+impactSums).Where("week >= ? AND week <= ?", from, to)
		if f.SubjectID != 0 {
			q = q.Where("subject_id = ?", f.SubjectID)
		}
		if err := q.Group("week").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, row := range rows {
			byWeek[row.Week] = row.ImpactFigures
		}
		if f.SubjectID == 0 {
			var per []impactRow
			if err := tx.Table("impact_weeks").Select("subject_id AS id, "+impactSums).Where("week >= ? AND week <= ?", from, to).
				Group("subject_id").Scan(&per).Error; err != nil {
				return nil, err
			}
			subjects = map[uint]ImpactFigures{}
			for _, p := range per {
				subjects[p.ID] = p.ImpactFigures
			}
		}
	case f.SubjectID == 0:
		// One agency: impact_agency_weeks by idx_impact_agency_weeks_agency; its
		// subject areas from its own rows (a few thousand).
		var rows []impactRow
		if err := tx.Table("impact_agency_weeks").Select("week, "+impactSums).Where("agency_id = ? AND week >= ? AND week <= ?", f.AgencyID, from, to).
			Group("week").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, row := range rows {
			byWeek[row.Week] = row.ImpactFigures
		}
		own, err := agencyImpactRows(tx, f.AgencyID, from, to)
		if err != nil {
			return nil, err
		}
		subjects = map[uint]ImpactFigures{}
		for k, fig := range own {
			s := subjects[k.id]
			s.add(fig)
			subjects[k.id] = s
		}
	default:
		own, err := agencyImpactRows(tx, f.AgencyID, from, to)
		if err != nil {
			return nil, err
		}
		for k, fig := range own {
			if k.id == f.SubjectID {
				byWeek[k.week] = fig
			}
		}
	}
	rep := &ImpactReport{Filter: f}
	for _, w := range r.Weeks {
		fig := byWeek[w.String()]
		rep.Weeks = append(rep.Weeks, ImpactWeek{Week: w.String(), ImpactFigures: fig})
		rep.Total.add(fig)
	}
	if subjects != nil {
		var areas []SubjectArea
		if err := tx.Order("id").Find(&areas).Error; err != nil {
			return nil, err
		}
		for _, sa := range areas {
			if fig, ok := subjects[sa.ID]; ok {
				rep.Subjects = append(rep.Subjects, SubjectImpact{SubjectID: sa.ID, Name: sa.Name, Code: sa.Code, ImpactFigures: fig})
			}
		}
		slices.SortStableFunc(rep.Subjects, func(a, b SubjectImpact) int { return cmp.Compare(b.NetGMVFen(), a.NetGMVFen()) })
	}
	return rep, nil
}

// agencyImpactRows is one agency's figures per (week, subject area) over a
// range, from its own rows: its weekly rows by the credit index
// (idx_perf_credit_agency_week), its approved weekly bonuses
// (idx_bonus_agency_week) and their approved adjustments (by bonus). At
// programme scale about 50 creators a week: a few thousand rows a year.
func agencyImpactRows(tx *gorm.DB, agencyID uint, from, to string) (map[impactKey]ImpactFigures, error) {
	out := map[impactKey]ImpactFigures{}
	var rows []WeeklyPerformance
	// Only the columns the figures read: a year of a 50-creator agency is 2,600 rows.
	if err := tx.Select("week, credit_subject_id, credit_qualified, videos, live_sessions, views, orders, gmv_fen, refunded_gmv_fen").
		Where("credit_agency_id = ? AND week >= ? AND week <= ? AND untrusted = ?", agencyID, from, to, false).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, p := range rows {
		k := impactKey{p.Week, p.CreditSubjectID}
		f := out[k]
		f.add(rowFigures(p))
		out[k] = f
	}
	agency := tx.Where("agency_id = ?", agencyID)
	if agencyID == 0 {
		agency = tx.Where("agency_id IS NULL")
	}
	var money []struct {
		Week      string
		SubjectID uint
		BonusFen  int64
		Bonuses   int64
	}
	if err := tx.Table("bonuses").Select("week, subject_id, SUM(amount_fen) AS bonus_fen, COUNT(*) AS bonuses").Where(agency).
		Where("week >= ? AND week <= ? AND state IN ?", from, to, []BonusState{BonusApproved, BonusPaid}).
		Group("week, subject_id").Scan(&money).Error; err != nil {
		return nil, err
	}
	for _, m := range money {
		k := impactKey{m.Week, m.SubjectID}
		f := out[k]
		f.add(ImpactFigures{BonusFen: m.BonusFen, Bonuses: m.Bonuses})
		out[k] = f
	}
	agencyOfBonus := tx.Where("b.agency_id = ?", agencyID)
	if agencyID == 0 {
		agencyOfBonus = tx.Where("b.agency_id IS NULL")
	}
	money = money[:0]
	if err := tx.Table("bonus_adjustments AS j").Select("b.week, b.subject_id, SUM(j.amount_fen) AS bonus_fen").
		Joins("JOIN bonuses b ON b.id = j.bonus_id").Where(agencyOfBonus).
		Where("b.week >= ? AND b.week <= ? AND j.state = ?", from, to, BonusApproved).
		Group("b.week, b.subject_id").Scan(&money).Error; err != nil {
		return nil, err
	}
	for _, m := range money {
		k := impactKey{m.Week, m.SubjectID}
		f := out[k]
		f.add(ImpactFigures{BonusFen: m.BonusFen})
		out[k] = f
	}
	return out, nil
}
