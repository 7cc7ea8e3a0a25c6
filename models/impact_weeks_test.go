package models_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// impactCreator enrols a creator in an agency with a primary subject area,
// qualified long ago unless pending.
func (w *world) impactCreator(t *testing.T, mgr *models.Actor, account, subject string, qualified bool) *models.Creator {
	t.Helper()
	e := enrolment(account)
	e.Subjects = []string{subject}
	res, err := w.s.EnrolCreator(ctx, mgr, nil, e)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Creator
	if qualified {
		if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionQualify}); err != nil {
			t.Fatal(err)
		}
		if err := w.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, -3, 0), c.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// impactTables reads both aggregate tables, every column, in key order.
func (w *world) impactTables(t *testing.T) (subjects []models.ImpactWeekTotal, agencies []models.ImpactAgencyWeekTotal) {
	t.Helper()
	if err := w.raw.Order("week, subject_id").Find(&subjects).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Order("week, agency_id").Find(&agencies).Error; err != nil {
		t.Fatal(err)
	}
	// A key whose figures all went back to zero is the same as no key.
	subjects = slices.DeleteFunc(subjects, func(r models.ImpactWeekTotal) bool { return r.ImpactColumns == (models.ImpactColumns{}) })
	agencies = slices.DeleteFunc(agencies, func(r models.ImpactAgencyWeekTotal) bool { return r.ImpactColumns == (models.ImpactColumns{}) })
	return subjects, agencies
}

// assertRebuildReproduces checks that the aggregates kept by the hooks equal
// a rebuild from the base tables.
func (w *world) assertRebuildReproduces(t *testing.T) {
	t.Helper()
	kept, keptAgencies := w.impactTables(t)
	if err := w.s.RebuildImpactWeeks(ctx); err != nil {
		t.Fatal(err)
	}
	w.s.ForgetCaches()
	rebuilt, rebuiltAgencies := w.impactTables(t)
	if !slices.Equal(kept, rebuilt) {
		t.Fatalf("impact_weeks kept by the hooks:\n%+v\nrebuilt:\n%+v", kept, rebuilt)
	}
	if !slices.Equal(keptAgencies, rebuiltAgencies) {
		t.Fatalf("impact_agency_weeks kept by the hooks:\n%+v\nrebuilt:\n%+v", keptAgencies, rebuiltAgencies)
	}
}

func (w *world) approveBoth(t *testing.T, approve func(a *models.Actor) (*models.DecisionReport, error)) {
	t.Helper()
	for _, r := range []*models.Actor{w.rev1, w.rev2} {
		if _, err := approve(r); err != nil {
			t.Fatal(err)
		}
	}
}

func impactSubjectID(t *testing.T, w *world, code string) uint {
	t.Helper()
	var sa models.SubjectArea
	if err := w.raw.Where("code = ?", code).First(&sa).Error; err != nil {
		t.Fatal(err)
	}
	return sa.ID
}

