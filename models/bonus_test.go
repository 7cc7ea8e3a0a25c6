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

var lastWeek = models.WeekOf(time.Now()).Prev()

// qualified enrols a creator qualified well before last week.
func (w *world) qualified(t *testing.T, account string) *models.Creator {
	t.Helper()
	c := w.creatorIn(t, account, models.StateQualified)
	long := time.Now().UTC().AddDate(0, -3, 0)
	if err := w.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", long, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

// perf records a week of performance for an account.
func (w *world) perf(t *testing.T, week models.WeekLabel, account string, videos, live, views, gmvFen int64) {
	t.Helper()
	f := func(n int64) string { return strconv.FormatInt(n, 10) }
	_, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", []models.PerformanceInput{{AccountID: account, Week: week.String(),
		Videos: f(videos), LiveSessions: f(live), Views: f(views), Orders: "1", GMVFen: f(gmvFen)}})
	if err != nil || len(probs) > 0 {
		t.Fatalf("perf: %v %v", err, probs)
	}
}

func (w *world) bonusOf(t *testing.T, creatorID uint, week models.WeekLabel) models.Bonus {
	t.Helper()
	var b models.Bonus
	if err := w.raw.Where("creator_id = ? AND week = ?", creatorID, week.String()).First(&b).Error; err != nil {
		t.Fatalf("bonus of %d: %v", creatorID, err)
	}
	return b
}

func (w *world) setPool(t *testing.T, totalFen int64) {
	t.Helper()
	if err := w.s.SetPoolTotal(ctx, models.SystemActor(), models.PoolCreators, totalFen); err != nil {
		t.Fatal(err)
	}
}

func TestComputeWeekProposesOncePerCreatorAndLeavesDecidedAlone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.qualified(t, "jd_cr_cmp001")
	b := w.qualified(t, "jd_cr_cmp002")
	pending := w.enrol(t, w.mcnA, "jd_cr_cmp003")
	idle := w.qualified(t, "jd_cr_cmp004")
	w.perf(t, lastWeek, a.AccountID, 2, 0, 0, 1_000_000)   // ¥200 + ¥500
	w.perf(t, lastWeek, b.AccountID, 1, 0, 0, 0)           // ¥100
	w.perf(t, lastWeek, pending.AccountID, 9, 9, 0, 0)     // not qualified
	w.perf(t, lastWeek, idle.AccountID, 0, 0, 900_000, 10) // no content

	if _, err := w.s.ComputeWeek(ctx, w.rev1, models.WeekOf(time.Now()).String()); err == nil {
		t.Fatal("computed a week that has not ended")
	}
	res, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String())
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.TotalFen != 80_000 {
		t.Fatalf("first compute: %+v", res)
	}
	if got := w.bonusOf(t, a.ID, lastWeek); got.AmountFen != 70_000 || got.Explain().GMVTier != 1 || got.RuleVersion != 1 {
		t.Fatalf("bonus of a: %+v", got)
	}
	// Decide a; then new numbers arrive for both and the week is computed again.
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{w.bonusOf(t, a.ID, lastWeek).ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	w.perf(t, lastWeek, a.AccountID, 3, 0, 0, 1_000_000)
	w.perf(t, lastWeek, b.AccountID, 4, 0, 0, 0)
	res, err = w.s.ComputeWeek(ctx, w.rev2, lastWeek.String())
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 1 || res.Decided != 1 {
		t.Fatalf("recompute: %+v", res)
	}
	if got := w.bonusOf(t, a.ID, lastWeek); got.AmountFen != 70_000 || got.State != models.BonusApproved {
		t.Fatalf("a decided bonus changed: %+v", got)
	}
	if got := w.bonusOf(t, b.ID, lastWeek); got.AmountFen != 40_000 {
		t.Fatalf("proposal not updated: %+v", got)
	}
	var n int64
	w.raw.Model(&models.Bonus{}).Where("week = ?", lastWeek.String()).Count(&n)
	if n != 2 {
		t.Fatalf("%d bonuses for the week, want 2", n)
	}
	// Suspending b withdraws its waiting proposal on the next compute.
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: b.ID, Action: models.ActionSuspend, Reason: "content_policy"}); err != nil {
		t.Fatal(err)
	}
	if res, _ = w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); res.Removed != 1 {
		t.Fatalf("suspended creator's proposal not withdrawn: %+v", res)
	}
}

