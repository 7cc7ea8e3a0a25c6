package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Hooks for the uplift tests (issue 19).

// RebuildUplift recomputes the uplift tables from the base tables.
func (s *Store) RebuildUplift(ctx context.Context) error { return s.tx(ctx, rebuildUplift) }

// SetWeekTrust distrusts (trusted false) or re-trusts a creator's week as a
// bonus rejection for a distrusting reason, or an overturned appeal, does.
func (s *Store) SetWeekTrust(ctx context.Context, creatorID uint, week string, trusted bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		_, err := setWeekTrust(tx, SystemActor(), creatorID, week, trusted)
		return err
	})
}

// UpliftTables prints the uplift tables' rows in key order (zero cohort rows
// too), so two states can be compared.
func (s *Store) UpliftTables(ctx context.Context) (string, error) {
	var b strings.Builder
	var cs []CreatorUplift
	if err := s.db.WithContext(ctx).Order("creator_id").Find(&cs).Error; err != nil {
		return "", err
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "creator %+v\n", c)
	}
	var ss []UpliftSubjectCohort
	if err := s.db.WithContext(ctx).Order("week, subject_id").Find(&ss).Error; err != nil {
		return "", err
	}
	for _, c := range ss {
		fmt.Fprintf(&b, "subject %+v\n", c)
	}
	var as []UpliftAgencyCohort
	if err := s.db.WithContext(ctx).Order("agency_id, week, subject_id").Find(&as).Error; err != nil {
		return "", err
	}
	for _, c := range as {
		fmt.Fprintf(&b, "agency %+v\n", c)
	}
	return b.String(), nil
}