// A small programme worked by hand: two subject areas, two agencies, three
// creators over four weeks (W1–W3 ended, W4 the current week).
//   - c1: agency A, electronics, qualified. W1 posts; W2 reported, its bonus
//     approved, then re-reported lower (a clawback approved); W3 distrusted.
//   - c2: agency A, fashion, qualified; W1 posts nothing; W2 posts and its
//     bonus is approved; then moves to agency B: W3 and W4 go to B.
//   - c3: agency B, electronics, pending in W3 and W4, then qualified: W4
//     counts as qualified (qualified before its end), W3 does not.
func TestImpactFiguresOfASmallProgramme(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w4 := models.WeekOf(time.Now())
	w3 := w4.Prev()
	w2, w1 := w3.Prev(), w3.Prev().Prev()
	elec, fashion := impactSubjectID(t, w, "electronics"), impactSubjectID(t, w, "fashion")
	c1 := w.impactCreator(t, w.mcnA, "jd_cr_imp001", "electronics", true)
	c2 := w.impactCreator(t, w.mcnA, "jd_cr_imp002", "fashion", true)
	c3 := w.impactCreator(t, w.mcnB, "jd_cr_imp003", "electronics", false)

	w.perf(t, w1, c1.AccountID, 2, 0, 1000, 5_000_000)
	w.perf(t, w1, c2.AccountID, 0, 0, 500, 0)
	w.perf(t, w2, c1.AccountID, 2, 0, 2000, 5_000_000)
	w.perf(t, w2, c2.AccountID, 1, 1, 800, 3_000_000)
	w.compute(t, w2)
	b1, b2 := w.bonusOf(t, c1.ID, w2), w.bonusOf(t, c2.ID, w2)
	if b1.AmountFen <= 0 || b2.AmountFen <= 0 {
		t.Fatalf("bonuses %d and %d", b1.AmountFen, b2.AmountFen)
	}
	w.approveBoth(t, func(a *models.Actor) (*models.DecisionReport, error) {
		return w.s.ApproveBonuses(ctx, a, []uint{b1.ID, b2.ID})
	})
	// Re-reported lower: the week's figures move by the difference; the rule now gives less: a clawback.
	w.perf(t, w2, c1.AccountID, 2, 1, 3000, 100)
	w.compute(t, w2)
	adj := w.adjustmentsOf(t, b1.ID)
	if len(adj) != 1 || adj[0].AmountFen >= 0 {
		t.Fatalf("clawback %+v", adj)
	}
	claw := adj[0].AmountFen
	w.approveBoth(t, func(a *models.Actor) (*models.DecisionReport, error) {
		return w.s.ApproveAdjustments(ctx, a, []uint{adj[0].ID})
	})
	if got := w.adjustmentsOf(t, b1.ID)[0].State; got != models.BonusApproved {
		t.Fatalf("clawback %s", got)
	}
	// c2 moves to agency B (as a transfer taking effect does).
	if err := w.raw.Exec("UPDATE creators SET agency_id = ? WHERE id = ?", w.agenB.ID, c2.ID).Error; err != nil {
		t.Fatal(err)
	}
	w.perf(t, w3, c1.AccountID, 3, 0, 4000, 7_000_000)
	w.perf(t, w3, c2.AccountID, 2, 0, 900, 1_000_000)
	w.perf(t, w3, c3.AccountID, 1, 0, 100, 50_000)
	w.compute(t, w3)
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{w.bonusOf(t, c1.ID, w3).ID}, "suspected_fake_traffic", ""); err != nil {
		t.Fatal(err)
	}
	w.perf(t, w4, c2.AccountID, 0, 2, 100, 200_000)
	w.perf(t, w4, c3.AccountID, 1, 1, 100, 10_000)
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c3.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}

	type fig = models.ImpactFigures
	// Each creator-week as it counts (perf reports one order a week).
	c1w1 := fig{Creators: 1, Posted: 1, Qualified: 1, QualifiedPosted: 1, Videos: 2, Views: 1000, Orders: 1, GMVFen: 5_000_000}
	c2w1 := fig{Creators: 1, Qualified: 1, Views: 500, Orders: 1}
	c1w2 := fig{Creators: 1, Posted: 1, Qualified: 1, QualifiedPosted: 1, Videos: 2, LiveSessions: 1, Views: 3000, Orders: 1, GMVFen: 100,
		BonusFen: b1.AmountFen + claw, Bonuses: 1}
	c2w2 := fig{Creators: 1, Posted: 1, Qualified: 1, QualifiedPosted: 1, Videos: 1, LiveSessions: 1, Views: 800, Orders: 1, GMVFen: 3_000_000,
		BonusFen: b2.AmountFen, Bonuses: 1}
	c2w3 := fig{Creators: 1, Posted: 1, Qualified: 1, QualifiedPosted: 1, Videos: 2, Views: 900, Orders: 1, GMVFen: 1_000_000}
	c3w3 := fig{Creators: 1, Posted: 1, Videos: 1, Views: 100, Orders: 1, GMVFen: 50_000}
	c2w4 := fig{Creators: 1, Posted: 1, Qualified: 1, QualifiedPosted: 1, LiveSessions: 2, Views: 100, Orders: 1, GMVFen: 200_000}
	c3w4 := fig{Creators: 1, Posted: 1, Qualified: 1, QualifiedPosted: 1, Videos: 1, LiveSessions: 1, Views: 100, Orders: 1, GMVFen: 10_000}
	sum := func(fs ...fig) fig {
		var out fig
		for _, f := range fs {
			out.Creators += f.Creators
			out.Posted += f.Posted
			out.Qualified += f.Qualified
			out.QualifiedPosted += f.QualifiedPosted
			out.Videos += f.Videos
			out.LiveSessions += f.LiveSessions
			out.Views += f.Views
			out.Orders += f.Orders
			out.GMVFen += f.GMVFen
			out.RefundedGMVFen += f.RefundedGMVFen
			out.BonusFen += f.BonusFen
			out.Bonuses += f.Bonuses
		}
		return out
	}
	cases := []struct {
		name  string
		actor *models.Actor
		f     models.ImpactFilter
		weeks [4]fig
	}{
		{"programme", w.rev1, models.ImpactFilter{}, [4]fig{sum(c1w1, c2w1), sum(c1w2, c2w2), sum(c2w3, c3w3), sum(c2w4, c3w4)}},
		{"electronics", w.rev1, models.ImpactFilter{SubjectID: elec}, [4]fig{c1w1, c1w2, c3w3, c3w4}},
		{"fashion", w.rev2, models.ImpactFilter{SubjectID: fashion}, [4]fig{c2w1, c2w2, c2w3, c2w4}},
		{"agency A: the weeks before the transfer stay", w.rev1, models.ImpactFilter{AgencyID: w.agencyA.ID}, [4]fig{sum(c1w1, c2w1), sum(c1w2, c2w2), {}, {}}},
		{"agency B, its manager", w.mcnB, models.ImpactFilter{}, [4]fig{{}, {}, sum(c2w3, c3w3), sum(c2w4, c3w4)}},
		{"agency A, fashion", w.mcnA, models.ImpactFilter{SubjectID: fashion}, [4]fig{c2w1, c2w2, {}, {}}},
		{"agency B, electronics", w.rev1, models.ImpactFilter{AgencyID: w.agenB.ID, SubjectID: elec}, [4]fig{{}, {}, c3w3, c3w4}},
		{"agency B, fashion", w.rev1, models.ImpactFilter{AgencyID: w.agenB.ID, SubjectID: fashion}, [4]fig{{}, {}, c2w3, c2w4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.From, tc.f.To = w1.String(), w4.String()
			rep, err := w.s.Impact(ctx, tc.actor, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Weeks) != 4 {
				t.Fatalf("%d weeks", len(rep.Weeks))
			}
			for i, want := range tc.weeks {
				if got := rep.Weeks[i]; got.Week != []models.WeekLabel{w1, w2, w3, w4}[i].String() || got.ImpactFigures != want {
					t.Errorf("%s:\n got %+v\nwant %+v", got.Week, got.ImpactFigures, want)
				}
			}
			if want := sum(tc.weeks[:]...); rep.Total != want {
				t.Errorf("total %+v, want %+v", rep.Total, want)
			}
		})
	}

	// The programme's subject areas over the range, by net GMV; and the derived ratios of one week.
	rep, err := w.s.Impact(ctx, w.rev1, models.ImpactFilter{From: w1.String(), To: w4.String()})
	if err != nil {
		t.Fatal(err)
	}
	wantSubjects := []string{"electronics", "fashion"} // net GMV 5,060,100 against 4,200,000 fen
	if len(rep.Subjects) != 2 || rep.Subjects[0].Code != wantSubjects[0] || rep.Subjects[1].Code != wantSubjects[1] ||
		rep.Subjects[0].ImpactFigures != sum(c1w1, c1w2, c3w3, c3w4) {
		t.Fatalf("subjects %+v", rep.Subjects)
	}
	week2 := rep.Weeks[1].ImpactFigures
	if per, ok := week2.BonusPerVideoFen(); !ok || per != (b1.AmountFen+claw+b2.AmountFen+1)/3 { // three videos, rounded half up
		t.Errorf("bonus per video %d %v", per, ok)
	}
	if share, ok := rep.Weeks[2].PostedShare(); !ok || share != 1000 {
		t.Errorf("posted share of W3 %d %v", share, ok) // c3 was not qualified in W3: one qualified creator, who posted
	}
	w.assertRebuildReproduces(t)
}

