package models_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// Paths other tests do not walk, each followed by a comparison of the kept
// aggregates with a rebuild from the base tables: a file import confirmed
// (and re-imported with new figures), a rejection that distrusts the week,
// the appeal overturned and the bonus approved again, a bulk qualification,
// an MCN-free re-report of a distrusted week.
func TestImpactAggregatesFollowEveryPath(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w2 := models.WeekOf(time.Now()).Prev()
	w1 := w2.Prev()
	c1 := w.impactCreator(t, w.mcnA, "jd_cr_path01", "electronics", true)
	c2 := w.impactCreator(t, w.mcnB, "jd_cr_path02", "fashion", true)
	c3 := w.impactCreator(t, w.mcnA, "jd_cr_path03", "electronics", false)
	c4 := w.impactCreator(t, w.mcnB, "jd_cr_path04", "fashion", false)
	if err := w.s.RebuildUplift(ctx); err != nil { // impactCreator backdates qualified_at raw
		t.Fatal(err)
	}
	importCSV := func(videos int64) {
		t.Helper()
		csv := "account_id,week,videos,live_sessions,views,orders,gmv_fen\n"
		for i, c := range []*models.Creator{c1, c2, c3, c4} {
			for _, wk := range []models.WeekLabel{w1, w2} {
				csv += fmt.Sprintf("%s,%s,%d,1,100,2,%d\n", c.AccountID, wk, videos+int64(i), 3_000_000+int64(i)*1000)
			}
		}
		p, err := w.s.UploadPerformanceCSV(ctx, w.admin, "perf.csv", []byte(csv))
		if err != nil || len(p.Problems) != 0 {
			t.Fatalf("preview: %+v %v", p, err)
		}
		if _, err := w.s.ConfirmPerformanceImport(ctx, w.admin, p.ImportID); err != nil {
			t.Fatal(err)
		}
		w.assertRebuildReproduces(t)
	}
	importCSV(2)

	w.compute(t, w1)
	b1 := w.bonusOf(t, c1.ID, w1)
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{b1.ID}, "suspected_fake_traffic", ""); err != nil {
		t.Fatal(err)
	}
	w.assertRebuildReproduces(t)
	if err := w.s.AppealBonus(ctx, upliftCreatorActor(t, w, c1), b1.ID, "My links prove it."); err != nil {
		t.Fatal(err)
	}
	if err := w.s.DecideAppeal(ctx, w.rev2, b1.ID, true, "the figures stand"); err != nil {
		t.Fatal(err)
	}
	w.assertRebuildReproduces(t)
	w.approveBoth(t, func(a *models.Actor) (*models.DecisionReport, error) {
		return w.s.ApproveBonuses(ctx, a, []uint{b1.ID, w.bonusOf(t, c2.ID, w1).ID})
	})
	if got := w.bonusOf(t, c1.ID, w1).State; got != models.BonusApproved {
		t.Fatalf("overturned bonus %s", got)
	}
	w.assertRebuildReproduces(t)

	if _, err := w.s.DecideCreators(ctx, w.rev1, models.BulkCreatorDecision{Action: models.ActionQualify, CreatorIDs: []uint{c3.ID, c4.ID}}); err != nil {
		t.Fatal(err)
	}
	w.assertRebuildReproduces(t)

	importCSV(5) // the same weeks again, new figures: each moves by its difference
	w.compute(t, w2)
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{w.bonusOf(t, c2.ID, w2).ID}, "suspected_fake_traffic", ""); err != nil {
		t.Fatal(err)
	}
	importCSV(7) // a distrusted week re-reported stays out
	w.assertRebuildReproduces(t)

	kept, err := w.s.UpliftTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.RebuildUplift(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt, err := w.s.UpliftTables(ctx); err != nil || rebuilt != kept {
		t.Fatalf("uplift kept:\n%s\nrebuilt:\n%s %v", kept, rebuilt, err)
	}
}
