package models_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// recipients lists the users told kind, by email, in order.
func (w *world) recipients(t *testing.T, kind string) []string {
	t.Helper()
	var emails []string
	if err := w.raw.Table("notifications").Joins("JOIN users ON users.id = notifications.user_id").
		Where("notifications.kind = ?", kind).Order("users.email").Pluck("users.email", &emails).Error; err != nil {
		t.Fatal(err)
	}
	return emails
}

// A whole batch is not marked paid while its bank result has lines that paid
// nothing: paying it would pay the disputed lines. A corrected result clears it.
func TestWholeBatchPaymentRefusedOverUnresolvedMismatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		lines    func(id string) string // the bank's lines for the batch's three lines (¥100, ¥200, ¥300)
		wantOpen int
	}{
		{"an amount differs", func(id string) string { return id + ",jd_cr_pay000,10000,paid\n" + id + ",jd_cr_pay001,99999,paid\n" }, 1},
		{"the bank failed a line", func(id string) string { return id + ",jd_cr_pay002,30000,failed\n" }, 1},
		{"a line the batch does not hold", func(id string) string { return id + ",jd_cr_nobody,100,paid\n" }, 1},
		{"a malformed amount and another batch", func(id string) string { return id + ",jd_cr_pay000,ten,paid\n999,jd_cr_pay001,20000,paid\n" }, 2},
		{"all matched, some not yet reported", func(id string) string { return id + ",jd_cr_pay000,10000,paid\n" }, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			ids := w.approvedWeek(t, 3)
			w.payable(t)
			batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID); err != nil {
				t.Fatal(err)
			}
			id := fmt.Sprint(batch.ID)
			rep, err := w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte("batch_id,account_id,amount_fen,status\n"+tc.lines(id)))
			if err != nil || rep.Open() != tc.wantOpen {
				t.Fatalf("bank result: open %d, want %d (%+v, %v)", rep.Open(), tc.wantOpen, rep, err)
			}
			_, planErr := w.s.PlanBatchPaid(ctx, w.rev1, batch.ID)
			paid, err := w.s.MarkBatchPaid(ctx, w.rev1, batch.ID)
			if tc.wantOpen == 0 {
				if err != nil || planErr != nil || paid == 0 {
					t.Fatalf("no open mismatches, yet: paid %d, %v, plan %v", paid, err, planErr)
				}
				return
			}
			var mis models.UnresolvedMismatchesError
			if !errors.As(err, &mis) || !errors.Is(err, models.ErrUnresolvedMismatches) || mis.Count != tc.wantOpen || mis.BatchID != batch.ID || paid != 0 {
				t.Fatalf("paid %d over %d unresolved mismatches: %v", paid, tc.wantOpen, err)
			}
			if !errors.Is(planErr, models.ErrUnresolvedMismatches) {
				t.Fatalf("the confirmation step would offer the payment: %v", planErr)
			}
			if got := mis.Msg(); got.ID != "err_batch_unresolved_mismatches" || english(got) == "" {
				t.Fatalf("message %+v", got)
			}
			var states []string
			w.raw.Model(&models.Bonus{}).Where("state = ?", models.BonusPaid).Pluck("state", &states)
			if len(states) != rep.Paid {
				t.Fatalf("%d lines paid, the bank reported %d", len(states), rep.Paid)
			}
			// The bank's corrected result for the disputed lines clears them; then the rest may be paid.
			fixed := id + ",jd_cr_pay001,20000,paid\n" + id + ",jd_cr_pay002,30000,paid\n"
			if rep, err := w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte("batch_id,account_id,amount_fen,status\n"+fixed)); err != nil || rep.Open() != 0 {
				t.Fatalf("corrected result: %+v %v", rep, err)
			}
			if _, err := w.s.MarkBatchPaid(ctx, w.rev1, batch.ID); err != nil && !errors.As(err, new(models.FieldErrors)) {
				t.Fatalf("after the corrected result: %v", err)
			}
		})
	}
}

// The bank's line with a different amount names both amounts.
func TestBankMismatchNamesExpectedAndReportedAmounts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 2)
	w.payable(t)
	batch, _, _ := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID)
	rep, err := w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte(fmt.Sprintf("batch_id,account_id,amount_fen,status\n%d,jd_cr_pay001,19999,paid\n", batch.ID)))
	if err != nil || len(rep.Mismatches) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	got := english(rep.Mismatches[0].Msg())
	for _, want := range []string{"¥200.00", "¥199.99", "jd_cr_pay001"} {
		if !strings.Contains(got, want) {
			t.Errorf("mismatch %q does not name %s", got, want)
		}
	}
}