// Who may read whose figures.
func TestImpactTenants(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.impactCreator(t, w.mcnA, "jd_cr_imp010", "electronics", true)
	u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "imp@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	creator := models.ActorFor(u, "")
	last := models.WeekOf(time.Now()).Prev()
	recent := models.ImpactFilter{From: last.Prev().String(), To: last.String()}
	withAgency := func(id uint) models.ImpactFilter { f := recent; f.AgencyID = id; return f }
	refused := []struct {
		name string
		call func() error
	}{
		{"a manager asks for another agency", func() error {
			_, err := w.s.Impact(ctx, w.mcnA, withAgency(w.agenB.ID))
			return err
		}},
		{"a manager asks for another agency's line", func() error {
			_, _, err := w.s.AgencyImpact(ctx, w.mcnA, withAgency(w.agenB.ID))
			return err
		}},
		{"a creator", func() error { _, err := w.s.Impact(ctx, creator, recent); return err }},
		{"a creator's agency line", func() error { _, _, err := w.s.AgencyImpact(ctx, creator, recent); return err }},
		{"a manager reads the league", func() error {
			_, _, err := w.s.AgencyLeague(ctx, w.mcnA, recent, "", false, models.NewPage(1, 50))
			return err
		}},
		{"a creator reads the league", func() error {
			_, _, err := w.s.AgencyLeague(ctx, creator, recent, "", false, models.NewPage(1, 50))
			return err
		}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("got %v, want forbidden", err)
			}
		})
	}
	// A manager's own: the filter is always their agency.
	rep, err := w.s.Impact(ctx, w.mcnA, recent)
	if err != nil || rep.Filter.AgencyID != w.agencyA.ID {
		t.Fatalf("%+v %v", rep, err)
	}
	row, _, err := w.s.AgencyImpact(ctx, w.mcnB, recent)
	if err != nil || row.AgencyID != w.agenB.ID || row.Name != "Agency B" {
		t.Fatalf("%+v %v", row, err)
	}
	if _, _, err := w.s.AgencyImpact(ctx, w.rev1, recent); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("staff without an agency: %v", err)
	}
	if _, _, err := w.s.AgencyImpact(ctx, w.rev1, withAgency(999_999)); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("an unknown agency: %v", err)
	}
}

