package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
)

// ScaleOptions sizes a generated programme.
type ScaleOptions struct {
	Creators int
	Agencies int
	Weeks    int
	Progress func(format string, args ...any) // reports what was loaded and how fast
}

// SeedScale loads a programme of realistic size for benchmarks: agencies,
// qualified and other creators, weeks of performance, an older week approved
// and partly paid, and last week computed and waiting for review. Rows go in
// with batched inserts inside transactions; bulk-loaded rows are not audited.
func (s *Store) SeedScale(ctx context.Context, o ScaleOptions, now time.Time) error {
	if o.Progress == nil {
		o.Progress = func(string, ...any) {}
	}
	empty, err := s.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return ErrNotEmpty
	}
	sys := SystemActor()
	for _, u := range []NewUser{{Email: "admin@scale.test", Role: RoleAdmin}, {Email: "reviewer1@scale.test", Role: RoleReviewer}, {Email: "reviewer2@scale.test", Role: RoleReviewer}} {
		u.Password = DemoPassword
		if _, err := s.CreateUser(ctx, sys, u); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(5, 2026))
	db := s.db.WithContext(ctx)
	timed := func(what string, rows int, fn func(tx *gorm.DB) error) error {
		start := time.Now()
		if err := db.Transaction(fn); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		d := time.Since(start)
		o.Progress("%-22s %9d rows in %6.1fs (%.0f rows/s)", what, rows, d.Seconds(), float64(rows)/d.Seconds())
		return nil
	}
	agencies := make([]Agency, o.Agencies)
	for i := range agencies {
		agencies[i] = Agency{Name: fmt.Sprintf("Scale MCN %05d", i+1), CreatedAt: now, UpdatedAt: now}
	}
	if err := timed("agencies", len(agencies), func(tx *gorm.DB) error { return tx.CreateInBatches(&agencies, 500).Error }); err != nil {
		return err
	}
	states := []CreatorState{StateQualified, StateQualified, StateQualified, StateQualified, StateQualified, StateQualified, StatePending, StateRejected, StateSuspended}
	year := now.AddDate(-1, 0, 0).UTC()
	creators := make([]Creator, o.Creators)
	for i := range creators {
		st := states[rng.IntN(len(states))]
		ag := agencies[rng.IntN(len(agencies))].ID
		c := Creator{DisplayName: fmt.Sprintf("Creator %06d", i+1), AccountID: fmt.Sprintf("jd_sc_%07d", i+1),
			PrimarySubjectID: uint(1 + rng.IntN(len(DefaultSubjectAreas))), ContentType: ContentBoth, Followers: int64(rng.IntN(3_000_000)),
			AgencyID: &ag, State: st, EnrolledAt: year.Add(time.Duration(rng.IntN(180*24)) * time.Hour), StateChangedAt: now}
		if st == StateQualified || st == StateSuspended {
			q := c.EnrolledAt.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			c.QualifiedAt, c.QualifiedAgencyID = &q, &ag
		}
		if st == StateRejected {
			c.StateReason = "below_follower_threshold"
		}
		creators[i] = c
	}
	if err := timed("creators", len(creators), func(tx *gorm.DB) error { return tx.CreateInBatches(&creators, 1000).Error }); err != nil {
		return err
	}
	last := WeekOf(now).Prev()
	weeks := make([]WeekLabel, o.Weeks)
	for i := range weeks {
		weeks[o.Weeks-1-i] = WeekOf(last.Start().AddDate(0, 0, -7*i))
	}
	total := 0
	start := time.Now()
	for _, w := range weeks {
		rows := make([]WeeklyPerformance, 0, len(creators))
		for _, c := range creators {
			rows = append(rows, WeeklyPerformance{CreatorID: c.ID, Week: w.String(), Videos: int64(rng.IntN(6)), LiveSessions: int64(rng.IntN(3)),
				Views: int64(rng.IntN(2_000_000)), Orders: int64(rng.IntN(500)), GMVFen: int64(rng.IntN(30_000_000)), CreatedAt: now, UpdatedAt: now})
		}
		if err := db.Transaction(func(tx *gorm.DB) error { return tx.CreateInBatches(&rows, 1000).Error }); err != nil {
			return fmt.Errorf("performance %s: %w", w, err)
		}
		total += len(rows)
	}
	o.Progress("%-22s %9d rows in %6.1fs (%.0f rows/s)", "weekly performance", total, time.Since(start).Seconds(), float64(total)/time.Since(start).Seconds())
	if err := timed("year totals", len(creators), rebuildYearTotals); err != nil {
		return err
	}
	if err := timed("impact weeks", total, rebuildImpactWeeks); err != nil {
		return err
	}
	if err := timed("uplift", len(creators), rebuildUplift); err != nil {
		return err
	}
	var r1, r2 User
	if err := s.r(ctx).Where("email = ?", "reviewer1@scale.test").First(&r1).Error; err != nil {
		return err
	}
	if err := s.r(ctx).Where("email = ?", "reviewer2@scale.test").First(&r2).Error; err != nil {
		return err
	}
	rev1, rev2 := ActorFor(&r1, ""), ActorFor(&r2, "")
	// The programme starts with the computed weeks (the year before is the
	// creators' history) and runs a year: its weeks are paced pro rata (issue 17).
	if err := s.SetPacingPlan(ctx, SystemActor(), YearPlanFrom(weeks[max(0, o.Weeks-2)], PolicyProRata)); err != nil {
		return err
	}
	if o.Weeks >= 2 {
		// The week before last: computed, a slice approved (both reviewers, for four eyes) and paid.
		older := weeks[o.Weeks-2].String()
		if err := s.timedCompute(ctx, rev1, older, o.Progress); err != nil {
			return err
		}
		ids, err := s.BonusIDs(ctx, rev1, BonusFilter{Week: older}, 10_000)
		if err != nil {
			return err
		}
		start := time.Now()
		// The week before last ended less than the holding period ago: the seed
		// pays it at once (holding period 0 while it pays, audited), then puts
		// the programme's setting back.
		holdDays, err := holdingDays(s.r(ctx))
		if err != nil {
			return err
		}
		if err := s.SetHoldingDays(ctx, SystemActor(), 0); err != nil {
			return err
		}
		for from := 0; from < len(ids); from += MaxBulk {
			part := ids[from:min(from+MaxBulk, len(ids))]
			if _, err := s.ApproveBonuses(ctx, rev1, part); err != nil {
				return err
			}
			if _, err := s.ApproveBonuses(ctx, rev2, part); err != nil {
				return err
			}
			if _, err := s.SeedPayees(ctx, SystemActor()); err != nil { // only verified payees are paid (issue 15)
				return err
			}
			batch, _, err := s.CreatePayoutBatch(ctx, rev1, PayCreators, part)
			if err != nil {
				return err
			}
			if _, _, err := s.FreezePayoutBatch(ctx, rev1, batch.ID); err != nil {
				return err
			}
			if _, err := s.MarkBatchPaid(ctx, rev1, batch.ID); err != nil {
				return err
			}
		}
		if err := s.SetHoldingDays(ctx, SystemActor(), holdDays); err != nil {
			return err
		}
		o.Progress("%-22s %9d bonuses in %6.1fs", "approved and paid", len(ids), time.Since(start).Seconds())
	}
	if err := s.timedCompute(ctx, rev1, last.String(), o.Progress); err != nil {
		return err
	}
	if err := s.seedScaleLogins(ctx, last.String()); err != nil {
		return err
	}
	// Fresh statistics for the planner after loading millions of rows.
	return analyzeOwnTables(db)
}

