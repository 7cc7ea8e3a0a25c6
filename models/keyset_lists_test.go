package models_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// walkPages reads a list page by page through its cursors: forward with
// After from the first page, then back with Before from the last page it
// reached, and returns the ids each way (both in list order).
func walkPages[T any](t *testing.T, list func(models.Page) ([]T, error), id func(T) uint, cursor func(T) string) (forward, back []uint) {
	t.Helper()
	p := models.NewPage(1, 7)
	var last []T
	for n := 0; ; n++ {
		rows, err := list(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || n > 100 {
			break
		}
		last = rows
		for _, r := range rows {
			forward = append(forward, id(r))
		}
		p = models.Page{Number: p.Number + 1, Size: 7, After: cursor(rows[len(rows)-1])}
	}
	back = nil
	for _, r := range last {
		back = append(back, id(r))
	}
	p = models.Page{Number: 2, Size: 7, Before: cursor(last[0])}
	for n := 0; n < 100; n++ {
		rows, err := list(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			break
		}
		ids := make([]uint, len(rows))
		for i, r := range rows {
			ids[i] = id(r)
		}
		back = append(ids, back...)
		p.Before = cursor(rows[0])
	}
	return forward, back
}

// TestAgenciesAndMCNBonusesPageByCursor: the agencies list and the MCN bonus
// list (many bonuses of one month share their amount) read through their
// cursors show every row once, in the order of their first page onwards.
func TestAgenciesAndMCNBonusesPageByCursor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Now().UTC()
	ags := make([]models.Agency, 40)
	for i := range ags {
		ags[i] = models.Agency{Name: fmt.Sprintf("Keyset MCN %03d", 40-i), CreatedAt: now, UpdatedAt: now}
	}
	if err := w.raw.Create(&ags).Error; err != nil {
		t.Fatal(err)
	}
	var bs []models.MCNBonus
	for i, ag := range ags {
		for _, month := range []string{"2026-09", "2026-10"} {
			bs = append(bs, models.MCNBonus{AgencyID: ag.ID, Month: month, Quota: 5, Delivered: 6, State: models.BonusProposed,
				AmountFen: int64(1_000_000 * (1 + i%3)), ProposedAt: now})
		}
	}
	if err := w.raw.Create(&bs).Error; err != nil {
		t.Fatal(err)
	}

	var wantAgencies []uint
	w.raw.Model(&models.Agency{}).Order("name, id").Pluck("id", &wantAgencies)
	fwd, back := walkPages(t, func(p models.Page) ([]models.AgencyRow, error) {
		rows, _, err := w.s.ListAgencies(ctx, w.admin, "", p)
		return rows, err
	}, func(r models.AgencyRow) uint { return r.ID }, models.AgencyCursor)
	if !slices.Equal(fwd, wantAgencies) || !slices.Equal(back, wantAgencies) {
		t.Fatalf("agencies forward %v\nback %v\nwant %v", fwd, back, wantAgencies)
	}

	var wantBonuses []uint
	w.raw.Model(&models.MCNBonus{}).Order("month DESC, amount_fen DESC, id DESC").Pluck("id", &wantBonuses)
	fwd, back = walkPages(t, func(p models.Page) ([]models.MCNBonusRow, error) {
		rows, _, err := w.s.ListMCNBonuses(ctx, w.rev1, "", "", p)
		return rows, err
	}, func(r models.MCNBonusRow) uint { return r.ID }, models.MCNBonusCursor)
	if !slices.Equal(fwd, wantBonuses) || !slices.Equal(back, wantBonuses) {
		t.Fatalf("MCN bonuses forward %v\nback %v\nwant %v", fwd, back, wantBonuses)
	}
}

// TestCreatorsListRefreshingItsCountInTheBackground: a count past its memo
// lifetime is refreshed in the background while the request goes on to read
// its page; the two must not share the query being built (the race detector
// caught the page's ORDER BY being added while the refresh copied it).
func TestCreatorsListRefreshingItsCountInTheBackground(t *testing.T) {
	t.Parallel()
	s, _ := modeltest.NewStoreWithDB(t, models.WithMemoTTL(time.Nanosecond))
	staff := &models.Actor{UserID: 1, Role: models.RoleReviewer}
	if err := s.SeedScale(ctx, models.ScaleOptions{Creators: 60, Agencies: 2, Weeks: 1}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if _, total, err := s.ListCreators(ctx, staff, models.CreatorFilter{}, models.NewPage(1, 10)); err != nil || total == 0 {
			t.Fatalf("%d creators, %v", total, err)
		}
	}
}
