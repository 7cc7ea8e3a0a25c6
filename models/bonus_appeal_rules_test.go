package models_test

import (
	"errors"
	"testing"

	"github.com/jd/creator-portal/models"
)

// Issue 13, point 4: who may appeal, and who may decide an appeal, is decided
// by one method each; the store's actions and the pages all ask them.
func TestAppealRules(t *testing.T) {
	creatorID, otherID, rejecter := uint(7), uint(8), uint(21)
	creator := &models.Actor{UserID: 3, Role: models.RoleCreator, CreatorID: &creatorID}
	otherCreator := &models.Actor{UserID: 4, Role: models.RoleCreator, CreatorID: &otherID}
	manager := &models.Actor{UserID: 5, Role: models.RoleMCNManager, AgencyID: new(uint)}
	rev1 := &models.Actor{UserID: rejecter, Role: models.RoleReviewer}
	rev2 := &models.Actor{UserID: 22, Role: models.RoleReviewer}
	bonus := func(state models.BonusState, appeal string) *models.Bonus {
		return &models.Bonus{CreatorID: creatorID, State: state, AppealState: appeal, DecidedByID: &rejecter}
	}
	appeal := []struct {
		name string
		b    *models.Bonus
		a    *models.Actor
		want bool
	}{
		{"own rejected week", bonus(models.BonusRejected, ""), creator, true},
		{"appealed already", bonus(models.BonusRejected, models.AppealPending), creator, false},
		{"appeal decided", bonus(models.BonusRejected, models.AppealUpheld), creator, false},
		{"proposed", bonus(models.BonusProposed, ""), creator, false},
		{"approved", bonus(models.BonusApproved, ""), creator, false},
		{"another creator's week", bonus(models.BonusRejected, ""), otherCreator, false},
		{"a manager", bonus(models.BonusRejected, ""), manager, false},
		{"a reviewer", bonus(models.BonusRejected, ""), rev2, false},
		{"nobody", bonus(models.BonusRejected, ""), nil, false},
	}
	for _, tc := range appeal {
		if got := tc.b.CanAppeal(tc.a); got != tc.want {
			t.Errorf("CanAppeal, %s: %v, want %v", tc.name, got, tc.want)
		}
	}
	decide := []struct {
		name string
		b    *models.Bonus
		a    *models.Actor
		want error
	}{
		{"another reviewer", bonus(models.BonusRejected, models.AppealPending), rev2, nil},
		{"the rejecting reviewer", bonus(models.BonusRejected, models.AppealPending), rev1, models.ErrOwnRejection},
		{"no appeal", bonus(models.BonusRejected, ""), rev2, models.ErrAppealNotPending},
		{"decided", bonus(models.BonusRejected, models.AppealUpheld), rev2, models.ErrAppealNotPending},
		{"overturned", bonus(models.BonusProposed, models.AppealOverturned), rev2, models.ErrAppealNotPending},
		{"the creator", bonus(models.BonusRejected, models.AppealPending), creator, models.ErrForbidden},
		{"the command line", bonus(models.BonusRejected, models.AppealPending), models.SystemActor(), models.ErrForbidden},
	}
	for _, tc := range decide {
		if got := tc.b.CheckAppealDecider(tc.a); !errors.Is(got, tc.want) || (tc.want == nil && got != nil) {
			t.Errorf("CheckAppealDecider, %s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The store refuses exactly what the methods refuse.
func TestAppealActionsFollowTheRules(t *testing.T) {
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_rule01")
	w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 0)
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "rule@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	me := models.ActorFor(u, "")
	b := w.bonusOf(t, c.ID, lastWeek)
	if b.CanAppeal(me) || !errors.Is(w.s.AppealBonus(ctx, me, b.ID, "please"), models.ErrAppealNotAllowed) {
		t.Fatal("a proposed week: the rule and the store disagree")
	}
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{b.ID}, "unverified_performance", ""); err != nil {
		t.Fatal(err)
	}
	b = w.bonusOf(t, c.ID, lastWeek)
	if !b.CanAppeal(me) {
		t.Fatal("a rejected week cannot be appealed")
	}
	if err := w.s.AppealBonus(ctx, me, b.ID, "My links prove it."); err != nil {
		t.Fatal(err)
	}
	b = w.bonusOf(t, c.ID, lastWeek)
	if b.CanAppeal(me) || !errors.Is(w.s.AppealBonus(ctx, me, b.ID, "again"), models.ErrAppealNotAllowed) {
		t.Fatal("an appealed week: the rule and the store disagree")
	}
	if !errors.Is(b.CheckAppealDecider(w.rev1), models.ErrOwnRejection) || !errors.Is(w.s.DecideAppeal(ctx, w.rev1, b.ID, true, ""), models.ErrOwnRejection) {
		t.Fatal("the rejecting reviewer: the rule and the store disagree")
	}
	if b.CheckAppealDecider(w.rev2) != nil {
		t.Fatal("another reviewer may not decide")
	}
	if err := w.s.DecideAppeal(ctx, w.rev2, b.ID, false, "the figures stand"); err != nil {
		t.Fatal(err)
	}
	b = w.bonusOf(t, c.ID, lastWeek)
	if _, ok := models.AsFieldErrors(w.s.DecideAppeal(ctx, w.admin, b.ID, true, "")); !ok || !errors.Is(b.CheckAppealDecider(w.admin), models.ErrAppealNotPending) {
		t.Fatal("a decided appeal: the rule and the store disagree")
	}
}