func TestFourEyes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_big001")
	w.perf(t, lastWeek, c.AccountID, 10, 0, 10_000_000, 100_000_000) // ¥20,000 + ¥5,000 + ¥1,000 = ¥26,000 ≥ ¥20,000
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	id := w.bonusOf(t, c.ID, lastWeek).ID
	rep, _ := w.s.ApproveBonuses(ctx, w.rev1, []uint{id})
	if rep.Awaiting != 1 || w.bonusOf(t, c.ID, lastWeek).State != models.BonusAwaitingSecond {
		t.Fatalf("first approval: %+v", rep)
	}
	pool, _ := w.s.GetPool(ctx, models.PoolCreators)
	if pool.CommittedFen != 0 {
		t.Fatal("a first approval charged the pool")
	}
	rep, _ = w.s.ApproveBonuses(ctx, w.rev1, []uint{id})
	if o := rep.Outcomes[0]; rep.Refused != 1 || o.Reason != models.RefusedSameReviewer || o.Name != c.DisplayName || o.Msg().ID != models.RefusedSameReviewer {
		t.Fatalf("same reviewer twice: %+v", rep.Outcomes)
	}
	var refusals int64
	w.raw.Model(&models.AuditEntry{}).Where("action = ? AND after LIKE ?", "bonus.approve_refused", "%same reviewer%").Count(&refusals)
	if refusals != 1 {
		t.Fatal("the same reviewer's second approval is not audited")
	}
	rep, _ = w.s.ApproveBonuses(ctx, w.rev2, []uint{id})
	if rep.Approved != 1 || w.bonusOf(t, c.ID, lastWeek).State != models.BonusApproved {
		t.Fatalf("second reviewer: %+v", rep.Outcomes)
	}
	pool, _ = w.s.GetPool(ctx, models.PoolCreators)
	if pool.CommittedFen != 2_600_000 {
		t.Fatalf("pool committed %d", pool.CommittedFen)
	}
	if _, err := w.s.ApproveBonuses(ctx, w.mcnA, []uint{id}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("manager approved: %v", err)
	}
}

func TestApprovalRefusedWhenThePoolCannotCoverIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var ids []uint
	for i := 0; i < 3; i++ {
		c := w.qualified(t, fmt.Sprintf("jd_cr_pool%02d", i))
		w.perf(t, lastWeek, c.AccountID, 5, 0, 0, 0) // ¥500 each
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	w.raw.Model(&models.Bonus{}).Order("id").Pluck("id", &ids)
	w.setPool(t, 120_000) // ¥1,200: two of three fit
	rep, err := w.s.ApproveBonuses(ctx, w.rev1, ids)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Approved != 2 || rep.Refused != 1 || rep.PoolLeftFen != 20_000 {
		t.Fatalf("report %+v", rep)
	}
	want := models.M(models.RefusedPoolShort, "Asked", models.Fen(50_000), "Left", models.Fen(20_000))
	if o := rep.Outcomes[2]; o.Reason != models.RefusedPoolShort || o.AmountFen != 50_000 || o.LimitFen != 20_000 || o.Msg().String() != want.String() || o.Name != "Creator jd_cr_pool02" {
		t.Fatalf("refusal %+v says %v", o, o.Msg())
	}
	var refusals int64
	w.raw.Model(&models.AuditEntry{}).Where("action = ? AND after LIKE ?", "bonus.approve_refused", "%cannot cover%").Count(&refusals)
	if refusals != 1 {
		t.Fatal("the over-pool approval is not audited")
	}
	// Approving the same selection again changes nothing.
	rep, _ = w.s.ApproveBonuses(ctx, w.rev1, ids)
	if rep.Approved != 0 {
		t.Fatalf("second bulk approval approved %d", rep.Approved)
	}
	if err := w.s.SetPoolTotal(ctx, models.SystemActor(), models.PoolCreators, 50_000); err == nil {
		t.Fatal("pool shrunk below what is committed")
	}
}

func TestRejectNeedsABonusReason(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_rej001")
	w.perf(t, lastWeek, c.AccountID, 1, 0, 0, 0)
	w.s.ComputeWeek(ctx, w.rev1, lastWeek.String())
	id := w.bonusOf(t, c.ID, lastWeek).ID
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{id}, "", ""); err == nil {
		t.Fatal("rejected without a reason")
	}
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{id}, "content_policy", ""); err == nil {
		t.Fatal("accepted a creator reason code for a bonus")
	}
	rep, err := w.s.RejectBonuses(ctx, w.rev1, []uint{id}, "suspected_fake_traffic", "views from one IP")
	if err != nil || rep.Rejected != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if rep, _ := w.s.ApproveBonuses(ctx, w.rev2, []uint{id}); rep.Approved != 0 {
		t.Fatal("approved a rejected bonus")
	}
}

