package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// upliftAgencyRows is how many agencies the staff's uplift lists.
const upliftAgencyRows = 50

// upliftCutoff is the latest qualifying week that counts at now.
func upliftCutoff(now WeekLabel) WeekLabel { return addWeeks(now, -UpliftMinAge) }

// Uplift compares creators' weeks before and after qualifying, for creators
// who qualified within the filter's range at least UpliftMinAge weeks ago
// (those qualified later are counted in TooNew). It reads the cohort tables
// only: uplift_subject_cohorts (about 20 rows a week) without an agency
// filter, an agency's own uplift_agency_cohorts rows with one, and a range of
// uplift_agency_cohorts for the staff's agency list. Memoised until the next write.
func (s *Store) Uplift(ctx context.Context, a *Actor, f ImpactFilter) (*UpliftReport, error) {
	f, r, err := resolveImpactFilter(s.r(ctx), a, f, s.now())
	if err != nil {
		return nil, err
	}
	cutoff := upliftCutoff(WeekOf(s.now()))
	key := fmt.Sprintf("uplift|%s|%s|%d|%d|%s|%t", f.From, f.To, f.SubjectID, f.AgencyID, cutoff, a.IsStaff())
	return counted(ctx, s, key, func(ctx context.Context) (*UpliftReport, error) {
		return s.uplift(ctx, f, r, cutoff, a.IsStaff() && f.AgencyID == 0)
	})
}

type upliftSums struct {
	ID uint
	UpliftFigures
}

const upliftSelectSums = "SUM(creators) AS creators, SUM(before_videos) AS before_videos, SUM(before_live_sessions) AS before_live_sessions, " +
	"SUM(before_gmv_fen) AS before_gmv_fen, SUM(after_videos) AS after_videos, SUM(after_live_sessions) AS after_live_sessions, SUM(after_gmv_fen) AS after_gmv_fen"

func (s *Store) uplift(ctx context.Context, f ImpactFilter, r impactRange, cutoff WeekLabel, withAgencies bool) (*UpliftReport, error) {
	rep := &UpliftReport{Cutoff: cutoff.String()}
	db := s.r(ctx)
	cohorts := func() *gorm.DB {
		q := db.Table("uplift_subject_cohorts")
		if f.AgencyID != 0 {
			q = db.Table("uplift_agency_cohorts").Where("agency_id = ?", f.AgencyID)
		}
		if f.SubjectID != 0 {
			q = q.Where("subject_id = ?", f.SubjectID)
		}
		return q
	}
	from, to := r.From.String(), r.To.String()
	if last := cutoff.String(); last < to {
		to = last
	}
	if tooNewFrom := addWeeks(cutoff, 1).String(); tooNewFrom <= r.To.String() {
		if err := cohorts().Select("COALESCE(SUM(creators), 0)").Where("week >= ? AND week <= ?", max(tooNewFrom, from), r.To.String()).
			Scan(&rep.TooNew).Error; err != nil {
			return nil, err
		}
	}
	if from > to {
		return rep, nil
	}
	var subjects []upliftSums
	if err := cohorts().Select("subject_id AS id, "+upliftSelectSums).Where("week >= ? AND week <= ?", from, to).
		Group("subject_id").Having("SUM(creators) > 0").Scan(&subjects).Error; err != nil {
		return nil, err
	}
	var areas []SubjectArea
	if err := db.Find(&areas).Error; err != nil {
		return nil, err
	}
	byID := map[uint]SubjectArea{}
	for _, sa := range areas {
		byID[sa.ID] = sa
	}
	for _, sm := range subjects {
		rep.Overall.plus(sm.UpliftFigures, 1)
		rep.BySubject = append(rep.BySubject, UpliftRow{ID: sm.ID, Name: byID[sm.ID].Name, Code: byID[sm.ID].Code, UpliftFigures: sm.UpliftFigures})
	}
	slices.SortFunc(rep.BySubject, func(a, b UpliftRow) int { return cmp.Or(cmp.Compare(b.Creators, a.Creators), cmp.Compare(a.ID, b.ID)) })
	if !withAgencies {
		return rep, nil
	}
	q := db.Table("uplift_agency_cohorts").Select("agency_id AS id, "+upliftSelectSums).Where("week >= ? AND week <= ? AND agency_id <> 0", from, to)
	if f.SubjectID != 0 {
		q = q.Where("subject_id = ?", f.SubjectID)
	}
	var agencies []upliftSums
	if err := q.Group("agency_id").Having("SUM(creators) > 0").Order("SUM(creators) DESC, agency_id").Limit(upliftAgencyRows).Scan(&agencies).Error; err != nil {
		return nil, err
	}
	ids := make([]uint, len(agencies))
	for i, ag := range agencies {
		ids[i] = ag.ID
	}
	names := map[uint]string{}
	if len(ids) > 0 {
		var ags []Agency
		if err := db.Select("id, name").Where("id IN ?", ids).Find(&ags).Error; err != nil {
			return nil, err
		}
		for _, ag := range ags {
			names[ag.ID] = ag.Name
		}
	}
	for _, ag := range agencies {
		rep.ByAgency = append(rep.ByAgency, UpliftRow{ID: ag.ID, Name: names[ag.ID], UpliftFigures: ag.UpliftFigures})
	}
	return rep, nil
}
