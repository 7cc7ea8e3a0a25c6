package models_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// qualifiedAt enrols a creator for an agency and records it as qualified at t.
func (w *world) qualifiedAt(t *testing.T, mgr *models.Actor, account string, at time.Time) *models.Creator {
	t.Helper()
	c := w.enrol(t, mgr, account)
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", at.UTC(), c.ID).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

func TestQuotaCountsQualificationsByCSTMonth(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, models.CST)
	cases := []struct {
		account string
		at      time.Time
	}{
		{"jd_cr_m00001", time.Date(2026, 11, 1, 0, 0, 30, 0, models.CST)},   // first minute of November CST (still October in UTC)
		{"jd_cr_m00002", time.Date(2026, 11, 15, 9, 0, 0, 0, models.CST)},   // mid-November
		{"jd_cr_m00003", time.Date(2026, 10, 31, 23, 59, 0, 0, models.CST)}, // last minute of October CST
		{"jd_cr_m00004", time.Date(2026, 9, 10, 9, 0, 0, 0, models.CST)},    // September
	}
	for _, c := range cases {
		w.qualifiedAt(t, w.mcnA, c.account, c.at)
	}
	w.enrol(t, w.mcnA, "jd_cr_m00005") // pending: could still count
	p, err := w.s.AgencyProgress(ctx, w.mcnA, w.agencyA.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Month != "2026-11" || p.Delivered != 2 || p.Quota != 10 {
		t.Fatalf("this month: %s delivered %d quota %d", p.Month, p.Delivered, p.Quota)
	}
	if p.DaysInMonth != 30 || p.DaysLeft != 10 || p.Outlook.Projection != 3 || p.Outlook.Basis != models.OutlookThisMonth {
		t.Fatalf("days %d left %d outlook %+v", p.DaysInMonth, p.DaysLeft, p.Outlook)
	}
	if len(p.Pending) != 1 || len(p.NotCounting) != 2 {
		t.Fatalf("pending %d, not counting %d", len(p.Pending), len(p.NotCounting))
	}
	history := map[string]int{}
	for _, h := range p.History {
		history[h.Month] = h.Delivered
	}
	if history["2026-10"] != 1 || history["2026-09"] != 1 || len(p.History) != 12 {
		t.Fatalf("history %v", history)
	}
	if _, err := w.s.AgencyProgress(ctx, w.mcnB, w.agencyA.ID, now); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("agency B read agency A's quota: %v", err)
	}
}

func TestQuotaOverrideTakesEffectFromItsMonth(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Now()
	this := models.MonthOf(now)
	if err := w.s.SetAgencyQuota(ctx, w.rev1, w.agencyA.ID, this.Prev().String(), 3, now); err == nil {
		t.Fatal("a quota was changed for a month that has passed")
	}
	if err := w.s.SetAgencyQuota(ctx, w.rev1, w.agencyA.ID, this.Next().String(), 3, now); err != nil {
		t.Fatal(err)
	}
	p, _ := w.s.AgencyProgress(ctx, w.mcnA, w.agencyA.ID, now)
	if p.Quota != 10 {
		t.Fatalf("an override from next month changed this month: %d", p.Quota)
	}
	p, _ = w.s.AgencyProgress(ctx, w.mcnA, w.agencyA.ID, this.Next().Start().Add(time.Hour))
	if p.Quota != 3 {
		t.Fatalf("next month's quota %d, want 3", p.Quota)
	}
	if p.History[1].Quota != 10 {
		t.Fatalf("history rewrote an earlier month's quota: %d", p.History[1].Quota)
	}
	if err := w.s.SetAgencyQuota(ctx, w.mcnA, w.agencyA.ID, this.Next().String(), 1, now); !errors.Is(err, models.ErrForbidden) {
		t.Fatal("a manager lowered their own quota")
	}
}

func TestMCNRuleAmount(t *testing.T) {
	t.Parallel()
	r := models.DefaultMCNRule // quota met: ¥20,000; +¥1,000 per extra creator; max ¥50,000
	cases := []struct {
		quota, delivered int
		want             int64
		met              bool
	}{
		{10, 9, 0, false}, {10, 10, 2_000_000, true}, {10, 13, 2_300_000, true}, {10, 40, 5_000_000, true}, {10, 1_000_000, 5_000_000, true},
	}
	for _, c := range cases {
		got, met := r.Amount(c.quota, c.delivered)
		if got != c.want || met != c.met {
			t.Errorf("Amount(%d, %d) = %d %v; want %d %v", c.quota, c.delivered, got, met, c.want, c.met)
		}
	}
}