// TestConcurrentApprovalsNeverOverdrawThePool races reviewers approving
// overlapping selections against a pool that funds only some bonuses.
func TestConcurrentApprovalsNeverOverdrawThePool(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const creators = 30
	for i := 0; i < creators; i++ {
		c := w.qualified(t, fmt.Sprintf("jd_cr_race%03d", i))
		w.perf(t, lastWeek, c.AccountID, int64(1+i%4), 0, 0, 0) // ¥100–¥400
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	var ids []uint
	w.raw.Model(&models.Bonus{}).Order("id").Pluck("id", &ids)
	w.setPool(t, 300_000) // ¥3,000 of the ¥7,500 proposed
	reviewers := []*models.Actor{w.rev1, w.rev2, w.admin}
	var wg sync.WaitGroup
	errs := make(chan error, 24)
	for g := 0; g < 24; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Overlapping windows in both directions.
			sel := append([]uint(nil), ids[(g*5)%creators:]...)
			sel = append(sel, ids[:(g*5)%creators]...)
			if g%2 == 1 {
				for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
					sel[i], sel[j] = sel[j], sel[i]
				}
			}
			if _, err := w.s.ApproveBonuses(ctx, reviewers[g%3], sel[:12]); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("approval failed: %v", err)
	}
	var approvedSum int64
	var approvedCount int64
	w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusApproved).Select("COALESCE(SUM(amount_fen), 0)").Scan(&approvedSum)
	w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusApproved).Count(&approvedCount)
	pool, _ := w.s.GetPool(ctx, models.PoolCreators)
	if pool.CommittedFen != approvedSum {
		t.Fatalf("pool committed %d but approved bonuses sum to %d", pool.CommittedFen, approvedSum)
	}
	if pool.CommittedFen > pool.TotalFen {
		t.Fatalf("pool overdrawn: %d of %d", pool.CommittedFen, pool.TotalFen)
	}
	var approvals int64
	w.raw.Model(&models.AuditEntry{}).Where("action = ?", "bonus.approve").Count(&approvals)
	if approvals != approvedCount {
		t.Fatalf("%d approvals audited for %d approved bonuses: something was approved twice", approvals, approvedCount)
	}
	// Every bonus was in some selection, and the pool only shrinks: whatever is still waiting must be
	// larger than what is left, or an approval was refused wrongly.
	var smallest int64
	w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusProposed).Select("COALESCE(MIN(amount_fen), 0)").Scan(&smallest)
	if smallest != 0 && smallest <= pool.LeftFen() {
		t.Fatalf("pool has %d left but a bonus of %d stayed unapproved", pool.LeftFen(), smallest)
	}
}

func TestRanksAreCachedUntilStandingsChange(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.qualified(t, "jd_cr_rank01")
	b := w.qualified(t, "jd_cr_rank02")
	w.perf(t, lastWeek, a.AccountID, 1, 0, 10, 5_000)
	w.perf(t, lastWeek, b.AccountID, 1, 0, 10, 1_000)
	var queries int
	w.s.OnQuery(func() { queries++ })
	now := time.Now()
	if r, of, _ := w.s.CreatorRank(ctx, b.ID, now); r != 2 || of != 2 {
		t.Fatalf("rank %d of %d", r, of)
	}
	first := queries
	if r, _, _ := w.s.CreatorRank(ctx, b.ID, now); r != 2 || queries != first {
		t.Fatalf("a second rank lookup ran %d more queries", queries-first)
	}
	w.perf(t, lastWeek, b.AccountID, 1, 0, 10, 9_000) // b overtakes a
	if r, _, _ := w.s.CreatorRank(ctx, b.ID, now); r != 1 {
		t.Fatalf("after new performance b is %d, want 1", r)
	}
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: b.ID, Action: models.ActionSuspend, Reason: "content_policy"}); err != nil {
		t.Fatal(err)
	}
	if r, of, _ := w.s.CreatorRank(ctx, a.ID, now); r != 1 || of != 1 {
		t.Fatalf("after suspending b: a is %d of %d", r, of)
	}
}

// TestApprovalsRacingARecomputeChargeWhatTheyApprove races one-at-a-time
// approvals against recomputes that change every waiting amount: an approval
// reads the bonus before it takes the pool (issue 18), so it must charge the
// amount it approves, never one a recompute has replaced meanwhile.
func TestApprovalsRacingARecomputeChargeWhatTheyApprove(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const creators = 24
	for i := range creators {
		c := w.qualified(t, fmt.Sprintf("jd_cr_recmp%03d", i))
		w.perf(t, lastWeek, c.AccountID, int64(1+i%3), 0, 0, 0)
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	var ids []uint
	w.raw.Model(&models.Bonus{}).Order("id").Pluck("id", &ids)
	var wg sync.WaitGroup
	errs := make(chan error, creators+10)
	wg.Go(func() {
		for i := range 10 {
			rule := models.DefaultBonusRule
			rule.PerVideoFen += int64(i+1) * 100
			if _, err := w.s.SaveBonusRule(ctx, models.SystemActor(), rule); err != nil {
				errs <- err
				return
			}
			if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
				errs <- err
				return
			}
		}
	})
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(ids); i += 4 {
				if _, err := w.s.ApproveBonuses(ctx, []*models.Actor{w.rev1, w.rev2}[i%2], []uint{ids[i]}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var approvedSum int64
	w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusApproved).Select("COALESCE(SUM(amount_fen), 0)").Scan(&approvedSum)
	pool, _ := w.s.GetPool(ctx, models.PoolCreators)
	if pool.CommittedFen != approvedSum {
		t.Fatalf("pool committed %d but the approved bonuses sum to %d", pool.CommittedFen, approvedSum)
	}
}
