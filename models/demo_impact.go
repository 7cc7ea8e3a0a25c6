package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DemoImpactWeeks is how many weeks of older performance the demo has before
// its DemoWeeks (issue 19): DemoImpactWeeks+DemoWeeks weeks in all, so the
// impact page shows the programme's trend and the uplift after qualifying
// (which needs creators qualified at least UpliftMinAge weeks ago, with
// UpliftWindow weeks either side).
const DemoImpactWeeks = 16

// demoImpactStarts is where a subject area's content and GMV start, as a
// share of today's level, at the first week of the demo's history: most grow
// over the programme, some a lot, one area starts above today's level and
// slips. A subject area takes the share at its position (by id) modulo the list.
var demoImpactStarts = []float64{0.25, 0.9, 0.4, 1.2, 0.55, 0.7}

// demoImpactAgencyStarts scales those starts per agency (by id order), so the
// league shows agencies that grew their creators and agencies that did not.
var demoImpactAgencyStarts = []float64{0.6, 1.0, 0.8, 1.25, 0.9}

// Uplift shapes: a creator's level before and after their qualifying week.
// Most post far more once qualified; every seventh does less (it is not a toy).
const (
	demoUpliftBefore, demoUpliftAfter = 0.45, 1.35
	demoFallBefore, demoFallAfter     = 1.3, 0.6
)

// demoImpactHistory is the demo's older weeks, oldest first: the
// DemoImpactWeeks ending the week before the first of the DemoWeeks.
func demoImpactHistory(now time.Time) []WeekLabel {
	weeks := make([]WeekLabel, DemoImpactWeeks)
	w := WeekOf(now).Prev()
	for range DemoWeeks {
		w = w.Prev()
	}
	for i := DemoImpactWeeks - 1; i >= 0; i-- {
		weeks[i] = w
		w = w.Prev()
	}
	return weeks
}

// demoUpliftCreators is at most how many creators seedDemoQualifiedEarlier
// moves back: enough for every subject area's uplift to rest on a few, while
// plenty stay too new to count.
const demoUpliftCreators = 40