// monthWithMCNBonuses makes agencies that met a quota of 1 last month and computes it.
func (w *world) monthWithMCNBonuses(t *testing.T, agencies int) []uint {
	t.Helper()
	now := time.Now()
	last := models.MonthOf(now).Prev()
	rule := models.DefaultMCNRule
	rule.DefaultQuota = 1
	if err := w.s.SaveMCNRule(ctx, models.SystemActor(), rule); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < agencies; i++ {
		ag, err := w.s.CreateAgency(ctx, w.admin, models.AgencyInput{Name: fmt.Sprintf("Race agency %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.s.EnrolCreator(ctx, w.admin, &ag.ID, enrolment(fmt.Sprintf("jd_cr_mr%04d", i)))
		if err != nil {
			t.Fatal(err)
		}
		w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: res.Creator.ID, Action: models.ActionQualify})
		w.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", last.Start().Add(48*time.Hour).UTC(), res.Creator.ID)
	}
	if _, err := w.s.ComputeMonth(ctx, w.rev1, models.MonthOf(now).String(), now); err == nil {
		t.Fatal("computed a month that has not ended")
	}
	res, err := w.s.ComputeMonth(ctx, w.rev1, last.String(), now)
	if err != nil || res.Created != agencies {
		t.Fatalf("compute: %+v %v", res, err)
	}
	var ids []uint
	w.raw.Model(&models.MCNBonus{}).Order("id").Pluck("id", &ids)
	return ids
}

func TestMCNMonthComputeApproveAndPay(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.monthWithMCNBonuses(t, 2)
	// Recomputing neither duplicates nor changes decided bonuses.
	rep, err := w.s.ApproveMCNBonuses(ctx, w.rev1, ids[:1])
	if err != nil || rep.Approved != 1 {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	// Approving it again is refused, the row named by its agency.
	rep, err = w.s.ApproveMCNBonuses(ctx, w.rev2, ids[:1])
	if o := rep.Outcomes[0]; err != nil || rep.Refused != 1 || o.Name != "Race agency 0" || o.Msg().String() != models.M(models.RefusedAlreadyDecided, "State", models.BonusStateWord(models.BonusApproved)).String() {
		t.Fatalf("second approval: %+v %v", rep, err)
	}
	res, _ := w.s.ComputeMonth(ctx, w.rev2, models.MonthOf(time.Now()).Prev().String(), time.Now())
	if res.Created != 0 || res.Decided != 1 || res.Updated != 1 {
		t.Fatalf("recompute: %+v", res)
	}
	pool, _ := w.s.GetPool(ctx, models.PoolMCN)
	if pool.CommittedFen != 2_000_000 {
		t.Fatalf("MCN pool committed %d", pool.CommittedFen)
	}
	creators, _ := w.s.GetPool(ctx, models.PoolCreators)
	if creators.CommittedFen != 0 {
		t.Fatal("an MCN approval charged the creator pool")
	}
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayAgencies, ids)
	if err != nil || batch.Count != 1 {
		t.Fatalf("batch: %+v %v", batch, err)
	}
	_, lines, _ := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID)
	if len(lines) != 1 || lines[0].Agency != "Race agency 0" || lines[0].AccountID == "" {
		t.Fatalf("lines %+v", lines)
	}
	if paid, err := w.s.MarkBatchPaid(ctx, w.rev1, batch.ID); err != nil || paid != 1 {
		t.Fatalf("paid %d %v", paid, err)
	}
}

// TestConcurrentMCNApprovalsNeverOverdrawThePool races reviewers on a small MCN pool.
func TestConcurrentMCNApprovalsNeverOverdrawThePool(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.monthWithMCNBonuses(t, 12)                                                             // ¥20,000 each
	if err := w.s.SetPoolTotal(ctx, models.SystemActor(), models.PoolMCN, 10_000_000); err != nil { // funds five
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	reviewers := []*models.Actor{w.rev1, w.rev2, w.admin}
	for g := 0; g < 12; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sel := append(append([]uint(nil), ids[g%12:]...), ids[:g%12]...)
			if _, err := w.s.ApproveMCNBonuses(ctx, reviewers[g%3], sel[:7]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var sum, count int64
	w.raw.Model(&models.MCNBonus{}).Where("state = ?", models.BonusApproved).Select("COALESCE(SUM(amount_fen), 0)").Scan(&sum)
	w.raw.Model(&models.MCNBonus{}).Where("state = ?", models.BonusApproved).Count(&count)
	pool, _ := w.s.GetPool(ctx, models.PoolMCN)
	if pool.CommittedFen != sum || sum > pool.TotalFen || count != 5 {
		t.Fatalf("committed %d, approved sum %d (%d bonuses), total %d", pool.CommittedFen, sum, count, pool.TotalFen)
	}
	var audits int64
	w.raw.Model(&models.AuditEntry{}).Where("action = ?", "mcn_bonus.approve").Count(&audits)
	if audits != count {
		t.Fatalf("%d approvals audited for %d approved", audits, count)
	}
}
