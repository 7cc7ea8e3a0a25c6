package models

import (
	"context"
)

// SEAM (issue 19): the uplift aggregates replace this file.

// Uplift compares creators' weeks before and after qualifying, for creators
// who qualified within the filter's range at least UpliftMinAge weeks ago.
func (s *Store) Uplift(ctx context.Context, a *Actor, f ImpactFilter) (*UpliftReport, error) {
	_, _, err := resolveImpactFilter(s.r(ctx), a, f, s.now())
	if err != nil {
		return nil, err
	}
	cutoff := WeekOf(s.now())
	for range UpliftMinAge {
		cutoff = cutoff.Prev()
	}
	return &UpliftReport{Cutoff: cutoff.String()}, nil
}

// CreatorAgainstSubject is a creator's last weeks (oldest first, ending with
// the last ended week) next to their subject area's medians: the creator
// themself, staff, or the manager of the creator's agency.
func (s *Store) CreatorAgainstSubject(ctx context.Context, a *Actor, creatorID uint, weeks int) ([]CreatorWeekAgainstSubject, error) {
	if !a.IsStaff() && (a.CreatorID == nil || *a.CreatorID != creatorID) && a.Role != RoleMCNManager {
		return nil, ErrForbidden
	}
	return nil, nil
}