// seedDemoQualifiedEarlier moves the qualification of some qualified
// creators back into the demo's older history (issue 19), in several
// different weeks that leave UpliftWindow weeks either side inside it, so the
// uplift after qualifying has creators to rest on. It runs before any week or
// month is computed, so the demo's bonuses and quotas count the dates as
// moved. It leaves alone the demo logins, and keeps enough of last month's
// creators that each agency meets its quota as before (and at least half of
// them). Plain SQL, as backdateDemoCreator: aggregates over qualified_at
// need their rebuild after the seed.
func (s *Store) seedDemoQualifiedEarlier(ctx context.Context, now time.Time) error {
	weeks := demoImpactHistory(now)
	rng := rand.New(rand.NewPCG(20261124, 1919)) // its own stream: the seed's draws are untouched
	db := s.db.WithContext(ctx)
	var creators []Creator
	if err := db.Where("state = ? AND qualified_at IS NOT NULL AND id NOT IN (?)", StateQualified,
		db.Model(&User{}).Where("creator_id IS NOT NULL").Select("creator_id")).Order("id").Find(&creators).Error; err != nil {
		return err
	}
	decided := MonthOf(now).Prev()
	book, err := loadQuotaBook(db, nil)
	if err != nil {
		return err
	}
	type count struct {
		AgencyID uint
		N        int
	}
	var delivered []count // as ComputeMonth counts them
	if err := db.Model(&Creator{}).Select("qualified_agency_id AS agency_id, COUNT(*) AS n").
		Where("qualified_agency_id IS NOT NULL AND qualified_at >= ? AND qualified_at < ?", decided.Start().UTC(), decided.End().UTC()).
		Group("qualified_agency_id").Scan(&delivered).Error; err != nil {
		return err
	}
	spare := map[uint]int{} // how many of last month's creators each agency can lose
	for _, d := range delivered {
		spare[d.AgencyID] = d.N / 2
		if quota := book.For(d.AgencyID, decided); d.N >= quota {
			spare[d.AgencyID] = min(d.N-quota, d.N/2)
		}
	}
	firstQ, lastQ := UpliftWindow, DemoImpactWeeks-1-UpliftWindow
	return s.tx(ctx, func(tx *gorm.DB) error { // one commit for them all
		moved := 0
		for _, c := range creators {
			if moved == demoUpliftCreators {
				break
			}
			if c.QualifiedAgencyID != nil && MonthOf(*c.QualifiedAt) == decided {
				if spare[*c.QualifiedAgencyID] == 0 {
					continue
				}
				spare[*c.QualifiedAgencyID]--
			}
			q := weeks[firstQ+moved%(lastQ-firstQ+1)]
			moved++
			at := q.Start().Add(time.Duration(rng.IntN(5*24)+9) * time.Hour) // a weekday of the week, from 09:00
			enrolled := c.EnrolledAt
			if !enrolled.Before(at) {
				enrolled = at.Add(-time.Duration(3+rng.IntN(18)) * 24 * time.Hour)
			}
			if err := tx.Model(&Creator{}).Where("id = ?", c.ID).
				Updates(map[string]any{"qualified_at": at.UTC(), "state_changed_at": at.UTC(), "enrolled_at": enrolled.UTC()}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// seedDemoImpact gives the demo its older history (issue 19): DemoImpactWeeks
// weeks before the DemoWeeks that seedDemoWeeks records, with content and GMV
// growing towards today's level at a pace that differs by subject area and
// agency, and a third of the creators arriving over the first weeks. Creators
// who qualified inside the history (seedDemoQualifiedEarlier; creator1@demo.test)
// post clearly more in the weeks after than in the weeks before, every
// seventh clearly less. It runs once the DemoWeeks are recorded and
// computed (their rows keep their ids, so the later steps pick the same
// ones) and before the top 100 is published from the year's totals, and
// ingests the rows in one batch through IngestPerformance like any feed, so
// whatever ingest keeps in step follows them.
func (s *Store) seedDemoImpact(ctx context.Context, now time.Time) error {
	rng := rand.New(rand.NewPCG(20261124, 19)) // its own stream: the seed's draws are untouched
	weeks := demoImpactHistory(now)
	if err := s.allowDemoWeeksFrom(ctx, weeks[0]); err != nil {
		return err
	}
	var creators []Creator
	if err := s.r(ctx).Order("id").Find(&creators).Error; err != nil {
		return err
	}
	areaPos, agencyPos, err := demoImpactPositions(s.r(ctx))
	if err != nil {
		return err
	}
	var rows []PerformanceInput
	lifted := 0
	for n, c := range creators {
		q := -1 // the history week the creator qualified in
		if c.QualifiedAt != nil {
			q = slices.Index(weeks, WeekOf(*c.QualifiedAt))
		}
		falls := false
		if q >= 0 {
			falls = lifted%7 == 3
			lifted++
		}
		join := 0 // a third of the creators arrive over the first weeks
		if rng.IntN(3) == 0 {
			join = rng.IntN(6)
		}
		if q >= 0 {
			join = min(join, max(q-UpliftWindow, 0))
		}
		start := demoImpactStarts[areaPos[c.PrimarySubjectID]%len(demoImpactStarts)]
		if c.AgencyID != nil {
			start *= demoImpactAgencyStarts[agencyPos[*c.AgencyID]%len(demoImpactAgencyStarts)]
		}
		for i, wk := range weeks {
			window := q >= 0 && i >= q-UpliftWindow && i <= q+UpliftWindow // reported in full: the uplift compares these
			if i < join || !window && rng.IntN(10) == 0 {
				continue // not on the platform yet, or a week without anything
			}
			// From start towards today's level (1) over the history.
			level := start + (1-start)*float64(i+1)/float64(DemoImpactWeeks+1)
			switch {
			case q < 0 || i == q:
			case falls && i < q:
				level *= demoFallBefore
			case falls:
				level *= demoFallAfter
			case i < q:
				level *= demoUpliftBefore
			default:
				level *= demoUpliftAfter
			}
			rows = append(rows, demoImpactRow(rng, c, n, wk, level))
		}
	}
	if _, probs, err := s.IngestPerformance(ctx, SystemActor(), "demo", rows); err != nil || len(probs) > 0 {
		return fmt.Errorf("demo history before %s: %v %v", WeekOf(weeks[DemoImpactWeeks-1].End()), err, probs)
	}
	return nil
}

// demoImpactRow is one creator's week at a level (1: the level of the demo's
// last weeks), drawn like seedDemoWeeks draws them; n is the creator's
// position, whose every 23rd is a star there too.
func demoImpactRow(rng *rand.Rand, c Creator, n int, w WeekLabel, level float64) PerformanceInput {
	scaled := func(x int64) int64 { // rounded at random, so small counts keep their average
		f := float64(x) * level
		whole := int64(f)
		if rng.Float64() < f-float64(whole) {
			whole++
		}
		return whole
	}
	videos, live := int64(rng.IntN(5)), int64(0)
	if c.ContentType != ContentVideo {
		live = int64(rng.IntN(3))
	}
	if c.ContentType == ContentLive {
		videos = 0
	}
	views := int64(rng.IntN(400_000)) * int64(1+rng.IntN(3))
	gmv := int64(rng.IntN(3_000_000)) * int64(1+rng.IntN(4))
	if n%23 == 0 {
		views, gmv, videos = 12_000_000+int64(rng.IntN(5_000_000)), 100_000_000+int64(rng.IntN(50_000_000)), videos+8
	}
	videos, live, views, gmv = scaled(videos), scaled(live), scaled(views), scaled(gmv)
	orders := gmv / 15_000
	row := PerformanceInput{AccountID: c.AccountID, Week: w.String(), Videos: fmt.Sprint(videos), LiveSessions: fmt.Sprint(live),
		Views: fmt.Sprint(views), Orders: fmt.Sprint(orders), GMVFen: fmt.Sprint(gmv)}
	if orders > 0 && rng.IntN(8) == 0 { // some orders came back, so net GMV is below gross
		share := int64(2 + rng.IntN(7))
		row.RefundedOrders, row.RefundedGMVFen = fmt.Sprint(orders*share/100), fmt.Sprint(gmv*share/100)
	}
	return row
}

// demoImpactPositions numbers the subject areas and the agencies by id.
func demoImpactPositions(db *gorm.DB) (areas, agencies map[uint]int, err error) {
	var areaIDs, agencyIDs []uint
	if err := db.Model(&SubjectArea{}).Order("id").Pluck("id", &areaIDs).Error; err != nil {
		return nil, nil, err
	}
	if err := db.Model(&Agency{}).Order("id").Pluck("id", &agencyIDs).Error; err != nil {
		return nil, nil, err
	}
	areas, agencies = map[uint]int{}, map[uint]int{}
	for i, id := range areaIDs {
		areas[id] = i
	}
	for i, id := range agencyIDs {
		agencies[id] = i
	}
	return areas, agencies, nil
}

// allowDemoWeeksFrom makes first the programme's first week (the settings row
// ingest checks), so the demo's history is accepted and the impact page's
// default range is the demo's weeks rather than everything since the default start.
func (s *Store) allowDemoWeeksFrom(ctx context.Context, first WeekLabel) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
			Create(&Setting{Key: programmeStartWeekKey, Value: first.String()}).Error
	})
}
