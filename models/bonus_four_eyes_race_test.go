package models_test

import (
	"testing"

	"github.com/jd/creator-portal/models"
)

// An approval reads the bonus before it takes the pool (issue 18), so what it
// checked must still hold when it writes. Here, between rev2's read (first
// approver rev1) and rev2's lock, the bonus was rejected, overturned on
// appeal and first-approved again by rev2 itself — the same state and
// amount, another first approver. rev2 must not complete it: that would be
// one reviewer's two approvals of a four-eyes bonus.
func TestSecondApprovalRechecksTheFirstApproverItRead(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := proposed(t, w, "jd_cr_4eyes01")
	if err := w.raw.Exec("UPDATE bonuses SET amount_fen = ? WHERE id = ?", 2_500_000, id).Error; err != nil { // above the ¥20,000 four-eyes threshold
		t.Fatal(err)
	}
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{id}); err != nil || rep.Awaiting != 1 {
		t.Fatalf("rev1's first approval: %+v %v", rep, err)
	}
	committed := w.committed(t)

	o, err := w.s.ApproveAfterForTest(ctx, w.rev2, id, func() {
		if err := w.raw.Exec("UPDATE bonuses SET first_approver_id = ? WHERE id = ?", w.rev2.UserID, id).Error; err != nil {
			t.Fatal(err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.Result != "refused" || o.Reason != models.RefusedDecidedMeanwhile {
		t.Fatalf("rev2 completed a bonus it had first-approved itself: %+v", o)
	}
	if st := w.bonusState(t, id); st != models.BonusAwaitingSecond || w.committed(t) != committed {
		t.Fatalf("after the refusal: state %s, pool committed %d (was %d)", st, w.committed(t), committed)
	}

	// The control: with rev1 still the first approver, rev2's approval completes it.
	if err := w.raw.Exec("UPDATE bonuses SET first_approver_id = ? WHERE id = ?", w.rev1.UserID, id).Error; err != nil {
		t.Fatal(err)
	}
	if o, err := w.s.ApproveAfterForTest(ctx, w.rev2, id, func() {}); err != nil || o.Result != "approved" {
		t.Fatalf("rev2's second approval: %+v %v", o, err)
	}
	if w.committed(t) != committed+2_500_000 {
		t.Fatalf("pool committed %d, want %d", w.committed(t), committed+2_500_000)
	}
}
