package models_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// refund reports refunds on a creator's week behind the application's back,
// as a later ingest would, with the revision an ingest keeps.
func (w *world) refund(t *testing.T, c *models.Creator, week models.WeekLabel, orders, gmvFen int64) {
	t.Helper()
	var p models.WeeklyPerformance
	if err := w.raw.Where("creator_id = ? AND week = ?", c.ID, week.String()).First(&p).Error; err != nil {
		t.Fatal(err)
	}
	before := p.Figures()
	p.RefundedOrders, p.RefundedGMVFen = orders, gmvFen
	if err := w.raw.Exec("UPDATE weekly_performances SET refunded_orders = ?, refunded_gmv_fen = ? WHERE id = ?", orders, gmvFen, p.ID).Error; err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(p.Figures())
	if err := w.raw.Create(&models.PerformanceRevision{CreatorID: c.ID, Week: week.String(), Source: "test", Before: string(b), After: string(a), CreatedAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
}

func (w *world) compute(t *testing.T, week models.WeekLabel) *models.ComputeResult {
	t.Helper()
	res, err := w.s.ComputeWeek(ctx, w.rev1, week.String())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (w *world) adjustmentsOf(t *testing.T, bonusID uint) []models.BonusAdjustment {
	t.Helper()
	var out []models.BonusAdjustment
	if err := w.raw.Where("bonus_id = ?", bonusID).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func (w *world) committed(t *testing.T) int64 {
	t.Helper()
	p, err := w.s.GetPool(ctx, models.PoolCreators)
	if err != nil {
		t.Fatal(err)
	}
	return p.CommittedFen
}

// decidedBonus makes a creator's bonus for week in the given state
// (approved, paid or rejected) from videos and GMV.
func (w *world) decidedBonus(t *testing.T, account string, week models.WeekLabel, videos, gmvFen int64, state models.BonusState) (*models.Creator, models.Bonus) {
	t.Helper()
	c := w.qualified(t, account)
	w.perf(t, week, account, videos, 0, 0, gmvFen)
	w.compute(t, week)
	b := w.bonusOf(t, c.ID, week)
	switch state {
	case models.BonusRejected:
		if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{b.ID}, "duplicate_claim", ""); err != nil {
			t.Fatal(err)
		}
	default:
		for _, r := range []*models.Actor{w.rev1, w.rev2} {
			if _, err := w.s.ApproveBonuses(ctx, r, []uint{b.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if state == models.BonusPaid {
		w.payable(t)
		batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, []uint{b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.MarkBatchPaid(ctx, w.rev1, batch.ID); err != nil {
			t.Fatal(err)
		}
	}
	return c, w.bonusOf(t, c.ID, week)
}

// A changed week of a decided bonus proposes what the rule now gives minus
// what was approved: down after refunds, up after a late upload, for paid
// and unpaid bonuses alike; never for rejected ones; once per revision.
func TestAdjustmentsProposedWhenDecidedFiguresChange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		state  models.BonusState
		change func(w *world, t *testing.T, c *models.Creator)
		want   int64 // 0: no adjustment
		reason string
	}{
		// 2 videos and ¥50,000 GMV: ¥2,000 + ¥200 = ¥2,200; all refunded: ¥200.
		{"down after refunds, paid", models.BonusPaid, func(w *world, t *testing.T, c *models.Creator) { w.refund(t, c, lastWeek, 3, 5_000_000) }, -200_000, models.AdjustRefunds},
		{"down after refunds, unpaid", models.BonusApproved, func(w *world, t *testing.T, c *models.Creator) { w.refund(t, c, lastWeek, 3, 5_000_000) }, -200_000, models.AdjustRefunds},
		{"down after a correction", models.BonusApproved, func(w *world, t *testing.T, c *models.Creator) { w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 100) }, -200_000, models.AdjustCorrectionDown},
		// A late upload: ¥200,000 GMV reaches the ¥8,000 tier.
		{"up after a late upload, paid", models.BonusPaid, func(w *world, t *testing.T, c *models.Creator) { w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 20_000_000) }, 600_000, models.AdjustTopUp},
		{"up after a late upload, unpaid", models.BonusApproved, func(w *world, t *testing.T, c *models.Creator) { w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 20_000_000) }, 600_000, models.AdjustTopUp},
		{"rejected bonus: nothing", models.BonusRejected, func(w *world, t *testing.T, c *models.Creator) { w.refund(t, c, lastWeek, 3, 5_000_000) }, 0, ""},
		{"same amount: nothing", models.BonusApproved, func(w *world, t *testing.T, c *models.Creator) { w.refund(t, c, lastWeek, 1, 0) }, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			c, b := w.decidedBonus(t, "jd_cr_adj001", lastWeek, 2, 5_000_000, tc.state)
			if b.State != tc.state || b.AmountFen != 220_000 {
				t.Fatalf("bonus %+v", b)
			}
			tc.change(w, t, c)
			first, second := w.compute(t, lastWeek), w.compute(t, lastWeek)
			adj := w.adjustmentsOf(t, b.ID)
			if tc.want == 0 {
				if len(adj) != 0 || first.Adjustments != 0 {
					t.Fatalf("adjustments %+v", adj)
				}
				return
			}
			if first.Adjustments != 1 || second.Adjustments != 0 || len(adj) != 1 {
				t.Fatalf("computed twice: %d then %d, stored %+v", first.Adjustments, second.Adjustments, adj)
			}
			j := adj[0]
			from, to := j.Figures()
			if j.AmountFen != tc.want || j.BaseFen != 220_000 || j.NewAmountFen != 220_000+tc.want || j.Reason != tc.reason ||
				j.State != models.BonusProposed || from.GMVFen != 5_000_000 || from == to {
				t.Fatalf("adjustment %+v (from %+v to %+v)", j, from, to)
			}
			if j.Week != lastWeek.String() || w.bonusOf(t, c.ID, lastWeek).AmountFen != 220_000 {
				t.Fatal("the decided bonus changed")
			}
			if n := w.auditCount(t, "adjustment.propose", j.ID); n != 1 {
				t.Fatalf("%d audit entries", n)
			}
		})
	}
}

// A newer revision replaces an adjustment still proposed; an approved one
// stays, and the next is measured from it.
func TestNewerRevisionReplacesAProposedAdjustment(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, b := w.decidedBonus(t, "jd_cr_adj002", lastWeek, 2, 5_000_000, models.BonusApproved)
	w.refund(t, c, lastWeek, 1, 1_000_000) // net ¥40,000: ¥500 + ¥200, a clawback of ¥1,500
	w.compute(t, lastWeek)
	if adj := w.adjustmentsOf(t, b.ID); len(adj) != 1 || adj[0].AmountFen != -150_000 {
		t.Fatalf("adjustments %+v", adj)
	}
	w.refund(t, c, lastWeek, 3, 5_000_000)
	w.compute(t, lastWeek)
	adj := w.adjustmentsOf(t, b.ID)
	if len(adj) != 1 || adj[0].AmountFen != -200_000 {
		t.Fatalf("adjustments %+v", adj)
	}
	if _, err := w.s.ApproveAdjustments(ctx, w.rev1, []uint{adj[0].ID}); err != nil {
		t.Fatal(err)
	}
	w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 25_000_000) // more sold later: net ¥200,000
	w.compute(t, lastWeek)
	adj = w.adjustmentsOf(t, b.ID)
	if len(adj) != 2 || adj[1].BaseFen != 20_000 || adj[1].AmountFen != 800_000 || adj[1].Reason != models.AdjustTopUp {
		t.Fatalf("adjustments %+v", adj)
	}
}

// Approving moves the pool once, by the signed amount, and tells the
// creator; four eyes apply by absolute amount.
func TestApproveAdjustmentMovesThePoolOnceWithFourEyesByAbsoluteAmount(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// ¥1,000,000 GMV (¥20,000) and 5 videos (¥500): ¥20,500; all refunded: ¥500, a clawback of ¥20,000 (the threshold).
	c, b := w.decidedBonus(t, "jd_cr_adj003", lastWeek, 5, 100_000_000, models.BonusApproved)
	if b.AmountFen != 2_050_000 {
		t.Fatalf("bonus %+v", b)
	}
	w.refund(t, c, lastWeek, 9, 100_000_000)
	w.compute(t, lastWeek)
	j := w.adjustmentsOf(t, b.ID)[0]
	if j.AmountFen != -2_000_000 {
		t.Fatalf("adjustment %+v", j)
	}
	before := w.committed(t)
	rep, err := w.s.ApproveAdjustments(ctx, w.rev1, []uint{j.ID})
	if err != nil || rep.Awaiting != 1 || w.committed(t) != before {
		t.Fatalf("first approval: %+v %v", rep, err)
	}
	if rep, _ := w.s.ApproveAdjustments(ctx, w.rev1, []uint{j.ID}); rep.Refused != 1 || rep.Outcomes[0].Reason != models.RefusedSameReviewer {
		t.Fatalf("the same reviewer completed it: %+v", rep)
	}
	rep, err = w.s.ApproveAdjustments(ctx, w.rev2, []uint{j.ID})
	if err != nil || rep.Approved != 1 || w.committed(t) != before-2_000_000 {
		t.Fatalf("second approval: %+v %v, committed %d", rep, err, w.committed(t))
	}
	if rep, _ := w.s.ApproveAdjustments(ctx, w.rev1, []uint{j.ID}); rep.Refused != 1 || w.committed(t) != before-2_000_000 {
		t.Fatalf("approved twice: %+v", rep)
	}
	if n := w.auditCount(t, "adjustment.approve", j.ID); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	// A rejected adjustment moves nothing.
	w.perf(t, lastWeek, c.AccountID, 6, 0, 0, 100_000_000)
	w.compute(t, lastWeek)
	up := w.adjustmentsOf(t, b.ID)[1]
	if rep, err := w.s.RejectAdjustments(ctx, w.rev1, []uint{up.ID}, "duplicate_claim", "checked"); err != nil || rep.Rejected != 1 || w.committed(t) != before-2_000_000 {
		t.Fatalf("reject: %+v %v", rep, err)
	}
}

// Two reviewers approving the same top-up at once charge the pool once.
func TestConcurrentAdjustmentApprovalsMoveThePoolOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, b := w.decidedBonus(t, "jd_cr_adj004", lastWeek, 2, 5_000_000, models.BonusApproved)
	w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 20_000_000)
	w.compute(t, lastWeek)
	j := w.adjustmentsOf(t, b.ID)[0]
	before := w.committed(t)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(r *models.Actor) {
			defer wg.Done()
			if _, err := w.s.ApproveAdjustments(ctx, r, []uint{j.ID}); err != nil {
				t.Error(err)
			}
		}([]*models.Actor{w.rev1, w.rev2}[i%2])
	}
	wg.Wait()
	if got := w.committed(t) - before; got != 600_000 {
		t.Fatalf("the pool moved by %d", got)
	}
}

