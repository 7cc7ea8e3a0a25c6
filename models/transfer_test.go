package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

func TestTransferTakesEffectNextMonthAndCreditStays(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, models.CST)
	c := w.qualifiedAt(t, w.mcnA, "jd_cr_tr0001", time.Date(2026, 11, 3, 10, 0, 0, 0, models.CST))
	if _, err := w.s.RequestTransfer(ctx, w.mcnA, c.AccountID); err == nil {
		t.Fatal("an agency requested its own creator")
	}
	if _, err := w.s.RequestTransfer(ctx, w.mcnB, "jd_cr_nobody"); err == nil {
		t.Fatal("a transfer of an unknown account was accepted")
	}
	tr, err := w.s.RequestTransfer(ctx, w.mcnB, c.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.RequestTransfer(ctx, w.mcnB, c.AccountID); err == nil {
		t.Fatal("a second open request was accepted")
	}
	u, _ := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "tr@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	me := models.ActorFor(u, "")
	if err := w.s.DecideTransfer(ctx, me, tr.ID, true, now); err != nil {
		t.Fatal(err)
	}
	if err := w.s.DecideTransfer(ctx, me, tr.ID, false, now); err == nil {
		t.Fatal("a transfer was answered twice")
	}
	if n, _ := w.s.ApplyDueTransfers(ctx, now); n != 0 {
		t.Fatal("the transfer took effect before next month")
	}
	if got, _ := w.s.GetCreator(ctx, w.rev1, c.ID); *got.AgencyID != w.agencyA.ID {
		t.Fatal("the creator moved early")
	}
	firstOfDecember := time.Date(2026, 12, 1, 0, 0, 1, 0, models.CST)
	if n, err := w.s.ApplyDueTransfers(ctx, firstOfDecember); err != nil || n != 1 {
		t.Fatalf("applied %d (%v)", n, err)
	}
	if n, _ := w.s.ApplyDueTransfers(ctx, firstOfDecember); n != 0 {
		t.Fatal("a transfer was applied twice")
	}
	if got, _ := w.s.GetCreator(ctx, w.rev1, c.ID); *got.AgencyID != w.agenB.ID {
		t.Fatal("the creator did not move")
	}
	// November's credit stays with agency A.
	pA, _ := w.s.AgencyProgress(ctx, w.mcnA, w.agencyA.ID, now)
	pB, _ := w.s.AgencyProgress(ctx, w.mcnB, w.agenB.ID, now)
	if pA.Delivered != 1 || pB.Delivered != 0 {
		t.Fatalf("November delivered: A %d, B %d", pA.Delivered, pB.Delivered)
	}
}
