package models_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// qualifiedFor enrols a creator for the manager's agency, qualified well before last week.
func (w *world) qualifiedFor(t *testing.T, mgr *models.Actor, account string) *models.Creator {
	t.Helper()
	c := w.enrol(t, mgr, account)
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, -3, 0), c.ID).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

// weekNotices are the week-decision notifications of a manager, with their arguments.
func (w *world) weekNotices(t *testing.T, mgr *models.Actor) []models.Notification {
	t.Helper()
	var out []models.Notification
	if err := w.raw.Where("user_id = ? AND kind = ?", mgr.UserID, models.NotifyWeekDecisions).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func TestManagersGetOneWeekDecisionNotificationPerAgency(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const inA, inB = 40, 25
	for i := range inA + inB {
		mgr := w.mcnA
		if i >= inA {
			mgr = w.mcnB
		}
		c := w.qualifiedFor(t, mgr, fmt.Sprintf("jd_cr_wk%04d", i))
		w.perf(t, lastWeek, c.AccountID, 1, 0, 0, 0) // ¥100 each
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	var idsA, idsB []uint
	w.raw.Model(&models.Bonus{}).Where("agency_id = ?", w.agencyA.ID).Order("id").Pluck("id", &idsA)
	w.raw.Model(&models.Bonus{}).Where("agency_id = ?", w.agenB.ID).Order("id").Pluck("id", &idsB)
	if len(idsA) != inA || len(idsB) != inB {
		t.Fatalf("bonuses: %d + %d", len(idsA), len(idsB))
	}
	args := func(n models.Notification) map[string]any {
		m, ok, err := n.Message()
		if !ok || err != nil {
			t.Fatalf("message of %+v: %v", n, err)
		}
		return m.Args
	}
	type want struct {
		approved, rejected int
		fen                int64
	}
	check := func(step string, mgr *models.Actor, count int, wt want) {
		t.Helper()
		list := w.weekNotices(t, mgr)
		if len(list) != count {
			t.Fatalf("%s: %d notifications, want %d", step, len(list), count)
		}
		a := args(list[len(list)-1])
		if got, exp := fmt.Sprintf("%v %v %v %v", a["Week"], a["Approved"], a["Rejected"], a["Amount"]), fmt.Sprintf("%s %d %d %d", lastWeek, wt.approved, wt.rejected, wt.fen); got != exp {
			t.Fatalf("%s: args %#v, want %+v", step, a, wt)
		}
		if wk, ok := list[len(list)-1].Target().Week(); !ok || wk != lastWeek {
			t.Fatalf("%s: target %+v", step, list[len(list)-1].Target())
		}
	}
	cases := []struct {
		step   string
		decide func() error
		countA int
		wantA  want
		countB int
		wantB  want
		readA  bool // manager A reads their notifications after this step
	}{
		{"bulk approval across both agencies, all but the last of each", func() error {
			_, err := w.s.ApproveBonuses(ctx, w.rev1, append(append([]uint{}, idsA[:inA-2]...), idsB[:inB-1]...))
			return err
		}, 1, want{inA - 2, 0, (inA - 2) * 10_000}, 1, want{inB - 1, 0, (inB - 1) * 10_000}, false},
		{"a rejection updates the unread one", func() error {
			_, err := w.s.RejectBonuses(ctx, w.rev2, []uint{idsA[inA-2]}, "duplicate_claim", "")
			return err
		}, 1, want{inA - 2, 1, (inA - 2) * 10_000}, 1, want{inB - 1, 0, (inB - 1) * 10_000}, true},
		{"after reading, the next decision is a new notification with the week's totals", func() error {
			_, err := w.s.ApproveBonuses(ctx, w.rev2, []uint{idsA[inA-1], idsB[inB-1]})
			return err
		}, 2, want{inA - 1, 1, (inA - 1) * 10_000}, 1, want{inB, 0, inB * 10_000}, false},
		{"a refused decision tells nobody anything new", func() error {
			_, err := w.s.ApproveBonuses(ctx, w.rev1, idsA[:3]) // already approved
			return err
		}, 2, want{inA - 1, 1, (inA - 1) * 10_000}, 1, want{inB, 0, inB * 10_000}, false},
	}
	for _, c := range cases {
		if err := c.decide(); err != nil {
			t.Fatalf("%s: %v", c.step, err)
		}
		check(c.step+" (A)", w.mcnA, c.countA, c.wantA)
		check(c.step+" (B)", w.mcnB, c.countB, c.wantB)
		if c.readA {
			if _, _, err := w.s.Notifications(ctx, w.mcnA, models.NewPage(1, 50)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// MCN bonuses take only MCN-bonus reasons; a weekly-bonus or creator reason
// is refused with a typed error, and weekly bonuses refuse MCN reasons.
func TestDecisionsTakeOnlyReasonsOfTheirScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.monthWithMCNBonuses(t, 2)
	rcs, err := w.s.ReasonCodes(ctx, models.ReasonForMCNBonus, true)
	if err != nil || len(rcs) != len(models.DefaultMCNBonusReasonCodes) {
		t.Fatalf("MCN reasons %v: %v", rcs, err)
	}
	c := w.qualified(t, "jd_cr_scope1")
	w.perf(t, lastWeek, c.AccountID, 1, 0, 0, 0)
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	weekly := w.bonusOf(t, c.ID, lastWeek).ID
	cases := []struct {
		name   string
		decide func(reason string) (*models.DecisionReport, error)
		reason string
		ok     bool
	}{
		{"MCN bonus, weekly-bonus reason", func(r string) (*models.DecisionReport, error) {
			return w.s.RejectMCNBonuses(ctx, w.rev1, ids[:1], r, "")
		}, "suspected_fake_traffic", false},
		{"MCN bonus, creator reason", func(r string) (*models.DecisionReport, error) {
			return w.s.RejectMCNBonuses(ctx, w.rev1, ids[:1], r, "")
		}, "content_policy", false},
		{"weekly bonus, MCN reason", func(r string) (*models.DecisionReport, error) {
			return w.s.RejectBonuses(ctx, w.rev1, []uint{weekly}, r, "")
		}, "mcn_quota_not_met", false},
		{"MCN bonus, MCN reason", func(r string) (*models.DecisionReport, error) {
			return w.s.RejectMCNBonuses(ctx, w.rev1, ids[:1], r, "")
		}, "mcn_quota_not_met", true},
		{"weekly bonus, weekly reason", func(r string) (*models.DecisionReport, error) {
			return w.s.RejectBonuses(ctx, w.rev1, []uint{weekly}, r, "")
		}, "duplicate_claim", true},
	}
	for _, tc := range cases {
		rep, err := tc.decide(tc.reason)
		if tc.ok {
			if err != nil || rep.Rejected != 1 {
				t.Errorf("%s: %+v %v", tc.name, rep, err)
			}
			continue
		}
		var scope models.ReasonScopeError
		if !errors.Is(err, models.ErrReasonWrongScope) || !errors.As(err, &scope) || scope.Code != tc.reason {
			t.Errorf("%s: %v", tc.name, err)
		}
		if fe, ok := models.AsFieldErrors(err); !ok || fe["reason"].ID != "err_reason_wrong_scope" {
			t.Errorf("%s: field errors %v", tc.name, fe)
		}
	}
}