// An approved clawback nets against the payee's next lines: never below
// zero, the rest carried over to the batch after, each part recorded.
func TestClawbackCarriedOverTwoBatches(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	weekA, weekB := lastWeek.Prev().Prev(), lastWeek.Prev()
	c, b := w.decidedBonus(t, "jd_cr_adj005", weekA, 2, 5_000_000, models.BonusPaid)
	w.refund(t, c, weekA, 3, 5_000_000)
	w.compute(t, weekA)
	j := w.adjustmentsOf(t, b.ID)[0]
	if _, err := w.s.ApproveAdjustments(ctx, w.rev1, []uint{j.ID}); err != nil {
		t.Fatal(err)
	}
	batchOf := func(week models.WeekLabel, videos int64) (*models.PayoutBatch, []models.PayoutLine) {
		w.perf(t, week, c.AccountID, videos, 0, 0, 0)
		w.compute(t, week)
		bb := w.bonusOf(t, c.ID, week)
		if _, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{bb.ID}); err != nil {
			t.Fatal(err)
		}
		w.payable(t)
		batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, []uint{bb.ID})
		if err != nil {
			t.Fatal(err)
		}
		return batch, w.linesOf(t, batch.ID)
	}
	// ¥1,500 owed, ¥2,000 to take back: the line pays nothing, ¥500 carries over.
	b2, lines := batchOf(weekB, 15)
	if len(lines) != 1 || lines[0].GrossFen != 0 || lines[0].NetFen != 0 || b2.TotalFen != 0 {
		t.Fatalf("second batch %+v lines %+v", b2, lines)
	}
	// The ¥0 line moves no money: freezing settles it, and the bank's file leaves it out.
	if _, _, err := w.s.FreezePayoutBatch(ctx, w.rev1, b2.ID); err != nil {
		t.Fatal(err)
	}
	if _, file, err := w.s.PayoutBatchFile(ctx, w.rev1, b2.ID, "csv"); err != nil || len(file) != 0 {
		t.Fatalf("bank file of a ¥0 batch has %d lines (%v)", len(file), err)
	}
	if got := w.bonusOf(t, c.ID, weekB); got.State != models.BonusPaid {
		t.Fatalf("the bonus netted to ¥0 is %s after the freeze, want paid", got.State)
	}
	if l := w.linesOf(t, b2.ID); len(l) != 1 || l[0].State != models.BonusPaid {
		t.Fatalf("the ¥0 line is not settled at the freeze: %+v", l)
	}
	var mid models.BonusAdjustment
	w.raw.First(&mid, j.ID)
	if mid.SettledFen != -150_000 || mid.OutstandingFen() != -50_000 || mid.SettledLineID != nil {
		t.Fatalf("after the second batch %+v", mid)
	}
	// ¥1,000 owed next: ¥500 is taken, ¥500 paid.
	b3, lines := batchOf(lastWeek, 10)
	// Tax is withheld on the netted gross (with the month's earlier lines counted).
	if len(lines) != 1 || lines[0].GrossFen != 50_000 || lines[0].NetFen != 50_000-lines[0].TaxFen || b3.TotalFen != 50_000 {
		t.Fatalf("third batch %+v lines %+v", b3, lines)
	}
	var done models.BonusAdjustment
	w.raw.First(&done, j.ID)
	if done.SettledFen != -200_000 || done.SettledLineID == nil || *done.SettledLineID != lines[0].ID {
		t.Fatalf("after the third batch %+v", done)
	}
	var parts []models.PayoutLineAdjustment
	w.raw.Where("adjustment_id = ?", j.ID).Order("line_id").Find(&parts)
	if len(parts) != 2 || parts[0].AmountFen != -150_000 || parts[1].AmountFen != -50_000 {
		t.Fatalf("settled parts %+v", parts)
	}
}

