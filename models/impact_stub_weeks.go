package models

import (
	"context"
)

// SEAM (issue 19): the weekly aggregates replace this file.

// Impact is the weekly figures for a filter: programme-wide, one subject
// area, one agency (a manager always their own), or an agency's one subject.
func (s *Store) Impact(ctx context.Context, a *Actor, f ImpactFilter) (*ImpactReport, error) {
	f, r, err := resolveImpactFilter(s.r(ctx), a, f, s.now())
	if err != nil {
		return nil, err
	}
	rep := &ImpactReport{Filter: f}
	for _, w := range r.Weeks {
		rep.Weeks = append(rep.Weeks, ImpactWeek{Week: w.String()})
	}
	return rep, nil
}

// AgencyLeague is the agencies over a filter's range, sorted by one of
// LeagueSorts and paged, with the total number of agencies. Staff only.
func (s *Store) AgencyLeague(ctx context.Context, a *Actor, f ImpactFilter, sort string, desc bool, page Page) ([]AgencyLeagueRow, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrForbidden
	}
	if _, _, err := resolveImpactFilter(s.r(ctx), a, f, s.now()); err != nil {
		return nil, 0, err
	}
	return nil, 0, nil
}

// AgencyImpact is one agency's league line over a filter's range and its rank
// among all agencies by content growth: staff (f.AgencyID) or the agency's
// own manager.
func (s *Store) AgencyImpact(ctx context.Context, a *Actor, f ImpactFilter) (*AgencyLeagueRow, AgencyGrowthRank, error) {
	f, _, err := resolveImpactFilter(s.r(ctx), a, f, s.now())
	if err != nil {
		return nil, AgencyGrowthRank{}, err
	}
	if f.AgencyID == 0 {
		return nil, AgencyGrowthRank{}, ErrNotFound
	}
	return &AgencyLeagueRow{AgencyID: f.AgencyID}, AgencyGrowthRank{}, nil
}