// TestUncreditedWeeksGoToTheAgencyOfTheirBonus: rows from before the impact
// credit existed (an upgraded database) are credited, when the week has a
// weekly bonus, under the agency and subject area the bonus copied when it was
// computed, so a creator who moved since leaves those weeks with the agency
// that delivered them; a week without a bonus goes to where the creator is now.
func TestUncreditedWeeksGoToTheAgencyOfTheirBonus(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w2 := models.WeekOf(time.Now()).Prev()
	w1 := w2.Prev()
	c := w.impactCreator(t, w.mcnA, "jd_cr_imp101", "electronics", true)
	w.perf(t, w1, c.AccountID, 3, 1, 1000, 5_000_000)
	w.compute(t, w1)
	w.perf(t, w2, c.AccountID, 5, 0, 2000, 0) // no bonus computed for it
	// As before the upgrade: no credit on the rows; the creator has moved to B since.
	if err := w.raw.Exec("UPDATE weekly_performances SET credit_agency_id = 0, credit_subject_id = 0, credit_qualified = ?", false).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Exec("UPDATE creators SET agency_id = ? WHERE id = ?", w.agenB.ID, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.s.RebuildImpactWeeks(ctx); err != nil {
		t.Fatal(err)
	}
	w.s.ForgetCaches()
	videos := func(agency uint) map[string]int64 {
		rep, err := w.s.Impact(ctx, w.rev1, models.ImpactFilter{From: w1.String(), To: w2.String(), AgencyID: agency})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, wk := range rep.Weeks {
			out[wk.Week] = wk.Videos
		}
		return out
	}
	if got := videos(w.agencyA.ID); got[w1.String()] != 3 || got[w2.String()] != 0 {
		t.Errorf("agency A, which delivered %s (its bonus): %v", w1, got)
	}
	if got := videos(w.agenB.ID); got[w1.String()] != 0 || got[w2.String()] != 5 {
		t.Errorf("agency B, where the creator is now: %v", got)
	}
}