// The demo shows a paid week of creator1 corrected by refunds with its
// clawback waiting, and an approved clawback a later batch netted.
func TestDemoHasAClawbackWaitingAndOneNetted(t *testing.T) {
	t.Parallel()
	s, raw := modeltest.NewStoreWithDB(t)
	if _, err := s.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	var c1 models.User
	if err := raw.Where("email = ?", "creator1@demo.test").First(&c1).Error; err != nil {
		t.Fatal(err)
	}
	var waiting models.BonusAdjustment
	if err := raw.Where("creator_id = ? AND state = ? AND amount_fen < 0", *c1.CreatorID, models.BonusProposed).First(&waiting).Error; err != nil {
		t.Fatalf("no clawback of creator1 waiting: %v", err)
	}
	if waiting.Reason != models.AdjustRefunds {
		t.Fatalf("creator1's adjustment %+v", waiting)
	}
	var netted models.BonusAdjustment
	if err := raw.Where("state = ? AND amount_fen < 0 AND settled_fen < 0", models.BonusApproved).First(&netted).Error; err != nil {
		t.Fatalf("no approved clawback netted: %v", err)
	}
	var parts int64
	raw.Model(&models.PayoutLineAdjustment{}).Where("adjustment_id = ?", netted.ID).Count(&parts)
	if parts != 1 {
		t.Fatalf("%d netting parts", parts)
	}
	if days, _ := s.HoldingDays(ctx); days != models.DefaultHoldingDays {
		t.Fatalf("the demo's holding period is %d days", days)
	}
}