// analyzeOwnTables refreshes the planner's statistics of this store's tables
// by name: a bare ANALYZE on PostgreSQL walks every schema of the database
// and fails when another store drops its schema meanwhile.
func analyzeOwnTables(db *gorm.DB) error {
	tables, err := db.Migrator().GetTables()
	if err != nil {
		return err
	}
	for _, tbl := range tables {
		if err := db.Exec("ANALYZE " + db.Statement.Quote(tbl)).Error; err != nil {
			return err
		}
	}
	return nil
}

// seedScaleLogins adds a manager of the first agency and a creator of it with a
// bonus in the last week, so the load run can sign in as each role.
func (s *Store) seedScaleLogins(ctx context.Context, lastWeek string) error {
	var b Bonus
	if err := s.r(ctx).Where("week = ? AND agency_id IS NOT NULL", lastWeek).Order("id").First(&b).Error; err != nil {
		return fmt.Errorf("a creator with a bonus in %s: %w", lastWeek, err)
	}
	for _, u := range []NewUser{{Email: "mcn1@scale.test", Role: RoleMCNManager, AgencyID: b.AgencyID}, {Email: "creator1@scale.test", Role: RoleCreator, CreatorID: &b.CreatorID}} {
		u.Password = DemoPassword
		if _, err := s.CreateUser(ctx, SystemActor(), u); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) timedCompute(ctx context.Context, a *Actor, week string, progress func(string, ...any)) error {
	start := time.Now()
	res, err := s.ComputeWeek(ctx, a, week)
	if err != nil {
		return err
	}
	progress("%-22s %9d proposals in %6.1fs (week %s)", "computed", res.Eligible, time.Since(start).Seconds(), week)
	return nil
}
