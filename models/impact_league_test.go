package models_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// leagueNames is the agencies' names of a page, in order, with their ranks.
func leagueNames(rows []models.AgencyLeagueRow) string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.TrimPrefix(r.Name, "Agency ")+"#"+string(rune('0'+r.Rank)))
	}
	return strings.Join(out, " ")
}

// The league over eight weeks of four agencies: A doubles its content in the
// last four weeks, D halves it, B starts posting only in the last four
// (no growth figure), C posts nothing. A and D tie on net GMV and videos.
func TestAgencyLeague(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	agC, err := w.s.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "Agency C"})
	if err != nil {
		t.Fatal(err)
	}
	agD, err := w.s.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "Agency D"})
	if err != nil {
		t.Fatal(err)
	}
	mgrD := func() *models.Actor {
		u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "d@t.test", Password: "long-enough-password", Role: models.RoleMCNManager, AgencyID: &agD.ID})
		if err != nil {
			t.Fatal(err)
		}
		return models.ActorFor(u, "")
	}()
	var weeks []models.WeekLabel // W1..W8, the last the last ended week
	for wk, i := models.WeekOf(time.Now()).Prev(), 0; i < 8; wk, i = wk.Prev(), i+1 {
		weeks = append([]models.WeekLabel{wk}, weeks...)
	}
	a := w.impactCreator(t, w.mcnA, "jd_cr_lg001", "electronics", true)
	b := w.impactCreator(t, w.mcnB, "jd_cr_lg002", "fashion", true)
	d := w.impactCreator(t, mgrD, "jd_cr_lg004", "electronics", true)
	// A's creator qualified in the range (delivered, and meets A's quota of one that month).
	qualifiedAt := weeks[1].Start().Add(24 * time.Hour)
	if err := w.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", qualifiedAt.UTC(), a.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Create(&models.AgencyQuota{AgencyID: w.agencyA.ID, FromMonth: "2020-01", Quota: 1, CreatedAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	for i, wk := range weeks {
		early := i < 4
		w.perf(t, wk, a.AccountID, map[bool]int64{true: 1, false: 2}[early], 0, 10, 100)
		w.perf(t, wk, d.AccountID, map[bool]int64{true: 2, false: 1}[early], 0, 10, 100)
		if !early {
			w.perf(t, wk, b.AccountID, 1, 0, 10, 500)
		}
	}
	lastMonth := models.MonthOf(weeks[7].Start())
	for _, m := range []models.MCNBonus{
		{AgencyID: w.agenB.ID, Month: lastMonth.String(), Quota: 10, Delivered: 10, State: models.BonusApproved, AmountFen: 2_000_000, ProposedAt: time.Now(), UpdatedAt: time.Now()},
		{AgencyID: agC.ID, Month: lastMonth.String(), Quota: 10, Delivered: 10, State: models.BonusProposed, AmountFen: 3_000_000, ProposedAt: time.Now(), UpdatedAt: time.Now()},
	} {
		if err := w.raw.Create(&m).Error; err != nil {
			t.Fatal(err)
		}
	}
	w.s.ForgetCaches()
	f := models.ImpactFilter{From: weeks[0].String(), To: weeks[7].String()}
	// The ended months the range overlaps: each agency has a quota in every one.
	endedMonths := 0
	for m := models.MonthOf(weeks[0].Start()); m.String() <= models.MonthOf(weeks[7].End().Add(-time.Second)).String(); m = m.Next() {
		if m.HasEnded(time.Now()) {
			endedMonths++
		}
	}
	cases := []struct {
		sort  string
		desc  bool
		page  models.Page
		want  string
		total int64
	}{
		{"", true, models.NewPage(1, 50), "B#1 A#2 D#2 C#4", 4}, // net GMV 2,000 / 800 / 800 / 0: A and D tie, by name
		{"net_gmv", false, models.NewPage(1, 50), "C#1 A#2 D#2 B#4", 4},
		{"growth", true, models.NewPage(1, 50), "A#1 D#2 B#3 C#3", 4}, // +1000‰, -500‰, then no figure
		{"videos", true, models.NewPage(1, 50), "A#1 D#1 B#3 C#4", 4},
		{"mcn_bonus", true, models.NewPage(1, 50), "B#1 A#2 C#2 D#2", 4}, // C's is only proposed
		{"creators", true, models.NewPage(1, 50), "A#1 B#2 C#2 D#2", 4},
		{"name", false, models.NewPage(2, 2), "C#3 D#4", 4},
		{"name", true, models.NewPage(1, 3), "D#1 C#2 B#3", 4},
	}
	wantMet := 0 // A meets its quota of one in the month its creator qualified, once that month has ended
	if models.MonthOf(qualifiedAt).HasEnded(time.Now()) {
		wantMet = 1
	}
	if wantMet > 0 {
		cases = append(cases, struct {
			sort  string
			desc  bool
			page  models.Page
			want  string
			total int64
		}{"attainment", true, models.NewPage(1, 50), "A#1 B#2 C#2 D#2", 4})
	}
	for _, tc := range cases {
		rows, total, err := w.s.AgencyLeague(ctx, w.rev1, f, tc.sort, tc.desc, tc.page)
		if err != nil {
			t.Fatal(err)
		}
		if got := leagueNames(rows); got != tc.want || total != tc.total {
			t.Errorf("sort %q desc %v page %+v: %s (%d), want %s (%d)", tc.sort, tc.desc, tc.page, got, total, tc.want, tc.total)
		}
	}
	rows, _, err := w.s.AgencyLeague(ctx, w.rev1, f, "name", false, models.NewPage(1, 50))
	if err != nil {
		t.Fatal(err)
	}
	lineA, lineB := rows[0], rows[1]
	if lineA.Videos != 12 || lineA.NetGMVFen() != 800 || lineA.CreatorsDelivered != 1 || !lineA.HasGrowth || lineA.GrowthPermille != 1000 ||
		lineA.QuotaMonths != endedMonths || lineA.QuotaMet != wantMet {
		t.Errorf("A's line %+v (ended months %d)", lineA, endedMonths)
	}
	if lineB.MCNBonusFen != 2_000_000 || lineB.HasGrowth || lineB.Videos != 4 || lineB.QuotaMet != 0 || lineB.QuotaMonths != endedMonths {
		t.Errorf("B's line %+v", lineB)
	}
	// One agency's line and its growth rank, for staff and for its own manager.
	line, rank, err := w.s.AgencyImpact(ctx, mgrD, f)
	if err != nil || line.AgencyID != agD.ID || line.GrowthPermille != -500 || rank != (models.AgencyGrowthRank{Rank: 2, Of: 4, GrowthPermille: -500, HasGrowth: true}) {
		t.Errorf("D: %+v %+v %v", line, rank, err)
	}
	fb := f
	fb.AgencyID = w.agenB.ID
	if _, rank, err := w.s.AgencyImpact(ctx, w.rev2, fb); err != nil || rank != (models.AgencyGrowthRank{Of: 4}) {
		t.Errorf("B (no growth figure): %+v %v", rank, err)
	}
	// A page number typed into the address far past the end (page=9223372036854775807) is an empty page.
	if rows, total, err := w.s.AgencyLeague(ctx, w.rev1, f, "name", false, models.Page{Number: math.MaxInt, Size: 50}); err != nil || len(rows) != 0 || total != 4 {
		t.Errorf("a page past the end: %d rows of %d, %v", len(rows), total, err)
	}
	// An unknown sort names the field.
	_, _, err = w.s.AgencyLeague(ctx, w.rev1, f, "gmv; DROP TABLE", true, models.NewPage(1, 50))
	var fe models.FieldErrors
	if !errors.As(err, &fe) || fe["sort"].ID != "err_league_sort_unknown" {
		t.Errorf("unknown sort: %v", err)
	}
}