// A top-up that takes a week from below the four-eyes threshold to at or
// above it needs two reviewers, like a bonus of that amount: one reviewer
// must not approve ¥8,500 and then ¥12,000 more for the same week alone.
func TestTopUpAcrossTheFourEyesThresholdNeedsTwoReviewers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_adj4e")
	w.perf(t, lastWeek, c.AccountID, 5, 0, 0, 20_000_000)
	w.compute(t, lastWeek)
	b := w.bonusOf(t, c.ID, lastWeek)
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{b.ID}); err != nil || rep.Approved != 1 || b.AmountFen != 850_000 {
		t.Fatalf("bonus %+v: %+v %v", b, rep, err)
	}
	w.perf(t, lastWeek, c.AccountID, 5, 0, 0, 100_000_000) // a late upload: ¥20,500 now
	w.compute(t, lastWeek)
	j := w.adjustmentsOf(t, b.ID)[0]
	if j.AmountFen != 1_200_000 || j.NewAmountFen != 2_050_000 {
		t.Fatalf("adjustment %+v", j)
	}
	rep, err := w.s.ApproveAdjustments(ctx, w.rev1, []uint{j.ID})
	if err != nil || rep.Awaiting != 1 || rep.Approved != 0 {
		t.Fatalf("one reviewer took the week to ¥20,500 alone: %+v %v", rep, err)
	}
	if rep, err := w.s.ApproveAdjustments(ctx, w.rev2, []uint{j.ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("second reviewer: %+v %v", rep, err)
	}
	// A small top-up of a week already at or above the threshold (decided by two) needs one.
	w.perf(t, lastWeek, c.AccountID, 6, 0, 0, 100_000_000)
	w.compute(t, lastWeek)
	small := w.adjustmentsOf(t, b.ID)[1]
	if rep, err := w.s.ApproveAdjustments(ctx, w.rev1, []uint{small.ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("small top-up of a week past the threshold: %+v %v (%+v)", rep, err, small)
	}
}