// A first approval at or above the four-eyes threshold tells the reviewers
// who can give the second one — never the first approver — once per batch.
func TestSecondApprovalNotifiesTheOtherReviewers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i := range 3 {
		c := w.qualified(t, fmt.Sprintf("jd_cr_big%03d", i))
		w.perf(t, lastWeek, c.AccountID, 10, 0, 10_000_000, 100_000_000) // ¥26,000: four eyes
	}
	small := w.qualified(t, "jd_cr_small01")
	w.perf(t, lastWeek, small.AccountID, 1, 0, 0, 0)
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	var ids []uint
	w.raw.Model(&models.Bonus{}).Order("id").Pluck("id", &ids)
	gone, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "gone@t.test", Password: "long-enough-password", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	w.raw.Table("users").Where("id = ?", gone.ID).Update("disabled", true)

	rep, err := w.s.ApproveBonuses(ctx, w.rev1, ids)
	if err != nil || rep.Awaiting != 3 || rep.Approved != 1 {
		t.Fatalf("first approvals: %+v %v", rep, err)
	}
	got := w.recipients(t, models.NotifySecondApproval)
	if want := []string{"admin@t.test", "rev2@t.test"}; !slices.Equal(got, want) {
		t.Fatalf("told %v, want %v (one each: not the first approver, not managers, not disabled users)", got, want)
	}
	var n models.Notification
	w.raw.Where("kind = ?", models.NotifySecondApproval).First(&n)
	m, _, _ := n.Message()
	if english(m) == "" || n.TargetType != models.TargetSecondApproval || !strings.Contains(english(m), "¥78,000.00") || !strings.Contains(english(m), "3") {
		t.Fatalf("notification %q → %s", english(m), n.TargetType)
	}
	// The second approval tells nobody else.
	if rep, _ := w.s.ApproveBonuses(ctx, w.rev2, ids[:3]); rep.Approved != 3 {
		t.Fatalf("second approvals: %+v", rep)
	}
	if got := w.recipients(t, models.NotifySecondApproval); len(got) != 2 {
		t.Fatalf("the second approval told again: %v", got)
	}
}

// A creator's appeal tells the reviewers who may decide it: not the one who rejected the week.
func TestAppealNotifiesReviewersButNotTheRejecter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_app009")
	w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 0)
	w.s.ComputeWeek(ctx, w.rev1, lastWeek.String())
	id := w.bonusOf(t, c.ID, lastWeek).ID
	u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "app9@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.RejectBonuses(ctx, w.rev2, []uint{id}, "unverified_performance", ""); err != nil {
		t.Fatal(err)
	}
	if err := w.s.AppealBonus(ctx, models.ActorFor(u, ""), id, "My videos are real."); err != nil {
		t.Fatal(err)
	}
	if got, want := w.recipients(t, models.NotifyAppealArrived), []string{"admin@t.test", "rev1@t.test"}; !slices.Equal(got, want) {
		t.Fatalf("told %v, want %v", got, want)
	}
	var n models.Notification
	w.raw.Where("kind = ?", models.NotifyAppealArrived).First(&n)
	m, _, _ := n.Message()
	if n.TargetType != models.TargetBonus || n.TargetID != id || !strings.Contains(english(m), c.DisplayName) || !strings.Contains(english(m), lastWeek.String()) {
		t.Fatalf("notification %q → %s %d", english(m), n.TargetType, n.TargetID)
	}
}

// Confirmation thresholds: defaults, admin-only, checked, audited.
func TestConfirmThresholds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	got, err := w.s.ConfirmThresholds(ctx)
	if err != nil || got != (models.ConfirmThresholds{Count: 20, AmountFen: 10_000_000}) {
		t.Fatalf("defaults %+v %v", got, err)
	}
	for _, tc := range []struct {
		count int
		fen   int64
		need  bool
	}{{20, 10_000_000, false}, {21, 0, true}, {1, 10_000_001, true}, {0, 0, false}} {
		if got.Needs(tc.count, tc.fen) != tc.need {
			t.Errorf("Needs(%d, %d) = %v", tc.count, tc.fen, !tc.need)
		}
	}
	if err := w.s.SetConfirmThresholds(ctx, w.rev1, models.ConfirmThresholds{Count: 5, AmountFen: 100}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a reviewer set the thresholds: %v", err)
	}
	if _, ok := models.AsFieldErrors(w.s.SetConfirmThresholds(ctx, w.admin, models.ConfirmThresholds{Count: 0, AmountFen: 1})); !ok {
		t.Fatal("zero thresholds accepted")
	}
	want := models.ConfirmThresholds{Count: 5, AmountFen: 5_000_000}
	if err := w.s.SetConfirmThresholds(ctx, w.admin, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.s.ConfirmThresholds(ctx); got != want {
		t.Fatalf("saved %+v", got)
	}
	if w.auditCount(t, "settings.confirm_thresholds", 0) != 1 {
		t.Fatal("not audited")
	}
}
