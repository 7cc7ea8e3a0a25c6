package models_test

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

func TestImpactRatios(t *testing.T) {
	t.Parallel()
	type want struct {
		fen int64
		ok  bool
	}
	cases := []struct {
		name                string
		f                   models.ImpactFigures
		perVideo, perThouse want
		posted              want
	}{
		{"nothing", models.ImpactFigures{}, want{0, false}, want{0, false}, want{0, false}},
		{"bonus over three videos rounds half up", models.ImpactFigures{Videos: 3, BonusFen: 200, GMVFen: 100_000, Qualified: 3, QualifiedPosted: 2},
			want{67, true}, want{200, true}, want{667, true}},
		{"¥1,500 on ¥100,000 net GMV: ¥15 per ¥1,000", models.ImpactFigures{Videos: 10, BonusFen: 150_000, GMVFen: 12_000_000, RefundedGMVFen: 2_000_000, Qualified: 4, QualifiedPosted: 4},
			want{15_000, true}, want{1_500, true}, want{1000, true}},
		{"all refunded: no net GMV", models.ImpactFigures{Videos: 1, BonusFen: 5, GMVFen: 100, RefundedGMVFen: 100, Qualified: 1},
			want{5, true}, want{0, false}, want{0, true}},
		{"a clawback larger than the bonus", models.ImpactFigures{Videos: 2, BonusFen: -3, GMVFen: 1_000_000},
			want{-2, true}, want{0, true}, want{0, false}},
		{"posted without qualified creators", models.ImpactFigures{Creators: 2, Posted: 2}, want{0, false}, want{0, false}, want{0, false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if fen, ok := tc.f.BonusPerVideoFen(); (want{fen, ok}) != tc.perVideo {
				t.Errorf("per video %d %v, want %+v", fen, ok, tc.perVideo)
			}
			if fen, ok := tc.f.BonusPerThousandFen(); (want{fen, ok}) != tc.perThouse {
				t.Errorf("per ¥1,000 %d %v, want %+v", fen, ok, tc.perThouse)
			}
			if pm, ok := tc.f.PostedShare(); (want{pm, ok}) != tc.posted {
				t.Errorf("posted share %d %v, want %+v", pm, ok, tc.posted)
			}
		})
	}
}

func TestImpactFilterErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	last := models.WeekOf(time.Now()).Prev()
	long := last
	for range models.MaxImpactWeeks {
		long = long.Prev()
	}
	cases := []struct {
		name, from, to, field, id string
	}{
		{"a bad week", "2026-W99", last.String(), "from", ""},
		{"not a week", last.String(), "last week", "to", ""},
		{"reversed", last.String(), last.Prev().String(), "to", "err_impact_range_order"},
		{"too long", long.String(), last.String(), "to", "err_impact_range_too_long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for name, call := range map[string]func() error{
				"impact": func() error {
					_, err := w.s.Impact(ctx, w.rev1, models.ImpactFilter{From: tc.from, To: tc.to})
					return err
				},
				"league": func() error {
					_, _, err := w.s.AgencyLeague(ctx, w.rev1, models.ImpactFilter{From: tc.from, To: tc.to}, "", true, models.NewPage(1, 10))
					return err
				},
				"agency": func() error {
					_, _, err := w.s.AgencyImpact(ctx, w.mcnA, models.ImpactFilter{From: tc.from, To: tc.to})
					return err
				},
			} {
				var fe models.FieldErrors
				if err := call(); !errors.As(err, &fe) || fe[tc.field].IsZero() || tc.id != "" && fe[tc.field].ID != tc.id {
					t.Errorf("%s: %v, want a problem with %s %s", name, err, tc.field, tc.id)
				}
			}
		})
	}
	// The longest range there may be is fine, every week in it.
	rep, err := w.s.Impact(ctx, w.rev1, models.ImpactFilter{From: models.WeekOf(long.End()).String(), To: last.String()})
	if err != nil || len(rep.Weeks) != models.MaxImpactWeeks {
		t.Fatalf("%d weeks, %v", len(rep.Weeks), err)
	}
}

// Ingests, re-reports and approvals racing leave the aggregates equal to a
// rebuild from the base tables.
func TestImpactAggregatesUnderConcurrency(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	last := models.WeekOf(time.Now()).Prev()
	const n = 8
	var creators []*models.Creator
	for i := range n {
		mgr, subject := w.mcnA, "electronics"
		if i%2 == 1 {
			mgr, subject = w.mcnB, "fashion"
		}
		creators = append(creators, w.impactCreator(t, mgr, fmt.Sprintf("jd_cr_race%02d", i), subject, true))
		w.perf(t, last, creators[i].AccountID, 2, 0, 100, 5_000_000)
	}
	w.compute(t, last)
	var ids []uint
	for _, c := range creators {
		ids = append(ids, w.bonusOf(t, c.ID, last).ID)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for i := range n {
		wg.Add(2)
		go func() { // re-report last week and report the week before, one creator each
			defer wg.Done()
			for _, week := range []models.WeekLabel{last.Prev(), last} {
				_, probs, err := w.s.IngestPerformance(ctx, w.admin, "race", []models.PerformanceInput{{AccountID: creators[i].AccountID, Week: week.String(),
					Videos: strconv.Itoa(i % 3), LiveSessions: "1", Views: "7", Orders: "1", GMVFen: strconv.Itoa(1000 * (i + 1))}})
				if err == nil && len(probs) > 0 {
					err = fmt.Errorf("%v", probs)
				}
				errs <- err
			}
		}()
		go func() { // both reviewers approve this creator's bonus
			defer wg.Done()
			for _, r := range []*models.Actor{w.rev1, w.rev2} {
				_, err := w.s.ApproveBonuses(ctx, r, []uint{ids[i], ids[(i+1)%n]})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var approved int64
	w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusApproved).Count(&approved)
	if approved == 0 {
		t.Fatal("no bonus was approved")
	}
	w.assertRebuildReproduces(t)
}
