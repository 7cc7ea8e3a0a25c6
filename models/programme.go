package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// DefaultProgrammeStartWeek is the programme's first week when the settings
// row programme_start_week is absent: performance for an earlier week is
// refused by every ingest (API, CSV upload, command line).
const DefaultProgrammeStartWeek = "2024-W14"

// programmeStartWeekKey names the settings row that holds the first week
// (a label such as "2024-W14"). No page edits it yet: an operator sets it
// with SQL (README), outside the audit log and the two-admin rule. It bounds
// the performance ingest accepts, which may reach before the programme's
// period (PacingPlan): the risk flags compare a week with the weeks before.
const programmeStartWeekKey = "programme_start_week"

// ProgrammeStartWeek returns the programme's first week: the settings row
// programme_start_week, or DefaultProgrammeStartWeek when there is none.
func (s *Store) ProgrammeStartWeek(ctx context.Context) (WeekLabel, error) {
	return programmeStartWeek(s.r(ctx))
}

func programmeStartWeek(tx *gorm.DB) (WeekLabel, error) {
	value := DefaultProgrammeStartWeek
	var st Setting
	err := tx.Where("key = ?", programmeStartWeekKey).First(&st).Error
	switch {
	case err == nil:
		value = st.Value
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return WeekLabel{}, err
	}
	w, err := ParseWeek(value)
	if err != nil {
		// A broken setting stops ingest rather than letting every week in.
		return WeekLabel{}, fmt.Errorf("setting %s: %w", programmeStartWeekKey, err)
	}
	return w, nil
}

// firstComputableWeek is the first week that can be computed: the pacing
// plan's first week when the period is set, else the programme's first week.
func firstComputableWeek(tx *gorm.DB) (WeekLabel, error) {
	plan, err := pacingPlan(tx)
	if err != nil {
		return WeekLabel{}, err
	}
	if plan.IsSet() {
		return ParseWeek(plan.CreatorsStart)
	}
	return programmeStartWeek(tx)
}
